"""``tf.layers`` convolutions: ``Conv1D`` / ``conv1d``, ``Conv2D`` / ``conv2d``, ``Conv2DTranspose`` /
``conv2d_transpose``.

Variables ``<scope>/kernel`` (``kernel_size + [in, filters]``; ``kernel_size + [filters, in]`` for the transpose)
and ``<scope>/bias``; padding ``"valid"`` / ``"same"`` as TF computes it; ``channels_last`` (default) or
``channels_first``. The transpose's output size is ``in * stride`` (``same``) or
``in * stride + max(kernel - stride, 0)`` (``valid``).

Example:
    >>> import numpy as np, varscope as tf1
    >>> from varscope.compat import layers
    >>> with tf1.Graph().as_default():
    ...     y = layers.conv2d(np.ones((1, 5, 5, 2), np.float32), 4, 3, strides=2, padding="same")
    ...     kernel = tf1.global_variables()[0]
    >>> y.name, y.shape.as_list(), kernel.name, kernel.shape.as_list()
    ('conv2d/BiasAdd:0', [1, 3, 3, 4], 'conv2d/kernel:0', [3, 3, 2, 4])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from varscope.compat import conv_ops, nn_ops
from varscope.compat._op import convert, raw, result, scope
from varscope.compat.layers._base import Layer
from varscope.compat.layers.core import activation as _activation
from varscope.initializers import zeros_initializer

__all__ = ["Conv1D", "Conv2D", "Conv2DTranspose", "conv1d", "conv2d", "conv2d_transpose", "Convolution1D",
           "Convolution2D", "Convolution2DTranspose", "Deconvolution2D", "Deconv2D"]


def _tuple(value: Any, n: int, what: str) -> tuple[int, ...]:
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ValueError(f"The `{what}` argument must be a tuple of {n} integers. Received: {value}")
        return tuple(int(v) for v in value)
    return (int(value),) * n


class _Conv(Layer):
    rank = 2

    def __init__(self, filters: Any, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 data_format: str = "channels_last", dilation_rate: Any = 1, activation: Any = None,
                 use_bias: bool = True, kernel_initializer: Any = None, bias_initializer: Any = zeros_initializer(),
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, trainable: bool = True,
                 name: Any = None, **kwargs: Any) -> None:
        super().__init__(trainable=trainable, name=name, **kwargs)
        n = self.rank
        self.filters = int(filters)
        self.kernel_size = _tuple(kernel_size, n, "kernel_size")
        self.strides = _tuple(strides, n, "strides")
        self.padding = str(padding).lower()
        if self.padding not in ("valid", "same"):
            raise ValueError(f"The `padding` argument must be one of 'valid', 'same'. Received: {padding}")
        self.data_format = data_format or "channels_last"
        self.dilation_rate = _tuple(dilation_rate, n, "dilation_rate")
        self.activation = _activation(activation)
        self.use_bias = use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.activity_regularizer = activity_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint
        self.kernel: Any = None
        self.bias: Any = None

    @property
    def _channels_first(self) -> bool:
        return self.data_format == "channels_first"

    def _kernel_shape(self, channels: int) -> list[int]:
        return list(self.kernel_size) + [channels, self.filters]

    def build(self, input_shape: Any) -> None:
        axis = 1 if self._channels_first else -1
        channels = getattr(input_shape[axis], "value", input_shape[axis])
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. The input_shape received is "
                             f"{input_shape}, where axis {axis} (0-based) is the channel dimension, which found to "
                             "be `None`.")
        self.kernel = self.add_weight("kernel", self._kernel_shape(int(channels)),
                                      initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, trainable=True, dtype=self._dtype)
        if self.use_bias:
            self.bias = self.add_weight("bias", [self.filters], initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        trainable=True, dtype=self._dtype)
        self.built = True

    def _convolve(self, inputs: Any) -> Any:
        raise NotImplementedError

    def call(self, inputs: Any) -> Any:
        outputs = self._convolve(inputs)
        if self.use_bias:
            outputs = nn_ops.bias_add(outputs, self.bias, data_format="NCHW" if self._channels_first else "NHWC")
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs


class Conv2D(_Conv):
    """2-D convolution (``Conv2D``)."""

    rank = 2

    def _convolve(self, inputs: Any) -> Any:
        cf = self._channels_first
        s, d = self.strides, self.dilation_rate
        strides = [1, 1, *s] if cf else [1, *s, 1]
        dilations = [1, 1, *d] if cf else [1, *d, 1]
        return conv_ops.conv2d(inputs, self.kernel, strides=strides, padding=self.padding.upper(),
                               data_format="NCHW" if cf else "NHWC", dilations=dilations, name="Conv2D")


class Conv1D(_Conv):
    """1-D convolution (TF's ``conv1d``: a ``Conv2D`` of unit height, in the name scope ``Conv1D``)."""

    rank = 1

    def _convolve(self, inputs: Any) -> Any:
        cf = self._channels_first
        with scope(None, "Conv1D") as s:
            out = conv_ops.conv1d(inputs, self.kernel, stride=self.strides[0], padding=self.padding.upper(),
                                  data_format="NCW" if cf else "NWC", dilations=self.dilation_rate[0], name=s)
        if self.dilation_rate[0] > 1:  # TF computes a dilated conv1d by space-to-batch: its last op says so
            return result(raw(out), "BatchToSpaceND", s + "BatchToSpaceND/", dtype=out.dtype)
        return out


class Conv2DTranspose(Conv2D):
    """The transpose of :class:`Conv2D` (``conv2d_transpose``); kernel ``kernel_size + [filters, in]``."""

    def _kernel_shape(self, channels: int) -> list[int]:
        return list(self.kernel_size) + [self.filters, channels]

    def _convolve(self, inputs: Any) -> Any:
        cf = self._channels_first
        shape = [int(n) for n in np.shape(convert(inputs)[0])]
        sizes = shape[2:] if cf else shape[1:3]
        out = []
        for n, k, step in zip(sizes, self.kernel_size, self.strides):
            out.append(n * step if self.padding == "same" else n * step + max(k - step, 0))
        output_shape = [shape[0], self.filters, *out] if cf else [shape[0], *out, self.filters]
        st = self.strides
        strides = [1, 1, *st] if cf else [1, *st, 1]
        return conv_ops.conv2d_transpose(inputs, self.kernel, output_shape, strides=strides,
                                         padding=self.padding.upper(), data_format="NCHW" if cf else "NHWC")


Convolution1D, Convolution2D = Conv1D, Conv2D
Convolution2DTranspose = Deconvolution2D = Deconv2D = Conv2DTranspose


def _functional(cls: Any, inputs: Any, name: Any, reuse: Any, **kwargs: Any) -> Any:
    return cls(name=name, _reuse=reuse, _scope=name, **kwargs)(inputs)


def conv1d(inputs: Any, filters: Any, kernel_size: Any, strides: Any = 1, padding: str = "valid",
           data_format: str = "channels_last", dilation_rate: Any = 1, activation: Any = None, use_bias: bool = True,
           kernel_initializer: Any = None, bias_initializer: Any = zeros_initializer(), kernel_regularizer: Any = None,
           bias_regularizer: Any = None, activity_regularizer: Any = None, kernel_constraint: Any = None,
           bias_constraint: Any = None, trainable: bool = True, name: Any = None, reuse: Any = None) -> Any:
    """The functional form of :class:`Conv1D`."""
    return _functional(Conv1D, inputs, name, reuse, filters=filters, kernel_size=kernel_size, strides=strides,
                       padding=padding, data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                       use_bias=use_bias, kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                       kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                       activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
                       bias_constraint=bias_constraint, trainable=trainable)


def conv2d(inputs: Any, filters: Any, kernel_size: Any, strides: Any = (1, 1), padding: str = "valid",
           data_format: str = "channels_last", dilation_rate: Any = (1, 1), activation: Any = None,
           use_bias: bool = True, kernel_initializer: Any = None, bias_initializer: Any = zeros_initializer(),
           kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
           kernel_constraint: Any = None, bias_constraint: Any = None, trainable: bool = True, name: Any = None,
           reuse: Any = None) -> Any:
    """The functional form of :class:`Conv2D`."""
    return _functional(Conv2D, inputs, name, reuse, filters=filters, kernel_size=kernel_size, strides=strides,
                       padding=padding, data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                       use_bias=use_bias, kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                       kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                       activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
                       bias_constraint=bias_constraint, trainable=trainable)


def conv2d_transpose(inputs: Any, filters: Any, kernel_size: Any, strides: Any = (1, 1), padding: str = "valid",
                     data_format: str = "channels_last", activation: Any = None, use_bias: bool = True,
                     kernel_initializer: Any = None, bias_initializer: Any = zeros_initializer(),
                     kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                     kernel_constraint: Any = None, bias_constraint: Any = None, trainable: bool = True,
                     name: Any = None, reuse: Any = None) -> Any:
    """The functional form of :class:`Conv2DTranspose`."""
    return _functional(Conv2DTranspose, inputs, name, reuse, filters=filters, kernel_size=kernel_size,
                       strides=strides, padding=padding, data_format=data_format, activation=activation,
                       use_bias=use_bias, kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                       kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                       activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
                       bias_constraint=bias_constraint, trainable=trainable)
