"""Traps met porting TF1 models to ``varscope.jax`` (issue 13, item 4): 64-bit variables without x64,
``init_from_checkpoint`` and ``assign`` inside a transformed function, ``get_variable("")`` keys, NumPy
variables assigned JAX arrays, and variables passed to ``jax.lax``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402

import varscope as tf1  # noqa: E402
import varscope.jax as vj  # noqa: E402
from varscope.checkpoint import BundleReader, write_bundle  # noqa: E402
from varscope.train import Saver, init_from_checkpoint, latest_checkpoint  # noqa: E402

SLOTS = Path(__file__).resolve().parents[1] / "fixtures" / "tf_slot_names"  # tools/record_tf_slot_names.py
X = jnp.asarray(np.random.default_rng(0).standard_normal((8, 3)), jnp.float32)
without_x64 = pytest.mark.skipif(jax.config.jax_enable_x64, reason="about JAX without jax_enable_x64")


# -- 64-bit variables without jax_enable_x64 -----------------------------------------------------------------
def wide(x):
    w = tf1.get_variable("w", [3], dtype=tf1.float64, initializer=tf1.constant_initializer(0.5))
    step = tf1.get_variable("global_step", [], dtype=tf1.int64, initializer=tf1.zeros_initializer(),
                            trainable=False)
    return jnp.sum(x * w), step


@without_x64
def test_init_gives_32_bit_arrays_that_apply_accepts():
    m = vj.transform(wide)
    params = m.init(0, X)
    assert {k: v.dtype for k, v in params.items()} == {"w": jnp.float32, "global_step": jnp.int32}
    assert {k: i.dtype for k, i in m.var_info.items()} == {"w": np.float64, "global_step": np.int64}
    out, step = m.apply(params, X)
    assert np.isclose(out, 0.5 * float(jnp.sum(X))) and step.dtype == tf1.int64
    assert np.isclose(jax.jit(m.apply)(params, X)[0], out)
    # NumPy arrays of the declared dtype are accepted too; another dtype is still refused
    assert np.isclose(m.apply({"w": np.full(3, 0.5), "global_step": np.int64(0)}, X)[0], out)
    with pytest.raises(ValueError, match="Variable w has dtype int32 in params, but get_variable asks for float64"):
        m.apply({"w": jnp.zeros(3, jnp.int32), "global_step": params["global_step"]}, X)


@without_x64
def test_transform_with_state_under_jit_and_grad_with_64_bit_variables():
    def f(x):
        out, step = wide(x)
        step.assign_add(1)
        return out

    m = vj.transform_with_state(f)
    params, state = m.init(jax.random.key(0), X)
    assert int(state["global_step"]) == 1 and state["global_step"].dtype == jnp.int32
    out, state = jax.jit(m.apply)(params, state, X)
    assert int(state["global_step"]) == 2
    grads, _ = jax.grad(m.apply, has_aux=True)(params, state, X)
    assert np.allclose(grads["w"], np.sum(np.asarray(X), axis=0))
    jit_params, jit_state = jax.jit(m.init)(jax.random.key(0), X)  # (the host-callback initializers)
    assert jit_params["w"].dtype == jnp.float32 and int(jit_state["global_step"]) == 1


@without_x64
def test_save_params_and_saver_write_the_declared_dtype(tmp_path):
    m = vj.transform(wide)
    params = m.init(0, X)
    vj.save_params(tmp_path / "p" / "model.ckpt-3", params, var_info=m.var_info)
    reader = BundleReader(tmp_path / "p" / "model.ckpt-3")
    assert reader.dtype("w") == np.float64 and reader.dtype("global_step") == np.int64
    assert reader.get_tensor("w").tolist() == [0.5, 0.5, 0.5]
    loaded = vj.load_params(tmp_path / "p" / "model.ckpt-3")
    assert np.isclose(m.apply(loaded, X)[0], 0.5 * float(jnp.sum(X)))  # apply accepts what load_params gives
    for path in (tmp_path / "p.safetensors", tmp_path / "p.npz"):
        vj.save_params(path, params, var_info=m.var_info)
        assert {k: v.dtype for k, v in vj.load_params(path).items()} == {"w": jnp.float32, "global_step": jnp.int32}

    with tf1.Graph(backend="jax").as_default():
        w = tf1.get_variable("w", [2], dtype=tf1.float64, initializer=tf1.constant_initializer(0.25))
        step = tf1.get_variable("global_step", [], dtype=tf1.int64, initializer=tf1.zeros_initializer(),
                                trainable=False)
        step.assign_add(7)
        assert w.value().dtype == jnp.float32 and w.numpy().dtype == np.float64  # the value JAX holds / TF's
        assert step.numpy().dtype == np.int64 and np.asarray(step).dtype == np.int64
        prefix = Saver().save(None, str(tmp_path / "s" / "model.ckpt"), global_step=step)
    reader = BundleReader(prefix)
    assert reader.dtype("w") == np.float64 and reader.dtype("global_step") == np.int64
    assert int(reader.get_tensor("global_step")) == 7
    with tf1.Graph(backend="jax").as_default():
        step = tf1.get_variable("global_step", [], dtype=tf1.int64, trainable=False)
        tf1.get_variable("w", [2], dtype=tf1.float64)
        Saver().restore(None, latest_checkpoint(str(tmp_path / "s")))
        assert int(step.numpy()) == 7


@without_x64
def test_a_64_bit_integer_jax_cannot_hold_fails_naming_the_fix(tmp_path):
    fix = r"does not fit in int32, .*jax.config.update\('jax_enable_x64', True\)"
    with tf1.Graph(backend="jax").as_default():
        with pytest.raises(ValueError, match="The int64 value 1099511627776 " + fix):
            tf1.get_variable("big", initializer=np.array([1, 2**40], np.int64))
        step = tf1.get_variable("global_step", [], dtype=tf1.int64, initializer=tf1.zeros_initializer())
        with pytest.raises(ValueError, match="The int64 value -1099511627776 " + fix):
            step.assign(-(2**40))
        assert int(step.numpy()) == 0  # (the variable keeps its value)
        write_bundle(str(tmp_path / "model.ckpt"), {"global_step": np.int64(2**40)})
        with pytest.raises(ValueError, match=fix):
            Saver().restore(None, str(tmp_path / "model.ckpt"))
    with pytest.raises(ValueError, match=fix):
        vj.transform(lambda: tf1.get_variable("n", [], dtype=tf1.int64,
                                              initializer=tf1.constant_initializer(2**40))).init(0)
    with tf1.Graph(backend="jax").as_default():  # in range: fine
        assert int(tf1.get_variable("ok", initializer=np.int64(2**31 - 1)).numpy()) == 2**31 - 1


# -- init_from_checkpoint inside the function -----------------------------------------------------------
def test_init_from_checkpoint_inside_the_function_gives_the_checkpoint_values(tmp_path):
    prefix = str(tmp_path / "pretrained.ckpt")
    emb = np.arange(12, dtype=np.float32).reshape(6, 2)
    write_bundle(prefix, {"bert/w": np.full((3, 2), 2.0, np.float32), "bert/emb": emb,
                          "bert/mean": np.array([1.0, -1.0], np.float32)})

    def f(x, ids):
        with tf1.variable_scope("bert"):
            w = tf1.get_variable("w", [3, 2])
            table = tf1.get_variable("emb", [6, 2], partitioner=tf1.fixed_size_partitioner(2))
            mean = tf1.get_variable("mean", [2], trainable=False, initializer=tf1.zeros_initializer())
            head = tf1.get_variable("head", [2], initializer=tf1.ones_initializer())
        init_from_checkpoint(prefix, {"bert/w": "bert/w", "bert/emb": "bert/emb", "bert/mean": "bert/mean"})
        return (x @ w - mean.value()) * head + jnp.take(table.as_tensor(), ids, axis=0)

    ids = jnp.array([0, 5, 1, 2, 3, 4, 0, 0])
    m = vj.transform_with_state(f)
    for params, state in (m.init(0, X, ids), jax.jit(m.init)(jax.random.key(3), X, ids)):
        assert np.array_equal(params["bert/w"], np.full((3, 2), 2.0)) and np.array_equal(params["bert/emb"], emb)
        assert np.array_equal(state["bert/mean"], [1.0, -1.0])
        assert np.array_equal(params["bert/head"], [1.0, 1.0])  # not in the map: its initializer's value
    out, _ = jax.jit(m.apply)(params, state, X, ids)
    assert np.allclose(out, np.asarray(X) @ np.full((3, 2), 2.0) - [1.0, -1.0] + emb[np.asarray(ids)])
    # apply's variables are its params (TF's init_from_checkpoint only replaces initializers)
    tuned = dict(params, **{"bert/w": jnp.zeros((3, 2))})
    out, new_state = jax.jit(m.apply)(tuned, state, X, ids)
    assert np.allclose(out, 0.0 - np.array([1.0, -1.0]) + emb[np.asarray(ids)])
    assert np.array_equal(new_state["bert/mean"], [1.0, -1.0])


# -- assign inside the function ----------------------------------------------------------------------------
def weight_norm_dense(x, n, init=False):
    """Weight-normalized dense layer with data-dependent initialization (Salimans & Kingma, 2016)."""
    with tf1.variable_scope("dense"):
        v = tf1.get_variable("V", [x.shape[-1], n], initializer=tf1.random_normal_initializer(0, 0.05))
        g = tf1.get_variable("g", [n], initializer=tf1.ones_initializer())
        b = tf1.get_variable("b", [n], initializer=tf1.zeros_initializer())
        t = x @ (v / jnp.linalg.norm(v.value(), axis=0))
        if init:
            mean, var = jnp.mean(t, axis=0), jnp.var(t, axis=0)
            scale = 1.0 / jnp.sqrt(var + 1e-10)
            g.assign(scale)
            b.assign(-mean * scale)
        return g * t + b


def test_data_dependent_init_updates_the_params_init_returns():
    m = vj.transform(weight_norm_dense)
    params = m.init(jax.random.key(0), X, 4, init=True)
    out = jax.jit(m.apply, static_argnums=2)(params, X, 4)
    assert np.allclose(np.mean(out, axis=0), 0.0, atol=1e-5) and np.allclose(np.var(out, axis=0), 1.0, atol=1e-4)
    plain = m.init(jax.random.key(0), X, 4)  # without the init pass: the initializers' values
    assert np.array_equal(plain["dense/g"], np.ones(4)) and np.array_equal(plain["dense/V"], params["dense/V"])
    # init under jit (the rng traced: initial values from the host callback) gives the same values
    jitted = jax.jit(m.init, static_argnums=2, static_argnames="init")(jax.random.key(0), X, 4, init=True)
    for key in params:
        assert np.allclose(jitted[key], params[key], atol=1e-6), key
    # and inside a jitted function with a concrete rng (the arguments traced)
    inner = jax.jit(lambda x: m.init(jax.random.key(0), x, 4, init=True))(X)
    assert np.allclose(inner["dense/b"], params["dense/b"], atol=1e-6)


def test_assign_to_a_trainable_variable_in_apply_is_an_error_naming_it():
    m = vj.transform(weight_norm_dense)
    params = m.init(jax.random.key(0), X, 4)
    with pytest.raises(ValueError, match=r"Variable dense/g is trainable and was assigned inside apply, .*init"):
        m.apply(params, X, 4, init=True)
    with pytest.raises(ValueError, match=r"Variable dense/g is trainable"):
        jax.jit(m.apply, static_argnums=(2, 3))(params, X, 4, True)
    ms = vj.transform_with_state(weight_norm_dense)
    p, s = ms.init(0, X, 4)
    with pytest.raises(ValueError, match=r"Variable dense/g is trainable and was assigned inside apply"):
        ms.apply(p, s, X, 4, init=True)


def test_assign_to_a_non_trainable_variable_in_plain_transform_apply_names_transform_with_state():
    def f(x):
        count = tf1.get_variable("count", [], trainable=False, initializer=tf1.zeros_initializer())
        count.assign_add(1.0)
        return x * count

    m = vj.transform(f)
    params = m.init(0, 1.0)
    assert float(params["count"]) == 1.0
    with pytest.raises(ValueError, match=r"Variable count was assigned inside apply.*transform_with_state"):
        m.apply(params, 1.0)


# -- get_variable("") inside a scope ----------------------------------------------------------------------
def slot(primary, name, value):
    """TF's ``slot_creator.create_slot``: ``get_variable("")`` in the scope ``<primary>/<name>``."""
    with tf1.variable_scope(None, default_name=primary.op.name + "/" + name):
        return tf1.get_variable("", initializer=value, trainable=False)


