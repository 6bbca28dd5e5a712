"""The normalization arithmetic batch norm and layer norm share, as TF computes it.

* :func:`batch_normalization`: TF's ``nn.batch_normalization`` (``batchnorm/add_1``):
  ``inv = rsqrt(variance + epsilon) * scale``; ``x * inv + (offset - mean * inv)``.
* :func:`fused`: TF's ``FusedBatchNormV3``: in training the batch's mean and *biased* variance normalize, and
  the variance it returns for the moving average carries Bessel's correction (``n / (n - 1)``), as TF 2.21's
  kernel does (recorded: the fused paths of ``tf.layers`` and slim update ``moving_variance`` with it, the
  unfused paths with the biased variance). No epsilon floor is applied: TF 2.21 passes ``epsilon`` as given.
* :func:`assign_moving_average`: ``v - (v - value) * (1 - decay)`` assigned to ``v``, an update named
  ``AssignMovingAvg`` (TF's ``moving_averages.assign_moving_average``). Not assigned while
  ``varscope.jax``'s ``init`` runs the function (``Graph.initializing``): init gives the initial values, as
  TF's initializers do; ``apply`` of ``transform_with_state`` returns the updated ones in ``new_state``.

Example:
    >>> import numpy as np
    >>> x = np.float32([[1.0], [3.0]])
    >>> mean, var = x.mean(0), x.var(0)
    >>> batch_normalization(np, x, mean, var, None, None, 0.0).ravel().tolist()
    [-1.0, 1.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from varscope._graph import get_default_graph
from varscope.compat._op import convert, result, scope
from varscope.compat._tensor import Tensor

__all__ = ["batch_normalization", "fused", "assign_moving_average"]


def batch_normalization(xp: Any, x: Any, mean: Any, variance: Any, offset: Any, scale: Any,
                        epsilon: float) -> Any:
    """TF's ``nn.batch_normalization`` on arrays (broadcasting ``mean`` ... against ``x``)."""
    inv = 1.0 / xp.sqrt(variance + np.asarray(epsilon, x.dtype))
    if scale is not None:
        inv = inv * scale
    shift = -mean * inv if offset is None else offset - mean * inv
    return x * inv + shift


def fused(xp: Any, x: Any, axes: tuple[int, ...], offset: Any, scale: Any, epsilon: float) -> tuple[Any, Any, Any]:
    """Training-mode ``FusedBatchNormV3`` over ``axes``: ``(output, batch mean, Bessel-corrected variance)``."""
    mean = xp.mean(x, axis=axes, keepdims=True)
    variance = xp.mean(xp.square(x - mean), axis=axes, keepdims=True)
    out = batch_normalization(xp, x, mean, variance, offset, scale, epsilon)
    n = int(np.prod([x.shape[a] for a in axes]))
    corrected = variance * np.asarray(n / max(n - 1, 1), x.dtype)
    return out, xp.reshape(mean, (-1,)), xp.reshape(corrected, (-1,))


def assign_moving_average(variable: Any, value: Any, decay: Any, name: str = "AssignMovingAvg") -> Tensor:
    """Assign ``variable - (variable - value) * (1 - decay)`` to ``variable`` now; the update's Tensor is
    ``<scope>/AssignMovingAvg:0`` (``_1`` ... on later calls in the same scope)."""
    with scope(None, name) as s:
        v, dtype = convert(variable)
        val, _ = convert(value)
        delta = (v - val) * np.asarray(1.0 - float(decay), v.dtype)
        new = v - delta
        if not get_default_graph().initializing:  # varscope.jax's init gives the initial values, as TF's
            variable.assign(new)
        return result(new, "AssignSub", s, dtype=dtype)
