"""tf.assign and Variable.assign of compat Tensors inside varscope.compat.jax.transform_with_state under jit: the
new values come back as new params and new state."""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")

from varscope.compat import v1 as tf  # noqa: E402
from varscope.compat.jax import transform_with_state  # noqa: E402


def test_assigns_under_jit_come_back_as_new_params_and_state():
    tf.disable_v2_behavior()

    def step(x):
        v = tf.get_variable("v", initializer=np.float32([1.0, 2.0]))
        s = tf.get_variable("s", initializer=np.float32(0.0), trainable=False)
        tf.assign(v, v * x)
        tf.assign_add(s, 1.0)
        s.assign(s + x)
        return tf.reduce_sum(v)

    net = transform_with_state(step)
    params, state = net.init(0, np.float32(3))
    assert sorted(params) == ["v"] and sorted(state) == ["s"]
    params, state = {"v": np.float32([1.0, 2.0])}, {"s": np.float32(0.0)}
    out, new_params, new_state = jax.jit(net.update)(params, state, np.float32(3))
    assert float(out) == 9.0 and np.asarray(new_params["v"]).tolist() == [3.0, 6.0]
    assert float(new_state["s"]) == 4.0
