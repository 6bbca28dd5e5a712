"""varscope.jax.transform / transform_with_state: pure init/apply over TF1-style model code."""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402

import varscope as tf1  # noqa: E402
import varscope.jax as vj  # noqa: E402


def dense(x, n, name="dense"):
    with tf1.variable_scope(name, reuse=tf1.AUTO_REUSE):
        w = tf1.get_variable("w", [x.shape[-1], n])
        b = tf1.get_variable("b", [n], initializer=tf1.zeros_initializer())
        return jnp.dot(x, w) + b


def two_towers(a, b):
    with tf1.variable_scope("tower"):
        ya = dense(a, 3)
    with tf1.variable_scope("tower", reuse=True):
        yb = dense(b, 3)
    return jnp.sum(ya * yb)


X = jnp.ones((2, 4), jnp.float32)


def test_init_keys_and_jit_grad_vmap():
    model = vj.transform(two_towers)
    params = model.init(jax.random.key(0), X, X)
    assert list(params) == ["tower/dense/w", "tower/dense/b"]
    assert params["tower/dense/w"].shape == (4, 3) and params["tower/dense/w"].dtype == jnp.float32
    out = model.apply(params, X, X)
    assert np.allclose(jax.jit(model.apply)(params, X, X), out)
    grads = jax.jit(jax.grad(model.apply))(params, X, X)
    assert set(grads) == set(params) and grads["tower/dense/w"].shape == (4, 3)
    batched = jax.vmap(lambda a: model.apply(params, a, a))(jnp.ones((5, 2, 4)))
    assert batched.shape == (5,)
    # vmap over stacked params (an ensemble)
    stacked = jax.tree_util.tree_map(lambda p: jnp.stack([p, 2 * p]), params)
    ens = jax.vmap(model.apply, in_axes=(0, None, None))(stacked, X, X)
    assert ens.shape == (2,) and np.isclose(ens[1], 4 * ens[0], rtol=1e-5)


def test_init_is_name_keyed_and_matches_core():
    def ab():
        return tf1.get_variable("a", [3]), tf1.get_variable("b", [2, 2])

    def ba():
        return tf1.get_variable("b", [2, 2]), tf1.get_variable("a", [3])

    rng = jax.random.key(42)
    p1, p2 = vj.transform(ab).init(rng), vj.transform(ba).init(rng)
    for k in ("a", "b"):
        assert np.array_equal(p1[k], p2[k])
    p3 = vj.transform(ab).init(jax.random.key(43))
    assert not np.array_equal(p1["a"], p3["a"])
    # Same values as the NumPy core with the derived graph seed.
    with tf1.Graph().as_default() as g:
        g.seed = vj.seed_from_rng(rng)
        a = tf1.get_variable("a", [3])
    assert np.array_equal(np.asarray(p1["a"]), a.numpy())
    assert vj.seed_from_rng(jax.random.PRNGKey(42)) == vj.seed_from_rng(rng)


def test_init_does_not_compute_forward():
    calls = []

    def f(x):
        w = tf1.get_variable("w", [4, 4])
        y = jnp.dot(x, w)
        calls.append(type(y).__name__)
        return y

    vj.transform(f).init(0, X)
    assert "Tracer" in calls[0]


def test_static_python_args_are_kept():
    def f(x, training):
        w = tf1.get_variable("w", [4])
        return x * w if training else x

    m = vj.transform(f)
    p = m.init(0, X, training=True)
    assert list(p) == ["w"]
    assert m.apply(p, X, training=False) is X


def test_scoping_errors_stay_in_force():
    def bad(x):
        with tf1.variable_scope("s"):
            tf1.get_variable("w", [2])
        with tf1.variable_scope("s"):
            tf1.get_variable("w", [2])

    with pytest.raises(ValueError, match="Variable s/w already exists, disallowed"):
        vj.transform(bad).init(0, X)

    def reuse_missing(x):
        with tf1.variable_scope("s", reuse=True):
            tf1.get_variable("nope", [2])

    with pytest.raises(ValueError, match="Variable s/nope does not exist"):
        vj.transform(reuse_missing).apply({}, X)

    def shape_share():
        with tf1.variable_scope("s", reuse=tf1.AUTO_REUSE):
            tf1.get_variable("w", [2])
            tf1.get_variable("w", [3])

    with pytest.raises(ValueError, match="Trying to share variable s/w, but specified shape"):
        vj.transform(shape_share).apply({"s/w": jnp.ones(2)})


