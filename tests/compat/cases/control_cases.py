"""Control-flow ops recorded on TensorFlow: see _case.py for how a case is written."""

from __future__ import annotations

from _case import case, ints, rand

X = rand(3, 4, seed=20)
OPS = ["while_loop", "cond", "map_fn", "stop_gradient", "no_op", "group", "Assert", "assert_equal",
       "control_dependencies", "assert_less", "assert_less_equal", "assert_greater", "assert_greater_equal",
       "assert_none_equal"]


@case("control", x=X)
def while_loop_values(tf, x):
    i, acc = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * 2.0), [tf.constant(0), tf.constant(x)])
    return [i, acc]


@case("control", x=X)
def while_loop_single_var_and_names(tf, x):
    with tf.name_scope("outer"):
        n = tf.while_loop(lambda n: n < 10, lambda n: n * 2, [tf.constant(1)], name="doubling")
    return [n, tf.while_loop(lambda a: tf.reduce_sum(a) < 50.0, lambda a: a + 1.0, [x])]


@case("control", x=X)
def while_loop_traced_predicate(tf, x):
    # under jit the predicate depends on the traced input: lax.while_loop; elsewhere the loop is unrolled
    return tf.while_loop(lambda i, a: tf.reduce_max(a) < 20.0, lambda i, a: (i + 1, a * 2.0 + 1.0), (0, x))


@case("control", x=X)
def while_loop_tensor_loop_vars(tf, x):
    return tf.while_loop(lambda n: n < 10, lambda n: n * 2, tf.constant(1))


@case("control", x=X)
def while_loop_not_callable(tf, x):
    return tf.while_loop(True, lambda n: n, [x])


@case("control", x=X)
def while_loop_growing_shape(tf, x):
    def body(i, past):
        return i + 1, tf.concat([past, past[:, -1:]], axis=1)

    # (a tuple: with maximum_iterations, TF insists that body returns the structure of loop_vars exactly)
    i, past = tf.while_loop(lambda i, p: True, body, (tf.constant(0), tf.constant(x)), maximum_iterations=3,
                            shape_invariants=(tf.TensorShape([]), tf.TensorShape([3, None])))
    return [i, past]


@case("control", x=X)
def cond_branches(tf, x):
    t = tf.constant(x)
    return [tf.cond(tf.constant(True), lambda: t * 2.0, lambda: t),
            tf.cond(tf.reduce_sum(t) > 100.0, lambda: t * 2.0, lambda: t - 1.0),
            tf.cond(t[0, 0] > 0, lambda: (t, t + 1.0), lambda: (t - 1.0, t), name="pair"),
            tf.cond(tf.reduce_sum(tf.constant(x)) > 0, lambda: tf.reduce_sum(t), lambda: tf.reduce_max(t))]


@case("control", x=X)
def cond_traced_predicate(tf, x):
    # the predicate depends on the input: traced under jit (lax.cond), concrete elsewhere
    return tf.cond(tf.reduce_sum(x) > 0, lambda: x * 2.0, lambda: x - 1.0)


@case("control", x=X)
def cond_missing_branch(tf, x):
    return tf.cond(tf.constant(True), lambda: x)


@case("control", x=X)
def map_fn_rows(tf, x):
    return [tf.map_fn(lambda r: r * 2.0, tf.constant(x)), tf.map_fn(lambda r: tf.reduce_sum(r), x)]


@case("control", x=X)
def stop_gradient_identity(tf, x):
    return [tf.stop_gradient(x), tf.identity(x, name="i"), tf.no_op().type, tf.group(tf.constant(1)).type]


@case("control", x=X)
def asserts_that_hold(tf, x):
    t = tf.constant(x)
    a = tf.Assert(tf.reduce_all(t < 2.0), [t])
    b = tf.assert_equal(t, t)
    with tf.control_dependencies([a, b]):
        y = tf.identity(t)
    return [y, a.type, tf.group(a, b, name="both").name, tf.no_op(name="nothing").name]


# (under jit the condition is traced and not checked: the asserts are not run there)
@case("control", x=X, jit=False)
def assert_that_fails(tf, x):
    t = tf.constant(x)
    with tf.control_dependencies([tf.Assert(tf.reduce_all(t > 2.0), ["t is small", t[0, 0]])]):
        return tf.identity(t)


@case("control", x=X, jit=False)
def assert_equal_that_fails(tf, x):
    t = tf.constant(x)
    with tf.control_dependencies([tf.assert_equal(t, t + 1.0, message="not equal")]):
        return tf.identity(t)


@case("control", x=X)
def binary_asserts_that_hold(tf, x):
    t = tf.constant(x)
    ops = [tf.assert_less_equal(3, 512), tf.assert_less(t, 2.0), tf.assert_greater(t + 1.0, t),
           tf.assert_greater_equal(t, t), tf.assert_none_equal(t, t + 1.0)]
    return [op.type for op in ops]


@case("control", x=X)
def assert_less_equal_of_constants_fails(tf, x):
    return tf.assert_less_equal(600, 512, message="sequence too long")


@case("control", x=X, jit=False)
def assert_less_fails(tf, x):
    t = tf.constant(x)
    with tf.control_dependencies([tf.assert_less(t * 3.0, 1.0)]):
        return tf.identity(t)


@case("control", x=X)
def assert_greater_of_constants_fails(tf, x):
    return tf.assert_greater(tf.constant([1, 2]), tf.constant([1, 1]))


EMB = rand(10, 4, seed=21)
WQKV = rand(4, 12, seed=22)
START = ints(2, 1, seed=23, high=10)


@case("control", emb=EMB, w=WQKV, start=START)
def decoding_loop_grows_past(tf, emb, w, start):
    """A small attention decoder in TF 1.x style: the loop's cache grows by one step per iteration."""

    def step(tokens, past):
        h = tf.gather(emb, tokens)
        batch, steps = tf.shape(tokens)[0], tf.shape(tokens)[1]
        qkv = tf.reshape(tf.matmul(tf.reshape(h, [-1, 4]), w), [batch, steps, 12])
        q, k, v = tf.split(qkv, 3, axis=2)
        present = tf.stack([k, v], axis=1)
        if past is not None:
            past_k, past_v = tf.unstack(past, axis=1)
            k = tf.concat([past_k, k], axis=-2)
            v = tf.concat([past_v, v], axis=-2)
        scores = tf.matmul(q, k, transpose_b=True) * tf.rsqrt(tf.cast(v.shape[-1].value, tf.float32))
        scores = scores - tf.reduce_max(scores, axis=-1, keepdims=True)
        probs = tf.exp(scores) / tf.reduce_sum(tf.exp(scores), axis=-1, keepdims=True)
        logits = tf.matmul(tf.matmul(probs, v)[:, -1, :], emb, transpose_b=True)
        return logits, present

    def body(past, prev, output):
        logits, present = step(prev[:, tf.newaxis], past)
        chosen = tf.argmax(logits, axis=-1, output_type=tf.int32)
        return [tf.concat([past, present], axis=-2), chosen, tf.concat([output, chosen[:, None]], axis=1)]

    logits, past = step(start, None)
    first = tf.argmax(logits, axis=-1, output_type=tf.int32)
    past, _, tokens = tf.while_loop(
        lambda *args: True, body, [past, first, tf.concat([start, first[:, None]], axis=1)], maximum_iterations=4,
        shape_invariants=[tf.TensorShape([2, 2, None, 4]), tf.TensorShape([2]), tf.TensorShape([2, None])])
    return [tokens, past]
