"""tf_slim's ``batch_norm`` and ``layer_norm`` with slim's names, defaults and update collections.

``layer_norm``: scope ``LayerNorm``, model variables ``beta`` (zeros) and ``gamma`` (ones) of shape
``inputs.shape[begin_params_axis:]``, moments over ``begin_norm_axis:`` and epsilon ``1e-12``
(``LayerNorm/batchnorm/add_1``).

``batch_norm``: scope ``BatchNorm``; ``decay=0.999``, ``epsilon=1e-3``, ``center=True``, ``scale=False``;
model variables ``beta`` / ``gamma`` and ``moving_mean`` / ``moving_variance`` (not trainable). It takes TF 2.21's
tf_slim paths:

* fused (the default, ``fused=None`` is ``True``) for a 2-D or 4-D input when the input is 2-D or
  ``updates_collections`` is not ``UPDATE_OPS``: the moving variance is updated with Bessel's correction; with
  ``updates_collections=None`` the updates are made in place and the output is ``BatchNorm/Identity``, else the
  two ``BatchNorm/AssignMovingAvg`` tensors go to ``updates_collections``;
* otherwise with ``UPDATE_OPS``: ``tf.layers``' ``BatchNormalization`` in the slim scope (its update ops go to
  ``UPDATE_OPS``);
* otherwise (``fused=False``, ``updates_collections=None``): moments and ``batchnorm/add_1``, updated in place.

Updates happen when ``batch_norm`` is called (see :mod:`varscope.compat.layers._base`).

Example:
    >>> import numpy as np, varscope as tf1
    >>> from varscope.compat import slim
    >>> with tf1.Graph().as_default():
    ...     y = slim.layer_norm(np.float32([[1.0, 3.0]]))
    ...     names = [v.name for v in tf1.model_variables()]
    >>> y.name, names, np.asarray(y).round(4).tolist()
    ('LayerNorm/batchnorm/add_1:0', ['LayerNorm/beta:0', 'LayerNorm/gamma:0'], [[-1.0, 1.0]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from varscope._graph import GraphKeys, add_to_collections
from varscope._scope import get_variable_scope, variable_scope
from varscope.compat import array_ops
from varscope.compat._op import array_module, convert, result, scope as op_scope
from varscope.compat.arg_scope import add_arg_scope
from varscope.compat.layers import _norm
from varscope.compat.layers.core import static_bool
from varscope.compat.layers.normalization import BatchNormalization
from varscope.compat.slim.layers import _collections, collect_named_outputs, layer_variable_getter, model_variable
from varscope.initializers import ones_initializer, zeros_initializer

__all__ = ["batch_norm", "layer_norm"]


@add_arg_scope
def layer_norm(inputs: Any, center: bool = True, scale: bool = True, activation_fn: Any = None, reuse: Any = None,
               variables_collections: Any = None, outputs_collections: Any = None, trainable: bool = True,
               begin_norm_axis: int = 1, begin_params_axis: int = -1, scope: Any = None) -> Any:
    """Layer normalization (see the module docstring).

    Raises:
        ValueError: For axes outside the input's rank, with slim's messages.
    """
    with variable_scope(scope, "LayerNorm", [inputs], reuse=reuse) as sc:
        x, dtype = convert(inputs)
        rank = np.ndim(x)
        if begin_norm_axis < 0:
            begin_norm_axis = rank + begin_norm_axis
        if begin_params_axis >= rank or begin_norm_axis >= rank:
            raise ValueError(f"begin_params_axis ({begin_params_axis}) and begin_norm_axis ({begin_norm_axis}) "
                             f"must be < rank(inputs) ({rank})")
        params_shape = list(x.shape[begin_params_axis:])
        beta = gamma = None
        if center:
            beta = model_variable("beta", shape=params_shape, dtype=dtype, initializer=zeros_initializer(),
                                  collections=_collections(variables_collections, "beta"), trainable=trainable)
        if scale:
            gamma = model_variable("gamma", shape=params_shape, dtype=dtype, initializer=ones_initializer(),
                                   collections=_collections(variables_collections, "gamma"), trainable=trainable)
        axes = tuple(range(begin_norm_axis, rank))
        b = None if beta is None else convert(beta)[0]
        g = None if gamma is None else convert(gamma)[0]
        xp = array_module(x, *(v for v in (b, g) if v is not None))
        mean = xp.mean(x, axis=axes, keepdims=True)
        variance = xp.mean(xp.square(x - mean), axis=axes, keepdims=True)
        eps = 1e-3 if dtype.name == "float16" else 1e-12
        with op_scope(None, "batchnorm") as s:
            out = _norm.batch_normalization(xp, x, mean, variance, b, g, eps)
            outputs = result(out, "AddV2", s + "add_1/", dtype=dtype)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


def _params(variables_collections: Any, param_initializers: Any, param_regularizers: Any, shape: list[int],
            dtype: Any, center: bool, scale: bool, trainable: bool) -> tuple[Any, Any, Any, Any]:
    """slim's ``beta``, ``gamma`` (None when off), ``moving_mean``, ``moving_variance`` model variables."""
    inits, regs = param_initializers or {}, param_regularizers or {}
    beta = gamma = None
    if center:
        beta = model_variable("beta", shape=shape, dtype=dtype, initializer=inits.get("beta", zeros_initializer()),
                              regularizer=regs.get("beta"), collections=_collections(variables_collections, "beta"),
                              trainable=trainable)
    if scale:
        gamma = model_variable("gamma", shape=shape, dtype=dtype,
                               initializer=inits.get("gamma", ones_initializer()), regularizer=regs.get("gamma"),
                               collections=_collections(variables_collections, "gamma"), trainable=trainable)
    with variable_scope(get_variable_scope()) as local:
        local.set_partitioner(None)
        mean = model_variable("moving_mean", shape=shape, dtype=dtype,
                              initializer=inits.get("moving_mean", zeros_initializer()), trainable=False,
                              collections=_collections(variables_collections, "moving_mean"))
        var = model_variable("moving_variance", shape=shape, dtype=dtype,
                             initializer=inits.get("moving_variance", ones_initializer()), trainable=False,
                             collections=_collections(variables_collections, "moving_variance"))
    return beta, gamma, mean, var


