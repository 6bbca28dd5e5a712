"""The array math of ``tf.nn``'s activations, softmax, normalisation and losses, as TensorFlow computes it.

Every function takes ``xp`` (``numpy`` or ``jax.numpy``) and arrays of that module, and follows TF's kernels
formula for formula, so the NumPy and JAX backends agree with TF 2.21 to float32 rounding: ``elu`` is
``exp(x) - 1`` (not ``expm1``) below zero, ``softplus`` switches to ``x`` / ``exp(x)`` at TF's thresholds,
``softmax`` subtracts the maximum first, exact ``gelu`` is ``0.5 x erfc(-x / sqrt 2)``.

The op wrappers (names, ``Tensor`` results, TF's argument handling) live in ``varscope.compat.nn``.

Example:
    >>> import numpy as np
    >>> from varscope.compat import _nn_math as m
    >>> m.softmax(np, np.array([0.0, np.log(3.0)], np.float32), -1).tolist()
    [0.25, 0.75]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from varscope.backends import get_backend

__all__ = [
    "is_numpy", "erfc", "relu", "relu6", "elu", "selu", "leaky_relu", "gelu", "sigmoid", "softplus", "softmax",
    "log_softmax", "bias_add", "moments", "l2_normalize", "sigmoid_cross_entropy", "softmax_cross_entropy",
    "sparse_softmax_cross_entropy", "clip_rows_by_norm", "dropout", "embedding_rows",
]

_SELU_SCALE = 1.0507009873554804934193349852946
_SELU_SCALE_ALPHA = 1.7580993408473768599402175208123
_SQRT_HALF = 0.7071067811865476
_SQRT_2_OVER_PI = 0.7978845608028654
_GELU_COEFF = 0.044715


def is_numpy(xp: Any) -> bool:
    """True when ``xp`` is NumPy itself (not ``jax.numpy``)."""
    return xp is np


def _const(xp: Any, value: float, like: Any) -> Any:
    return xp.asarray(value, dtype=like.dtype)


_np_erfc = np.frompyfunc(math.erfc, 1, 1)


def erfc(xp: Any, x: Any) -> Any:
    """The complementary error function (NumPy has none: ``math.erfc`` element by element, in float64)."""
    if is_numpy(xp):
        return np.asarray(_np_erfc(np.asarray(x, np.float64)), np.float64).astype(x.dtype)
    return get_backend("jax").jax.scipy.special.erfc(x)  # type: ignore[attr-defined]


def relu(xp: Any, x: Any) -> Any:
    """``max(x, 0)`` (NaN stays NaN, as Eigen's ``cwiseMax<PropagateNaN>``)."""
    return xp.where(x < 0, xp.zeros((), x.dtype), x)


def relu6(xp: Any, x: Any) -> Any:
    """``min(max(x, 0), 6)``."""
    zero, six = xp.zeros((), x.dtype), xp.asarray(6, x.dtype)
    return xp.where(x > six, six, xp.where(x < zero, zero, x))


def elu(xp: Any, x: Any) -> Any:
    """``exp(x) - 1`` below zero, ``x`` above (TF's kernel: not ``expm1``)."""
    # exp of the clipped input: the other branch wins where the clip bites, and nothing overflows
    return xp.where(x < 0, xp.exp(xp.minimum(x, _const(xp, 0, x))) - _const(xp, 1, x), x)


def selu(xp: Any, x: Any) -> Any:
    """``scale * alpha * (exp(x) - 1)`` below zero, ``scale * x`` above, with TF's constants."""
    below = xp.exp(xp.minimum(x, _const(xp, 0, x))) - _const(xp, 1, x)
    return xp.where(x < 0, _const(xp, _SELU_SCALE_ALPHA, x) * below,
                    _const(xp, _SELU_SCALE, x) * x)


def leaky_relu(xp: Any, x: Any, alpha: float) -> Any:
    """``x`` above zero, ``alpha * x`` below (TF's kernel: a select, so ``alpha > 1`` is not a max)."""
    return xp.where(x > 0, x, x * _const(xp, alpha, x))


def gelu(xp: Any, x: Any, approximate: bool) -> Any:
    """TF's ``gelu``: ``0.5 x erfc(-x / sqrt 2)``, or with ``approximate`` the tanh form."""
    half, one = _const(xp, 0.5, x), _const(xp, 1.0, x)
    if approximate:
        inner = _const(xp, _SQRT_2_OVER_PI, x) * (x + _const(xp, _GELU_COEFF, x) * x ** 3)
        return half * x * (one + xp.tanh(inner))
    return half * x * erfc(xp, -x * _const(xp, _SQRT_HALF, x))


def sigmoid(xp: Any, x: Any) -> Any:
    """``1 / (1 + exp(-x))`` (``exp(x) / (1 + exp(x))`` below zero, the same value without overflow)."""
    one = _const(xp, 1.0, x)
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, one / (one + e), e / (one + e))


