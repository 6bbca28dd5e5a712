"""examples/gpt2_style.py, a GPT-2-style TF1 model file, runs unchanged on varscope and agrees with TensorFlow.

The fixtures are TF 2.21's (``tools/record_tf_gpt2.py``): its variable list, checkpoint, logits and cache for
fixed tokens, and its sampling loop (tokens and every step's logits).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import varscope.compat

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "gpt2_style"
CKPT = str(FIXTURES / "model.ckpt")


@pytest.fixture(scope="module")
def example():
    """The example module, imported (as the file is) after ``install_as_tensorflow()``."""
    with varscope.compat.install_as_tensorflow():
        spec = importlib.util.spec_from_file_location("gpt2_style_under_varscope", ROOT / "examples" / "gpt2_style.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.fixture
def tf_and_example(example):
    """``tensorflow`` as installed by varscope.compat for the test (TF 1.x behaviour: the suite resets it to
    TF 2's before each test), and the example."""
    with varscope.compat.install_as_tensorflow():
        import tensorflow as tf

        yield tf, example


@pytest.fixture(scope="module")
def recorded():
    with np.load(FIXTURES / "outputs.npz", allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def _variables_of(graph, tf):
    keys = graph.get_all_collection_keys()
    return [{"name": v.name, "shape": v.shape.as_list(), "dtype": v.dtype.base_dtype.name,
             "collections": sorted(k for k in keys if any(x is v for x in graph.get_collection(k)))}
            for v in tf.global_variables()]


def test_names_shapes_dtypes_and_collections_are_tfs(tf_and_example, recorded):
    tf, g = tf_and_example
    config = g.Config()
    with tf.Graph().as_default() as graph:
        out = g.model(config, tf.constant(recorded["tokens"]))
        g.sample(config, 4, tf.constant(recorded["context"]), batch_size=2)  # AUTO_REUSE: no new variables
        ours = _variables_of(graph, tf)
    want = json.loads((FIXTURES / "variables.json").read_text())["variables"]
    assert ours == want
    assert out["logits"].shape.as_list() == [2, 5, config.n_vocab]
    assert out["logits"].name.startswith("model/Reshape")


def test_numpy_graph_restores_tfs_checkpoint_and_gives_tfs_outputs(tf_and_example, recorded):
    tf, g = tf_and_example
    config = g.Config()
    with tf.Graph().as_default():
        g.model(config, tf.constant(recorded["tokens"]))  # creates the variables (ops compute when built)
        tf.train.Saver().restore(None, CKPT)
        out = g.model(config, tf.constant(recorded["tokens"]), reuse=True)
        np.testing.assert_allclose(np.asarray(out["logits"]), recorded["logits"], rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(np.asarray(out["present"]), recorded["present"], rtol=1e-5, atol=1e-5)


jax = pytest.importorskip("jax")
import varscope.jax as vj  # noqa: E402
from varscope.compat.jax import transform  # noqa: E402


@pytest.fixture
def net_and_params(tf_and_example, recorded):
    _, g = tf_and_example
    config = g.Config()
    net = transform(lambda tokens: g.model(config, tokens))
    keys = list(net.init(0, recorded["tokens"]))
    return net, vj.load_params(CKPT, keys=keys)


def test_transform_loads_tfs_checkpoint_and_gives_tfs_logits_and_cache(net_and_params, recorded):
    net, params = net_and_params
    assert sorted(params) == sorted(v["name"][:-2] for v in
                                    json.loads((FIXTURES / "variables.json").read_text())["variables"])
    out = net.apply(params, recorded["tokens"])
    np.testing.assert_allclose(np.asarray(out["logits"]), recorded["logits"], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np.asarray(out["present"]), recorded["present"], rtol=1e-5, atol=1e-5)


def test_jit_and_grad(net_and_params, recorded):
    net, params = net_and_params
    jitted = jax.jit(net.apply)(params, recorded["tokens"])
    np.testing.assert_allclose(np.asarray(jitted["logits"]), recorded["logits"], rtol=1e-5, atol=1e-5)

    def loss(p):
        logits = net.apply(p, recorded["tokens"])["logits"]
        return jax.numpy.mean(jax.nn.logsumexp(logits, axis=-1) - logits[..., 0])

    grads = jax.jit(jax.grad(loss))(params)
    assert sorted(grads) == sorted(params)
    assert all(np.isfinite(np.asarray(v)).all() for v in grads.values())
    assert float(np.abs(np.asarray(grads["model/wte"])).sum()) > 0


def test_sampling_loop_with_a_growing_cache_replays_tfs_tokens_and_logits(tf_and_example, net_and_params, recorded):
    _, g = tf_and_example
    _, params = net_and_params
    config = g.Config()
    n = recorded["context"].shape[1]
    forced = transform(lambda context, chosen: g.sample(config, 4, context, 2, forced=chosen))
    for apply in (forced.apply, jax.jit(forced.apply)):
        tokens, logits = apply(params, recorded["context"], recorded["sample_tokens"][:, n:])
        assert np.asarray(tokens).tolist() == recorded["sample_tokens"].tolist()
        np.testing.assert_allclose(np.asarray(logits), recorded["sample_logits"], rtol=1e-5, atol=1e-5)


def test_sampling_draws_from_the_rng(tf_and_example, net_and_params, recorded):
    _, g = tf_and_example
    _, params = net_and_params
    config = g.Config()
    sampler = transform(lambda context: g.sample(config, 4, context, 2)[0], rng=True)
    a = np.asarray(sampler.apply(params, jax.random.key(0), recorded["context"]))
    b = np.asarray(sampler.apply(params, jax.random.key(0), recorded["context"]))
    assert a.shape == (2, 7) and (a == b).all()
    assert (a[:, :3] == recorded["context"]).all() and ((a >= 0) & (a < config.n_vocab)).all()
    many = {tuple(np.asarray(sampler.apply(params, jax.random.key(k), recorded["context"])).ravel())
            for k in range(1, 6)}
    assert len(many) > 1


def test_tensorflow_restores_varscopes_checkpoint(tf_python, net_and_params, recorded, tmp_path):
    _, params = net_and_params
    prefix = tmp_path / "ours.ckpt"
    vj.save_params(prefix, params)
    script = textwrap.dedent("""
        import sys, numpy as np
        sys.path.insert(0, sys.argv[1])
        import gpt2_style as g
        import tensorflow.compat.v1 as tf
        fx = np.load(sys.argv[3])
        with tf.Graph().as_default():
            out = g.model(g.Config(), tf.constant(fx["tokens"]))
            with tf.Session() as sess:
                tf.train.Saver().restore(sess, sys.argv[2])
                logits = sess.run(out["logits"])
        print(float(np.max(np.abs(logits - fx["logits"]))))
    """)
    out = subprocess.run([tf_python, "-c", script, str(ROOT / "examples"), str(prefix), str(FIXTURES / "outputs.npz")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    assert float(out.stdout.strip().splitlines()[-1]) < 1e-5
