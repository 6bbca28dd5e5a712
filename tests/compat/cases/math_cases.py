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


OPS = ["matmul", "einsum", "tensordot", "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod",
       "reduce_all", "reduce_any", "reduce_logsumexp", "add_n", "cumsum", "cumprod", "argmax", "argmin", "sort",
       "argsort", "clip_by_value", "clip_by_norm", "clip_by_global_norm", "global_norm", "add", "subtract", "multiply",
       "divide", "truediv", "floordiv", "pow", "abs", "negative", "maximum", "minimum", "exp", "log", "sqrt", "rsqrt",
       "square", "tanh", "sigmoid", "squared_difference", "equal", "less", "greater", "logical_and", "logical_not",
       "math.top_k", "math.reduce_std", "math.reduce_variance", "erf", "cast", "cumprod", "einsum"]
C = rand(2, 3, 4, seed=4)
D = rand(2, 4, 5, seed=5)


@case("math", c=C, d=D)
def matmul_batched_transposed(tf, c, d):
    return [tf.matmul(c, d), tf.matmul(c, c, transpose_b=True), tf.matmul(c, c, transpose_a=True),
            tf.matmul(d, c, transpose_a=True, transpose_b=True), tf.matmul(c[0], d[0], name="mm")]


@case("math", a=A, b=B)
def matmul_mismatch(tf, a, b):
    return tf.matmul(a, a)


@case("math", c=C, d=D)
def einsum_tensordot(tf, c, d):
    return [tf.einsum("bij,bjk->bik", c, d), tf.einsum("bij->bji", c), tf.einsum("ij,ij->", c[0], c[1]),
            tf.tensordot(c, d, [[2], [1]]), tf.tensordot(c[0], d[0], 1)]


@case("math", c=C)
def reductions(tf, c):
    b = c > 0
    return [tf.reduce_max(c), tf.reduce_min(c, 1), tf.reduce_prod(c, [0, 2]), tf.reduce_all(b, 0),
            tf.reduce_any(b, axis=-1, keepdims=True), tf.reduce_logsumexp(c, 1), tf.reduce_logsumexp(c),
            tf.reduce_mean(c, reduction_indices=[1]), tf.reduce_max(c, axis=1, keep_dims=True)]


@case("math", i=I)
def reduce_mean_int(tf, i):
    return [tf.reduce_mean(i), tf.reduce_mean(i, 0), tf.reduce_sum(i, 1)]


@case("math", c=C)
def add_n_cumsum(tf, c):
    return [tf.add_n([c, c, c]), tf.add_n([c]), tf.cumsum(c, 1), tf.cumsum(c, axis=2, exclusive=True),
            tf.cumsum(c, 0, reverse=True), tf.cumsum(c, 1, exclusive=True, reverse=True), tf.cumprod(c, 2)]


@case("math", c=C)
def arg_sort_topk(tf, c):
    return [tf.argmax(c, 1), tf.argmin(c, axis=-1), tf.argmax(c, 2, output_type=tf.int32), tf.math.top_k(c, 2),
            tf.sort(c), tf.sort(c, direction="DESCENDING"), tf.argsort(c), tf.argsort(c, axis=1, direction="DESCENDING")]


@case("math", a=A)
def elementwise(tf, a):
    p = tf.abs(a) + 0.5
    return [tf.exp(a), tf.log(p), tf.log1p(p), tf.sqrt(p), tf.rsqrt(p), tf.square(a), tf.sin(a), tf.cos(a), tf.tanh(a),
            tf.sigmoid(a), tf.floor(a * 3), tf.ceil(a * 3), tf.round(a * 3), tf.sign(a), tf.reciprocal(p),
            tf.erf(a), tf.atan2(a, p), tf.squared_difference(a, 0.5), tf.maximum(a, 0.0), tf.minimum(a, 0.0),
            tf.pow(p, 1.5), tf.expm1(a), tf.is_nan(a), tf.math.is_finite(a)]


@case("math", a=A, b=B)
def clipping(tf, a, b):
    x, y = tf.constant(a), tf.constant(b)
    clipped, norm = tf.clip_by_global_norm([x, None, y], 1.0)
    return [tf.clip_by_value(x, -0.5, 0.5), tf.clip_by_norm(x, 1.0), tf.clip_by_norm(x, 0.5, axes=[1]),
            clipped[0], clipped[2], norm, tf.global_norm([x, y]), clipped[1] is None]


# -- bad input: TF's error types and messages ------------------------------------------------------------------
@case("math", a=A)
def logical_and_of_floats(tf, a):
    return tf.logical_and(a, a)


@case("math", a=A)
def reduce_all_of_floats(tf, a):
    return [tf.reduce_all(a), tf.reduce_any(a > 2.0)]  # (NumPy values are cast to the op's bool input)


@case("math", a=A)
def logical_and_of_float_tensors(tf, a):
    return tf.logical_and(tf.constant(a), True)


@case("math", a=A)
def reduce_all_of_a_float_tensor(tf, a):
    return tf.reduce_all(tf.constant(a))


@case("math", a=A)
def keepdims_and_keep_dims(tf, a):
    return tf.reduce_sum(a, keepdims=True, keep_dims=True)


@case("math", a=A)
def matmul_transpose_and_adjoint(tf, a):
    return tf.matmul(a, a, transpose_b=True, adjoint_b=True)


@case("math", a=A, i=I)
def add_n_mismatched(tf, a, i):
    return tf.add_n([tf.constant(a), tf.constant(i)])


@case("math", a=A)
def clip_by_global_norm_not_a_list(tf, a):
    return tf.clip_by_global_norm({"a": tf.constant(a)}, 1.0)


@case("math", a=A)
def reduce_axis_out_of_range(tf, a):
    return tf.reduce_sum(a, axis=2)


@case("math", a=A)
def sort_bad_direction(tf, a):
    return tf.sort(a, direction="UP")


@case("math", a=A)
def float_plus_string(tf, a):
    return tf.constant(a) + "x"


@case("math", a=A, b=B)
def more_elementwise(tf, a, b):
    p = tf.abs(a) * 0.5
    x = tf.constant(a)
    return [tf.less_equal(a, 0.0), tf.greater_equal(x, 0.1), tf.not_equal(x, x), tf.equal(x, x),
            tf.logical_or(x > 0, x < -0.5), tf.math.logical_xor(x > 0, x < 0.5), tf.tan(p), tf.asin(p), tf.acos(p),
            tf.atan(a), tf.is_inf(a), tf.floormod(a, 0.3), tf.mod(-x, 0.4), tf.divide(a, 2.0), tf.subtract(a, 1.0),
            tf.multiply(a, x), tf.add(x, 1), tf.negative(a), tf.math.reduce_std(b, 0), tf.math.reduce_variance(b),
            tf.math.reduce_std(b, axis=1, keepdims=True), tf.truediv(x, x), x <= 0, x > 0.2, ~(x > 0),
            (x > 0) & (x < 0.5), (x > 0) | (x < -0.5), (x > 0) ^ (x < 0.5), tf.floordiv(a, 0.25)]


@case("math", i=I)
def integer_ops(tf, i):
    x = tf.constant(i)
    return [tf.floordiv(x, 3), tf.mod(x, 4), x // -2, -x % 3, tf.divide(x, 2), tf.abs(-x), tf.maximum(x, 4),
            tf.argmax(i, 0), tf.cumsum(x, 1), tf.reduce_prod(x, 1), tf.sign(x - 5), tf.square(x)]