def softplus(xp: Any, x: Any) -> Any:
    """``log1p(exp(x))``, ``x`` above ``-threshold`` and ``exp(x)`` below ``threshold`` (TF's kernel), where
    ``threshold = log(eps) + 2`` for ``x``'s dtype."""
    threshold = _const(xp, float(np.log(np.finfo(np.dtype(x.dtype)).eps)) + 2.0, x)
    ex = xp.exp(xp.minimum(x, -threshold))  # above -threshold the result is x itself
    return xp.where(x > -threshold, x, xp.where(x < threshold, ex, xp.log1p(ex)))


def softmax(xp: Any, logits: Any, axis: int) -> Any:
    """``exp(x - max) / sum(exp(x - max))`` along ``axis``."""
    shifted = logits - xp.max(logits, axis=axis, keepdims=True)
    e = xp.exp(shifted)
    return e / xp.sum(e, axis=axis, keepdims=True)


def log_softmax(xp: Any, logits: Any, axis: int) -> Any:
    """``(x - max) - log(sum(exp(x - max)))`` along ``axis``."""
    shifted = logits - xp.max(logits, axis=axis, keepdims=True)
    return shifted - xp.log(xp.sum(xp.exp(shifted), axis=axis, keepdims=True))


def bias_add(xp: Any, value: Any, bias: Any, channels_first: bool) -> Any:
    """``value + bias`` along the last axis, or along axis 1 when ``channels_first`` (``NC...``)."""
    if channels_first:
        return value + xp.reshape(bias, (-1,) + (1,) * (value.ndim - 2))
    return value + bias


def moments(xp: Any, x: Any, axes: tuple[int, ...], keep_dims: bool,
            stop_gradient: Any = None) -> tuple[Any, Any]:
    """Mean and (population) variance over ``axes``; float16 is computed in float32, as TF does.

    ``stop_gradient`` (JAX's) is applied to the mean inside the variance, as TF does.
    """
    y = x.astype(np.float32) if np.dtype(x.dtype) == np.float16 else x
    mean = xp.mean(y, axis=axes, keepdims=True)
    centre = stop_gradient(mean) if stop_gradient is not None else mean
    diff = y - centre
    variance = xp.mean(diff * diff, axis=axes, keepdims=True)
    if not keep_dims:
        mean, variance = xp.squeeze(mean, axis=axes), xp.squeeze(variance, axis=axes)
    if np.dtype(x.dtype) == np.float16:
        mean, variance = mean.astype(np.float16), variance.astype(np.float16)
    return mean, variance


def l2_normalize(xp: Any, x: Any, axis: Any, epsilon: float) -> Any:
    """``x * rsqrt(max(sum(x**2, axis), epsilon))``."""
    square_sum = xp.sum(x * x, axis=axis, keepdims=True)
    floor = _const(xp, epsilon, square_sum)
    return x * (_const(xp, 1.0, square_sum) / xp.sqrt(xp.maximum(square_sum, floor)))


