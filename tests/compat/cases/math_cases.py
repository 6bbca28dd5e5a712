"""Math ops recorded on TensorFlow: see _case.py for how a case is written."""

from __future__ import annotations

import numpy as np
from _case import case, ints, rand

A = rand(2, 3, seed=1)
B = rand(3, 4, seed=2)
I = ints(2, 3, seed=3, low=1)


@case("math", a=A, b=B)
def matmul_2d(tf, a, b):
    return tf.matmul(a, b)


@case("math", a=A)
def operators_float(tf, a):
    x = tf.constant(a)
    return [x + 1, 2 + x, x - 0.5, 1 - x, x * 3, x / 2, 2 / x, x // 0.3, x % 0.3, x ** 2, -x, abs(x),
            x < 0, x >= 0, x @ tf.transpose(x), np.float64(2) * x, np.ones(3) * x, x + np.ones(3)]


@case("math", i=I)
def operators_int(tf, i):
    x = tf.constant(i)
    return [x + 1, x * 2, x / x, x // 2, x % 3, -x, x ** 2]


@case("math", a=A)
def mismatched_dtypes(tf, a):
    return tf.constant(a) + tf.cast(tf.constant(a), tf.float64)


@case("math", i=I)
def int_plus_float(tf, i):
    return tf.constant(i) + 1.5


@case("math", a=A)
def add_scalar_first(tf, a):
    return tf.add(2, tf.constant(a))


@case("math", a=A)
def reduce_sum_axes(tf, a):
    return [tf.reduce_sum(a), tf.reduce_sum(a, axis=1), tf.reduce_sum(a, 0, keepdims=True),
            tf.reduce_sum(a, axis=[0, 1], keep_dims=True), tf.reduce_mean(a, axis=-1)]
