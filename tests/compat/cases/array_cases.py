"""Array ops recorded on TensorFlow: see _case.py for how a case is written."""

from __future__ import annotations

import numpy as np
from _case import case, ints, rand

X = rand(2, 3, 4, seed=10)
M = rand(4, 5, seed=11)
IDX = np.array([[0, 2], [1, 1], [3, 0]], np.int32)
LENS = np.array([1, 3, 0, 2], np.int32)
MASK = np.array([True, False, True, True])

OPS = ["shape", "reshape", "transpose", "concat", "split", "stack", "unstack", "gather", "gather_nd", "slice",
       "strided_slice", "squeeze", "expand_dims", "tile", "pad", "one_hot", "range", "cast", "where", "where_v2",
       "fill", "zeros", "ones", "zeros_like", "ones_like", "reverse", "reverse_v2", "boolean_mask", "sequence_mask",
       "identity", "size", "rank", "constant", "shape_n", "convert_to_tensor"]


@case("array", x=X)
def shape_and_static_shape(tf, x):
    t = tf.constant(x)
    return [tf.shape(t), t.shape, t.shape[-1], t.shape.as_list(), t.shape.ndims, t.get_shape()[1:], tf.size(t),
            tf.rank(t), tf.shape(t, out_type=tf.int64), tf.shape_n([t, t[0]])]


@case("array", x=X)
def reshape_infer(tf, x):
    return [tf.reshape(x, [6, -1]), tf.reshape(x, [-1]),
            tf.reshape(tf.constant(x), [tf.shape(x)[2], tf.shape(x)[1], 2])]


@case("array", x=X)
def reshape_bad(tf, x):
    return tf.reshape(x, [5, -1])


@case("array", x=X)
def reshape_bad_size(tf, x):
    return tf.reshape(x, [5, 4])


@case("array", x=X)
def reshape_to_tensor_shape(tf, x):
    """A fully defined TensorShape is a shape argument (DCGAN's ``tf.reshape(y, conv.get_shape())``)."""
    t = tf.constant(x)
    flat = tf.reshape(t, [-1])
    return [tf.reshape(flat, t.get_shape()), tf.reshape(flat, t.shape[1:].concatenate([2])),
            tf.convert_to_tensor(t.get_shape()), tf.convert_to_tensor(t.get_shape(), dtype=tf.int64),
            tf.zeros(t.get_shape())]


@case("array", x=X)
def reshape_to_partial_tensor_shape(tf, x):
    return tf.reshape(x, tf.TensorShape([None, 4]))


@case("array", x=X)
def convert_tensor_shape_bad_dtype(tf, x):
    return tf.convert_to_tensor(tf.constant(x).get_shape(), dtype=tf.float32)


@case("array", x=X)
def getitem(tf, x):
    t = tf.constant(x)
    return [t[0], t[:, 1:], t[..., -1], t[None, 0, ::2], t[1, 2, 3], t[:, tf.newaxis], t[-1:, :, 1:3], t[:, ::-1],
            t[1, ..., 2], t[tf.constant(1)], t[:, 10:], t[t.shape[0] - 1]]


@case("array", x=X)
def getitem_out_of_range(tf, x):
    return tf.constant(x)[5]


@case("array", x=X)
def getitem_list_is_a_tuple(tf, x):
    return tf.constant(x)[[1, 2]]


@case("array", x=X)
def getitem_vector_index(tf, x):
    return tf.constant(x)[tf.constant([0, 1])]


@case("array", x=X)
def strided_slice_masks(tf, x):
    return [tf.strided_slice(x, [0, 1], [2, 3], [1, 1]), tf.strided_slice(x, [0, 0, 1], [0, 0, 3], [1, 1, 1],
                                                                         begin_mask=3, end_mask=3),
            tf.strided_slice(x, [1], [2], shrink_axis_mask=1), tf.strided_slice(x, [0, 0], [1, 1], new_axis_mask=1)]


@case("array", x=X)
def name_scopes(tf, x):
    with tf.name_scope("model"):
        with tf.name_scope("h0"):
            a = tf.matmul(tf.reshape(x, [6, 4]), tf.ones([4, 2]))
            b = tf.matmul(a, tf.ones([2, 2]), name="proj")
            c = a + b
    return [a, b, c, tf.identity(c, name="out")]


@case("array", x=X)
def transpose_perm(tf, x):
    return [tf.transpose(x), tf.transpose(x, [1, 0, 2]), tf.transpose(x, perm=[2, 0, 1], name="t")]


@case("array", x=X)
def concat_stack_unstack(tf, x):
    return [tf.concat([x, x], 0), tf.concat([x, x], axis=-1), tf.concat([x], 1), tf.stack([x[0], x[1]]),
            tf.stack([x[0], x[1]], axis=-1), tf.unstack(x), tf.unstack(x, axis=1)]


@case("array", x=X)
def concat_mismatched_dtypes(tf, x):
    return tf.concat([tf.constant(x), tf.constant(x.astype(np.int32))], 0)


