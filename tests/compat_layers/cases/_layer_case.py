"""How a layer case is written: TF1 code that runs on TensorFlow (the recorder) and on varscope (the replay).

A case is a function ``fn(tf, layers, slim, **inputs)`` registered with ``@case(**inputs)`` in
``layer_cases.py``. When recording, ``tf`` is ``tensorflow.compat.v1`` (graph mode), ``layers`` is
``tf.compat.v1.layers`` (tf_keras' legacy layers, ``TF_USE_LEGACY_KERAS=1``) and ``slim`` is ``tf_slim``
(``tf.contrib.layers`` / ``tf.contrib.framework`` in TF 1.x); when replaying they are ``varscope.compat.v1``,
``varscope.compat.layers`` and ``varscope.compat.slim``. ``inputs`` are fixed float32 NumPy arrays, passed as
NumPy arrays on the NumPy backend and as JAX arrays (tracers under ``jit``) inside ``varscope.jax.transform``.

The function returns a dict of output Tensors. ``tools/record_tf_layers.py`` records, for each case: every
variable (name, shape, dtype, the collections holding it, its initial value), each output (name, shape, dtype,
value after one run), ``UPDATE_OPS`` and ``REGULARIZATION_LOSSES`` (names and values), and every variable's value
after that run (the moving statistics a training step updated). The replay gives varscope's variables TF's
initial values and compares everything.

Options: ``random=(...)`` lists outputs whose values are random (dropout in training): the replay checks what
they must satisfy instead of their values. ``jax=False`` skips the transform replays.

This file imports only NumPy: it runs under the TensorFlow interpreter too.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

CASES: dict[str, "Case"] = {}


class Case:
    """One recorded layer case."""

    def __init__(self, name: str, fn: Callable[..., Any], inputs: dict[str, np.ndarray], random: tuple[str, ...],
                 layer: str, jax: bool) -> None:
        self.name = name
        self.fn = fn
        self.inputs = inputs
        self.random = random
        self.layer = layer
        self.jax = jax


def case(layer: str, random: tuple[str, ...] = (), jax: bool = True, **inputs: Any) -> Callable[..., Any]:
    """Register ``fn`` as case ``<fn name>`` of ``layer`` (the row of the docs' layer table) with fixed ``inputs``."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        assert fn.__name__ not in CASES, f"duplicate case {fn.__name__}"
        CASES[fn.__name__] = Case(fn.__name__, fn, {k: np.asarray(v) for k, v in inputs.items()}, tuple(random),
                                  layer, jax)
        return fn

    return register


def rand(*shape: int, seed: int = 0, low: float = -1.0, high: float = 1.0) -> np.ndarray:
    """Fixed float32 uniform values (NumPy's legacy RandomState, identical in every NumPy version)."""
    return np.random.RandomState(seed).uniform(low, high, size=shape).astype(np.float32)
