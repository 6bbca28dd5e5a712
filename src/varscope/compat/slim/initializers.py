"""tf_slim's (``tf.contrib.layers``') ``xavier_initializer`` and ``variance_scaling_initializer``.

slim's variance scaling is its own (TF 1.x contrib's), not ``tf.variance_scaling_initializer``: for ``n`` the
fan (``FAN_IN``, ``FAN_OUT`` or their mean ``FAN_AVG``; leading kernel dimensions multiply both),
``uniform=False`` draws ``truncated_normal(0, sqrt(1.3 * factor / n))`` and ``uniform=True``
``uniform(-sqrt(3 * factor / n), sqrt(3 * factor / n))``. ``xavier_initializer(uniform)`` is
``variance_scaling_initializer(1.0, "FAN_AVG", uniform)``.

Example:
    >>> import numpy as np
    >>> w = xavier_initializer()([200, 300])
    >>> bool(np.abs(w).max() <= np.sqrt(6.0 / 500))
    True
"""

from __future__ import annotations

import math
from typing import Any

from varscope._dtypes import as_dtype, float32
from varscope.initializers import RandomUniform, TruncatedNormal

__all__ = ["xavier_initializer", "variance_scaling_initializer"]


class _VarianceScaling:
    def __init__(self, factor: float, mode: str, uniform: bool, seed: Any, dtype: Any) -> None:
        if not as_dtype(dtype).is_floating:
            raise TypeError("Cannot create initializer for non-floating point type.")
        if mode not in ("FAN_IN", "FAN_OUT", "FAN_AVG"):
            raise TypeError(f"Unknown mode {mode} [FAN_IN, FAN_OUT, FAN_AVG]")
        self.factor, self.mode, self.uniform, self.seed, self.dtype = factor, mode, uniform, seed, as_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Any:
        dtype = as_dtype(dtype) if dtype is not None else self.dtype
        if not dtype.is_floating:
            raise TypeError("Cannot create initializer for non-floating point type.")
        dims = [int(d) for d in shape]
        if partition_info is not None:
            dims = [int(d) for d in partition_info.full_shape]
        fan_in = float(dims[-2]) if len(dims) > 1 else float(dims[-1]) if dims else 1.0
        fan_out = float(dims[-1]) if dims else 1.0
        for d in dims[:-2]:
            fan_in *= d
            fan_out *= d
        n = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2.0}[self.mode]
        if self.uniform:
            limit = math.sqrt(3.0 * self.factor / n)
            return RandomUniform(-limit, limit, seed=self.seed)(shape, dtype=dtype)
        return TruncatedNormal(0.0, math.sqrt(1.3 * self.factor / n), seed=self.seed)(shape, dtype=dtype)

    def __repr__(self) -> str:
        return (f"variance_scaling_initializer(factor={self.factor!r}, mode={self.mode!r}, "
                f"uniform={self.uniform!r})")


def variance_scaling_initializer(factor: float = 2.0, mode: str = "FAN_IN", uniform: bool = False,
                                 seed: Any = None, dtype: Any = float32) -> Any:
    """slim's variance-scaling initializer (see the module docstring).

    Raises:
        TypeError: For a non-floating dtype or an unknown mode, with TF's messages.
    """
    return _VarianceScaling(factor, mode, uniform, seed, dtype)


def xavier_initializer(uniform: bool = True, seed: Any = None, dtype: Any = float32) -> Any:
    """Glorot's initializer: ``variance_scaling_initializer(1.0, "FAN_AVG", uniform)``."""
    return _VarianceScaling(1.0, "FAN_AVG", uniform, seed, dtype)