def test_missing_and_mismatched_params():
    model = vj.transform(two_towers)
    params = model.init(0, X, X)
    missing = dict(params)
    del missing["tower/dense/b"]
    with pytest.raises(ValueError, match="Variable tower/dense/b is not in params"):
        jax.jit(model.apply)(missing, X, X)
    wrong = dict(params, **{"tower/dense/w": jnp.ones((5, 3))})
    with pytest.raises(ValueError, match=r"tower/dense/w has shape \(5, 3\) in params.*\(4, 3\)"):
        model.apply(wrong, X, X)
    wrong = dict(params, **{"tower/dense/b": jnp.ones(3, jnp.int32)})
    with pytest.raises(ValueError, match="tower/dense/b has dtype int32 in params, but get_variable asks for float32"):
        model.apply(wrong, X, X)


def test_params_are_the_arrays_handed_out():
    seen = {}

    def f():
        v = tf1.get_variable("v", [2])
        seen["value"] = v.value()
        seen["name"] = v.name
        return jnp.sum(v)

    m = vj.transform(f)
    p = {"v": jnp.array([1.0, 2.0])}
    assert float(m.apply(p)) == 3.0
    assert seen["value"] is p["v"] and seen["name"] == "v:0"


def test_value_initializers_and_dtypes():
    def f():
        a = tf1.get_variable("a", initializer=[1, 2, 3])
        b = tf1.get_variable("b", [2], dtype=tf1.float16, initializer=tf1.ones_initializer())
        return a, b

    m = vj.transform(f)
    p = m.init(0)
    assert p["a"].dtype == jnp.int32 and p["a"].tolist() == [1, 2, 3]
    assert p["b"].dtype == jnp.float16
    with pytest.raises(ValueError, match="Variable a has shape"):
        m.apply({"a": jnp.ones(4, jnp.int32), "b": p["b"]})


def test_custom_getters_and_templates():
    def f(x):
        def scale_getter(getter, *args, **kwargs):
            return getter(*args, **kwargs) * 2.0

        with tf1.variable_scope("g", custom_getter=scale_getter):
            w = tf1.get_variable("w", [], initializer=tf1.ones_initializer())
        layer = tf1.make_template("layer", lambda y: y * tf1.get_variable("s", [], initializer=tf1.ones_initializer()))
        return w * layer(x) + layer(x)

    m = vj.transform(f)
    p = m.init(0, 1.0)
    assert sorted(p) == ["g/w", "layer/s"]
    assert float(jax.jit(m.apply)({"g/w": 3.0 * jnp.ones(()), "layer/s": 5.0 * jnp.ones(())}, 1.0)) == 6.0 * 5 + 5


def test_regularization_and_collections():
    def f(x):
        with tf1.variable_scope("m", regularizer=tf1.regularizers.l2_regularizer(0.5)):
            w = tf1.get_variable("w", [2], initializer=tf1.ones_initializer())
            v = tf1.get_variable("v", [2], initializer=tf1.ones_initializer(),
                                 regularizer=lambda t: 0.1 * jnp.sum(jnp.abs(t)))
        tf1.add_to_collection("outputs", x)
        names = [loss.name for loss in tf1.get_collection(tf1.GraphKeys.REGULARIZATION_LOSSES)]
        assert names == ["m/w/Regularizer/l2_regularizer:0", "m/v/Regularizer/Regularizer:0"]
        assert [t.name for t in tf1.trainable_variables()] == ["m/w:0", "m/v:0"]
        return jnp.sum(x * w * v) + vj.regularization_loss()

    m = vj.transform(f)
    p = m.init(0, jnp.ones(2))
    loss = jax.jit(m.apply)(p, jnp.zeros(2))
    assert np.isclose(loss, 0.5 * 2 / 2 + 0.1 * 2)
    g = jax.grad(m.apply)(dict(p, **{"m/w": 2.0 * jnp.ones(2)}), jnp.zeros(2))
    assert np.allclose(g["m/w"], 0.5 * 2.0) and np.allclose(g["m/v"], 0.1)


