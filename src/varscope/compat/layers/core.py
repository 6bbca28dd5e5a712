"""``tf.layers.Dense`` / ``dense``, ``Dropout`` / ``dropout``, ``Flatten`` / ``flatten``.

Defaults as TF's: the kernel's initializer is ``get_variable``'s default (``glorot_uniform``), the bias starts
at zeros; a rank-2 input is multiplied with ``MatMul``, a higher rank with ``Tensordot`` over its last axis.

Example:
    >>> import numpy as np, varscope as tf1
    >>> from varscope.compat import layers
    >>> with tf1.Graph().as_default():
    ...     layer = layers.Dense(3, name="proj")
    ...     a, b = layer(np.ones((2, 4), np.float32)), layer(np.zeros((2, 4), np.float32))
    ...     names = [v.name for v in tf1.global_variables()]
    >>> names, a.name, b.name
    (['proj/kernel:0', 'proj/bias:0'], 'proj/BiasAdd:0', 'proj/BiasAdd_1:0')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from varscope.compat import array_ops, math_ops, nn_ops
from varscope.compat._op import array_module, convert, result, scope
from varscope.compat._tensor import Tensor
from varscope.compat.layers._base import InputSpec, Layer
from varscope.initializers import zeros_initializer

__all__ = ["Dense", "dense", "Dropout", "dropout", "Flatten", "flatten", "activation", "static_bool"]

_ACTIVATIONS = {"relu": nn_ops.relu, "relu6": nn_ops.relu6, "elu": nn_ops.elu, "selu": nn_ops.selu,
                "sigmoid": math_ops.sigmoid, "tanh": math_ops.tanh, "softplus": nn_ops.softplus,
                "softmax": nn_ops.softmax}


def activation(fn: Any) -> Any:
    """An activation: a callable as it is, a name (``"relu"``) as TF's function, ``None``/``"linear"`` as None.

    Raises:
        ValueError: For an unknown name.
    """
    if fn is None or fn == "linear":
        return None
    if isinstance(fn, str):
        if fn not in _ACTIVATIONS:
            raise ValueError(f"Unknown activation function: {fn}. Please ensure you are using a "
                             "`keras.utils.custom_object_scope` and that this object is included in the scope.")
        return _ACTIVATIONS[fn]
    return fn


def static_bool(value: Any, what: str = "training") -> bool:
    """``value`` (a Python bool, a NumPy bool or a Tensor with a known value) as a Python bool.

    Raises:
        TypeError: For a traced value (under ``jit``): the branch must be known while the model is built.
    """
    if isinstance(value, (bool, np.bool_, int)):
        return bool(value)
    array, _ = convert(value)
    try:
        return bool(np.asarray(array))
    except Exception:  # noqa: BLE001 - a tracer: say what to do
        raise TypeError(f"`{what}` must be known while the model is built (a Python bool, or a constant), not a "
                        f"traced value: pass it as a static argument (jax.jit(..., static_argnums=...)).") from None


class Dense(Layer):
    """``outputs = activation(inputs @ kernel + bias)``: variables ``<scope>/kernel`` ``[in, units]`` and
    ``<scope>/bias`` ``[units]``."""

    def __init__(self, units: Any, activation: Any = None, use_bias: bool = True, kernel_initializer: Any = None,
                 bias_initializer: Any = zeros_initializer(), kernel_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None, kernel_constraint: Any = None,
                 bias_constraint: Any = None, trainable: bool = True, name: Any = None, **kwargs: Any) -> None:
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.units = int(units)
        self.activation = _activation(activation)
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.activity_regularizer = activity_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self.kernel: Any = None
        self.bias: Any = None
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape: Any) -> None:
        last = input_shape[-1] if input_shape.rank else None
        last = getattr(last, "value", last)
        if last is None:
            raise ValueError("The last dimension of the inputs to a Dense layer should be defined. Found None. "
                             f"Full input shape received: {input_shape}")
        self.kernel = self.add_weight("kernel", shape=[last, self.units], initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
                                      dtype=self._dtype, trainable=True)
        if self.use_bias:
            self.bias = self.add_weight("bias", shape=[self.units], initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        dtype=self._dtype, trainable=True)
        self.built = True

    def call(self, inputs: Any) -> Any:
        x, _ = convert(inputs)
        rank = np.ndim(x)
        if rank <= 2:
            outputs = math_ops.matmul(inputs, self.kernel)
        else:
            outputs = _tensordot_last(inputs, self.kernel)
        if self.use_bias:
            outputs = nn_ops.bias_add(outputs, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs


_activation = activation


def _tensordot_last(inputs: Any, kernel: Any) -> Tensor:
    """``Tensordot`` of ``inputs`` (rank > 2) over its last axis with the 2-D ``kernel``."""
    with scope(None, "Tensordot") as s:
        (x, _), (w, dtype) = convert(inputs), convert(kernel)
        xp = array_module(x, w)
        return result(xp.tensordot(x, w, axes=[[x.ndim - 1], [0]]), "Reshape", s, dtype=dtype)


def dense(inputs: Any, units: Any, activation: Any = None, use_bias: bool = True, kernel_initializer: Any = None,
          bias_initializer: Any = zeros_initializer(), kernel_regularizer: Any = None, bias_regularizer: Any = None,
          activity_regularizer: Any = None, kernel_constraint: Any = None, bias_constraint: Any = None,
          trainable: bool = True, name: Any = None, reuse: Any = None) -> Any:
    """The functional form of :class:`Dense` (``name`` is the layer's variable scope; ``reuse`` shares it)."""
    layer = Dense(units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                  bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                  bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                  kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, trainable=trainable,
                  name=name, _scope=name, _reuse=reuse)
    return layer(inputs)


class Dropout(Layer):
    """Zero a fraction ``rate`` of the inputs (scaling the rest by ``1 / (1 - rate)``) when ``training``; the
    identity (``dropout/Identity``) otherwise. The draws come from :func:`varscope.compat.v1.nn.dropout`."""

    def __init__(self, rate: float = 0.5, noise_shape: Any = None, seed: Any = None, name: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed

    def call(self, inputs: Any, training: Any = False) -> Any:
        if static_bool(training):
            return nn_ops.dropout(inputs, noise_shape=self.noise_shape, seed=self.seed, rate=self.rate)
        return array_ops.identity(inputs)


def dropout(inputs: Any, rate: float = 0.5, noise_shape: Any = None, seed: Any = None, training: Any = False,
            name: Any = None) -> Any:
    """The functional form of :class:`Dropout`."""
    return Dropout(rate, noise_shape=noise_shape, seed=seed, name=name)(inputs, training=training)


class Flatten(Layer):
    """Reshape to ``[batch, -1]`` (``flatten/Reshape``); ``data_format="channels_first"`` moves the channels
    last first, as TF does."""

    def __init__(self, data_format: Any = None, name: Any = None, **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self.data_format = data_format or "channels_last"

    def call(self, inputs: Any) -> Any:
        x, _ = convert(inputs)
        if self.data_format == "channels_first" and np.ndim(x) > 2:
            inputs = array_ops.transpose(inputs, [0] + list(range(2, np.ndim(x))) + [1])
        if np.ndim(x) == 1:
            return array_ops.reshape(inputs, [-1, 1])
        return array_ops.reshape(inputs, [int(np.shape(x)[0]), -1])


def flatten(inputs: Any, name: Any = None, data_format: str = "channels_last") -> Any:
    """The functional form of :class:`Flatten`."""
    return Flatten(name=name, data_format=data_format)(inputs)
