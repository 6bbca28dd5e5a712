"""Shared test fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def find_tf_python() -> str | None:
    """The TensorFlow interpreter: ``$VARSCOPE_TF_PYTHON``, else ``.venv-tf/bin/python`` (None if neither)."""
    env = os.environ.get("VARSCOPE_TF_PYTHON")
    if env:
        return env if (Path(env).exists() or "/" not in env) else None
    candidate = ROOT / ".venv-tf" / "bin" / "python"
    return str(candidate) if candidate.exists() else None


@pytest.fixture(scope="session")
def tf_python() -> str:
    """A TensorFlow 2.21 interpreter for the live comparisons.

    Without one the test is skipped, except under ``CI=true``, where it fails: CI must run them.
    """
    python = find_tf_python()
    if python is None:
        message = "no TensorFlow interpreter (set VARSCOPE_TF_PYTHON or create .venv-tf)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return python


@pytest.fixture(autouse=True)
def _tf2_shapes_by_default():
    """Each test starts with TF 2 shape behaviour (ints), whatever an earlier import of varscope.compat (which
    switches the process to TF 1.x Dimensions, as TF's flag is process-wide) or test did; restored after."""
    from varscope import _shape

    before = _shape.v2_tensorshape_enabled()
    _shape.enable_v2_tensorshape()
    yield
    if before:
        _shape.enable_v2_tensorshape()
    else:
        _shape.disable_v2_tensorshape()