@case("array", x=X)
def split_even_and_sizes(tf, x):
    return [tf.split(x, 2), tf.split(x, [1, 2], axis=1), tf.split(x, [1, -1, 2], axis=2), tf.split(x, 4, axis=-1)]


@case("array", x=X)
def split_uneven(tf, x):
    return tf.split(x, 3, axis=2)


@case("array", m=M, idx=IDX)
def gather_ops(tf, m, idx):
    return [tf.gather(m, [3, 0, 1]), tf.gather(m, idx[:, 0], axis=1), tf.gather(m, idx), tf.gather_nd(m, idx[:, :2]),
            tf.gather_nd(m, [[1], [2]]), tf.gather(tf.constant(m), tf.constant([1, 1]), name="g")]


@case("array", x=X)
def gather_batch_dims(tf, x):
    return [tf.gather(x, [[0, 1], [2, 2]], axis=1, batch_dims=1)]


@case("array", x=X)
def slice_op(tf, x):
    return [tf.slice(x, [0, 1, 0], [2, 2, -1]), tf.slice(x, [1, 0, 2], [1, -1, 2])]


@case("array", x=X)
def squeeze_expand(tf, x):
    y = tf.expand_dims(x, 0)
    return [y, tf.expand_dims(x, -1), tf.expand_dims(x, axis=1), tf.squeeze(y), tf.squeeze(y, [0]),
            tf.squeeze(tf.expand_dims(y, -1), axis=-1), tf.expand_dims(x, dim=2)]


@case("array", x=X)
def squeeze_bad(tf, x):
    return tf.squeeze(x, axis=[1])


@case("array", x=X)
def tile_pad(tf, x):
    return [tf.tile(x, [1, 2, 1]), tf.pad(x, [[0, 0], [1, 2], [0, 1]]), tf.pad(x, [[1, 1], [0, 0], [0, 0]],
                                                                              constant_values=2.5),
            tf.pad(x, [[0, 0], [1, 1], [2, 1]], mode="REFLECT"), tf.pad(x, [[0, 0], [2, 1], [1, 1]], "SYMMETRIC")]


@case("array", idx=IDX)
def one_hot_ops(tf, idx):
    return [tf.one_hot(idx[:, 0], 4), tf.one_hot(idx, 3, on_value=5, off_value=-1), tf.one_hot(idx[:, 1], 4, axis=0),
            tf.one_hot([1, 0], 3, dtype=tf.int32), tf.one_hot(idx[:, 0], 4, 2.0, 0.5)]


@case("array")
def range_ops(tf):
    return [tf.range(5), tf.range(1, 7, 2), tf.range(0.0, 1.0, 0.25), tf.range(5, dtype=tf.float32),
            tf.range(3, 0, -1), tf.range(tf.constant(4))]


@case("array", x=X)
def cast_ops(tf, x):
    return [tf.cast(x, tf.int32), tf.cast(x * 5, tf.int32), tf.cast(x > 0, tf.float32), tf.cast(x, tf.float32),
            tf.cast([1, 2], tf.float32), tf.cast(tf.constant([1.7, -1.7]), tf.int32)]


@case("array", x=X, m=M)
def where_ops(tf, x, m):
    c = x > 0
    return [tf.where(c, x, tf.zeros_like(x)), tf.where(tf.constant([True, False]), x[:2, 0], x[:2, 1]),
            tf.where_v2(m > 0, m, 0.0), tf.where_v2(m[0] > 0, m, -m)]


@case("array", x=X, jax=False)  # (the number of results depends on the values)
def where_coordinates(tf, x):
    return [tf.where(x > 0), tf.where([True, False, True])]


@case("array", x=X)
def where_shape_mismatch(tf, x):
    return tf.where(x > 0, x, x[0])


@case("array", x=X)
def fill_zeros_ones(tf, x):
    return [tf.fill([2, 3], 7), tf.fill([2], 1.5), tf.zeros([2, 3]), tf.ones([3], tf.int32), tf.zeros([40, 30]),
            tf.zeros_like(x), tf.ones_like(x), tf.zeros_like(x, dtype=tf.int32), tf.ones_like(tf.constant([1, 2])),
            tf.zeros((2, 2), dtype=tf.bool)]


@case("array", x=X)
def reverse_ops(tf, x):
    return [tf.reverse(x, [0]), tf.reverse(x, axis=[-1, 1]), tf.reverse_v2(x, [2])]


# The result's size depends on the mask's values: NumPy backend only (transform's init traces the function).
@case("array", x=X, mask=MASK, jax=False)
def boolean_mask_ops(tf, x, mask):
    t = tf.constant(x)
    return [tf.boolean_mask(tf.reshape(t, [4, 6]), mask), tf.boolean_mask(t, t > 0), tf.boolean_mask(t, [True, False]),
            tf.boolean_mask(tf.transpose(t, [2, 0, 1]), mask, axis=0), t[t > 0.5]]


@case("array", lens=LENS)
def sequence_mask_ops(tf, lens):
    return [tf.sequence_mask(lens, 4), tf.sequence_mask(lens, maxlen=5, dtype=tf.float32),
            tf.sequence_mask([[1, 2], [0, 3]], 3)]


