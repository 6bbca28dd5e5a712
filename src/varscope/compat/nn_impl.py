"""``tf.nn`` ops that TF builds from other ops: ``xw_plus_b``, ``batch_normalization``, ``l2_loss``, ``top_k``,
``in_top_k``, ``softsign``, written as TF writes them so the op names come out as TF's.

Example:
    >>> import numpy as np
    >>> from varscope.compat import v1 as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.xw_plus_b(tf.ones([2, 3]), tf.ones([3, 4]), tf.zeros([4]))
    >>> y.name, y.op.type, np.asarray(y).tolist()[0]
    ('xw_plus_b:0', 'BiasAdd', [3.0, 3.0, 3.0, 3.0])
"""

from __future__ import annotations

from typing import Any

from varscope._dtypes import bool as tf_bool
from varscope.compat._op import array_module, convert, inputs, result, scope
from varscope.compat._tensor import Tensor
from varscope.compat.math_ops import cast, matmul, rsqrt, top_k
from varscope.compat.nn_ops import bias_add

__all__ = ["xw_plus_b", "batch_normalization", "l2_loss", "top_k", "in_top_k", "softsign"]


def xw_plus_b(x: Any, weights: Any, biases: Any, name: Any = None) -> Tensor:
    """``matmul(x, weights) + biases``: a ``MatMul`` inside ``xw_plus_b/`` and a ``BiasAdd`` named ``xw_plus_b``."""
    with scope(name, "xw_plus_b") as s:
        return bias_add(matmul(x, weights), biases, name=s)


def batch_normalization(x: Any, mean: Any, variance: Any, offset: Any, scale: Any, variance_epsilon: Any,
                        name: Any = None) -> Tensor:
    """``(x - mean) * scale / sqrt(variance + epsilon) + offset``, in TF's order of ops under ``batchnorm/``."""
    with scope(name, "batchnorm"):
        inv = rsqrt(variance + variance_epsilon)
        if scale is not None:
            inv *= scale
        return x * cast(inv, x.dtype) + cast(offset - mean * inv if offset is not None else -mean * inv, x.dtype)


def l2_loss(t: Any, name: Any = None) -> Tensor:
    """``sum(t ** 2) / 2`` (``L2Loss``), a scalar."""
    (a,), dtype, xp = inputs("L2Loss", t=t)
    return result(xp.sum(a * a) / 2, "L2Loss", name, dtype=dtype)


def in_top_k(predictions: Any, targets: Any, k: Any, name: Any = None) -> Tensor:
    """Whether each row's target is among the ``k`` largest predictions, ties included (``InTopKV2`` in
    ``in_top_k/``); a row with a non-finite prediction at its target gives False, as TF's kernel."""
    with scope(name, "in_top_k"):
        p, _ = convert(predictions)
        t, _ = convert(targets)
        xp = array_module(p, t)
        kk = int(convert(k)[0])
        target = xp.take_along_axis(p, t.astype("int32")[:, None], axis=1)
        above = xp.sum(p > target, axis=1)
        out = (above < kk) & xp.isfinite(target[:, 0])
        return result(out, "InTopKV2", name, dtype=tf_bool)


def softsign(features: Any, name: Any = None) -> Tensor:
    """``features / (1 + |features|)`` (``Softsign``)."""
    (a,), dtype, xp = inputs("Softsign", features=features)
    return result(a / (1 + xp.abs(a)), "Softsign", name, dtype=dtype)
