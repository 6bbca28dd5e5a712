"""varscope.jax params checkpoints (TF bundles with TF's slices, safetensors) and mesh sharding."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402

import varscope as tf1  # noqa: E402
import varscope.jax as vj  # noqa: E402
from varscope.checkpoint import BundleReader  # noqa: E402

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "tf_checkpoints" / "partitioned" / "model.ckpt-7"
SRC = Path(__file__).resolve().parents[2] / "src"


def tf_model(ids):
    """The model TF saved in tests/fixtures/tf_checkpoints/partitioned (tools/record_tf_checkpoints.py)."""
    with tf1.variable_scope("model"):
        emb = tf1.get_variable("emb", shape=[10, 3], partitioner=tf1.fixed_size_partitioner(3))
        w = tf1.get_variable("w", shape=[3, 2])
        b = tf1.get_variable("b", shape=[2], initializer=tf1.zeros_initializer())
        whole = tf1.get_variable("whole", shape=[4, 2], partitioner=tf1.fixed_size_partitioner(1))
    return jnp.sum(jnp.take(emb.as_tensor(), ids, axis=0) @ w + b) + jnp.sum(whole.as_tensor())


IDS = jnp.array([1, 5, 9])


def test_tf_partitioned_checkpoint_loads_and_saves_back_as_tf_slices(tmp_path):
    model = vj.transform(tf_model)
    model.init(0, IDS)
    params = vj.load_params(FIXTURE, keys=model.var_info)
    assert sorted(params) == ["model/b", "model/emb", "model/w", "model/whole"]
    tf_reader = BundleReader(str(FIXTURE))
    assert np.array_equal(np.asarray(params["model/emb"]), tf_reader.get_tensor("model/emb"))
    out = jax.jit(model.apply)(params, IDS)
    emb, w, b = (tf_reader.get_tensor(k) for k in ("model/emb", "model/w", "model/b"))
    expected = np.sum(emb[[1, 5, 9]] @ w + b) + np.sum(tf_reader.get_tensor("model/whole"))
    assert np.isclose(out, expected, rtol=1e-5)
    # Saved back: the same slice layout TF's Saver wrote.
    prefix = str(tmp_path / "model.ckpt")
    vj.save_params(prefix, params, var_info=model.var_info)
    ours = BundleReader(prefix)
    for key in params:
        assert ours.entry(key).slices == tf_reader.entry(key).slices, key
        assert np.array_equal(ours.get_tensor(key), tf_reader.get_tensor(key))


def test_state_and_safetensors_round_trip(tmp_path):
    def f(x):
        w = tf1.get_variable("w", [3], initializer=tf1.ones_initializer())
        ema = tf1.get_variable("ema", [3], trainable=False, initializer=tf1.zeros_initializer())
        ema.assign_add(x)
        return jnp.sum(w * x)

    m = vj.transform_with_state(f)
    params, state = m.init(0, jnp.zeros(3))  # (init returns the state after its own assign_add: zeros)
    _, state = m.apply(params, state, jnp.arange(3.0))
    for path in (tmp_path / "p.safetensors", tmp_path / "p.npz", tmp_path / "ckpt" / "model.ckpt-1"):
        vj.save_params(path, {**params, **state})
        loaded = vj.load_params(path)
        assert set(loaded) == {"w", "ema"}
        assert np.array_equal(loaded["ema"], [0.0, 1.0, 2.0])
    with pytest.raises(KeyError, match="missing"):
        vj.load_params(tmp_path / "p.safetensors", keys=["missing"])


SHARDING_SCRIPT = textwrap.dedent("""
    import os
    os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=8"
    import sys, numpy as np, jax, jax.numpy as jnp
    from jax.sharding import Mesh, NamedSharding, PartitionSpec as P
    import varscope as tf1, varscope.jax as vj
    from varscope.checkpoint import BundleReader

    assert len(jax.devices()) == 8
    mesh = Mesh(np.array(jax.devices()), ("x",))

    def f(ids):
        emb = tf1.get_variable("emb", [16, 4], partitioner=tf1.fixed_size_partitioner(4))
        w = tf1.get_variable("w", [4, 2])
        return jnp.take(emb.as_tensor(), ids, axis=0) @ w

    m = vj.transform(f, mesh=mesh)
    p = m.init(jax.random.key(0), jnp.array([0, 3]))
    assert p["emb"].sharding == NamedSharding(mesh, P("x", None)), p["emb"].sharding
    assert p["w"].sharding == NamedSharding(mesh, P())
    assert len(p["emb"].addressable_shards) == 8
    pj = jax.jit(m.init)(jax.random.key(0), jnp.array([0, 3]))  # under jit: a sharding constraint, same values
    assert pj["emb"].sharding.is_equivalent_to(NamedSharding(mesh, P("x", None)), 2), pj["emb"].sharding
    assert all(np.array_equal(pj[k], p[k]) for k in p)
    out = jax.jit(m.apply)(p, jnp.array([0, 15]))
    assert np.allclose(out, np.asarray(p["emb"])[[0, 15]] @ np.asarray(p["w"]), atol=1e-6)
    # The checkpoint form stays TF's 4 slices, whatever the device count ...
    prefix = sys.argv[1] + "/model.ckpt"
    vj.save_params(prefix, p, var_info=m.var_info)
    entry = BundleReader(prefix).entry("emb")
    assert len(entry.slices) == 4, entry.slices
    # ... and loads straight back into sharded arrays.
    back = vj.load_params(prefix, var_info=m.var_info, mesh=mesh)
    assert back["emb"].sharding == p["emb"].sharding
    assert np.array_equal(np.asarray(back["emb"]), np.asarray(p["emb"]))
    # TF's own 3-slice checkpoint of a [10, 3] embedding onto a 2-device mesh.
    mesh2 = Mesh(np.array(jax.devices()[:2]), ("x",))
    def g(ids):
        with tf1.variable_scope("model"):
            return tf1.get_variable("emb", shape=[10, 3], partitioner=tf1.fixed_size_partitioner(3)).as_tensor()
    m2 = vj.transform(g, mesh=mesh2)
    m2.init(0, None)
    tfp = vj.load_params(sys.argv[2], keys=m2.var_info, var_info=m2.var_info, mesh=mesh2)
    assert tfp["model/emb"].sharding == NamedSharding(mesh2, P("x", None))
    assert np.array_equal(np.asarray(jax.jit(m2.apply)(tfp, None)), BundleReader(sys.argv[2]).get_tensor("model/emb"))
    try:
        vj.transform(g, mesh=mesh).init(0, None)
    except ValueError as e:
        assert "model/emb" in str(e) and "cannot be sharded" in str(e), e
    else:
        raise AssertionError("10 rows over 8 devices must fail")
    print("SHARDING OK")
""")


def test_sharding_on_8_cpu_devices(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               JAX_PLATFORMS="cpu")
    result = subprocess.run([sys.executable, "-c", SHARDING_SCRIPT, str(tmp_path), str(FIXTURE)], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "SHARDING OK" in result.stdout


def test_partition_spec():
    from jax.sharding import Mesh

    mesh = Mesh(np.array(jax.devices()[:1] * 1), ("x",))
    info = vj.VarInfo("emb", (10, 3), np.dtype("float32"), True, (3, 1), ())
    assert tuple(vj.partition_spec(info, "x")) == ("x", None)
    assert vj.sharding_for(info, mesh, "x").spec == vj.partition_spec(info, "x")