def ema_model(x, assign=False):
    """The variables of tools/record_tf_slot_names.py, made as TF makes them."""
    with tf1.variable_scope("model"):
        w = tf1.get_variable("w", initializer=np.array([1.0, -2.0], np.float32))
    with tf1.variable_scope("sc"):
        empty = tf1.get_variable("", [1], initializer=tf1.constant_initializer(3.0))
    step = tf1.get_variable("global_step", [], dtype=tf1.int64, initializer=tf1.zeros_initializer(),
                            trainable=False)
    if assign:
        step.assign_add(1)
    for name in ("beta1_power", "beta2_power"):
        tf1.get_variable(name, [], initializer=tf1.ones_initializer(), trainable=False)
    for v in (w, empty):
        slot(v, "Adam", np.zeros(v.shape.as_list(), np.float32))
        slot(v, "Adam", np.zeros(v.shape.as_list(), np.float32))
    average = slot(w, "ExponentialMovingAverage", w.value())
    return jnp.sum(x[:2] * average.value()) + jnp.sum(empty.value()), average.name, empty.name


def test_empty_name_in_a_scope_gives_tfs_checkpoint_key():
    recorded = json.loads((SLOTS / "names.json").read_text())
    assert recorded["average_name"] == "model/w/ExponentialMovingAverage:0" and recorded["empty_name"] == "sc:0"
    store_keys = {v["op_name"]: v["store_key"] for v in recorded["variables"]}
    assert store_keys["model/w/ExponentialMovingAverage"] == "model/w/ExponentialMovingAverage/"  # TF's store key
    m = vj.transform(ema_model)
    params = m.init(0, X[0])
    assert sorted(params) == recorded["checkpoint_keys"]
    assert sorted(m.var_info) == recorded["checkpoint_keys"]
    # also when init runs the function again (an assign) and under jit (the rng traced)
    for again in (m.init(0, X[0], assign=True), jax.jit(m.init, static_argnames="assign")(0, X[0], assign=True)):
        assert sorted(again) == recorded["checkpoint_keys"] and int(again["global_step"]) == 1
        assert np.array_equal(again["model/w/ExponentialMovingAverage"], [1.0, -2.0])
    # TF's own checkpoint loads into apply, names and values as TF saved them
    loaded = vj.load_params(str(SLOTS), keys=m.var_info)
    out, average_name, empty_name = m.apply(loaded, X[0])
    values = recorded["values"]
    assert (average_name, empty_name) == (recorded["average_name"], recorded["empty_name"])
    expected = np.sum(np.asarray(X[0])[:2] * values["model/w/ExponentialMovingAverage"]) + values["sc"][0]
    assert np.isclose(out, expected)
    # and the keys round-trip through save_params as TF reads them
    with tf1.Graph().as_default():
        _, average_name, _ = ema_model(np.ones(3, np.float32))
        assert average_name == recorded["average_name"]


