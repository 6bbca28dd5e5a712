"""Random ops on the NumPy backend: distributions, shapes and dtypes, and TF's seed rules in a NumPy graph.

Values cannot be TF's; what TF's records fix (names, op types, dtypes, shapes, bounds) is replayed from
tests/compat/cases/random_cases.py. The JAX side (transform's rng stream) is in test_random_ops_jax.py.
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


def numpy_draw(fn):
    """``fn``'s random values in a NumPy graph (graph seed 1)."""
    return _numpy(fn, seed=1)


# Each check takes ``draw(fn) -> values``; test_random_ops_jax.py runs them inside transform too.
# -- distributions ---------------------------------------------------------------------------------------------
def check_random_normal_mean_and_stddev(draw):
    x = draw(lambda: tf.random_normal([N], mean=2.0, stddev=3.0))
    assert x.dtype == np.float32 and x.shape == (N,)
    assert abs(x.mean() - 2.0) < 4 * 3.0 / np.sqrt(N)
    assert abs(x.std() - 3.0) < 0.06


def check_truncated_normal_is_cut_at_two_stddevs(draw):
    x = draw(lambda: tf.truncated_normal([N], mean=-1.0, stddev=0.5))
    assert x.min() >= -2.0 and x.max() <= 0.0
    # a standard normal cut at +-2 has std 0.8796; values come close to both cuts
    assert abs(x.std() / 0.5 - 0.8796) < 0.02
    assert abs(x.mean() + 1.0) < 0.02 and x.min() < -1.95 and x.max() > -0.05


def check_random_uniform_bounds_and_moments(draw):
    x = draw(lambda: tf.random_uniform([N], minval=-2.0, maxval=6.0))
    assert x.min() >= -2.0 and x.max() < 6.0
    assert abs(x.mean() - 2.0) < 0.1 and abs(x.std() - 8 / np.sqrt(12)) < 0.05


def check_random_uniform_integers_cover_the_range(draw):
    x = draw(lambda: tf.random_uniform([N], minval=3, maxval=8, dtype=tf.int32))
    assert x.dtype == np.int32 and set(np.unique(x).tolist()) == {3, 4, 5, 6, 7}
    assert np.abs(np.bincount(x - 3) / N - 0.2).max() < 0.02


def check_categorical_frequencies(draw):
    probs = np.array([[0.1, 0.2, 0.7], [0.5, 0.5, 0.0]], np.float32)
    logits = np.log(probs + 1e-30).astype(np.float32)
    x = draw(lambda: tf.random.categorical(logits, 5000))
    assert x.shape == (2, 5000)
    for row in range(2):
        freq = np.bincount(x[row], minlength=3) / 5000
        assert np.abs(freq - probs[row]).max() < 0.03, freq
    assert not (x[1] == 2).any()


def check_shuffle_permutes_the_first_axis(draw):
    v = np.arange(20, dtype=np.float32).reshape(10, 2)
    x = draw(lambda: tf.random_shuffle(v))
    assert sorted(x[:, 0].tolist()) == v[:, 0].tolist() and (x[:, 1] - x[:, 0] == 1).all()
    assert not (x == v).all()


CHECKS = [check_random_normal_mean_and_stddev, check_truncated_normal_is_cut_at_two_stddevs,
          check_random_uniform_bounds_and_moments, check_random_uniform_integers_cover_the_range,
          check_categorical_frequencies, check_shuffle_permutes_the_first_axis]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_distribution_numpy(check):
    check(numpy_draw)


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
