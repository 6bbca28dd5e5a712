"""tf_slim's (``tf.contrib.layers``') ``fully_connected``, ``conv2d``, ``conv2d_transpose``, ``flatten`` and
``model_variable``, built as slim builds them: on :mod:`varscope.compat.layers`' ``Dense`` / ``Conv2D`` /
``Conv2DTranspose`` inside ``variable_scope(scope, "<default>")`` with a custom getter that renames
``kernel``/``bias`` to ``weights``/``biases`` and adds each variable to ``MODEL_VARIABLES`` (and to
``variables_collections``).

Defaults as slim's: ``activation_fn=relu``, ``weights_initializer=xavier_initializer()``, biases at zeros (none
with a ``normalizer_fn``, which is applied before the activation), ``padding="SAME"``. Scopes default to
``fully_connected``, ``Conv``, ``Conv2d_transpose`` (``_1`` ... per enclosing scope); every function takes
``arg_scope`` defaults.

Example:
    >>> import numpy as np, varscope as tf1
    >>> from varscope.compat import slim
    >>> with tf1.Graph().as_default():
    ...     with slim.arg_scope([slim.fully_connected], activation_fn=None):
    ...         y = slim.fully_connected(np.ones((2, 3), np.float32), 4)
    ...     names = [v.name for v in tf1.model_variables()]
    >>> y.name, names
    ('fully_connected/BiasAdd:0', ['fully_connected/weights:0', 'fully_connected/biases:0'])
"""

from __future__ import annotations

from typing import Any

from varscope._graph import GraphKeys, add_to_collections, get_default_graph
from varscope._scope import get_variable, variable_scope
from varscope.compat import nn_ops
from varscope.compat.arg_scope import add_arg_scope
from varscope.compat.layers import core, convolutional
from varscope.compat.slim.initializers import xavier_initializer
from varscope.initializers import zeros_initializer
from varscope.regularizers import RegularizationLoss

__all__ = ["fully_connected", "conv2d", "convolution2d", "conv2d_transpose", "convolution2d_transpose",
           "flatten", "model_variable", "variable", "layer_variable_getter", "collect_named_outputs"]


def _collections(variables_collections: Any, key: str) -> list[str] | None:
    if isinstance(variables_collections, dict):
        found = variables_collections.get(key)
        return None if found is None else list(found) if isinstance(found, (list, tuple)) else [found]
    if variables_collections is None:
        return None
    return list(variables_collections) if isinstance(variables_collections, (list, tuple)) else [variables_collections]


def layer_variable_getter(rename: dict[str, str] | None = None, variables_collections: Any = None) -> Any:
    """slim's layer getter: rename the last name component (``kernel`` -> ``weights``) and make the variable a
    model variable (``GLOBAL_VARIABLES`` + ``MODEL_VARIABLES`` + ``variables_collections``)."""
    rename = rename or {}

    def getter(getter: Any, name: str, *args: Any, **kwargs: Any) -> Any:  # TF passes getter= and name= by keyword
        parts = name.split("/")
        short = parts[-1]
        parts[-1] = rename.get(short, short)
        collections = list(kwargs.get("collections") or [GraphKeys.GLOBAL_VARIABLES])
        for key in [GraphKeys.MODEL_VARIABLES] + (_collections(variables_collections, parts[-1]) or []):
            if key not in collections:
                collections.append(key)
        kwargs["collections"] = collections
        new_name = "/".join(parts)
        losses = get_default_graph().get_collection_ref(GraphKeys.REGULARIZATION_LOSSES)
        before = len(losses)
        created = getter(new_name, *args, **kwargs)
        if new_name != name:  # TF's loss is named after the layer's weight (kernel), not the renamed variable
            old, new = f"{new_name}/Regularizer/", f"{name}/Regularizer/"
            for i in range(before, len(losses)):
                loss = losses[i]
                if isinstance(loss, RegularizationLoss) and loss.name.startswith(old):
                    losses[i] = RegularizationLoss(new + loss.name[len(old):], loss.variable, loss.regularizer)
        return created

    return getter


