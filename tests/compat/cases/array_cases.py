"""Array ops recorded on TensorFlow: see _case.py for how a case is written."""

from __future__ import annotations

from _case import case, rand

X = rand(2, 3, 4, seed=10)


@case("array", x=X)
def shape_and_static_shape(tf, x):
    t = tf.constant(x)
    return [tf.shape(t), t.shape, t.shape[-1], t.shape.as_list(), t.shape.ndims, t.get_shape()[1:]]


@case("array", x=X)
def reshape_infer(tf, x):
    return [tf.reshape(x, [6, -1]), tf.reshape(x, [-1]), tf.reshape(tf.constant(x), [tf.shape(x)[2], tf.shape(x)[1], 2])]


@case("array", x=X)
def reshape_bad(tf, x):
    return tf.reshape(x, [5, -1])


@case("array", x=X)
def getitem(tf, x):
    t = tf.constant(x)
    return [t[0], t[:, 1:], t[..., -1], t[None, 0, ::2], t[1, 2, 3], t[:, tf.newaxis], t[-1:, :, 1:3]]


@case("array", x=X)
def getitem_out_of_range(tf, x):
    return tf.constant(x)[5]


@case("array", x=X)
def name_scopes(tf, x):
    with tf.name_scope("model"):
        with tf.name_scope("h0"):
            a = tf.matmul(tf.reshape(x, [6, 4]), tf.ones([4, 2]))
            b = tf.matmul(a, tf.ones([2, 2]), name="proj")
            c = a + b
    return [a, b, c, tf.identity(c, name="out")]
