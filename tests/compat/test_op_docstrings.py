"""The docstring examples of the nn and random op modules run (doctest)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["varscope.compat._nn_math", "varscope.compat._conv_math", "varscope.compat._random_math",
           "varscope.compat.nn_ops", "varscope.compat.conv_ops", "varscope.compat.embedding_ops",
           "varscope.compat.random_ops", "varscope.compat.nn", "varscope.compat.random"]


@pytest.fixture(autouse=True)
def _tf1_shapes():
    from varscope._shape import v1_tensorshape

    with v1_tensorshape():
        yield


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0

