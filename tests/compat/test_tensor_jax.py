"""Tensors of varscope.compat under JAX: no cost under jit, what transform returns, NumPy arrays @ variables."""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")

import varscope  # noqa: E402
import varscope.jax as vj  # noqa: E402
from varscope._shape import v1_tensorshape  # noqa: E402
from varscope.compat import v1 as tf  # noqa: E402


@pytest.fixture(autouse=True)
def _tf1_shapes():
    with v1_tensorshape():
        yield




def _compat_model(x):
    x = tf.convert_to_tensor(x)  # (a model's inputs: what the placeholders were)
    with tf.variable_scope("model"):
        w = tf.get_variable("w", [x.shape[-1].value, 4])
        b = tf.get_variable("b", [4], initializer=tf.zeros_initializer())
        h = tf.matmul(x, w) + b
        return tf.reduce_mean(h * 2.0, axis=-1, keepdims=True) - h[:, :1]


def _jnp_model(x):
    with varscope.variable_scope("model"):
        w = varscope.get_variable("w", [x.shape[-1], 4])
        b = varscope.get_variable("b", [4], initializer=varscope.zeros_initializer())
        h = jnp.matmul(x, w._value) + b._value
        return jnp.mean(h * 2.0, axis=-1, keepdims=True) - h[:, :1]


def test_jit_costs_nothing_jaxpr_equals_jnp_model():
    x = jnp.ones((2, 3))
    compat, ref = vj.transform(_compat_model), vj.transform(_jnp_model)
    params = compat.init(0, x)
    assert str(jax.make_jaxpr(compat.apply)(params, x)) == str(jax.make_jaxpr(ref.apply)(params, x))
    hlo = jax.jit(compat.apply).lower(params, x).as_text(debug_info=False)
    assert hlo == jax.jit(ref.apply).lower(params, x).as_text(debug_info=False)


def test_transform_returns_plain_arrays_and_tensors_are_pytrees():
    x = jnp.ones((2, 3))
    model = vj.transform(lambda x: {"y": _compat_model(x), "n": 3})
    params = model.init(0, x)
    out = model.apply(params, x)
    assert isinstance(out["y"], jax.Array) and out["n"] == 3
    assert isinstance(jax.jit(model.apply)(params, x)["y"], jax.Array)

    def f(a):  # a Tensor returned from plain jax.jit comes back as a Tensor (a pytree)
        return tf.reduce_sum(tf.constant(a) * 2.0)

    t = jax.jit(f)(x)
    assert isinstance(t, tf.Tensor) and float(t.numpy()) == 12.0 and t.name == "Sum:0"


def test_numpy_array_matmul_variable_under_grad_and_jit():
    def f(x):
        w = varscope.get_variable("w", [3, 2])
        return (np.ones((2, 3), np.float32) @ w).sum() + tf.reduce_sum(tf.matmul(x, w))

    model = vj.transform(f)
    x = np.ones((2, 3), np.float32)
    params = model.init(0, x)
    grads = jax.grad(model.apply)(params, x)
    np.testing.assert_allclose(grads["w"], np.full((3, 2), 4.0))
    assert jax.jit(model.apply)(params, x).shape == ()


def test_compat_transform_gives_the_function_tensors():
    from varscope.compat.jax import transform

    seen = []

    def model(x, extra):
        seen.append((x.name, x.op.type, extra["mask"].name, x.shape[-1].value))
        with tf.variable_scope("model"):
            w = tf.get_variable("w", [x.shape[-1].value, 2])
            return tf.matmul(x, w) * tf.cast(extra["mask"], tf.float32)

    m = transform(model)
    x, mask = jnp.ones((3, 4)), jnp.ones((3, 1), jnp.int32)
    params = m.init(0, x, {"mask": mask})
    out = jax.jit(m.apply)(params, x, {"mask": mask})
    assert isinstance(out, jax.Array) and out.shape == (3, 2) and list(params) == ["model/w"]
    assert seen[-1] == ("Placeholder:0", "Placeholder", "Placeholder_1:0", 4)
    grads = jax.grad(lambda p: m.apply(p, x, {"mask": mask}).sum())(params)
    np.testing.assert_allclose(grads["model/w"], np.full((4, 2), 3.0))


def test_compat_jax_docstring_examples_run():
    import doctest

    import varscope.compat.jax as cj

    result = doctest.testmod(cj, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
