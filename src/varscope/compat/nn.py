"""``tf.nn``: the neural-network ops of ``tf.compat.v1.nn`` that model code uses (see docs/porting.md's op table).

Activations, softmax, ``bias_add``, ``moments``, ``l2_normalize`` and the losses come from
:mod:`varscope.compat.nn_ops`; convolutions and pooling from :mod:`varscope.compat.conv_ops`;
``embedding_lookup`` from :mod:`varscope.compat.embedding_ops`; ``sigmoid`` and ``tanh`` are ``tf.sigmoid`` and
``tf.tanh`` (:mod:`varscope.compat.math_ops`). ``gelu`` is TF 2's (TF's ``compat.v1.nn`` has
none), for TF 2-era model code.

Example:
    >>> from varscope.compat import v1 as tf
    >>> tf.nn.relu is tf.compat.v1.nn.relu
    True
"""

from __future__ import annotations

from varscope.compat.conv_ops import (
    avg_pool,
    conv1d,
    conv2d,
    conv2d_transpose,
    depthwise_conv2d,
    max_pool,
    separable_conv2d,
)
from varscope.compat.embedding_ops import embedding_lookup
from varscope.compat.nn_impl import batch_normalization, in_top_k, l2_loss, softsign, top_k, xw_plus_b
from varscope.compat.nn_ops import (
    bias_add,
    dropout,
    elu,
    gelu,
    l2_normalize,
    leaky_relu,
    log_softmax,
    moments,
    relu,
    relu6,
    selu,
    sigmoid_cross_entropy_with_logits,
    softmax,
    softmax_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits_v2,
    softplus,
    sparse_softmax_cross_entropy_with_logits,
)
from varscope.compat.math_ops import sigmoid, tanh  # tf.nn.sigmoid is tf.sigmoid, as in TF

__all__ = [
    "avg_pool", "bias_add", "conv1d", "conv2d", "conv2d_transpose", "depthwise_conv2d", "dropout", "elu",
    "embedding_lookup", "gelu", "l2_normalize", "leaky_relu", "log_softmax", "max_pool", "moments", "relu", "relu6",
    "selu", "separable_conv2d", "sigmoid", "sigmoid_cross_entropy_with_logits", "softmax",
    "softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_v2", "softplus",
    "sparse_softmax_cross_entropy_with_logits", "tanh", "xw_plus_b", "batch_normalization", "l2_loss", "top_k",
    "in_top_k", "softsign",
]