# -- NumPy-backend variables take arrays of other libraries --------------------------------------------------
class ArrayLike:
    """Any object with ``__array__`` (TF's ``convert_to_tensor`` reads it)."""

    def __init__(self, value):
        self.value = np.asarray(value)

    def __array__(self, dtype=None, copy=None):
        return self.value if dtype is None else self.value.astype(dtype)


def test_numpy_variable_assign_takes_jax_arrays_and_array_likes():
    with tf1.Graph().as_default():
        v = tf1.get_variable("v", [2])
        i = tf1.get_variable("i", [2], dtype=tf1.int64)
        v.assign(jnp.array([1.0, 2.0]))
        assert isinstance(v.value(), np.ndarray) and v.numpy().tolist() == [1.0, 2.0]
        v.assign_add(jnp.ones(2))
        v.assign_sub(ArrayLike([0.5, 0.5]))
        i.assign(ArrayLike(np.array([3, 4], np.int32)))
        assert v.numpy().tolist() == [1.5, 2.5] and v.value().dtype == np.float32
        assert i.numpy().tolist() == [3, 4] and i.value().dtype == np.int64
        u = tf1.get_variable("u", initializer=jnp.arange(3.0))  # a JAX array as the initial value
        assert u.dtype.base_dtype == tf1.float32 and u.numpy().tolist() == [0.0, 1.0, 2.0]
        with pytest.raises(ValueError, match=r"Cannot assign value of shape \(3,\) to variable v of shape \(2,\)"):
            v.assign(jnp.zeros(3))