def _values(*variables: Any) -> list[Any]:
    return [None if v is None else convert(v)[0] for v in variables]


def _fused_batch_norm(inputs: Any, decay: float, center: bool, scale: bool, epsilon: float, activation_fn: Any,
                      param_initializers: Any, param_regularizers: Any, updates_collections: Any,
                      is_training: Any, reuse: Any, variables_collections: Any, outputs_collections: Any,
                      trainable: bool, data_format: str, scope: Any) -> Any:
    with variable_scope(scope, "BatchNorm", [inputs], reuse=reuse) as sc:
        x, dtype = convert(inputs)
        rank = np.ndim(x)
        if rank not in (2, 4):
            raise ValueError(f"Inputs {getattr(inputs, 'name', 'inputs')} has unsupported rank. Expected 2 or 4 "
                             f"but got {rank}")
        original = inputs
        cf = data_format == "NCHW"
        if rank == 2:
            channels = x.shape[-1]
            inputs = array_ops.reshape(inputs, [-1, channels, 1, 1] if cf else [-1, 1, 1, channels])
            x, _ = convert(inputs)
        channel_axis = 1 if cf else 3
        shape = [int(x.shape[channel_axis])]
        beta, gamma, moving_mean, moving_variance = _params(variables_collections, param_initializers,
                                                            param_regularizers, shape, dtype, center, scale,
                                                            trainable)
        b, g, mm, mv = _values(beta, gamma, moving_mean, moving_variance)
        xp = array_module(x, mm)
        bshape = [1, shape[0], 1, 1] if cf else [1, 1, 1, shape[0]]

        def bc(v: Any) -> Any:
            return None if v is None else xp.reshape(v, bshape)

        reduce = (0, 2, 3) if cf else (0, 1, 2)
        train = static_bool(is_training, "is_training")
        if train:
            out, mean, variance = _norm.fused(xp, x, reduce, bc(b), bc(g), epsilon)
        else:
            out = _norm.batch_normalization(xp, x, bc(mm), bc(mv), bc(b), bc(g), epsilon)
        outputs = result(out, "FusedBatchNormV3", "FusedBatchNormV3", dtype=dtype)
        if train:
            update_mean = _norm.assign_moving_average(moving_mean, mean, decay)
            update_variance = _norm.assign_moving_average(moving_variance, variance, decay)
            if updates_collections is None:
                outputs = array_ops.identity(outputs)
            else:
                add_to_collections(updates_collections, update_mean)
                add_to_collections(updates_collections, update_variance)
        if rank == 2:
            outputs = array_ops.reshape(outputs, list(np.shape(convert(original)[0])))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def batch_norm(inputs: Any, decay: float = 0.999, center: bool = True, scale: bool = False,
               epsilon: float = 0.001, activation_fn: Any = None, param_initializers: Any = None,
               param_regularizers: Any = None, updates_collections: Any = GraphKeys.UPDATE_OPS,
               is_training: Any = True, reuse: Any = None, variables_collections: Any = None,
               outputs_collections: Any = None, trainable: bool = True, batch_weights: Any = None,
               fused: Any = None, data_format: str = "NHWC", zero_debias_moving_mean: bool = False,
               scope: Any = None, renorm: bool = False, renorm_clipping: Any = None, renorm_decay: float = 0.99,
               adjustment: Any = None) -> Any:
    """slim's batch normalization (see the module docstring for its three paths).

    Raises:
        NotImplementedError: For ``batch_weights``, ``zero_debias_moving_mean``, ``renorm`` or ``adjustment``.
        ValueError: For a ``data_format`` other than NHWC / NCHW, or an unsupported rank on the fused path.
    """
    if batch_weights is not None or zero_debias_moving_mean or renorm or adjustment is not None:
        raise NotImplementedError("varscope's slim.batch_norm has no batch_weights, zero_debias_moving_mean, "
                                  "renorm or adjustment; open an issue with the model that needs them.")
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    if fused is None:
        fused = True
    rank = np.ndim(convert(inputs)[0])
    if fused and rank in (2, 4) and (rank == 2 or updates_collections is not GraphKeys.UPDATE_OPS
                                     and updates_collections != GraphKeys.UPDATE_OPS):
        return _fused_batch_norm(inputs, decay, center, scale, epsilon, activation_fn, param_initializers,
                                 param_regularizers, updates_collections, is_training, reuse,
                                 variables_collections, outputs_collections, trainable, data_format, scope)
    with variable_scope(scope, "BatchNorm", [inputs], reuse=reuse,
                        custom_getter=layer_variable_getter({}, variables_collections)) as sc:
        if updates_collections == GraphKeys.UPDATE_OPS:
            inits, regs = param_initializers or {}, param_regularizers or {}
            layer = BatchNormalization(axis=1 if data_format == "NCHW" else -1, momentum=decay, epsilon=epsilon,
                                       center=center, scale=scale,
                                       beta_initializer=inits.get("beta", zeros_initializer()),
                                       gamma_initializer=inits.get("gamma", ones_initializer()),
                                       moving_mean_initializer=inits.get("moving_mean", zeros_initializer()),
                                       moving_variance_initializer=inits.get("moving_variance",
                                                                             ones_initializer()),
                                       beta_regularizer=regs.get("beta"), gamma_regularizer=regs.get("gamma"),
                                       trainable=trainable, name=sc.name, _scope=sc, _reuse=reuse,
                                       fused=fused if fused is False else None)
            outputs = layer.apply(inputs, training=is_training)
        else:
            outputs = _plain_batch_norm(inputs, decay, center, scale, epsilon, param_initializers,
                                        updates_collections, is_training, variables_collections, trainable,
                                        data_format)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


