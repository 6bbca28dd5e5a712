"""TF's ``tf.nn`` activations, softmax, normalisation and cross-entropy losses (``tf.nn.relu``, ``tf.nn.moments``,
``tf.nn.softmax_cross_entropy_with_logits_v2``...), with TF 1.x's signatures and op names.

The math (TF's kernels, formula for formula) is in :mod:`varscope.compat._nn_math`; this module converts the
arguments as TF does (deprecated ``dim`` / ``keep_dims`` aliases included) and names the ops as TF's Python
code does, so ``tf.nn.moments(x, [0])`` in a fresh graph gives ``moments/Squeeze:0`` and ``moments/Squeeze_1:0``.

Example:
    >>> import numpy as np
    >>> from varscope.compat import v1 as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.relu(np.float32([-1.0, 2.0]))
    ...     p = tf.nn.softmax([[0.0, 0.0]])
    >>> y.name, y.numpy().tolist(), p.numpy().tolist()
    ('Relu:0', [0.0, 2.0], [[0.5, 0.5]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from varscope._dtypes import float32
from varscope._graph import get_default_graph
from varscope.backends import get_backend
from varscope.compat import _nn_math as m
from varscope.compat._op import array_module, convert, inputs, op_name, result, scope, shape_error
from varscope.compat._random_math import uniform
from varscope.compat._tensor import Tensor
from varscope.compat.errors import InvalidArgumentError
from varscope.compat.random_ops import concrete_shape, random_source

__all__ = [
    "relu", "relu6", "elu", "selu", "leaky_relu", "gelu", "sigmoid", "tanh", "softplus", "softmax", "log_softmax",
    "bias_add", "moments", "l2_normalize", "sigmoid_cross_entropy_with_logits", "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2", "sparse_softmax_cross_entropy_with_logits", "dropout", "dropout_v2",
    "stop_gradient_of", "deprecated_argument_lookup", "run_error",
]


def run_error(detail: str) -> InvalidArgumentError:
    """The error TF raises when an op fails while the graph runs, with its kernel's message (the line of
    ``Session.run``'s error that says what went wrong); varscope raises it when the op is built."""
    return InvalidArgumentError(None, None, detail)


def deprecated_argument_lookup(new_name: str, new_value: Any, old_name: str, old_value: Any) -> Any:
    """TF's lookup of a renamed argument: either one, not both.

    Raises:
        ValueError: ``Cannot specify both 'dim' and 'axis'.`` (TF's message) when both are given.
    """
    if old_value is not None:
        if new_value is not None:
            raise ValueError(f"Cannot specify both '{old_name}' and '{new_name}'.")
        return old_value
    return new_value


def stop_gradient_of(xp: Any, value: Any) -> Any:
    """``value`` with its gradient stopped under JAX (NumPy arrays have no gradient)."""
    if m.is_numpy(xp):
        return value
    return get_backend("jax").jax.lax.stop_gradient(value)  # type: ignore[attr-defined]


def _unary(op_type: str, fn: Any, features: Any, name: Any, arg: str = "features") -> Tensor:
    (x,), dtype, xp = inputs(op_type, **{arg: features})
    return result(fn(xp, x), op_type, name, dtype=dtype)


# -- activations ----------------------------------------------------------------------------------------
def relu(features: Any, name: Any = None) -> Tensor:
    """``max(features, 0)`` (``Relu``)."""
    return _unary("Relu", m.relu, features, name)


def relu6(features: Any, name: Any = None) -> Tensor:
    """``min(max(features, 0), 6)`` (``Relu6``)."""
    with scope(name, "Relu6") as s:
        return _unary("Relu6", m.relu6, features, s)


def elu(features: Any, name: Any = None) -> Tensor:
    """``exp(features) - 1`` below zero, ``features`` above (``Elu``)."""
    return _unary("Elu", m.elu, features, name)


