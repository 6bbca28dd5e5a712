"""``tf.layers.BatchNormalization`` / ``batch_normalization``, with TF's moving statistics and ``UPDATE_OPS``.

Variables ``gamma``, ``beta`` (trainable), ``moving_mean``, ``moving_variance`` (not trainable: ``state`` in
:func:`varscope.jax.transform_with_state`), in that order; defaults ``momentum=0.99``, ``epsilon=1e-3``.
``training=True`` normalizes with the batch's statistics and updates the moving ones
(``moving -= (moving - batch) * (1 - momentum)``), the updates going to ``UPDATE_OPS`` as
``<scope>/AssignMovingAvg`` and ``AssignMovingAvg_1``; ``training=False`` normalizes with the moving statistics.
As TF, ``fused=None`` fuses 4-D inputs normalized over axis 1 or 3 (``FusedBatchNormV3``: the moving variance
is updated with Bessel's correction) and not others (``batchnorm/add_1``: the biased variance).

Example:
    >>> import numpy as np, varscope as tf1
    >>> from varscope.compat import layers
    >>> with tf1.Graph().as_default():
    ...     y = layers.batch_normalization(np.float32([[1.0], [3.0]]), training=True, momentum=0.5)
    ...     mean = [v for v in tf1.global_variables() if v.name.endswith("moving_mean:0")][0]
    ...     updates = [u.name for u in tf1.get_collection(tf1.GraphKeys.UPDATE_OPS)]
    >>> np.asarray(y, np.float64).ravel().round(4).tolist(), float(np.asarray(mean)[0]), updates
    ([-0.9995, 0.9995], 1.0, ['batch_normalization/AssignMovingAvg', 'batch_normalization/AssignMovingAvg_1'])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from varscope.compat._op import array_module, convert, result, scope
from varscope.compat.layers import _norm
from varscope.compat.layers._base import Layer
from varscope.compat.layers.core import static_bool
from varscope.initializers import ones_initializer, zeros_initializer

__all__ = ["BatchNormalization", "batch_normalization"]


class BatchNormalization(Layer):
    """TF1's batch normalization layer (see the module docstring)."""

    def __init__(self, axis: Any = -1, momentum: float = 0.99, epsilon: float = 1e-3, center: bool = True,
                 scale: bool = True, beta_initializer: Any = zeros_initializer(),
                 gamma_initializer: Any = ones_initializer(), moving_mean_initializer: Any = zeros_initializer(),
                 moving_variance_initializer: Any = ones_initializer(), beta_regularizer: Any = None,
                 gamma_regularizer: Any = None, beta_constraint: Any = None, gamma_constraint: Any = None,
                 renorm: bool = False, renorm_clipping: Any = None, renorm_momentum: float = 0.99,
                 fused: Any = None, trainable: bool = True, virtual_batch_size: Any = None,
                 adjustment: Any = None, name: Any = None, **kwargs: Any) -> None:
        super().__init__(trainable=trainable, name=name, **kwargs)
        if renorm or virtual_batch_size is not None or adjustment is not None:
            raise NotImplementedError("varscope's BatchNormalization has no renorm, virtual_batch_size or "
                                      "adjustment (TF1 model code rarely uses them); open an issue with the model.")
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.momentum, self.epsilon = momentum, epsilon
        self.center, self.scale = center, scale
        self.beta_initializer, self.gamma_initializer = beta_initializer, gamma_initializer
        self.moving_mean_initializer = moving_mean_initializer
        self.moving_variance_initializer = moving_variance_initializer
        self.beta_regularizer, self.gamma_regularizer = beta_regularizer, gamma_regularizer
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint
        self.fused = fused
        self.gamma: Any = None
        self.beta: Any = None
        self.moving_mean: Any = None
        self.moving_variance: Any = None

    def _axes(self, rank: int) -> list[int]:
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        return sorted(a % rank for a in axes)

    def build(self, input_shape: Any) -> None:
        rank = input_shape.rank
        axes = self._axes(rank)
        if self.fused is None:
            self.fused = rank == 4 and axes in ([1], [3])
        dims = {a: int(getattr(input_shape[a], "value", input_shape[a])) for a in axes}
        # one axis: a vector; several: TF's broadcastable shape (1 on the other axes)
        param_shape = [dims[axes[0]]] if len(axes) == 1 else [dims.get(i, 1) for i in range(rank)]
        if self.scale:
            self.gamma = self.add_weight("gamma", param_shape, initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer, constraint=self.gamma_constraint,
                                         trainable=True)
        if self.center:
            self.beta = self.add_weight("beta", param_shape, initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer, constraint=self.beta_constraint,
                                        trainable=True)
        self.moving_mean = self.add_weight("moving_mean", param_shape, initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight("moving_variance", param_shape,
                                               initializer=self.moving_variance_initializer, trainable=False)
        self.built = True

    def call(self, inputs: Any, training: Any = False) -> Any:
        x, dtype = convert(inputs)
        rank = np.ndim(x)
        axes = self._axes(rank)
        reduce = tuple(i for i in range(rank) if i not in axes)
        bshape = [x.shape[i] if i in axes else 1 for i in range(rank)]
        gamma = None if self.gamma is None else convert(self.gamma)[0]
        beta = None if self.beta is None else convert(self.beta)[0]
        mm, mv = convert(self.moving_mean)[0], convert(self.moving_variance)[0]
        xp = array_module(x, mm)

        def b(v: Any) -> Any:
            return None if v is None else xp.reshape(v, bshape)

        train = static_bool(training)
        if self.fused:
            if train:
                out, mean, variance = _norm.fused(xp, x, reduce, b(beta), b(gamma), self.epsilon)
            else:
                out = _norm.batch_normalization(xp, x, b(mm), b(mv), b(beta), b(gamma), self.epsilon)
            outputs = result(out, "FusedBatchNormV3", "FusedBatchNormV3", dtype=dtype)
        else:
            if train:
                mean = xp.mean(x, axis=reduce)
                variance = xp.mean(xp.square(x - xp.reshape(mean, bshape)), axis=reduce)
                m, v = mean, variance
            else:
                m, v = mm, mv
            with scope(None, "batchnorm") as s:
                out = _norm.batch_normalization(xp, x, b(m), b(v), b(beta), b(gamma), self.epsilon)
                outputs = result(out, "AddV2", s + "add_1/", dtype=dtype)
        if train:
            momentum = np.float32(self.momentum)
            for var, value in ((self.moving_mean, mean), (self.moving_variance, variance)):
                self.add_update(_norm.assign_moving_average(var, xp.reshape(value, var.shape.as_list()),
                                                            momentum).op)
        return outputs


def batch_normalization(inputs: Any, axis: Any = -1, momentum: float = 0.99, epsilon: float = 1e-3,
                        center: bool = True, scale: bool = True, beta_initializer: Any = zeros_initializer(),
                        gamma_initializer: Any = ones_initializer(),
                        moving_mean_initializer: Any = zeros_initializer(),
                        moving_variance_initializer: Any = ones_initializer(), beta_regularizer: Any = None,
                        gamma_regularizer: Any = None, beta_constraint: Any = None, gamma_constraint: Any = None,
                        training: Any = False, trainable: bool = True, name: Any = None, reuse: Any = None,
                        renorm: bool = False, renorm_clipping: Any = None, renorm_momentum: float = 0.99,
                        fused: Any = None, virtual_batch_size: Any = None, adjustment: Any = None) -> Any:
    """The functional form of :class:`BatchNormalization` (``name`` is the scope; ``reuse`` shares it)."""
    layer = BatchNormalization(axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
                               beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
                               moving_mean_initializer=moving_mean_initializer,
                               moving_variance_initializer=moving_variance_initializer,
                               beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
                               beta_constraint=beta_constraint, gamma_constraint=gamma_constraint, renorm=renorm,
                               renorm_clipping=renorm_clipping, renorm_momentum=renorm_momentum, fused=fused,
                               trainable=trainable, virtual_batch_size=virtual_batch_size, adjustment=adjustment,
                               name=name, _reuse=reuse, _scope=name)
    return layer(inputs, training=training)
