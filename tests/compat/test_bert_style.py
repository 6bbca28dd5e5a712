"""examples/bert_style.py (TF1 code: tf.layers.dense, contrib's layer_norm, an attention mask, a decoupled-weight-
decay Adam written on tf.train.Optimizer, polynomial decay with warmup, an assignment map for init_from_checkpoint)
runs unchanged after install_as_tensorflow() and agrees with TensorFlow 2.21's run of the same file
(tools/record_tf_bert.py, fixtures in tests/fixtures/bert_style/): variables, checkpoint, outputs, one step."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

jax = pytest.importorskip("jax")

import varscope  # noqa: E402
import varscope.jax as vj  # noqa: E402
from varscope.compat import install_as_tensorflow  # noqa: E402
from varscope.compat.jax import transform, transform_with_state  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "bert_style.py"
FIXTURES = ROOT / "tests" / "fixtures" / "bert_style"
CKPT = str(FIXTURES / "model.ckpt")
NUM_LABELS = 3


@pytest.fixture()
def bert() -> Any:
    with install_as_tensorflow():
        spec = importlib.util.spec_from_file_location("bert_style", EXAMPLE)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module
    sys.modules.pop("bert_style", None)


@pytest.fixture(scope="module")
def recorded() -> dict[str, np.ndarray]:
    with np.load(FIXTURES / "outputs.npz") as f:
        return {k: f[k] for k in f.files}


def inputs(recorded: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    return tuple(recorded[k] for k in ("input_ids", "input_mask", "token_type_ids", "labels"))


def classify(bert: Any, ids: Any, mask: Any, types: Any, labels: Any) -> dict[str, Any]:
    return bert.classifier(bert.Config(), ids, mask, types, labels, NUM_LABELS)  # type: ignore[no-any-return]


def train_step(bert: Any, ids: Any, mask: Any, types: Any, labels: Any, grads: dict[str, Any]) -> Any:
    """The classifier, then its training step with ``grads`` (by variable name) in place of tf.gradients."""
    tf = sys.modules["tensorflow"]
    loss = classify(bert, ids, mask, types, labels)["loss"]
    tvars = tf.trainable_variables()
    bert.train_op([grads[v.op.name] for v in tvars], tvars)
    return loss


def test_variables_names_shapes_dtypes_and_collections_equal_tensorflows(bert: Any, recorded: Any) -> None:
    want = json.loads((FIXTURES / "variables.json").read_text())["variables"]
    with varscope.Graph().as_default() as g:
        grads = {k[len("grad/"):]: v for k, v in recorded.items() if k.startswith("grad/")}
        tf = sys.modules["tensorflow"]  # (TF 1.x code takes Tensors: a placeholder, a constant)
        train_step(bert, *[tf.constant(x) for x in inputs(recorded)], grads)
        keys = g.get_all_collection_keys()
        members = {k: {getattr(v, "name", None) for v in g.get_collection(k)} for k in keys}
        got = [{"name": v.name, "shape": v.shape.as_list(), "dtype": v.dtype.base_dtype.name,
                "collections": sorted(k for k in keys if v.name in members[k])}
               for v in g.get_collection("variables")]
    assert len(want) == 124
    assert got == want


def test_tf_checkpoint_loads_and_outputs_agree_under_transform_and_jit(bert: Any, recorded: Any) -> None:
    net = transform(lambda *a: {k: v for k, v in classify(bert, *a).items()})
    params = net.init(0, *inputs(recorded))
    loaded = vj.load_params(CKPT, keys=list(params))
    assert sorted(loaded) == sorted(params) and len(params) == 41
    for k in params:
        assert loaded[k].shape == params[k].shape and loaded[k].dtype == params[k].dtype, k
    for run in (net.apply, jax.jit(net.apply)):
        out = run(loaded, *inputs(recorded))
        for key in ("pooled", "logits", "loss"):
            np.testing.assert_allclose(np.asarray(out[key]), recorded[key], rtol=1e-5, atol=1e-5, err_msg=key)


def _check_step(new_params: Any, new_state: Any, recorded: Any) -> None:
    after = {k[len("after/"):]: v for k, v in recorded.items() if k.startswith("after/")}
    got = {**new_params, **new_state}
    assert sorted(got) == sorted(after)
    assert int(got["global_step"]) == 2
    for name, value in after.items():
        np.testing.assert_allclose(np.asarray(got[name]), value, rtol=1e-5, atol=1e-6, err_msg=name)


def _resume(bert: Any, recorded: Any) -> tuple[Any, Any, Any]:
    """The training step transformed, with params and state (slots, global_step = 1) from TF's checkpoint."""
    forward = transform(lambda *a: classify(bert, *a)["loss"])
    stepper = transform_with_state(lambda *a: train_step(bert, *a))
    params0 = forward.init(0, *inputs(recorded))
    ones = {k: np.ones_like(v) for k, v in params0.items()}  # (any gradients: init runs no update we keep)
    params, state = stepper.init(0, *inputs(recorded), ones)
    assert sorted(state)[:2] == ["bert/embeddings/LayerNorm/beta/adam_m", "bert/embeddings/LayerNorm/beta/adam_v"]
    assert len(state) == 2 * len(params) + 1
    ckpt = vj.load_params(CKPT)
    params = {k: ckpt[k] for k in params}
    state = {k: ckpt[k] for k in state}
    assert int(state["global_step"]) == 1
    return forward, stepper, (params, state)