def selu(features: Any, name: Any = None) -> Tensor:
    """Scaled ELU with TF's ``scale`` and ``alpha`` (``Selu``)."""
    return _unary("Selu", m.selu, features, name)


def leaky_relu(features: Any, alpha: Any = 0.2, name: Any = None) -> Tensor:
    """``features`` above zero, ``alpha * features`` below (``LeakyRelu``; integers are computed in float32)."""
    with scope(name, "LeakyRelu") as s:
        (x,), dtype, xp = inputs("LeakyRelu", features=features)
        if dtype.is_integer:
            x, dtype = x.astype(np.float32), float32
        return result(m.leaky_relu(xp, x, float(np.asarray(alpha))), "LeakyRelu", s, dtype=dtype)


def gelu(features: Any, approximate: bool = False, name: Any = None) -> Tensor:
    """TF 2's ``tf.nn.gelu`` (TF's ``compat.v1`` has none; it is here for TF 2-era model code): the exact
    ``0.5 x erfc(-x / sqrt 2)`` by default, the tanh approximation with ``approximate=True``.

    Raises:
        ValueError: For a non-floating input (TF's message).
    """
    with scope(name, "Gelu") as s:
        (x,), dtype, xp = inputs("Gelu", features=features)
        if not dtype.is_floating:
            raise ValueError(f"`features.dtype` must be a floating point tensor.Received:features.dtype={dtype!r}")
        return result(m.gelu(xp, x, bool(approximate)), "Mul", "mul_3" if approximate else "mul_2",
                      dtype=dtype)


def sigmoid(x: Any, name: Any = None) -> Tensor:
    """``1 / (1 + exp(-x))`` (``Sigmoid``)."""
    with scope(name, "Sigmoid") as s:
        return _unary("Sigmoid", m.sigmoid, x, s, arg="x")


def tanh(x: Any, name: Any = None) -> Tensor:
    """``tanh(x)`` (``Tanh``)."""
    return _unary("Tanh", lambda xp, a: xp.tanh(a), x, name, arg="x")


def softplus(features: Any, name: Any = None) -> Tensor:
    """``log(1 + exp(features))`` with TF's cut-offs (``Softplus``)."""
    return _unary("Softplus", m.softplus, features, name)


# -- softmax ------------------------------------------------------------------------------------------------
def _softmax(op_type: str, fn: Any, logits: Any, axis: Any, name: Any, dim: Any) -> Tensor:
    axis = deprecated_argument_lookup("axis", axis, "dim", dim)
    (x,), dtype, xp = inputs(op_type, logits=logits)
    ndim = x.ndim
    axis = -1 if axis is None else int(axis)
    if axis < -ndim or axis >= max(ndim, 1):
        raise ValueError(f"`axis` must be in the range [{-ndim}, {ndim}) where {ndim} is the number of dimensions "
                         f"in the input. Received: axis={axis}")
    if axis % max(ndim, 1) == ndim - 1 or ndim == 0:
        return result(fn(xp, x, -1), op_type, name, dtype=dtype)
    # TF swaps the axis to the end and back: transpose, the op, transpose_1 (in the current name scope)
    graph = get_default_graph()
    graph.unique_name("transpose")
    op_name(name, op_type)
    return result(fn(xp, x, axis), "Transpose", None, "transpose", dtype=dtype)


def softmax(logits: Any, axis: Any = None, name: Any = None, dim: Any = None) -> Tensor:
    """``exp(logits) / sum(exp(logits), axis)`` (``Softmax``; ``dim`` is the deprecated name of ``axis``)."""
    return _softmax("Softmax", m.softmax, logits, axis, name, dim)


def log_softmax(logits: Any, axis: Any = None, name: Any = None, dim: Any = None) -> Tensor:
    """``logits - log(sum(exp(logits), axis))`` (``LogSoftmax``)."""
    return _softmax("LogSoftmax", m.log_softmax, logits, axis, name, dim)


