"""The layer modules beyond the recorded cases: docstring examples, install paths, layer attributes and errors."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pytest

import varscope as tf1
import varscope.compat
from varscope.compat import layers, slim
from varscope.compat import v1 as tf

MODULES = ["varscope.compat.layers", "varscope.compat.layers._base", "varscope.compat.layers._norm",
           "varscope.compat.layers.core", "varscope.compat.layers.convolutional",
           "varscope.compat.layers.normalization", "varscope.compat.layers.pooling", "varscope.compat.slim",
           "varscope.compat.slim.layers", "varscope.compat.slim.normalization", "varscope.compat.slim.initializers"]
X = np.random.RandomState(0).uniform(-1, 1, (4, 3)).astype(np.float32)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


def test_install_as_tensorflow_registers_the_layer_modules() -> None:
    with varscope.compat.install_as_tensorflow():
        import tensorflow as tf_
        import tensorflow.compat.v1 as tf_v1
        import tf_slim
        from tensorflow.contrib import framework, layers as contrib_layers
        from tensorflow.contrib import slim as contrib_slim

        assert tf_.layers is layers and tf_v1.layers is layers
        assert contrib_layers.fully_connected is slim.fully_connected
        assert contrib_layers.layer_norm is slim.layer_norm and contrib_layers.xavier_initializer is not None
        assert tf_slim.batch_norm is slim.batch_norm and contrib_slim.arg_scope is slim.arg_scope
        assert framework.arg_scope is slim.arg_scope and framework.model_variable is slim.model_variable
        assert not hasattr(contrib_layers, "arg_scope")  # TF 1.x keeps it in contrib.framework
        with tf_.Graph().as_default():
            y = contrib_layers.fully_connected(tf_.layers.dense(X, 2), 1)
            assert y.name == "fully_connected/Relu:0"


def test_layer_attributes() -> None:
    with tf1.Graph().as_default():
        bn = layers.BatchNormalization(name="bn")
        with pytest.raises(ValueError, match='layer "bn" has not been used yet'):
            bn.scope_name
        bn(X, training=True)
        assert bn.scope_name == "bn" and bn.built
        assert [v.name for v in bn.trainable_weights] == ["bn/gamma:0", "bn/beta:0"]
        assert [v.name for v in bn.non_trainable_weights] == ["bn/moving_mean:0", "bn/moving_variance:0"]
        assert [u.name for u in bn.updates] == ["bn/AssignMovingAvg", "bn/AssignMovingAvg_1"]
        dense = layers.Dense(2, kernel_regularizer=slim.l2_regularizer(1.0))
        dense(X)
        assert dense.name == "dense" and dense.kernel.name == "dense/kernel:0"
        assert [loss.name for loss in dense.losses] == ["dense/kernel/Regularizer/l2_regularizer:0"]
        frozen = layers.Dense(1, trainable=False)
        frozen(X)
        assert frozen.name == "dense_1" and frozen.trainable_weights == [] and len(frozen.weights) == 2


def test_layer_names_are_unique_per_graph_and_scopes_per_variable_scope() -> None:
    with tf1.Graph().as_default():
        with tf1.variable_scope("a"):
            first = layers.Dense(1)
            first(X)
        with tf1.variable_scope("b"):
            second = layers.Dense(1)
            second(X)
        assert (first.name, second.name) == ("dense", "dense_1")  # Keras' per-graph object names
        assert (first.scope_name, second.scope_name) == ("a/dense", "b/dense")  # scopes per variable scope


def test_activation_names_and_errors() -> None:
    with tf1.Graph().as_default():
        assert layers.dense(X, 2, activation="relu").name == "dense/Relu:0"
        with pytest.raises(ValueError, match="Unknown activation function: swishy"):
            layers.dense(X, 2, activation="swishy")


def test_outputs_collections() -> None:
    with tf1.Graph().as_default():
        y = slim.fully_connected(X, 2, outputs_collections="ends")
        assert tf1.get_collection("ends") == [y]


def test_unsupported_arguments_say_so() -> None:
    with tf1.Graph().as_default():
        with pytest.raises(NotImplementedError, match="renorm"):
            layers.batch_normalization(X, renorm=True)
        with pytest.raises(NotImplementedError, match="batch_weights"):
            slim.batch_norm(X, batch_weights=np.ones(4, np.float32))
        with pytest.raises(ValueError, match="data_format has to be either NCHW or NHWC"):
            slim.batch_norm(X, data_format="NWC")


def test_slim_initializers_match_slims_formulas() -> None:
    big = slim.variance_scaling_initializer(factor=2.0, mode="FAN_IN")([400, 300])
    assert abs(big.std() - np.sqrt(1.3 * 2.0 / 400) * 0.8796) < 0.002  # truncated at 2 sigma: std * 0.8796
    assert np.abs(slim.xavier_initializer()([200, 300])).max() <= np.sqrt(6.0 / 500)
    with pytest.raises(TypeError, match="Unknown mode FAN_X"):
        slim.variance_scaling_initializer(mode="FAN_X")
    with pytest.raises(TypeError, match="Cannot create initializer for non-floating point type."):
        slim.xavier_initializer(dtype=tf.int32)
