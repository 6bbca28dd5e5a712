"""Random ops: distributions, shapes and dtypes, TF's seed rules in a NumPy graph, and the rng stream that
``varscope.jax.transform(fn, rng=True)`` gives ``apply(params, rng, ...)`` (deterministic per call and op name).

Values cannot be TF's; what TF's records fix (names, op types, dtypes, shapes, bounds) is replayed from
tests/compat/cases/random_cases.py.
"""

from __future__ import annotations

import numpy as np
import pytest

import varscope
from varscope.compat import v1 as tf

N = 20000


@pytest.fixture(autouse=True)
def _tf1_shapes():
    from varscope._shape import v1_tensorshape

    with v1_tensorshape():
        yield


def _numpy(fn, seed=None):
    with varscope.Graph().as_default():
        if seed is not None:
            tf.set_random_seed(seed)
        out = fn()
        return [np.asarray(o.numpy()) for o in out] if isinstance(out, list) else np.asarray(out.numpy())


def _sources():
    """Each draw function runs on the NumPy backend and inside transform (a JAX key)."""
    return ["numpy", "jax"]


def _draw(source, fn):
    if source == "numpy":
        return _numpy(fn, seed=1)
    jax = pytest.importorskip("jax")
    import varscope.jax as vj

    model = vj.transform(lambda: fn(), rng=True)
    out = model.apply({}, jax.random.key(3))
    return [np.asarray(o) for o in out] if isinstance(out, list) else np.asarray(out)


# -- distributions ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("source", _sources())
def test_random_normal_mean_and_stddev(source):
    x = _draw(source, lambda: tf.random_normal([N], mean=2.0, stddev=3.0))
    assert x.dtype == np.float32 and x.shape == (N,)
    assert abs(x.mean() - 2.0) < 4 * 3.0 / np.sqrt(N)
    assert abs(x.std() - 3.0) < 0.06


@pytest.mark.parametrize("source", _sources())
def test_truncated_normal_is_cut_at_two_stddevs(source):
    x = _draw(source, lambda: tf.truncated_normal([N], mean=-1.0, stddev=0.5))
    assert x.min() >= -2.0 and x.max() <= 0.0
    # a standard normal cut at +-2 has std 0.8796; values come close to both cuts
    assert abs(x.std() / 0.5 - 0.8796) < 0.02
    assert abs(x.mean() + 1.0) < 0.02 and x.min() < -1.95 and x.max() > -0.05


@pytest.mark.parametrize("source", _sources())
def test_random_uniform_bounds_and_moments(source):
    x = _draw(source, lambda: tf.random_uniform([N], minval=-2.0, maxval=6.0))
    assert x.min() >= -2.0 and x.max() < 6.0
    assert abs(x.mean() - 2.0) < 0.1 and abs(x.std() - 8 / np.sqrt(12)) < 0.05


@pytest.mark.parametrize("source", _sources())
def test_random_uniform_integers_cover_the_range(source):
    x = _draw(source, lambda: tf.random_uniform([N], minval=3, maxval=8, dtype=tf.int32))
    assert x.dtype == np.int32 and set(np.unique(x).tolist()) == {3, 4, 5, 6, 7}
    assert np.abs(np.bincount(x - 3) / N - 0.2).max() < 0.02


@pytest.mark.parametrize("source", _sources())
def test_categorical_frequencies(source):
    probs = np.array([[0.1, 0.2, 0.7], [0.5, 0.5, 0.0]], np.float32)
    logits = np.log(probs + 1e-30).astype(np.float32)
    x = _draw(source, lambda: tf.random.categorical(logits, 5000))
    assert x.shape == (2, 5000)
    for row in range(2):
        freq = np.bincount(x[row], minlength=3) / 5000
        assert np.abs(freq - probs[row]).max() < 0.03, freq
    assert not (x[1] == 2).any()


@pytest.mark.parametrize("source", _sources())
def test_shuffle_permutes_the_first_axis(source):
    v = np.arange(20, dtype=np.float32).reshape(10, 2)
    x = _draw(source, lambda: tf.random_shuffle(v))
    assert sorted(x[:, 0].tolist()) == v[:, 0].tolist() and (x[:, 1] - x[:, 0] == 1).all()
    assert not (x == v).all()


@pytest.mark.parametrize("dtype", ["float16", "float64", "bfloat16"])
def test_float_dtypes(dtype):
    x = _numpy(lambda: tf.random_normal([1000], dtype=dtype), seed=0)
    u = _numpy(lambda: tf.random_uniform([1000], dtype=dtype), seed=0)
    assert str(x.dtype) == dtype and str(u.dtype) == dtype
    assert float(u.astype(np.float32).max()) < 1.0


def test_dtype_errors():
    with varscope.Graph().as_default():
        with pytest.raises(ValueError, match="Must specify maxval for integer dtype tf.int32"):
            tf.random_uniform([2], dtype=tf.int32)
        with pytest.raises(TypeError, match="random_normal draws floating point values"):
            tf.random_normal([2], dtype=tf.int32)


# -- NumPy graphs: TF's seed rules, keyed by op name ---------------------------------------------------------
def test_graph_seed_and_name_fix_the_values():
    def two():
        return [tf.random_normal([5]), tf.random_normal([5])]

    a, b = _numpy(two, seed=7)
    a2, b2 = _numpy(two, seed=7)
    assert (a == a2).all() and (b == b2).all()   # same graph seed, same op names: same values
    assert not (a == b).all()                    # another name, other values
    c, _ = _numpy(two, seed=8)
    assert not (a == c).all()                    # another graph seed, other values


def test_op_seed_alone_fixes_the_values_as_in_tf():
    # TF: with an op seed and no graph seed, the seeds are (87654321, op seed): two ops with one seed are equal
    a, b = _numpy(lambda: [tf.random_uniform([4], seed=5), tf.random_uniform([4], seed=5, name="other")])
    assert (a == b).all()
    c, d = _numpy(lambda: [tf.random_uniform([4], seed=5), tf.random_uniform([4], seed=5)], seed=3)
    assert (c == d).all() and not (a == c).all()  # with a graph seed: (graph seed, op seed)


def test_values_do_not_depend_on_other_ops():
    def alone():
        with tf.name_scope("block"):
            return tf.random_normal([3])

    def after_other_ops():
        tf.ones([2]) + 1.0
        tf.random_uniform([7], name="unrelated")
        return alone()

    assert (_numpy(alone, seed=1) == _numpy(after_other_ops, seed=1)).all()


# -- transform: the rng stream --------------------------------------------------------------------------------
jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402

import varscope.jax as vj  # noqa: E402


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