# -- bias, moments, normalisation ----------------------------------------------------------------------------
def bias_add(value: Any, bias: Any, data_format: Any = None, name: Any = None) -> Tensor:
    """``value + bias`` along the channel axis: the last one, or axis 1 for ``data_format="NCHW"`` (``NC...``).

    Raises:
        ValueError: For a bias that is not 1-D, or whose size is not the channel count.
    """
    with scope(name, "BiasAdd") as s:
        (v, b), dtype, xp = inputs("BiasAdd", value=value, bias=bias)
        channels_first = data_format is not None and str(data_format).startswith("NC")
        node = s[:-1]
        if b.ndim != 1:
            raise shape_error(f"Shape must be rank 1 but is rank {b.ndim}", node, "BiasAdd")
        if v.ndim < 2:
            raise shape_error(f"Shape must be at least rank 2 but is rank {v.ndim}", node, "BiasAdd")
        axis = 1 if channels_first else -1
        if v.shape[axis] != b.shape[0]:
            raise shape_error(f"Dimensions must be equal, but are {v.shape[axis]} and {b.shape[0]}", node, "BiasAdd")
        return result(m.bias_add(xp, v, b, channels_first), "BiasAdd", s, dtype=dtype)


def moments(x: Any, axes: Any, shift: Any = None, name: Any = None, keep_dims: Any = None,
            keepdims: Any = None) -> tuple[Tensor, Tensor]:
    """Mean and variance of ``x`` over ``axes`` (``shift`` is ignored, as in TF); float16 is computed in float32.

    Returns:
        ``(mean, variance)``: ``moments/Squeeze`` and ``moments/Squeeze_1`` (``moments/mean`` and
        ``moments/variance`` with ``keep_dims=True``).
    """
    keep = deprecated_argument_lookup("keepdims", keepdims, "keep_dims", keep_dims)
    keep = bool(keep) if keep is not None else False
    with scope(name, "moments"):
        (a,), dtype, xp = inputs("Mean", x=x)
        axes_t = tuple(int(i) % max(a.ndim, 1) for i in np.atleast_1d(np.asarray(axes, np.int64)))
        mean, variance = m.moments(xp, a, axes_t, keep, lambda v: stop_gradient_of(xp, v))
        if dtype.name == "float16":
            op_type, names = "Cast", ["Cast_1", "Cast_2"]
        elif keep:
            op_type, names = "Mean", ["mean", "variance"]
        else:
            op_type, names = "Squeeze", ["Squeeze", "Squeeze_1"]
        return (result(mean, op_type, names[0], dtype=dtype), result(variance, op_type, names[1], dtype=dtype))


def l2_normalize(x: Any, axis: Any = None, epsilon: float = 1e-12, name: Any = None, dim: Any = None) -> Tensor:
    """``x / sqrt(max(sum(x**2, axis), epsilon))`` (``axis=None``: over all of ``x``; ``dim``: old name)."""
    axis = deprecated_argument_lookup("axis", axis, "dim", dim)
    with scope(name, "l2_normalize") as s:
        (a,), dtype, xp = inputs("Square", x=x)
        ax = None if axis is None else tuple(np.atleast_1d(np.asarray(axis, np.int64)).tolist())
        return result(m.l2_normalize(xp, a, ax, float(epsilon)), "Mul", s, dtype=dtype)


# -- losses ----------------------------------------------------------------------------------------------------
def sigmoid_cross_entropy_with_logits(labels: Any = None, logits: Any = None, name: Any = None) -> Tensor:
    """``max(x, 0) - x * z + log(1 + exp(-|x|))`` for logits ``x`` and labels ``z`` (``logistic_loss``).

    Raises:
        ValueError: When the shapes differ (TF's message).
    """
    with scope(name, "logistic_loss") as s:
        (x, z), dtype, xp = inputs("Mul", logits=logits, labels=labels)
        if tuple(x.shape) != tuple(z.shape):
            raise ValueError(f"`logits` and `labels` must have the same shape, received "
                             f"({_shape_text(x)} vs {_shape_text(z)}).")
        return result(m.sigmoid_cross_entropy(xp, z, x), "AddV2", s, dtype=dtype)


