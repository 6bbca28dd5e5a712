"""The runnable examples in varscope.compat's docstrings (TF 1.x shape behaviour, as under varscope.compat)."""

from __future__ import annotations

import doctest
import importlib

import pytest

from varscope._shape import v1_tensorshape

MODULES = ["varscope.compat", "varscope.compat._tensor", "varscope.compat._op", "varscope.compat.array_ops",
           "varscope.compat.math_ops", "varscope.compat.control_flow_ops", "varscope.compat.session",
           "varscope.compat.v1", "varscope.compat._install", "varscope.compat.arg_scope", "varscope.compat.hparams",
           "varscope.compat.errors"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    with v1_tensorshape():
        result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
