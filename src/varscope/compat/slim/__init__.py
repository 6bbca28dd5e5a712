"""tf_slim / ``tf.contrib.layers`` / ``tf.contrib.framework``: slim's layers with slim's names and collections.

``fully_connected``, ``conv2d``, ``conv2d_transpose``, ``flatten`` (:mod:`varscope.compat.slim.layers`),
``batch_norm``, ``layer_norm`` (:mod:`varscope.compat.slim.normalization`), ``arg_scope`` / ``add_arg_scope``
(:mod:`varscope.compat.arg_scope`), the regularizers (``l1_regularizer``, ``l2_regularizer`` ...) and
``xavier_initializer`` / ``variance_scaling_initializer`` (:mod:`varscope.compat.slim.initializers`).

Example:
    >>> import numpy as np, varscope as tf1
    >>> from varscope.compat import slim
    >>> with tf1.Graph().as_default():
    ...     with slim.arg_scope([slim.conv2d], padding="VALID"):
    ...         y = slim.conv2d(np.ones((1, 4, 4, 1), np.float32), 2, 3)
    >>> y.name, y.shape.as_list()
    ('Conv/Relu:0', [1, 2, 2, 2])
"""

from __future__ import annotations

from varscope.compat.arg_scope import add_arg_scope, arg_scope, arg_scoped_arguments, current_arg_scope, has_arg_scope
from varscope.compat.slim.initializers import variance_scaling_initializer, xavier_initializer
from varscope.compat.slim.layers import (collect_named_outputs, conv2d, conv2d_transpose, convolution2d,
                                         convolution2d_transpose, flatten, fully_connected, layer_variable_getter,
                                         model_variable, variable)
from varscope.compat.slim.normalization import batch_norm, layer_norm
from varscope.regularizers import apply_regularization, l1_l2_regularizer, l1_regularizer, l2_regularizer, sum_regularizer

xavier_initializer_conv2d = xavier_initializer
linear = fully_connected

__all__ = [
    "fully_connected", "linear", "conv2d", "convolution2d", "conv2d_transpose", "convolution2d_transpose",
    "flatten", "batch_norm", "layer_norm", "model_variable", "variable", "collect_named_outputs",
    "layer_variable_getter", "arg_scope", "add_arg_scope", "current_arg_scope", "has_arg_scope",
    "arg_scoped_arguments", "l1_regularizer", "l2_regularizer", "l1_l2_regularizer", "sum_regularizer",
    "apply_regularization", "xavier_initializer", "xavier_initializer_conv2d", "variance_scaling_initializer",
]
