"""The layer fixtures replayed inside ``varscope.jax.transform_with_state``, eagerly and under ``jit`` (see
test_tf_layers_recorded.py): outputs and the new state equal TF's, and fresh initial values are TF's
initializers' (equal for the constant ones, the same spread for the random ones)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

jax = pytest.importorskip("jax")

import varscope.jax as vj  # noqa: E402
from test_tf_layers_recorded import CASES, RECORDS, _arr, _check_random, _close, _names  # noqa: E402

from varscope.compat import layers, slim  # noqa: E402
from varscope.compat import v1 as tf  # noqa: E402


@pytest.mark.parametrize("case", [c for c in _names("") if "error" not in RECORDS[c] and CASES[c].jax])
@pytest.mark.parametrize("jit", [False, True], ids=["eager", "jit"])
def test_transform_with_state(case: str, jit: bool) -> None:
    rec, c = RECORDS[case], CASES[case]
    keys = [o["key"] for o in rec["outputs"]]

    def model(**inputs: Any) -> dict[str, Any]:
        out = c.fn(tf, layers, slim, **inputs)
        return {k: out[k] for k in keys}

    random = bool(rec["random"])  # dropout in training draws from the apply's rng
    m = vj.transform_with_state(model, rng=True) if random else vj.transform_with_state(model)
    inputs = {k: jax.numpy.asarray(v) for k, v in c.inputs.items()}
    params, state = m.init(jax.random.key(0), **inputs)
    trainable = [v["name"] for v in rec["variables"] if v["trainable"]]
    frozen = [v["name"] for v in rec["variables"] if not v["trainable"]]
    assert sorted(params) == sorted(trainable) and sorted(state) == sorted(frozen)
    for name, value in {**params, **state}.items():  # fresh values: TF's initializers
        want = _arr(case, "init", name)
        value = np.asarray(value)
        if np.all(want == want.flat[0]):
            np.testing.assert_array_equal(value, want, err_msg=f"{case}: {name} initial value")
        elif want.size >= 60:
            assert abs(value.std() - want.std()) < 0.3 * want.std(), f"{case}: {name} spread"
    params = {k: jax.numpy.asarray(_arr(case, "init", k)) for k in params}
    state = {k: jax.numpy.asarray(_arr(case, "init", k)) for k in state}
    apply = jax.jit(m.apply) if jit else m.apply
    rngs = (jax.random.key(1),) if random else ()
    out, new_state = apply(params, state, *rngs, **inputs)
    for key in keys:
        if key in rec["random"]:
            _check_random(case, key, np.asarray(out[key]), _arr(case, "in", "x"))
            continue
        _close(out[key], _arr(case, "out", key), f"{case}/{key}")
    for name, value in new_state.items():
        _close(value, _arr(case, "after", name), f"{case}: {name} in new_state")