def _plain_batch_norm(inputs: Any, decay: float, center: bool, scale: bool, epsilon: float,
                      param_initializers: Any, updates_collections: Any, is_training: Any,
                      variables_collections: Any, trainable: bool, data_format: str) -> Any:
    """slim's unfused path: moments over all axes but the channels, ``batchnorm/add_1``."""
    x, dtype = convert(inputs)
    rank = np.ndim(x)
    channel = 1 if data_format == "NCHW" else rank - 1
    shape = [int(x.shape[channel])]
    beta, gamma, moving_mean, moving_variance = _params(variables_collections, param_initializers, None, shape,
                                                        dtype, center, scale, trainable)
    b, g, mm, mv = _values(beta, gamma, moving_mean, moving_variance)
    xp = array_module(x, mm)
    bshape = [shape[0] if i == channel else 1 for i in range(rank)]
    reduce = tuple(i for i in range(rank) if i != channel)
    if static_bool(is_training, "is_training"):
        mean = xp.mean(x, axis=reduce)
        variance = xp.mean(xp.square(x - xp.reshape(mean, bshape)), axis=reduce)
        update_mean = _norm.assign_moving_average(moving_mean, mean, decay)
        update_variance = _norm.assign_moving_average(moving_variance, variance, decay)
        if updates_collections is not None:
            add_to_collections(updates_collections, update_mean)
            add_to_collections(updates_collections, update_variance)
    else:
        mean, variance = mm, mv

    def bc(v: Any) -> Any:
        return None if v is None else xp.reshape(v, bshape)

    with op_scope(None, "batchnorm") as s:
        out = _norm.batch_normalization(xp, x, bc(mean), bc(variance), bc(b), bc(g), epsilon)
        return result(out, "AddV2", s + "add_1/", dtype=dtype)
