"""The two builds of the scoping core (setup.py): compiled by mypyc, and pure Python.

The whole suite runs on whichever build is installed. Here the other build's half is checked: when
the installed core is compiled, the core, conformance and surface tests run again on the pure-Python
sources in a subprocess; and a compiled module whose source changed afterwards is reported.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import varscope
from varscope import _build

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(varscope.__file__).resolve().parent


def _require_compiled() -> None:
    if _build.is_compiled():
        return
    if os.environ.get("CI", "").lower() == "true":  # CI has a C compiler: a silent fallback is a bug there
        pytest.fail("the scoping core is not compiled (see setup.py; is gcc missing or VARSCOPE_PURE_PYTHON set?)")
    pytest.skip("the installed scoping core is pure Python (the whole suite already runs on it)")


def _copy_sources(dest: Path, with_compiled: bool) -> Path:
    """A copy of the package (``.py`` files, plus the extensions when asked) under ``dest``; returns ``dest``."""
    ignore = None if with_compiled else shutil.ignore_patterns("*.so", "*.pyd", "__pycache__")
    shutil.copytree(PACKAGE, dest / "varscope", ignore=ignore)
    if with_compiled:
        shared = sys.modules.get("varscope__mypyc")
        if shared is not None and shared.__file__:
            shutil.copy2(shared.__file__, dest)
    return dest


def test_build_reports_its_modules() -> None:
    for name in _build.COMPILED_MODULES:
        module = sys.modules.get(f"varscope.{name}") or __import__(f"varscope.{name}", fromlist=["_"])
        assert module.__file__.endswith(".py") is not _build.is_compiled(), name


def test_pure_python_build_passes_the_core_tests(tmp_path: Path) -> None:
    _require_compiled()
    src = _copy_sources(tmp_path, with_compiled=False)
    env = dict(os.environ, PYTHONPATH=str(src))
    probe = subprocess.run([sys.executable, "-c", "from varscope import _build; print(_build.is_compiled())"],
                           env=env, capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == "False"
    tests = ["tests/test_core.py", "tests/test_conformance_recorded.py", "tests/surface"]
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-2000:]
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in summary and "failed" not in summary


@pytest.mark.parametrize("checkout", [True, False], ids=["source checkout", "installed"])
def test_edited_source_of_a_compiled_module_warns_in_a_checkout(tmp_path: Path, checkout: bool) -> None:
    _require_compiled()
    src = _copy_sources(tmp_path / "src", with_compiled=True)
    if checkout:  # src/varscope beside setup.py, as in an editable install
        shutil.copy2(ROOT / "setup.py", tmp_path / "setup.py")
    code = "import warnings; warnings.simplefilter('error'); import varscope"
    env = dict(os.environ, PYTHONPATH=str(src))
    fresh = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert fresh.returncode == 0, fresh.stderr
    source = src / "varscope" / "_scope.py"
    newer = max(p.stat().st_mtime for p in src.rglob("*.so")) + 10
    os.utime(source, (newer, newer))
    edited = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if checkout:
        assert edited.returncode != 0
        assert "_scope.py changed after it was compiled" in edited.stderr
    else:  # a wheel writes its files in any order: no warning from file times there
        assert edited.returncode == 0, edited.stderr
