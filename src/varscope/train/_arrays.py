"""The array functions for the values a training step computes with: NumPy's, or JAX's for JAX values.

Optimizers, schedules and moving averages compute on their variables' values, which are NumPy arrays
in a NumPy graph and JAX arrays (tracers under ``jit``) in a JAX graph or inside
``varscope.jax.transform``. :func:`namespace` picks the module from the values themselves (the array
API's ``__array_namespace__``), so this package never imports JAX.

Example:
    >>> import numpy as np
    >>> namespace(np.ones(2), 1.0) is np
    True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from varscope._convert import infer_dtype

__all__ = ["cast", "check_backend", "namespace", "raw", "tensor"]


def raw(value: Any) -> Any:
    """The array behind ``value``: a variable's (or a ``varscope.compat`` Tensor's) value, else ``value``."""
    inner = getattr(value, "_value", None)
    return value if inner is None else inner


def namespace(*values: Any) -> Any:
    """``jax.numpy`` when one of ``values`` is a JAX array or tracer, else ``numpy``."""
    for value in values:
        value = raw(value)
        if isinstance(value, (np.ndarray, np.generic, int, float)):
            continue
        get = getattr(value, "__array_namespace__", None)
        if get is not None:
            return get()
    return np


def tensor(value: Any, xp: Any) -> Any:
    """``value`` as TF's ``convert_to_tensor`` makes it: arrays keep their dtype, Python numbers get TF's
    (float32, int32)."""
    value = raw(value)
    if isinstance(value, (bool, int, float, list, tuple)) and not isinstance(value, np.generic):
        return xp.asarray(value, infer_dtype(value).as_numpy_dtype)
    return xp.asarray(value)


def cast(value: Any, dtype: Any, xp: Any) -> Any:
    """TF's ``math_ops.cast(value, dtype)``."""
    return tensor(value, xp).astype(dtype)


def check_backend(variable: Any, what: str) -> None:
    """Raise ``NotImplementedError`` unless ``variable`` holds NumPy or JAX values (the ones these updates compute on)."""
    backend = getattr(getattr(variable, "_backend", None), "name", "numpy")
    if backend not in ("numpy", "jax"):
        raise NotImplementedError(
            f"{what} computes on NumPy or JAX values, but variable {variable.op.name} holds {backend} values: "
            "train a PyTorch graph's variables with torch.optim, or build the model on the NumPy or JAX backend.")
