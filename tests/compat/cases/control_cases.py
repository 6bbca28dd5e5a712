"""Control-flow ops recorded on TensorFlow: see _case.py for how a case is written."""

from __future__ import annotations

from _case import case, rand

X = rand(3, 4, seed=20)
OPS = ["while_loop", "cond", "map_fn", "identity", "stop_gradient", "no_op", "group", "Assert", "assert_equal",
       "control_dependencies"]


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