@add_arg_scope
def model_variable(name: str, shape: Any = None, dtype: Any = None, initializer: Any = None,
                   regularizer: Any = None, trainable: bool = True, collections: Any = None,
                   caching_device: Any = None, device: Any = None, partitioner: Any = None,
                   custom_getter: Any = None, use_resource: Any = None, synchronization: Any = None,
                   aggregation: Any = None) -> Any:
    """``get_variable`` that also adds the variable to ``MODEL_VARIABLES`` (slim's ``model_variable``)."""
    keys = list(collections or []) + [GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES]
    return variable(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                    trainable=trainable, collections=list(dict.fromkeys(keys)), partitioner=partitioner,
                    custom_getter=custom_getter)


@add_arg_scope
def variable(name: str, shape: Any = None, dtype: Any = None, initializer: Any = None, regularizer: Any = None,
             trainable: bool = True, collections: Any = None, caching_device: Any = None, device: Any = None,
             partitioner: Any = None, custom_getter: Any = None, use_resource: Any = None,
             synchronization: Any = None, aggregation: Any = None) -> Any:
    """slim's ``variable``: ``get_variable`` with ``collections`` (default ``GLOBAL_VARIABLES``)."""
    keys = list(collections) if collections is not None else [GraphKeys.GLOBAL_VARIABLES]
    if GraphKeys.GLOBAL_VARIABLES not in keys:
        keys.append(GraphKeys.GLOBAL_VARIABLES)
    if custom_getter is not None:
        with variable_scope("", custom_getter=custom_getter, auxiliary_name_scope=False):
            return get_variable(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                                trainable=trainable, collections=keys, partitioner=partitioner)
    return get_variable(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                        trainable=trainable, collections=keys, partitioner=partitioner)


def collect_named_outputs(collections: Any, alias: str, outputs: Any) -> Any:
    """Add ``outputs`` to ``collections`` (slim's ``outputs_collections``) and return it."""
    if collections:
        add_to_collections(collections, outputs)
    return outputs


def _finish(outputs: Any, normalizer_fn: Any, normalizer_params: Any, activation_fn: Any,
            outputs_collections: Any, scope_name: str) -> Any:
    if normalizer_fn is not None:
        outputs = normalizer_fn(outputs, **(normalizer_params or {}))
    if activation_fn is not None:
        outputs = activation_fn(outputs)
    return collect_named_outputs(outputs_collections, scope_name, outputs)


_RENAME = {"bias": "biases", "kernel": "weights"}


@add_arg_scope
def fully_connected(inputs: Any, num_outputs: Any, activation_fn: Any = nn_ops.relu, normalizer_fn: Any = None,
                    normalizer_params: Any = None, weights_initializer: Any = xavier_initializer(),
                    weights_regularizer: Any = None, biases_initializer: Any = zeros_initializer(),
                    biases_regularizer: Any = None, reuse: Any = None, variables_collections: Any = None,
                    outputs_collections: Any = None, trainable: bool = True, scope: Any = None) -> Any:
    """``activation_fn(normalizer_fn(inputs @ weights + biases))`` in the scope ``fully_connected``."""
    if not isinstance(num_outputs, int):
        raise ValueError(f"num_outputs type should be one of (int,), got {type(num_outputs)}.")
    with variable_scope(scope, "fully_connected", [inputs], reuse=reuse,
                        custom_getter=layer_variable_getter(_RENAME, variables_collections)) as sc:
        layer = core.Dense(num_outputs, activation=None,
                           use_bias=not normalizer_fn and biases_initializer is not None,
                           kernel_initializer=weights_initializer, bias_initializer=biases_initializer,
                           kernel_regularizer=weights_regularizer, bias_regularizer=biases_regularizer,
                           trainable=trainable, name=sc.name, _scope=sc, _reuse=reuse)
        outputs = layer.apply(inputs)
        return _finish(outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections, sc.name)


