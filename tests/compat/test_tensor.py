"""Tensors of varscope.compat: TF's attributes, dtype rules and protocols; free mixing with NumPy/JAX; no cost
under jit; what transform returns."""

from __future__ import annotations

import numpy as np
import pytest

import varscope
from varscope._shape import Dimension, v1_tensorshape
from varscope.compat import v1 as tf
from varscope.compat.errors import NoSessionError, OperatorNotAllowedInGraphError


@pytest.fixture(autouse=True)
def _tf1_shapes():
    with v1_tensorshape():
        yield


def test_attributes():
    with tf.Graph().as_default() as g:
        with tf.name_scope("model"):
            t = tf.matmul(np.ones((2, 3), np.float32), np.ones((3, 4), np.float32))
    assert t.name == "model/MatMul:0" and t.op.name == "model/MatMul" and t.op.type == "MatMul"
    assert t.graph is g and t.op.outputs == [t] and t.value_index == 0
    assert t.dtype is tf.float32 and isinstance(t.shape[-1], Dimension) and t.shape[-1].value == 4
    assert t.get_shape().as_list() == [2, 4] and t.shape.ndims == 2
    assert t.shape.merge_with([None, 4]).as_list() == [2, 4]
    assert repr(t) == "<tf.Tensor 'model/MatMul:0' shape=(2, 4) dtype=float32>"
    np.testing.assert_array_equal(np.asarray(t), np.full((2, 4), 3.0))


def test_graph_mode_protocols_raise_tf_errors():
    with tf.Graph().as_default():
        t = tf.constant([1.0, 2.0])
        with pytest.raises(TypeError, match=r"len is not well defined for a symbolic Tensor \(Const:0\)"):
            len(t)
        with pytest.raises(OperatorNotAllowedInGraphError, match="Using a symbolic `tf.Tensor` as a Python `bool`"):
            bool(t)
        with pytest.raises(OperatorNotAllowedInGraphError, match="Iterating over a symbolic `tf.Tensor`"):
            iter(t)
        assert (t == t) is True and (t != t) is False and len({t, t}) == 1  # TF 1.x: identity, hashable


def test_numpy_values_go_in_and_numpy_defers_to_tensor():
    with tf.Graph().as_default():
        x = tf.constant([1.0, 2.0])
        y = np.ones(2) * x  # NumPy float64 array adopts float32, through Tensor.__rmul__
        assert y.dtype is tf.float32 and y.op.type == "Mul" and y.numpy().dtype == np.float32


def test_placeholder_builds_and_its_value_raises():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        assert x.name == "x:0" and x.op.type == "Placeholder" and x.shape.as_list() == [None, 3]
        assert x.shape[0].value is None
        with pytest.raises(NoSessionError, match="x:0 is a tf.placeholder"):
            _ = x * 2
    with pytest.raises(NoSessionError, match="Call the model function with the values you would feed"):
        tf.Session()
