"""Random ops recorded on TensorFlow: see _case.py for how a case is written.

The values cannot be TF's (TF's Philox stream is not reproduced), so a case records what must agree: each
output's name, op type, dtype and static shape (as Python values), and properties that hold for every draw
(bounds, truncation, dropout's zero-or-scaled outputs) as boolean tensors. Distributions are tested in
tests/compat/test_random_ops.py. Inside ``transform`` the replay passes an rng (``transform(fn, rng=True)``).
"""

from __future__ import annotations

import numpy as np
from _case import case, rand


def violations(tf, cond):
    """How many entries of ``cond`` are False (0 for a property that holds for every draw)."""
    return tf.reduce_sum(tf.cast(tf.logical_not(cond), tf.int32))


def meta(t):
    """What a random op's output must share with TF's: name, op type, dtype, static shape."""
    return [t.name, t.op.type, t.dtype, t.shape]


@case("random")
def random_normal(tf):
    return [meta(tf.random_normal([2, 3])), meta(tf.random_normal([4], mean=2.0, stddev=0.5, seed=7)),
            meta(tf.random_normal((3,), dtype=tf.float64, name="noise")), meta(tf.random.normal([2, 2])),
            meta(tf.random_normal(tf.constant([2, 5])))]


@case("random")
def random_uniform(tf):
    return [meta(tf.random_uniform([2, 3])), meta(tf.random_uniform([3], minval=-1.0, maxval=2.0)),
            meta(tf.random_uniform([5], maxval=4, dtype=tf.int32)), meta(tf.random_uniform([2], 0, 10, tf.int64)),
            meta(tf.random.uniform([2], name="u")), meta(tf.random_uniform([2], maxval=1.0))]


@case("random")
def random_uniform_int_needs_maxval(tf):
    return tf.random_uniform([3], dtype=tf.int32)


@case("random")
def truncated_normal(tf):
    return [meta(tf.truncated_normal([2, 3])), meta(tf.truncated_normal([4], 1.0, 3.0, seed=1)),
            meta(tf.random.truncated_normal([2], dtype=tf.float64, name="t"))]


@case("random", logits=rand(3, 5, seed=1))
def multinomial_categorical(tf, logits):
    return [meta(tf.multinomial(logits, 4)), meta(tf.multinomial(logits, 2, output_dtype=tf.int32)),
            meta(tf.random.categorical(logits, 6)), meta(tf.random.categorical(logits, 1, dtype=tf.int32, name="c")),
            meta(tf.random.multinomial(logits, 3))]


@case("random", v=rand(6, 2, seed=2))
def random_shuffle(tf, v):
    return [meta(tf.random_shuffle(v)), meta(tf.random.shuffle(v, seed=3, name="perm"))]


@case("random")
def in_name_scope(tf):
    with tf.name_scope("block"):
        return [meta(tf.random_normal([2])), meta(tf.random_normal([2])), meta(tf.random_uniform([2], 1.0, 2.0))]


@case("random")
def bounds_hold(tf):
    u = tf.random_uniform([4000], minval=-2.0, maxval=3.0)
    t = tf.truncated_normal([4000], mean=1.0, stddev=0.5)
    i = tf.random_uniform([4000], minval=3, maxval=7, dtype=tf.int32)
    return [violations(tf, tf.logical_and(u >= -2.0, u < 3.0)), violations(tf, tf.logical_and(t >= 0.0, t <= 2.0)),
            violations(tf, tf.logical_and(i >= 3, i < 7))]


@case("random", logits=np.log(np.array([[0.0, 0.5, 0.5, 0.0], [1.0, 0.0, 0.0, 0.0]], np.float32) + 1e-30))
def categorical_never_draws_impossible_classes(tf, logits):
    draws = tf.multinomial(logits, 500)
    return [violations(tf, tf.logical_or(tf.equal(draws[0], 1), tf.equal(draws[0], 2))),
            violations(tf, tf.equal(draws[1], 0))]


@case("random", v=np.arange(12, dtype=np.float32).reshape(6, 2))
def shuffle_is_a_permutation(tf, v):
    s = tf.random_shuffle(v)
    return [tf.reduce_sum(s, axis=0), violations(tf, tf.equal(s[:, 1] - s[:, 0], 1.0))]


X = rand(40, 50, seed=3, low=1.0, high=2.0)


@case("random", x=X)
def dropout_keeps_zero_or_scaled(tf, x):
    outs = [tf.nn.dropout(x, rate=0.3), tf.nn.dropout(x, keep_prob=0.8), tf.nn.dropout(x, 0.5, noise_shape=[40, 1]),
            tf.nn.dropout(x, rate=tf.constant(0.25))]
    scales = [1 / 0.7, 1 / 0.8, 2.0, 1 / 0.75]
    checks = [violations(tf, tf.logical_or(tf.equal(o, 0.0), tf.less(tf.abs(o - x * s), 1e-5)))
              for o, s in zip(outs, scales)]
    return [meta(o) for o in outs] + checks


@case("random", x=X)
def dropout_noise_shape_broadcasts(tf, x):
    d = tf.nn.dropout(x, rate=0.5, noise_shape=[40, 1])
    zeros_per_row = tf.reduce_sum(tf.cast(tf.equal(d, 0.0), tf.int32), axis=1)
    # a row is dropped or kept as a whole
    return [violations(tf, tf.logical_or(tf.equal(zeros_per_row, 0), tf.equal(zeros_per_row, 50))),
            meta(tf.nn.dropout(x, rate=0.5, noise_shape=[None, 1]))]