@case("array", lens=LENS, jax=False)  # (the width depends on the values)
def sequence_mask_no_maxlen(tf, lens):
    return tf.sequence_mask(lens)


@case("array")
def constant_ops(tf):
    return [tf.constant(1.5), tf.constant([1, 2]), tf.constant(0, shape=[2, 2]),
            tf.constant([[1, 2], [3, 4]], tf.float32),
            tf.constant([1.0, 2.0], name="c"), tf.constant(True)]


@case("array", jax=False)  # (int64 values need jax_enable_x64)
def constant_int64(tf):
    return [tf.constant(2**40), tf.constant([1, 2**40])]


@case("array")
def constant_bad_dtype(tf):
    return tf.constant(1.5, tf.int32)


@case("array", x=X)
def identity_names(tf, x):
    with tf.name_scope("a"):
        i = tf.identity(x)
        j = tf.identity(i, name="j")
    return [i, j, tf.identity(j)]


# -- bad input: TF's error types and messages ------------------------------------------------------------------
@case("array", m=M)
def gather_index_out_of_range(tf, m):
    return tf.gather(m, [0, 7])


@case("array", x=X)
def transpose_bad_perm(tf, x):
    return tf.transpose(x, [0, 1])


@case("array", x=X)
def tile_wrong_length(tf, x):
    return tf.tile(x, [1, 2])


@case("array", x=X)
def slice_out_of_range(tf, x):
    return tf.slice(x, [0, 2, 0], [1, 2, 1])


@case("array", x=X)
def expand_dims_no_axis(tf, x):
    return tf.expand_dims(x)


@case("array", x=X)
def stack_mismatched_shapes(tf, x):
    return tf.stack([x[0], x[0, 0]])


@case("array", x=X)
def concat_mismatched_shapes(tf, x):
    return tf.concat([x, x[:, :2]], 0)


@case("array", x=X)
def gather_float_indices(tf, x):
    return tf.gather(x, [0.5])


@case("array", x=X)
def unstack_bad_axis(tf, x):
    return tf.unstack(x, axis=3)


@case("array", x=X)
def getitem_float_index(tf, x):
    return tf.constant(x)[1.5]


@case("array", x=X)
def pad_bad_mode(tf, x):
    return tf.pad(x, [[0, 0], [0, 0], [1, 1]], mode="WRAP")


@case("array", x=X)
def dimensions_and_shapes(tf, x):
    t = tf.constant(x)
    d, unknown = t.shape[1], tf.Dimension(None)
    s = t.shape
    return [d + 1, 2 * d, d * t.shape[2], d // 2, 7 // d, d % 2, d - 1, 10 - d, d == 3, d != 3, d == unknown,
            unknown + 1, d < 4, unknown < 1, d.merge_with(unknown), d.is_compatible_with(5), int(d), str(unknown),
            repr(s), str(s), s.merge_with([None, 3, None]), s.as_list(), s.ndims, s.rank, s.num_elements(),
            s.is_fully_defined(), s[1:].as_list(), tf.TensorShape([None, 4]).is_compatible_with(s[1:]),
            s.concatenate([5]), s == [2, 3, 4], [dim.value for dim in s], tf.dimension_value(s[0]),
            tf.TensorShape([None, 3])[0], str(tf.TensorShape([None])), tf.TensorShape(None).ndims]


@case("array", x=X)
def dimension_true_division(tf, x):
    return tf.constant(x).shape[1] / 2


@case("array", x=X)
def shape_rank_checks(tf, x):
    s = tf.constant(x).shape
    return [s.with_rank(3), tf.TensorShape(None).with_rank(2), s.with_rank_at_least(2), s.with_rank_at_most(3),
            s + [1], [7] + s, tf.TensorShape(None).concatenate(s).ndims]


@case("array", x=X)
def shape_with_wrong_rank(tf, x):
    return tf.constant(x).shape.with_rank(2)


@case("array", x=X)
def shape_rank_at_most(tf, x):
    return tf.constant(x).shape.with_rank_at_most(1)


@case("array", x=X)
def shapes_same_rank(tf, x):
    tf.constant(x).shape.assert_same_rank([1, 2])


@case("array")
def shape_not_fully_defined(tf):
    tf.TensorShape([None, 2]).assert_is_fully_defined()


@case("array")
def convert_to_tensor_of_variables(tf):
    v = tf.get_variable("v", initializer=X[0])
    r = tf.get_variable("r", initializer=X[1], use_resource=True)
    return [tf.convert_to_tensor(v), tf.convert_to_tensor(r), tf.convert_to_tensor(r),
            tf.convert_to_tensor(v, name="x"), tf.convert_to_tensor(X), tf.convert_to_tensor([1, 2], name="c"), tf.convert_to_tensor(2.0, dtype=tf.float32)]


@case("array", x=X)
def convert_to_tensor_wrong_dtype(tf, x):
    return tf.convert_to_tensor(tf.constant(x), dtype=tf.int32)
