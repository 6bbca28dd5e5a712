"""The op cases of tests/compat/cases/, replayed inside varscope.jax.transform and under jax.jit (replay.py)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

jax = pytest.importorskip("jax")

import jax.numpy as jnp  # noqa: E402

import varscope.jax as vj  # noqa: E402
from compat import replay  # noqa: E402
from varscope._shape import v1_tensorshape  # noqa: E402
from varscope.compat import v1 as tf  # noqa: E402

FAMILIES = replay.families()
FIXTURES = {f: replay.load_fixture(f) for f in FAMILIES}
CASES = {f: replay.load_cases(f) for f in FAMILIES}
PARAMS = [(f, name, mode) for f in FAMILIES for name in sorted(FIXTURES[f][0]["cases"]) for mode in ("transform", "jit")]


@pytest.fixture(autouse=True)
def _tf1_shapes():
    with v1_tensorshape():
        yield


def _run_jax(c: Any, jit: bool) -> Any:
    captured: list[Any] = []

    def fn(**kw: Any) -> Any:
        meta, values = replay.describe(c.fn(tf, **kw))
        captured.append(meta)
        return [v for v in values if v is not None]

    model = vj.transform(fn, rng=True)  # an rng for the random ops (tf.nn.dropout, tf.random_normal, ...)
    inputs = {k: jnp.asarray(v) for k, v in c.inputs.items()}
    params = model.init(0, **inputs)
    apply = jax.jit(model.apply) if jit else model.apply
    arrays = iter(apply(params, jax.random.key(0), **inputs))
    meta = captured[-1]
    values = [None if "python" in m else np.asarray(next(arrays)) for m in meta]
    return meta, values


@pytest.mark.parametrize("family,name,mode", PARAMS)
def test_case_jax(family, name, mode):
    c = CASES[family][name]
    if not c.jax:
        pytest.skip("NumPy backend only (see the case)")
    if mode == "jit" and not c.jit:
        pytest.skip("not under jit: the result's shape depends on input values")
    replay.check_case(family, name, FIXTURES[family], lambda: _run_jax(c, mode == "jit"))