def test_transform_with_state_moving_average():
    def f(x, training=True):
        w = tf1.get_variable("w", [x.shape[-1]], initializer=tf1.ones_initializer())
        with tf1.variable_scope("bn"):
            mean = tf1.get_variable("moving_mean", [x.shape[-1]], trainable=False,
                                    initializer=tf1.zeros_initializer())
            steps = tf1.get_local_variable("steps", [], dtype=tf1.int32)
        if training:
            mean.assign(0.5 * mean + 0.5 * jnp.mean(x, axis=0))
            steps.assign_add(1)
        return jnp.sum((x - mean.value()) * w)

    m = vj.transform_with_state(f)
    params, state = m.init(0, X, training=False)
    assert list(params) == ["w"] and sorted(state) == ["bn/moving_mean", "bn/steps"]
    assert np.allclose(state["bn/moving_mean"], 0.0) and int(state["bn/steps"]) == 0
    # init returns the variables' values at the end of the function: with training=True, one update
    _, updated = m.init(0, X)
    assert np.allclose(updated["bn/moving_mean"], 0.5 * np.mean(np.asarray(X), axis=0))
    assert int(updated["bn/steps"]) == 1
    step = jax.jit(m.apply)
    out, state1 = step(params, state, X)
    assert np.allclose(state1["bn/moving_mean"], 0.5) and int(state1["bn/steps"]) == 1
    _, state2 = step(params, state1, X)
    assert np.allclose(state2["bn/moving_mean"], 0.75) and int(state2["bn/steps"]) == 2
    grads, _ = jax.grad(m.apply, has_aux=True)(params, state, X)
    assert set(grads) == {"w"}
    _, same = m.apply(params, state, X, training=False)
    assert np.allclose(same["bn/moving_mean"], 0.0)
    with pytest.raises(ValueError, match="Variable w is trainable but was found in state"):
        m.apply({}, dict(state, w=params["w"]), X)


def test_partitioned_variable_is_one_param_and_not_copied():
    def f(ids):
        emb = tf1.get_variable("emb", [10, 3], partitioner=tf1.fixed_size_partitioner(3))
        assert [v.name for v in emb] == ["emb/part_0:0", "emb/part_1:0", "emb/part_2:0"]
        return jnp.take(emb.as_tensor(), ids, axis=0)

    m = vj.transform(f)
    p = m.init(jax.random.key(0), jnp.array([1, 5]))
    assert list(p) == ["emb"] and p["emb"].shape == (10, 3)
    info = m.var_info["emb"]
    assert info.partitions == (3, 1)
    assert [s[0] for s in info.shards] == ["emb/part_0", "emb/part_1", "emb/part_2"]
    assert [s[1] for s in info.shards] == [(0, 0), (4, 0), (7, 0)]
    # The initial value is the concatenation of the core's shard values.
    with tf1.Graph().as_default() as g:
        g.seed = vj.seed_from_rng(jax.random.key(0))
        pv = tf1.get_variable("emb", [10, 3], partitioner=tf1.fixed_size_partitioner(3))
    assert np.array_equal(np.asarray(p["emb"]), pv.numpy())
    out = jax.jit(m.apply)(p, jnp.array([1, 9]))
    assert np.allclose(out, np.asarray(p["emb"])[[1, 9]])
    jaxpr = str(jax.make_jaxpr(m.apply)(p, jnp.array([1, 9])))
    assert "concatenate" not in jaxpr  # the shards' reads collapse back to the param itself
    compiled = jax.jit(m.apply).lower(p, jnp.array([1, 9])).compile().as_text()
    assert "concatenate" not in compiled and " slice(" not in compiled  # dead shard slices are gone


def test_named_scopes_reach_jaxpr_and_hlo():
    def f(a, b):
        with tf1.variable_scope("tower"):
            ya = jnp.tanh(dense(a, 3))
        with tf1.variable_scope("tower", reuse=True):
            yb = jnp.tanh(dense(b, 3))
        with tf1.name_scope("loss"):
            return jnp.sum(ya * yb)

    m = vj.transform(f)
    p = m.init(0, X, X)
    jaxpr = jax.make_jaxpr(m.apply)(p, X, X)
    text = jaxpr.pretty_print(name_stack=True)
    assert "[tower/dense]" in text and "[tower_1/dense]" in text and "[loss]" in text
    hlo = jax.jit(m.apply).lower(p, X, X).as_text(debug_info=True)
    assert "tower_1/dense/dot_general" in hlo and "tower/tanh" in hlo


