"""Shared by the replays of ``tools/record_tf_train.py``'s recording (``test_train_recorded.py`` in a NumPy graph,
``tests/backend_jax/test_train_transform.py`` under ``jax.jit``): the fixture, the cases' models and steps, and
the comparison: 1e-6 relative to the element, or to the array's largest element where a step nearly cancelled an
element out (0.3 - 0.2988 in float32 keeps only a few bits; XLA may round such a step differently)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

import varscope as tf1
from varscope import train

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))
import train_cases as C  # noqa: E402

DATA = json.loads((_HERE.parent / "fixtures" / "tf_train" / "train.json").read_text(encoding="utf-8"))
CKPT = _HERE.parent / "fixtures" / "tf_train" / "adam_ckpt"
RTOL = 1e-6
KEYS = {"variables": tf1.GraphKeys.GLOBAL_VARIABLES, "trainable_variables": tf1.GraphKeys.TRAINABLE_VARIABLES,
        "global_step": tf1.GraphKeys.GLOBAL_STEP, "moving_average_variables": tf1.GraphKeys.MOVING_AVERAGE_VARIABLES,
        "train_op": tf1.GraphKeys.TRAIN_OP}


def _describe(graph: tf1.Graph) -> list[dict[str, Any]]:
    out = []
    for v in graph.get_collection(tf1.GraphKeys.GLOBAL_VARIABLES):
        out.append({"name": v.name, "op_name": v.op.name, "shape": v.shape.as_list(), "dtype": v.dtype.base_dtype.name,
                    "collections": [k for k, key in KEYS.items() if any(x is v for x in graph.get_collection(key))]})
    return out


def _values(graph: tf1.Graph) -> dict[str, np.ndarray]:
    return {v.op.name: v.numpy() for v in graph.get_collection(tf1.GraphKeys.GLOBAL_VARIABLES)}


def _close(actual: dict[str, Any], expected: dict[str, Any], what: str) -> None:
    assert sorted(actual) == sorted(expected), what
    for name, want in expected.items():
        want = np.asarray(want, np.float64)
        # relative to each element, and to the array's scale for an element that nearly cancelled out
        # (0.3 - 0.2988 in float32 keeps only a few bits; XLA may round such a step differently)
        scale = float(np.max(np.abs(want))) if want.size else 0.0
        np.testing.assert_allclose(np.asarray(actual[name], np.float64), want, rtol=RTOL, atol=RTOL * scale,
                                   err_msg=f"{what}: {name}")


def _model(dtype: str) -> list[Any]:
    with tf1.variable_scope("model"):
        w = tf1.get_variable("w", initializer=C.W0.astype(dtype))
        b = tf1.get_variable("b", initializer=C.B0.astype(dtype))
    return [w, b]


def _optimizers(case: dict[str, Any], step: Any, lazy: bool) -> list[Any]:
    args = dict(case["args"])
    if "schedule" in case:
        fn, kwargs = case["schedule"]
        schedule = getattr(train, fn)
        if lazy:  # a NumPy graph runs the step now: the rate is computed when apply_gradients asks for it
            args["learning_rate"] = lambda: schedule(global_step=step, **kwargs)
        else:
            args["learning_rate"] = schedule(global_step=step, **kwargs)
    return [getattr(train, case["opt"])(**args) for _ in range(case.get("optimizers", 1))]


def _step(case: dict[str, Any], opts: list[Any], variables: list[Any], grads: dict[str, Any], step: Any) -> list[Any]:
    ops = []
    with tf1.variable_scope(case.get("variable_scope") or tf1.get_variable_scope()):
        with tf1.name_scope(case.get("name_scope")):
            for opt in opts:
                pairs = [(None if v.op.name in case.get("none", []) else grads[v.op.name], v) for v in variables]
                ops.append(opt.apply_gradients(pairs, global_step=step))
    return ops




def _ema_model() -> tuple[Any, Any]:
    with tf1.variable_scope("model"):
        w = tf1.get_variable("w", initializer=C.EMA_W0)
        b = tf1.get_variable("b", initializer=C.EMA_B0)
    return w, b


def _schedule(fn: str, kwargs: dict[str, Any], step: Any) -> Any:
    if fn == "piecewise_constant":
        return train.piecewise_constant(step, **kwargs)
    return getattr(train, fn)(global_step=step, **kwargs)