def _data_format(data_format: Any) -> str:
    if data_format is None or str(data_format).startswith("NH") or str(data_format) == "NWC":
        return "channels_last"
    if str(data_format).startswith("NC"):
        return "channels_first"
    raise ValueError(f"data_format has to be either NCHW or NHWC.")


@add_arg_scope
def conv2d(inputs: Any, num_outputs: Any, kernel_size: Any, stride: Any = 1, padding: str = "SAME",
           data_format: Any = None, rate: Any = 1, activation_fn: Any = nn_ops.relu, normalizer_fn: Any = None,
           normalizer_params: Any = None, weights_initializer: Any = xavier_initializer(),
           weights_regularizer: Any = None, biases_initializer: Any = zeros_initializer(),
           biases_regularizer: Any = None, reuse: Any = None, variables_collections: Any = None,
           outputs_collections: Any = None, trainable: bool = True, scope: Any = None) -> Any:
    """slim's 2-D convolution (``Conv`` scope; ``rate`` is the dilation)."""
    with variable_scope(scope, "Conv", [inputs], reuse=reuse,
                        custom_getter=layer_variable_getter(_RENAME, variables_collections)) as sc:
        layer = convolutional.Conv2D(num_outputs, kernel_size, strides=stride, padding=padding,
                                     data_format=_data_format(data_format), dilation_rate=rate, activation=None,
                                     use_bias=not normalizer_fn and biases_initializer is not None,
                                     kernel_initializer=weights_initializer, bias_initializer=biases_initializer,
                                     kernel_regularizer=weights_regularizer, bias_regularizer=biases_regularizer,
                                     trainable=trainable, name=sc.name, _scope=sc, _reuse=reuse)
        outputs = layer.apply(inputs)
        return _finish(outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections, sc.name)


@add_arg_scope
def conv2d_transpose(inputs: Any, num_outputs: Any, kernel_size: Any, stride: Any = 1, padding: str = "SAME",
                     data_format: str = "NHWC", activation_fn: Any = nn_ops.relu, normalizer_fn: Any = None,
                     normalizer_params: Any = None, weights_initializer: Any = xavier_initializer(),
                     weights_regularizer: Any = None, biases_initializer: Any = zeros_initializer(),
                     biases_regularizer: Any = None, reuse: Any = None, variables_collections: Any = None,
                     outputs_collections: Any = None, trainable: bool = True, scope: Any = None) -> Any:
    """slim's transposed convolution (``Conv2d_transpose`` scope)."""
    with variable_scope(scope, "Conv2d_transpose", [inputs], reuse=reuse,
                        custom_getter=layer_variable_getter(_RENAME, variables_collections)) as sc:
        layer = convolutional.Conv2DTranspose(num_outputs, kernel_size, strides=stride, padding=padding,
                                              data_format=_data_format(data_format), activation=None,
                                              use_bias=not normalizer_fn and biases_initializer is not None,
                                              kernel_initializer=weights_initializer,
                                              bias_initializer=biases_initializer,
                                              kernel_regularizer=weights_regularizer,
                                              bias_regularizer=biases_regularizer, trainable=trainable,
                                              name=sc.name, _scope=sc, _reuse=reuse)
        outputs = layer.apply(inputs)
        return _finish(outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections, sc.name)


convolution2d = conv2d
convolution2d_transpose = conv2d_transpose


@add_arg_scope
def flatten(inputs: Any, outputs_collections: Any = None, scope: Any = None) -> Any:
    """``[batch, -1]`` in the name scope ``Flatten`` (``Flatten/flatten/Reshape``)."""
    with get_default_graph().name_scope(scope or "Flatten") as sc:
        outputs = core.flatten(inputs)
        return collect_named_outputs(outputs_collections, sc, outputs)
