"""The package type-checks: mypy over src/varscope reports no issue (the package ships py.typed)."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_py_typed_marker_ships() -> None:
    assert (ROOT / "src" / "varscope" / "py.typed").is_file()


def test_mypy_reports_no_issue() -> None:
    pytest.importorskip("mypy")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "src/varscope", "--ignore-missing-imports", "--no-error-summary"],
        cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