def test_stateful_graph_and_variables_in_jnp():
    with tf1.Graph(backend="jax").as_default():
        with tf1.variable_scope("s"):
            w = tf1.get_variable("w", [3, 2])
            b = tf1.get_variable("b", initializer=[1.0, 2.0])
        pv = tf1.get_variable("emb", [4, 2], partitioner=tf1.fixed_size_partitioner(2))
    assert isinstance(w.value(), jax.Array)
    y = jnp.dot(jnp.ones((1, 3)), w) + b
    assert y.shape == (1, 2)
    assert float(jnp.sum(b)) == 3.0 and float(jax.nn.relu(b)[1]) == 2.0
    assert float(jax.jit(lambda v: jnp.sum(v * 2))(b)) == 6.0
    b.assign(jnp.array([3.0, 4.0]))
    b.assign_add([1.0, 1.0])
    assert b.numpy().tolist() == [4.0, 5.0]
    assert isinstance(pv.as_tensor(), jax.Array) and pv.as_tensor().shape == (4, 2)
    leaves = jax.tree_util.tree_leaves({"w": w, "b": b})
    assert all(isinstance(x, jax.Array) for x in leaves)
    detached = jax.tree_util.tree_map(lambda x: x + 1, w)
    assert detached.name == "s/w:0" and np.allclose(detached.numpy(), w.numpy() + 1)


def _same(a, b):
    assert sorted(a) == sorted(b)  # (jit returns dicts in key order, init in creation order)
    for k in a:
        assert a[k].dtype == b[k].dtype and a[k].shape == b[k].shape, k
        assert np.asarray(a[k]).tobytes() == np.asarray(b[k]).tobytes(), k


def _mixed(x):
    """Default glorot, a seeded initializer, a no-argument callable that draws from the creation key, a value,
    a partitioned variable and bfloat16."""
    y = dense(x, 3)
    n = tf1.get_variable("n", [2, 2], initializer=tf1.random_normal_initializer(stddev=2.0))
    c = tf1.get_variable("c", initializer=lambda: tf1.truncated_normal_initializer()([3]))
    v = tf1.get_variable("v", initializer=np.arange(4, dtype=np.int64))
    emb = tf1.get_variable("emb", [10, 3], partitioner=tf1.fixed_size_partitioner(3))
    h = tf1.get_variable("h", [5], dtype=tf1.bfloat16)
    return jnp.sum(y) + jnp.sum(n) + jnp.sum(c) + jnp.sum(v) + jnp.sum(emb.as_tensor()) + jnp.sum(h)


@pytest.mark.filterwarnings("ignore:Explicitly requested dtype int64")  # (v: int64 is int32 without x64)
def test_init_under_jit_gives_the_values_of_init():
    """Inside jit the rng is a tracer: the NumPy initializers run in a host callback from the key's data,
    with the values init gives outside jit, for every key (the callback runs on every call)."""
    m = vj.transform(_mixed)
    jitted = jax.jit(m.init)
    for key in (jax.random.key(0), jax.random.key(7), jax.random.PRNGKey(3)):
        _same(jitted(key, X), m.init(key, X))
    assert not np.array_equal(jitted(jax.random.key(0), X)["n"], jitted(jax.random.key(7), X)["n"])
    assert list(m.var_info) == ["dense/w", "dense/b", "n", "c", "v", "emb", "h"]
    # an int seed (a Python int becomes a 0-d array under jit: both are the seed itself)
    _same(jax.jit(m.init)(5, X), m.init(5, X))
    _same(m.init(jnp.int32(5), X), m.init(5, X))
    assert vj.seed_from_rng(np.int64(5)) == vj.seed_from_rng(jnp.array(5)) == 5


def test_init_under_vmap_over_keys_is_an_ensemble():
    m = vj.transform(two_towers)
    keys = jax.random.split(jax.random.key(0), 3)
    stacked = jax.vmap(m.init, in_axes=(0, None, None))(keys, X, X)
    for i in range(3):
        _same({k: v[i] for k, v in stacked.items()}, m.init(keys[i], X, X))


def test_init_with_state_under_jit():
    def f(x):
        w = tf1.get_variable("w", [x.shape[-1]])
        mean = tf1.get_variable("mean", [x.shape[-1]], trainable=False, initializer=tf1.ones_initializer())
        return jnp.sum(x * w * mean)

    m = vj.transform_with_state(f)
    params, state = jax.jit(m.init)(jax.random.key(1), X)
    want_params, want_state = m.init(jax.random.key(1), X)
    _same(params, want_params)
    _same(state, want_state)


def test_seed_from_rng_refuses_a_tracer():
    with pytest.raises(TypeError, match="seed_from_rng needs a concrete rng"):
        jax.jit(vj.seed_from_rng)(jax.random.key(0))


def test_init_under_jit_of_a_function_without_variables():
    m = vj.transform(lambda x: 2 * x)
    assert jax.jit(m.init)(jax.random.key(0), X) == {} and m.var_info == {}


@pytest.mark.parametrize("module_name", ["varscope.jax.transform", "varscope.jax.checkpoint", "varscope.jax.sharding",
                                         "varscope.backends.jax_backend"])
def test_docstring_examples_run(module_name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module_name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