def _shape_text(a: Any) -> str:
    return "(" + ", ".join(str(d) for d in a.shape) + ("," if a.ndim == 1 else "") + ")"


def _softmax_xent(labels: Any, logits: Any, axis: int, stop_labels: bool) -> Tensor:
    (x, z), dtype, xp = inputs("SoftmaxCrossEntropyWithLogits", logits=logits, labels=labels)
    if stop_labels:
        z = stop_gradient_of(xp, z)
    if x.ndim and z.ndim and tuple(np.broadcast_shapes(x.shape, z.shape)) != tuple(x.shape):
        raise ValueError(f"logits and labels must be broadcastable: logits_size={list(x.shape)} "
                         f"labels_size={list(z.shape)}")
    compute = x.astype(np.float32) if dtype.name in ("float16", "bfloat16") else x
    loss = m.softmax_cross_entropy(xp, z.astype(compute.dtype), compute, axis)
    return result(loss, "Reshape", "Reshape_2", dtype=dtype)


def softmax_cross_entropy_with_logits_v2(labels: Any, logits: Any, axis: Any = None, name: Any = None,
                                         dim: Any = None) -> Tensor:
    """``-sum(labels * log_softmax(logits), axis)``; gradients flow into ``labels`` too."""
    axis = deprecated_argument_lookup("axis", axis, "dim", dim)
    with scope(name, "softmax_cross_entropy_with_logits"):
        return _softmax_xent(labels, logits, -1 if axis is None else int(axis), stop_labels=False)


def softmax_cross_entropy_with_logits(labels: Any = None, logits: Any = None, dim: Any = -1, name: Any = None,
                                      axis: Any = None) -> Tensor:
    """TF 1's softmax cross-entropy: as ``_v2`` with the gradient into ``labels`` stopped.

    Raises:
        ValueError: ``Cannot specify both 'dim' and 'axis'.`` for any ``axis=``: ``dim`` defaults to -1, as in TF.
    """
    axis = deprecated_argument_lookup("axis", axis, "dim", dim)
    with scope(name, "softmax_cross_entropy_with_logits_sg"):
        return _softmax_xent(labels, logits, -1 if axis is None else int(axis), stop_labels=True)


def sparse_softmax_cross_entropy_with_logits(labels: Any = None, logits: Any = None, name: Any = None) -> Tensor:
    """``log(sum(exp(logits))) - logits[labels]`` over the last axis; ``labels`` holds class indices.

    Raises:
        ValueError: When ``labels``' shape is not ``logits``' without its last axis (TF's message).
        varscope.compat.errors.InvalidArgumentError: For a label outside ``[0, classes)`` on the NumPy backend
            (TF's CPU kernel raises it when the graph runs; under JAX such a label gives NaN, as TF's GPU
            kernel does).
    """
    with scope(name, "SparseSoftmaxCrossEntropyWithLogits"):
        (x,), dtype, xp = inputs("SparseSoftmaxCrossEntropyWithLogits", logits=logits)
        z, _ = convert(labels)
        if tuple(z.shape) != tuple(x.shape[:-1]):
            raise ValueError(f"`labels.shape` must equal `logits.shape` except for the last dimension. Received: "
                             f"labels.shape={_shape_text(z)} and logits.shape={_shape_text(x)}")
        classes = x.shape[-1]
        if isinstance(z, np.ndarray):
            bad = (z < 0) | (z >= classes)
            if bad.any():
                labels_text = " ".join(str(int(v)) for v in z.ravel())
                raise run_error(f"Received a label value of {int(z[bad].flat[0])} which is outside the valid range "
                                f"of [0, {classes}).  Label values: {labels_text}")
        compute = x.astype(np.float32) if dtype.name in ("float16", "bfloat16") else x
        loss = m.sparse_softmax_cross_entropy(xp, z, compute)
        if not m.is_numpy(xp):
            loss = xp.where((z >= 0) & (z < classes), loss, xp.nan)
        if x.ndim == 2:
            return result(loss, "SparseSoftmaxCrossEntropyWithLogits", None, dtype=dtype)
        return result(loss, "Reshape", "Reshape_2", dtype=dtype)


