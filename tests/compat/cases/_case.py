"""How an op case is written: TF1 code that runs on TensorFlow (the recorder) and on varscope (the replay).

A case is a function ``fn(tf, **inputs)`` registered with ``@case(**inputs)`` in a family file
(``<family>_cases.py`` beside this one: ``array_cases.py``, ``math_cases.py``, ``nn_cases.py`` ...). ``tf`` is
``tensorflow.compat.v1`` when recording (graph mode, values from a Session) and ``varscope.compat.v1`` when
replaying; ``inputs`` are fixed NumPy arrays (float32/int32/bool, so JAX without x64 holds them as they are),
passed as NumPy arrays on the NumPy backend and as JAX arrays (tracers under ``jit``) inside
``varscope.jax.transform``. The function returns a Tensor, a list/tuple/dict of them, or plain Python values
(ints, lists, shapes), or raises: the recorder writes each output's name, op type, dtype, shape and values, or the
error's type and message, to ``tests/fixtures/tf_ops/<family>.json`` (values in ``<family>.npz``).

Options: ``jax=False`` (NumPy backend only: the case needs TF features JAX has no equivalent for) and
``jit=False`` (not under ``jit``: the result's shape depends on input values, e.g. ``boolean_mask``).

This file imports only NumPy: it runs under the TensorFlow interpreter too.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

CASES: dict[str, dict[str, "Case"]] = {}


class Case:
    """One recorded op case of a family."""

    def __init__(self, family: str, name: str, fn: Callable[..., Any], inputs: dict[str, np.ndarray], jax: bool,
                 jit: bool) -> None:
        self.family = family
        self.name = name
        self.fn = fn
        self.inputs = inputs
        self.jax = jax
        self.jit = jit and jax


def case(family: str, jax: bool = True, jit: bool = True, **inputs: Any) -> Callable[[Callable[..., Any]], Any]:
    """Register ``fn`` as case ``<fn name>`` of ``family`` with fixed ``inputs``."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        table = CASES.setdefault(family, {})
        assert fn.__name__ not in table, f"duplicate case {family}/{fn.__name__}"
        table[fn.__name__] = Case(family, fn.__name__, fn, {k: np.asarray(v) for k, v in inputs.items()}, jax, jit)
        return fn

    return register


def rand(*shape: int, seed: int = 0, dtype: Any = np.float32, low: float = -1.0, high: float = 1.0) -> np.ndarray:
    """Fixed uniform values (NumPy's legacy RandomState, identical in every NumPy version)."""
    values = np.random.RandomState(seed).uniform(low, high, size=shape)
    return values.astype(dtype)


def ints(*shape: int, seed: int = 0, low: int = 0, high: int = 10) -> np.ndarray:
    """Fixed int32 values in ``[low, high)``."""
    return np.random.RandomState(seed).randint(low, high, size=shape).astype(np.int32)


def flatten_outputs(out: Any) -> list[tuple[str, Any]]:
    """A case's result as ``(key, value)`` pairs in a fixed order (``"0"``, ``"1.a"``...)."""
    if isinstance(out, dict):
        pairs = []
        for k in sorted(out):
            pairs += [(f"{k}" + ("." + sub if sub else ""), v) for sub, v in flatten_outputs(out[k])]
        return pairs
    if isinstance(out, (list, tuple)) and any(hasattr(v, "op") or isinstance(v, (list, tuple, dict)) for v in out):
        pairs = []
        for i, v in enumerate(out):
            pairs += [(f"{i}" + ("." + sub if sub else ""), w) for sub, w in flatten_outputs(v)]
        return pairs
    return [("", out)]


def describe_python(value: Any) -> Any:
    """A JSON form of a non-Tensor output (ints, lists, TensorShape, Dimension, DType)."""
    kind = type(value).__name__
    if kind == "TensorShape":
        return {"TensorShape": None if value.rank is None else value.as_list(), "str": str(value)}
    if kind == "Dimension":
        return {"Dimension": value.value, "repr": repr(value)}
    if kind == "DType":
        return {"DType": value.name}
    if isinstance(value, (list, tuple)):
        return {type(value).__name__: [describe_python(v) for v in value]}
    if isinstance(value, (bool, int, float, str)) or value is None:
        return {"value": value, "type": kind}
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return {"value": value.item(), "type": kind}
    raise TypeError(f"cannot record output of type {kind}: {value!r}")
