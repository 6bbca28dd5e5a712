"""Random ops inside ``varscope.jax.transform``: the distributions of test_random_ops.py drawn from a JAX key, and
the rng stream ``transform(fn, rng=True)`` gives ``apply(params, rng, ...)`` (deterministic per call and op name).
"""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pytest

jax = pytest.importorskip("jax")

import jax.numpy as jnp  # noqa: E402

import varscope.jax as vj  # noqa: E402
from compat.test_random_ops import CHECKS  # noqa: E402
from varscope.compat import v1 as tf  # noqa: E402


@pytest.fixture(autouse=True)
def _tf1_shapes():
    from varscope._shape import v1_tensorshape

    with v1_tensorshape():
        yield


def jax_draw(fn):
    """``fn``'s random values inside ``apply`` with the rng ``jax.random.key(3)``."""
    out = vj.transform(lambda: fn(), rng=True).apply({}, jax.random.key(3))
    return [np.asarray(o) for o in out] if isinstance(out, list) else np.asarray(out)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_distribution_jax(check):
    check(jax_draw)


def test_transform_docstring_examples_run():
    result = doctest.testmod(importlib.import_module("varscope.jax.transform"), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


def _model(x, rate=0.5):
    with tf.variable_scope("layer"):
        w = tf.get_variable("w", [x.shape[-1], 8], initializer=tf.ones_initializer())
        h = tf.nn.dropout(tf.matmul(x, w), rate=rate)
        return tf.nn.dropout(h, keep_prob=0.5) + tf.random_normal([8], stddev=0.1, name="noise")


X = jnp.ones((4, 3), jnp.float32)


@pytest.fixture
def model():
    m = vj.transform(_model, rng=True)
    return m, m.init(0, X)


def test_apply_is_deterministic_per_rng(model):
    m, params = model
    key = jax.random.key(0)
    a, b = m.apply(params, key, X), m.apply(params, key, X)
    assert (np.asarray(a) == np.asarray(b)).all()
    c = m.apply(params, jax.random.key(1), X)
    assert not (np.asarray(a) == np.asarray(c)).all()


def test_rng_forms_are_one_stream(model):
    m, params = model
    typed = np.asarray(m.apply(params, jax.random.key(5), X))
    assert (np.asarray(m.apply(params, jax.random.PRNGKey(5), X)) == typed).all()
    assert (np.asarray(m.apply(params, 5, X)) == typed).all()


def test_jit_gives_the_eager_values(model):
    m, params = model
    key = jax.random.key(2)
    assert np.allclose(np.asarray(jax.jit(m.apply)(params, key, X)), np.asarray(m.apply(params, key, X)), rtol=1e-6)


def test_ops_draw_independently_by_name():
    def two(x):
        return [tf.nn.dropout(x, rate=0.5), tf.nn.dropout(x, rate=0.5), tf.random_uniform([100]),
                tf.random_uniform([100], name="other")]

    m = vj.transform(two, rng=True)
    x = jnp.ones((100,), jnp.float32)
    a, b, u, v = (np.asarray(o) for o in m.apply({}, jax.random.key(0), x))
    assert not (a == b).all() and not (u == v).all()


def test_ops_with_one_op_seed_draw_alike():
    m = vj.transform(lambda: [tf.random_uniform([50], seed=4), tf.random_uniform([50], seed=4, name="b")], rng=True)
    a, b = m.apply({}, jax.random.key(0))
    assert (np.asarray(a) == np.asarray(b)).all()


def test_dropout_scales_the_kept_values_and_has_a_gradient():
    def f(x):
        w = tf.get_variable("w", [], initializer=tf.ones_initializer())
        return tf.reduce_sum(tf.nn.dropout(x * w, rate=0.25))

    m = vj.transform(f, rng=True)
    x = jnp.arange(1.0, 401.0, dtype=jnp.float32)
    params = m.init(0, x)
    key = jax.random.key(9)

    def kept(p):
        return tf.nn.dropout(x * p["w"], rate=0.25)

    out = np.asarray(vj.transform(lambda: kept(params), rng=True).apply({}, key))
    nonzero = out != 0
    assert 0.65 < nonzero.mean() < 0.85
    np.testing.assert_allclose(out[nonzero], np.asarray(x)[nonzero] / 0.75, rtol=1e-6)
    grad = jax.jit(jax.grad(m.apply))(params, key, x)["w"]
    # d/dw sum(dropout(x * w)) = sum of the kept x, scaled: the same mask as the forward pass under the same key
    np.testing.assert_allclose(float(grad), out.sum(), rtol=1e-5)


def test_vmap_over_keys_draws_a_mask_per_key():
    m = vj.transform(lambda x: tf.nn.dropout(x, rate=0.5), rng=True)
    keys = jax.random.split(jax.random.key(0), 4)
    out = jax.vmap(lambda k: m.apply({}, k, jnp.ones((64,), jnp.float32)))(keys)
    masks = np.asarray(out) != 0
    assert masks.shape == (4, 64) and len({m.tobytes() for m in masks}) == 4


def test_random_op_without_rng_names_the_op_and_the_fix():
    m = vj.transform(lambda x: tf.nn.dropout(x, rate=0.1))
    with pytest.raises(ValueError) as info:
        m.apply({}, X)
    text = str(info.value)
    assert text.startswith("Op dropout/random_uniform draws random numbers, but this apply has no rng.")
    assert "varscope.jax.transform(fn, rng=True)" in text and "apply(params, rng, *args)" in text


def test_rng_none_and_missing_rng():
    m = vj.transform(lambda x: tf.nn.dropout(x, rate=0.1), rng=True)
    with pytest.raises(ValueError, match="apply was given rng=None"):
        m.apply({}, None, X)
    with pytest.raises(TypeError, match=r"takes \(params, rng, \*args\): the rng is missing"):
        m.apply({})
    # a model without random ops may take rng=None
    assert vj.transform(lambda x: tf.nn.relu(x), rng=True).apply({}, None, X).shape == (4, 3)


def test_rate_zero_draws_nothing():
    m = vj.transform(lambda x: tf.nn.dropout(x, rate=0.0))  # no rng: the fast path draws no numbers
    assert (np.asarray(m.apply({}, X)) == 1).all()


def test_init_draws_from_its_own_rng():
    m = vj.transform(_model, rng=True)  # init needs no extra rng: random ops use init's
    params = m.init(jax.random.key(0), X)
    assert sorted(params) == ["layer/w"]
    plain = vj.transform(_model)
    assert sorted(plain.init(0, X)) == ["layer/w"]


def test_transform_with_state_takes_the_rng_after_state():
    def f(x):
        count = tf.get_variable("count", [], trainable=False, initializer=tf.zeros_initializer())
        count.assign_add(1.0)
        return tf.nn.dropout(x, rate=0.5)

    m = vj.transform_with_state(f, rng=True)
    params, state = m.init(0, X)
    assert float(state["count"]) == 1.0  # init returns the values after the function's assignments
    out, state = m.apply(params, state, jax.random.key(0), X)
    assert float(state["count"]) == 2.0 and set(np.unique(np.asarray(out)).tolist()) <= {0.0, 2.0}