# -- dropout ------------------------------------------------------------------------------------------------
def dropout(x: Any, keep_prob: Any = None, noise_shape: Any = None, seed: Any = None, name: Any = None,
            rate: Any = None) -> Any:
    """TF 1's dropout: ``keep_prob`` is the deprecated form of ``rate = 1 - keep_prob`` (see :func:`dropout_v2`).

    Raises:
        ValueError: TF's messages: both or neither of ``keep_prob`` and ``rate``, a rate outside ``[0, 1)``, a
            non-floating ``x``; and inside an ``apply`` without an rng (see :mod:`varscope.compat.random_ops`).
    """
    try:
        rate_from_keep_prob = 1.0 - keep_prob if keep_prob is not None else None
    except TypeError:
        raise ValueError(f"`keep_prob` must be a floating point number or Tensor. Received: keep_prob={keep_prob}"
                         ) from None
    rate = deprecated_argument_lookup("rate", rate, "keep_prob", rate_from_keep_prob)
    if rate is None:
        raise ValueError(f"`rate` must be provided. Received: rate={rate}")
    return dropout_v2(x, rate, noise_shape=noise_shape, seed=seed, name=name)


def _noise_shape(shape: tuple[int, ...], noise_shape: Any) -> tuple[int, ...]:
    if noise_shape is None:
        return shape
    dims = list(noise_shape.as_list() if hasattr(noise_shape, "as_list") else noise_shape)
    if len(dims) == len(shape):
        dims = [full if d is None or getattr(d, "value", 0) is None else d for d, full in zip(dims, shape)]
    return concrete_shape(dims)


def dropout_v2(x: Any, rate: Any, noise_shape: Any = None, seed: Any = None, name: Any = None) -> Any:
    """Zero each element with probability ``rate`` and scale the others by ``1 / (1 - rate)``, as TF:
    ``where(uniform >= rate, x * (1 / (1 - rate)), 0)`` with ``uniform`` of ``noise_shape`` (broadcast to ``x``).

    ``rate == 0`` (a Python number) returns ``x`` (a Tensor itself; else ``dropout/x``) without drawing.
    The uniform draws come from the op ``dropout/random_uniform``'s stream (:mod:`varscope.compat.random_ops`).
    """
    with scope(name, "dropout") as s:
        is_number = isinstance(rate, (int, float, np.integer, np.floating)) and not isinstance(rate, bool)
        if is_number and (rate < 0 or rate >= 1):
            raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate={rate}")
        arr, dtype = convert(x)
        if not dtype.is_floating:
            raise ValueError(f"`x.dtype` must be a floating point tensor as `x` will be scaled. Received: "
                             f"x_dtype=<dtype: '{dtype.name}'>")
        if is_number and rate == 0:
            return x if isinstance(x, Tensor) else result(arr, "Const", "x", dtype=dtype)
        if is_number:
            rate_value: Any = float(rate)
        else:
            rate_value, _ = convert(rate)
            if np.ndim(rate_value) != 0:
                raise ValueError(f"Shape must be rank 0 but is rank {np.ndim(rate_value)} for `rate`.")
        draws_shape = _noise_shape(tuple(arr.shape), noise_shape)
        graph = get_default_graph()
        key_name = graph.unique_name("random_uniform")
        draws = uniform(random_source(key_name, seed), draws_shape, dtype.as_numpy_dtype)
        xp = array_module(arr, draws, rate_value)
        return result(m.dropout(xp, arr, rate_value, draws), "SelectV2", "SelectV2", dtype=dtype)
