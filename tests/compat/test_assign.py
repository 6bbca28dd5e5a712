"""tf.assign / assign_add / assign_sub (TF 1.x's state ops) and Variable.assign of compat Tensors: on NumPy, and
inside varscope.compat.jax.transform_with_state under jit in test_assign_jax.py."""

from __future__ import annotations

import numpy as np
import pytest

from varscope.compat import v1 as tf


def test_assign_ops_update_now_and_name_their_tensors():
    tf.disable_v2_behavior()
    with tf.Graph().as_default():
        v = tf.get_variable("v", initializer=np.float32([1.0, 2.0]))
        a = tf.assign(v, v * 2)
        b = tf.assign_add(v, [1, 1])  # (converted to the variable's dtype, as TF converts)
        c = tf.assign_sub(v, np.float32([0.5, 0.5]), name="down")
        v.assign(v + 1)  # Variable.assign of a Tensor
        assert [t.name for t in (a, b, c)] == ["Assign:0", "AssignAdd:0", "down:0"]
        assert [t.op.type for t in (a, b, c)] == ["Assign", "AssignAdd", "AssignSub"]
        assert a.numpy().tolist() == [2.0, 4.0] and c.numpy().tolist() == [2.5, 4.5]
        assert v.numpy().tolist() == [3.5, 5.5]


def test_assign_errors_name_the_problem():
    tf.disable_v2_behavior()
    with tf.Graph().as_default():
        v = tf.get_variable("w", initializer=np.float32([1.0, 2.0]))
        with pytest.raises(TypeError, match="needs a variable as `ref`"):
            tf.assign(v * 1, 3.0)
        with pytest.raises(ValueError, match="Cannot assign value of shape"):
            tf.assign(v, np.float32([1.0, 2.0, 3.0]))
        with pytest.raises(ValueError, match="validate_shape=False to change w's shape"):
            tf.assign(v, np.float32([1.0, 2.0, 3.0]), validate_shape=False)
        assert v.numpy().tolist() == [1.0, 2.0]  # (unchanged)

