"""``tf.layers`` pooling: ``max_pooling1d`` / ``average_pooling1d`` / ``max_pooling2d`` / ``average_pooling2d``
and their classes (``MaxPooling2D`` ...).

Defaults as TF's: ``padding="valid"``, ``channels_last``; ``same`` padding as TF pads (the extra cell after;
averages count only real cells). The 1-D forms pool a unit-height image and squeeze it (``max_pooling1d/Squeeze``).

Example:
    >>> import numpy as np, varscope as tf1
    >>> from varscope.compat import layers
    >>> with tf1.Graph().as_default():
    ...     y = layers.max_pooling2d(np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1), 2, 2)
    >>> y.name, np.asarray(y).ravel().tolist()
    ('max_pooling2d/MaxPool:0', [5.0, 7.0, 13.0, 15.0])
"""

from __future__ import annotations

from typing import Any

from varscope.compat import conv_ops
from varscope.compat._op import array_module, convert, raw, result
from varscope.compat.layers._base import Layer
from varscope.compat.layers.convolutional import _tuple

__all__ = ["MaxPooling1D", "AveragePooling1D", "MaxPooling2D", "AveragePooling2D", "max_pooling1d",
           "average_pooling1d", "max_pooling2d", "average_pooling2d", "MaxPool1D", "AvgPool1D", "MaxPool2D",
           "AvgPool2D"]


class _Pooling2D(Layer):
    kind = "MaxPool"
    rank = 2

    def __init__(self, pool_size: Any, strides: Any, padding: str = "valid", data_format: str = "channels_last",
                 name: Any = None, **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self.pool_size = _tuple(pool_size, self.rank, "pool_size")
        self.strides = _tuple(strides if strides is not None else pool_size, self.rank, "strides")
        self.padding = str(padding).lower()
        self.data_format = data_format or "channels_last"

    def _pool(self, inputs: Any, ksize: tuple[int, ...], strides: tuple[int, ...]) -> Any:
        cf = self.data_format == "channels_first"
        fn = conv_ops.max_pool if self.kind == "MaxPool" else conv_ops.avg_pool
        return fn(inputs, [1, 1, *ksize] if cf else [1, *ksize, 1], [1, 1, *strides] if cf else [1, *strides, 1],
                  self.padding.upper(), data_format="NCHW" if cf else "NHWC", name=self.kind)

    def call(self, inputs: Any) -> Any:
        return self._pool(inputs, self.pool_size, self.strides)


class _Pooling1D(_Pooling2D):
    rank = 1

    def call(self, inputs: Any) -> Any:
        x, dtype = convert(inputs)
        xp = array_module(x)
        cf = self.data_format == "channels_first"
        axis = 2 if cf else 1  # [N, W, C] -> [N, 1, W, C] (channels_first: [N, C, 1, W])
        pooled = self._pool(xp.expand_dims(x, axis), (1, self.pool_size[0]), (1, self.strides[0]))
        return result(xp.squeeze(raw(pooled), axis), "Squeeze", "Squeeze", dtype=dtype)


class MaxPooling2D(_Pooling2D):
    """2-D max pooling (``MaxPool``)."""

    kind = "MaxPool"


class AveragePooling2D(_Pooling2D):
    """2-D average pooling (``AvgPool``)."""

    kind = "AvgPool"


class MaxPooling1D(_Pooling1D):
    """1-D max pooling."""

    kind = "MaxPool"


class AveragePooling1D(_Pooling1D):
    """1-D average pooling."""

    kind = "AvgPool"


MaxPool1D, AvgPool1D, MaxPool2D, AvgPool2D = MaxPooling1D, AveragePooling1D, MaxPooling2D, AveragePooling2D


def max_pooling2d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                  data_format: str = "channels_last", name: Any = None) -> Any:
    """The functional form of :class:`MaxPooling2D`."""
    return MaxPooling2D(pool_size, strides, padding=padding, data_format=data_format, name=name)(inputs)


def average_pooling2d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                      data_format: str = "channels_last", name: Any = None) -> Any:
    """The functional form of :class:`AveragePooling2D`."""
    return AveragePooling2D(pool_size, strides, padding=padding, data_format=data_format, name=name)(inputs)


def max_pooling1d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                  data_format: str = "channels_last", name: Any = None) -> Any:
    """The functional form of :class:`MaxPooling1D`."""
    return MaxPooling1D(pool_size, strides, padding=padding, data_format=data_format, name=name)(inputs)


def average_pooling1d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                      data_format: str = "channels_last", name: Any = None) -> Any:
    """The functional form of :class:`AveragePooling1D`."""
    return AveragePooling1D(pool_size, strides, padding=padding, data_format=data_format, name=name)(inputs)