def test_one_adam_weight_decay_step_from_tfs_gradients_equals_tensorflows(bert: Any, recorded: Any) -> None:
    _, stepper, (params, state) = _resume(bert, recorded)
    grads = {k[len("grad/"):]: v for k, v in recorded.items() if k.startswith("grad/")}
    _, new_params, new_state = stepper.update(params, state, *inputs(recorded), grads)
    _check_step(new_params, new_state, recorded)


def test_one_step_from_jax_grad_under_jit_equals_tensorflows(bert: Any, recorded: Any) -> None:
    forward, stepper, (params, state) = _resume(bert, recorded)

    @jax.jit
    def update(params: Any, state: Any, *batch: Any) -> Any:
        loss, grads = jax.value_and_grad(lambda p: forward.apply(p, *batch))(params)
        for name, g in grads.items():  # TF's gradients, within float32 noise
            np.testing.assert_equal(g.shape, recorded["grad/" + name].shape)
        _, new_params, new_state = stepper.update(params, state, *batch, grads)
        return loss, grads, new_params, new_state

    loss, grads, new_params, new_state = update(params, state, *inputs(recorded))
    np.testing.assert_allclose(float(loss), recorded["loss"], rtol=1e-5)
    for name, g in grads.items():
        np.testing.assert_allclose(np.asarray(g), recorded["grad/" + name], rtol=1e-4, atol=1e-6, err_msg=name)
    _check_step(new_params, new_state, recorded)


def test_init_from_checkpoint_with_the_assignment_map_inside_init(bert: Any, recorded: Any) -> None:
    covered: list[list[str]] = []

    def warm(*batch: Any) -> Any:
        out = classify(bert, *batch)
        covered.append(bert.warm_start(CKPT))
        return out["logits"]

    net = transform(warm)
    params = net.init(0, *inputs(recorded))
    assert len(covered[0]) == 41 and covered[0][0] == "bert/embeddings/LayerNorm/beta:0"
    ckpt = vj.load_params(CKPT)
    for name, value in params.items():
        np.testing.assert_array_equal(np.asarray(value), np.asarray(ckpt[name]), err_msg=name)
    np.testing.assert_allclose(np.asarray(net.apply(params, *inputs(recorded))), recorded["logits"],
                               rtol=1e-5, atol=1e-5)


def test_tensorflow_resumes_the_training_checkpoint_written_here(bert: Any, recorded: Any, tf_python: str,
                                                                 tmp_path: Path) -> None:
    import subprocess
    import textwrap

    _, stepper, (params, state) = _resume(bert, recorded)
    grads = {k[len("grad/"):]: v for k, v in recorded.items() if k.startswith("grad/")}
    _, new_params, new_state = stepper.update(params, state, *inputs(recorded), grads)
    prefix = tmp_path / "step2.ckpt"
    vj.save_params(prefix, {**new_params, **new_state}, var_info=stepper.var_info)
    script = textwrap.dedent("""
        import os, sys, numpy as np
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        sys.path.insert(0, sys.argv[1])
        import bert_style as b
        import tensorflow.compat.v1 as tf
        fx = np.load(sys.argv[3])
        with tf.Graph().as_default():
            ins = [tf.constant(fx[k]) for k in ("input_ids", "input_mask", "token_type_ids", "labels")]
            out = b.classifier(b.Config(), *ins, 3)
            tvars = tf.trainable_variables()
            b.train_op([tf.convert_to_tensor(g) for g in tf.gradients(out["loss"], tvars)], tvars)
            variables = tf.global_variables()
            with tf.Session() as sess:
                tf.train.Saver().restore(sess, sys.argv[2])   # every variable: params, slots, global_step
                values = sess.run(variables)
        print(len(variables), max(float(np.max(np.abs(v - fx["after/" + var.op.name])))
                                  for var, v in zip(variables, values)))
    """)
    out = subprocess.run([tf_python, "-c", script, str(EXAMPLE.parent), str(prefix), str(FIXTURES / "outputs.npz")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    count, diff = out.stdout.strip().splitlines()[-1].split()
    assert int(count) == 124 and float(diff) < 1e-5
