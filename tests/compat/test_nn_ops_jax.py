"""``tf.nn`` under JAX: TF's gradient conventions where JAX's default differentiation would differ."""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")

import jax.numpy as jnp  # noqa: E402

import varscope.jax as vj  # noqa: E402
from varscope.compat import v1 as tf  # noqa: E402


def test_relu_gradients_are_tfs_at_the_kinks():
    # TF's ReluGrad / Relu6Grad pass the gradient only where 0 < x (< 6): 0 at x == 0 and x == 6
    x = jnp.array([-1.0, 0.0, 3.0, 6.0, 7.0], jnp.float32)
    relu = jax.grad(lambda v: vj.transform(lambda: tf.reduce_sum(tf.nn.relu(v))).apply({}))(x)
    relu6 = jax.grad(lambda v: vj.transform(lambda: tf.reduce_sum(tf.nn.relu6(v))).apply({}))(x)
    assert np.asarray(relu).tolist() == [0.0, 0.0, 1.0, 1.0, 1.0]
    assert np.asarray(relu6).tolist() == [0.0, 0.0, 1.0, 0.0, 0.0]
