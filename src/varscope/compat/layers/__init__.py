"""``tf.layers`` (``tf.compat.v1.layers``): TF1's layers with TF's variable names, defaults and collections.

Each layer is a class (``Dense``, ``Conv2D``, ``BatchNormalization`` ...) and a function (``dense``, ``conv2d``,
``batch_normalization`` ...), as tf_keras' ``legacy_tf_layers`` define them in TF 2.21; see
:mod:`varscope.compat.layers._base` for the naming rules and docs/porting.md ("Layers") for the table.

Example:
    >>> import numpy as np, varscope as tf1
    >>> from varscope.compat import layers
    >>> with tf1.Graph().as_default():
    ...     h = layers.dense(np.ones((2, 3), np.float32), 4, activation="relu")
    ...     y = layers.dense(h, 1)
    ...     names = [v.name for v in tf1.trainable_variables()]
    >>> names
    ['dense/kernel:0', 'dense/bias:0', 'dense_1/kernel:0', 'dense_1/bias:0']
"""

from __future__ import annotations

from varscope.compat.layers._base import InputSpec, Layer
from varscope.compat.layers.convolutional import (Conv1D, Conv2D, Conv2DTranspose, Convolution1D, Convolution2D,
                                                  Convolution2DTranspose, Deconv2D, Deconvolution2D, conv1d,
                                                  conv2d, conv2d_transpose)
from varscope.compat.layers.core import Dense, Dropout, Flatten, dense, dropout, flatten
from varscope.compat.layers.normalization import BatchNormalization, batch_normalization
from varscope.compat.layers.pooling import (AveragePooling1D, AveragePooling2D, AvgPool1D, AvgPool2D,
                                            MaxPool1D, MaxPool2D, MaxPooling1D, MaxPooling2D, average_pooling1d,
                                            average_pooling2d, max_pooling1d, max_pooling2d)

__all__ = [
    "Layer", "InputSpec", "Dense", "dense", "Dropout", "dropout", "Flatten", "flatten", "Conv1D", "conv1d",
    "Conv2D", "conv2d", "Conv2DTranspose", "conv2d_transpose", "Convolution1D", "Convolution2D",
    "Convolution2DTranspose", "Deconv2D", "Deconvolution2D", "BatchNormalization", "batch_normalization",
    "MaxPooling1D", "AveragePooling1D", "MaxPooling2D", "AveragePooling2D", "MaxPool1D", "AvgPool1D", "MaxPool2D",
    "AvgPool2D", "max_pooling1d", "average_pooling1d", "max_pooling2d", "average_pooling2d",
]
