"""Replay tests/fixtures/tf_layers (recorded by tools/record_tf_layers.py on TF 2.21) on varscope.compat's layers.

Each case of cases/layer_cases.py runs on the NumPy backend here, and inside ``varscope.jax.transform_with_state``
(eagerly and under ``jit``) in test_tf_layers_recorded_jax.py, with TF's initial values given to the variables. Compared: the variables (names,
shapes, dtypes, trainable, collections), the outputs (names, shapes, dtypes, values within 1e-5), the moving
statistics after the call (TF: after one run of the outputs and ``UPDATE_OPS``), the names of ``UPDATE_OPS``
and the regularization losses' values. Fresh initial values are compared with TF's: equal for the constant
initializers, the same spread for the random ones.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import varscope as tf1
from varscope.compat import layers, slim
from varscope.compat import v1 as tf

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures" / "tf_layers"
sys.path.insert(0, str(HERE / "cases"))
import _layer_case  # noqa: E402
import layer_cases  # noqa: E402,F401 - registers the cases

RECORDS = json.loads((FIXTURES / "layers.json").read_text())["cases"]
with np.load(FIXTURES / "layers.npz") as _npz:
    ARRAYS = {k: _npz[k] for k in _npz.files}
CASES = _layer_case.CASES
TOL = 1e-5


def _arr(case: str, kind: str, name: str) -> np.ndarray:
    return ARRAYS[f"{case}/{kind}/{name}"]


def _values_getter(case: str, arrays: dict[str, np.ndarray]) -> Any:
    """A root custom getter giving each variable TF's initial value."""

    def getter(getter: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        value = arrays.get(f"{case}/init/{name}")
        if value is not None:
            kwargs["initializer"] = tf1.constant_initializer(value)
        return getter(name, *args, **kwargs)

    return getter


def _collections_of(graph: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key in graph.get_all_collection_keys():
        for v in graph.get_collection(key):
            if isinstance(v, tf1.Variable):
                out.setdefault(v.op.name if hasattr(v, "op") else v.name[:-2], []).append(key)
    return out


def _close(got: Any, want: np.ndarray, what: str) -> None:
    got = np.asarray(got)
    assert got.shape == want.shape, f"{what}: shape {got.shape} != TF's {want.shape}"
    np.testing.assert_allclose(got, want, rtol=TOL, atol=TOL, err_msg=what)


def _check_random(case: str, key: str, got: np.ndarray, x: np.ndarray) -> None:
    """Dropout in training: each value is 0 or the input scaled by 1 / (1 - rate); the kept share is plausible."""
    scaled = x / (1 - 0.25)
    kept = np.isclose(got, scaled, rtol=1e-6, atol=1e-7)
    assert np.all(kept | (got == 0)), f"{case}/{key}: values neither dropped nor scaled"
    assert 0.5 < kept.mean() < 0.95, f"{case}/{key}: kept share {kept.mean()}"


def _names(case: str) -> list[str]:
    return [c for c in CASES if c in RECORDS]


def replay_numpy(case: str, rec: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    """Run ``case`` on the NumPy backend with the initial values of ``arrays`` and compare it with ``rec``."""
    c = CASES[case]

    def arr(kind: str, name: str) -> np.ndarray:
        return arrays[f"{case}/{kind}/{name}"]

    with tf1.Graph().as_default() as graph:
        tf1.get_variable_scope().set_custom_getter(_values_getter(case, arrays))
        if "error" in rec:
            with pytest.raises(Exception) as info:
                c.fn(tf, layers, slim, **c.inputs)
            assert rec["error"]["type"] in [t.__name__ for t in type(info.value).__mro__]  # TF's type or a subclass
            assert str(info.value).split("\n")[0].startswith(rec["error"]["message"].split(" Originally")[0])
            return
        out = c.fn(tf, layers, slim, **{k: v.copy() for k, v in c.inputs.items()})
        variables = tf1.global_variables()
        collections = _collections_of(graph)
        got_vars = [{"name": v.op.name, "shape": v.shape.as_list(), "dtype": v.dtype.base_dtype.name,
                     "trainable": v.trainable, "collections": sorted(collections.get(v.op.name, []))}
                    for v in variables]
        assert got_vars == rec["variables"]
        for o in rec["outputs"]:
            t = out[o["key"]]
            assert (t.name, t.shape.as_list(), t.dtype.name) == (o["name"], o["shape"], o["dtype"]), o["key"]
            if o["key"] in rec["random"]:
                _check_random(case, o["key"], t.numpy(), arr("in", "x"))
            else:
                _close(t.numpy(), arr("out", o["key"]), f"{case}/{o['key']}")
        for v in variables:
            _close(v.numpy() if hasattr(v, "numpy") else np.asarray(v), arr("after", v.op.name),
                   f"{case}: {v.op.name} after the call")
        updates = [u.name for u in tf1.get_collection(tf1.GraphKeys.UPDATE_OPS)]
        assert updates == rec["update_ops"]
        losses = tf1.losses.get_regularization_losses()
        assert [loss.name for loss in losses] == rec["regularization_losses"]
        for i, loss in enumerate(losses):
            _close(np.asarray(loss), arr("reg", str(i)), f"{case}: regularization loss {i}")


@pytest.mark.parametrize("case", _names(""))
def test_numpy_backend(case: str) -> None:
    replay_numpy(case, RECORDS[case], ARRAYS)