# -- jax.lax on variables ----------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["numpy", "jax"])
def test_jax_lax_functions_take_variables(backend):
    with tf1.Graph(backend=backend).as_default():
        v = tf1.get_variable("v", [2, 3])
        k = tf1.get_variable("k", [3, 3, 1, 2])
    value, kernel = np.asarray(v), np.asarray(k)
    image = jnp.ones((1, 5, 5, 1))
    conv = jax.lax.conv_general_dilated(image, k, (1, 1), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC"))
    assert np.allclose(conv, jax.lax.conv_general_dilated(image, kernel, (1, 1), "SAME",
                                                          dimension_numbers=("NHWC", "HWIO", "NHWC")))
    assert np.allclose(jax.lax.add(v, v), 2 * value)
    assert np.allclose(jax.lax.dot_general(jnp.ones((1, 2)), v, (((1,), (0,)), ((), ()))), value.sum(0))
    assert np.allclose(jax.lax.dynamic_slice(v, (1, 0), (1, 2)), value[1:, :2])
    assert np.allclose(jax.lax.expand_dims(v, (0,)), value[None])
    assert np.allclose(jax.lax.broadcast_in_dim(v, (4, 2, 3), (1, 2)), np.broadcast_to(value, (4, 2, 3)))
    assert np.allclose(jax.lax.rsqrt(jax.lax.abs(v)), 1 / np.sqrt(np.abs(value)))
    assert np.allclose(jax.jit(lambda x: jax.lax.mul(x, v))(jnp.ones((2, 3))), value)
    assert np.allclose(jax.grad(lambda x: jnp.sum(jax.lax.mul(x, v)))(jnp.ones((2, 3))), value)
    assert v.ndim == 2 and np.ndim(v) == 2 and jnp.ndim(k) == 4


def test_jax_lax_inside_apply_and_numpy_rank_of_a_traced_variable():
    def f(x):
        k = tf1.get_variable("k", [3, 3, 1, 2])
        assert np.ndim(k) == 4 and k.ndim == 4  # (k holds a tracer under jit: no NumPy value)
        y = jax.lax.conv_general_dilated(x, k, (1, 1), "VALID", dimension_numbers=("NHWC", "HWIO", "NHWC"))
        return jnp.sum(jax.lax.dynamic_slice(y, (0, 0, 0, 0), (1, 2, 2, 2)))

    m = vj.transform(f)
    image = jnp.ones((1, 5, 5, 1))
    params = m.init(0, image)
    grads = jax.jit(jax.grad(m.apply))(params, image)
    assert grads["k"].shape == (3, 3, 1, 2) and np.allclose(grads["k"], 4.0)


def test_variable_ndim_needs_no_jax():
    code = ("import sys, numpy as np, varscope as tf1\n"
            "v = tf1.get_variable('v', [2, 3])\n"
            "assert v.ndim == 2 and np.ndim(v) == 2\n"
            "assert 'jax' not in sys.modules, sorted(m for m in sys.modules if m.startswith('jax'))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