def sigmoid_cross_entropy(xp: Any, labels: Any, logits: Any) -> Any:
    """``max(x, 0) - x * z + log1p(exp(-|x|))``."""
    zero = xp.zeros((), logits.dtype)
    return xp.where(logits >= zero, logits, zero) - logits * labels + xp.log1p(xp.exp(-xp.abs(logits)))


def softmax_cross_entropy(xp: Any, labels: Any, logits: Any, axis: int) -> Any:
    """``sum(labels * (log(sum(exp(x - max))) - (x - max)))`` along ``axis`` (TF's xent kernel)."""
    shifted = logits - xp.max(logits, axis=axis, keepdims=True)
    log_sum = xp.log(xp.sum(xp.exp(shifted), axis=axis, keepdims=True))
    return xp.sum(labels * (log_sum - shifted), axis=axis)


def sparse_softmax_cross_entropy(xp: Any, labels: Any, logits: Any) -> Any:
    """``log(sum(exp(x - max))) - (x[label] - max)`` over the last axis; ``labels`` has logits' leading shape.

    Out-of-range labels are the caller's check (TF's CPU kernel raises, its GPU kernel gives NaN).
    """
    shifted = logits - xp.max(logits, axis=-1, keepdims=True)
    log_sum = xp.log(xp.sum(xp.exp(shifted), axis=-1))
    picked = xp.take_along_axis(shifted, xp.expand_dims(labels.astype(np.int32), -1), axis=-1)[..., 0]
    return log_sum - picked


def clip_rows_by_norm(xp: Any, t: Any, clip_norm: float, axes: tuple[int, ...]) -> Any:
    """TF's ``clip_by_norm(t, clip_norm, axes)``: ``t * clip_norm / max(||t||, clip_norm)`` over ``axes``."""
    l2sum = xp.sum(t * t, axis=axes, keepdims=True)
    positive = l2sum > 0
    l2norm = xp.where(positive, xp.sqrt(xp.where(positive, l2sum, xp.ones_like(l2sum))), l2sum)
    norm = _const(xp, clip_norm, t)
    return t * norm / xp.maximum(l2norm, norm)


def dropout(xp: Any, x: Any, rate: Any, uniform: Any) -> Any:
    """TF's dropout: ``where(uniform >= rate, x * (1 / (1 - rate)), 0)``.

    ``rate`` is a Python float (the scale ``1 / (1 - rate)`` is then computed in double and rounded to
    ``x``'s dtype, as TF converts it) or an array (then ``x / (1 - rate)``); ``uniform`` holds the
    ``[0, 1)`` draws, of ``x``'s shape or broadcastable to it (``noise_shape``).
    """
    if isinstance(rate, (int, float)):
        kept = x * _const(xp, 1.0 / (1.0 - rate), x)
        threshold = _const(xp, rate, x)
    else:
        threshold = rate.astype(x.dtype)
        kept = x / (_const(xp, 1.0, x) - threshold)
    return xp.where(uniform >= threshold, kept, xp.zeros((), x.dtype))


def embedding_rows(xp: Any, ids: Any, sizes: list[int], strategy: str) -> Any:
    """The rows of the concatenated shards that ``embedding_lookup`` reads for ``ids``.

    ``sizes`` are the shards' first dimensions. ``"mod"``: id ``i`` is row ``i // n`` of shard ``i % n``;
    ``"div"``: shards hold contiguous ranges, the first ``total % n`` one id more (TF's formula).

    Raises:
        ValueError: For another strategy (TF's message).
    """
    n = len(sizes)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    if n == 1:
        return ids
    if strategy == "mod":
        shard, local = ids % n, ids // n
    elif strategy == "div":
        total = int(sum(sizes))
        per, extras = total // n, total % n
        shard = xp.maximum(ids // (per + 1), (ids - extras) // per)
        local = xp.where(shard < extras, ids % (per + 1), (ids - extras) % per)
    else:
        raise ValueError(f"Unrecognized partition strategy: {strategy}.Must be one of either `mod` or `div`.")
    return xp.asarray(offsets, dtype=ids.dtype)[shard] + local
