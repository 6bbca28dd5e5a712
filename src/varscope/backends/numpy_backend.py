"""The default backend: variables hold NumPy arrays."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["NumpyBackend", "BACKEND"]


class NumpyBackend:
    """Variables hold ``numpy.ndarray`` values (bfloat16 and float8 through ml_dtypes)."""

    name = "numpy"
    numpy = np  # the array module ops compute with

    def asarray(self, value: Any, dtype: Any = None) -> np.ndarray:
        """``value`` as a NumPy array of ``dtype`` (a copy only when needed)."""
        if type(value) is np.ndarray and (dtype is None or value.dtype == dtype):
            return value
        to_numpy = getattr(value, "numpy", None)
        if to_numpy is not None and not isinstance(value, np.ndarray):
            value = to_numpy()
        return np.asarray(value, dtype=dtype)

    def to_numpy(self, value: Any) -> np.ndarray:
        """``value`` itself (it already is a NumPy array)."""
        return np.asarray(value)

    def is_array(self, value: Any) -> bool:
        """True for NumPy arrays."""
        return isinstance(value, np.ndarray)

    def concatenate(self, arrays: list[Any], axis: int) -> np.ndarray:
        """``np.concatenate(arrays, axis)``."""
        return np.concatenate(arrays, axis=axis)


BACKEND = NumpyBackend()
