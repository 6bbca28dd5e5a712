"""``examples/dcgan_style.py`` (TF1 DCGAN code, unchanged) on varscope against TensorFlow 2.21's recording
(``tools/record_tf_dcgan.py`` -> ``tests/fixtures/dcgan_style/``).

Checked: the variables (names, shapes, dtypes, collections, in TF's order), TF's checkpoint loading, the
generator (training mode), both discriminator passes and the sampler (batch norm in inference) within 1e-5
eagerly and under ``jit``, the moving statistics after one training pass, the losses' gradients, one Adam step
of each optimizer (slots, ``beta1_power``/``beta2_power`` of both, ``global_step``), and a second step resumed
from TF's training checkpoint; live (skipped without a TF interpreter, as the ``tf_python`` fixture says): a
checkpoint written here restores in TF and TF's next step is the one taken here.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator

import numpy as np
import pytest

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402

import varscope.compat  # noqa: E402
import varscope.jax as vj  # noqa: E402
from varscope.compat import jax as cj  # noqa: E402
from varscope.compat import v1  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "dcgan_style"
RECORD = json.loads((FIXTURES / "variables.json").read_text())
TF = dict(np.load(FIXTURES / "outputs.npz"))
TOL = 1e-5


@pytest.fixture
def dcgan() -> Iterator[ModuleType]:
    """The example module, imported with varscope installed as ``tensorflow`` (TF 1.x behaviour on)."""
    with varscope.compat.install_as_tensorflow():
        spec = importlib.util.spec_from_file_location("dcgan_style", ROOT / "examples" / "dcgan_style.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module


def _build(dcgan: ModuleType, images: Any, z: Any) -> Any:
    return dcgan.DCGAN().build(images, z)


def _forward(dcgan: ModuleType) -> Any:
    def forward(images: Any, z: Any) -> dict[str, Any]:
        m = _build(dcgan, images, z)
        return {"G": m.G, "D_logits": m.D_logits, "sample": m.sample, "D_logits_": m.D_logits_,
                "d_loss": m.d_loss, "g_loss": m.g_loss}
    return cj.transform_with_state(forward)


def _train_step(dcgan: ModuleType) -> Any:
    def train_step(images: Any, z: Any, d_grads: dict[str, Any], g_grads: dict[str, Any]) -> None:
        m = _build(dcgan, images, z)
        m.train_ops([d_grads[v.op.name] for v in m.d_vars], [g_grads[v.op.name] for v in m.g_vars])
    return cj.transform_with_state(train_step)


def _inputs() -> tuple[Any, Any]:
    return jnp.asarray(TF["images"]), jnp.asarray(TF["z"])


def _tf_checkpoint(prefix: str, params: dict[str, Any], state: dict[str, Any]) -> tuple[dict, dict]:
    loaded = vj.load_params(FIXTURES / prefix)
    assert set(params) | set(state) <= set(loaded), sorted(set(params) | set(state) - set(loaded))
    return ({k: loaded[k] for k in params}, {k: jnp.asarray(loaded[k], state[k].dtype) for k in state})


def _grads(forward: Any, params: dict, state: dict, images: Any, z: Any) -> tuple[dict, dict]:
    def loss(p: dict, key: str) -> Any:
        return forward.apply(p, state, images, z)[0][key]
    d = jax.grad(loss)(params, "d_loss")
    g = jax.grad(loss)(params, "g_loss")
    d_names = [n[:-2] for n in RECORD["d_vars"]]
    g_names = [n[:-2] for n in RECORD["g_vars"]]
    return {k: d[k] for k in d_names}, {k: g[k] for k in g_names}


def _close(actual: Any, expected: Any, what: str) -> None:
    """Within 1e-5, and within 1e-4 of the values' scale (the generator's outputs are ~1e-4: 1e-5 alone
    would let them be anything)."""
    actual = np.asarray(actual)
    np.testing.assert_allclose(actual, expected, rtol=TOL, atol=TOL, err_msg=what)
    scale = float(np.abs(expected).max())
    assert float(np.abs(actual - expected).max()) <= 1e-4 * scale + 1e-9, (what, np.abs(actual - expected).max(), scale)


def test_variables_match_tensorflow(dcgan: ModuleType) -> None:
    with v1.Graph().as_default() as graph:
        m = _build(dcgan, v1.constant(TF["images"]), v1.constant(TF["z"]))
        m.train_ops([np.zeros(v.shape.as_list(), np.float32) for v in m.d_vars],
                    [np.zeros(v.shape.as_list(), np.float32) for v in m.g_vars])
        collections = {key: [v.name for v in graph.get_collection(key)]
                       for key in graph.get_all_collection_keys()}
        got = [{"name": v.name, "shape": v.shape.as_list(), "dtype": v.dtype.base_dtype.name,
                "collections": sorted(k for k, names in collections.items() if v.name in names)}
               for v in v1.global_variables()]
        assert [op.name for op in graph.get_collection(v1.GraphKeys.UPDATE_OPS)] == RECORD["update_ops"] == []
        assert sorted(collections) == RECORD["collection_keys"]
        assert [v.name for v in m.d_vars] == RECORD["d_vars"]
        assert [v.name for v in m.g_vars] == RECORD["g_vars"]
    assert got == RECORD["variables"]


def test_forward_matches_tensorflow(dcgan: ModuleType) -> None:
    images, z = _inputs()
    forward = _forward(dcgan)
    params, state = forward.init(0, images, z)
    params, state = _tf_checkpoint("model.ckpt", params, state)
    for run in (forward.apply, jax.jit(forward.apply)):
        out, new_state = run(params, state, images, z)
        for key in ("G", "sample", "D_logits", "D_logits_"):
            _close(out[key], TF[key], key)
        _close(out["d_loss"], TF["d_loss"], "d_loss")
        _close(out["g_loss"], TF["g_loss"], "g_loss")
        stats = {k[len("stats/"):]: v for k, v in TF.items() if k.startswith("stats/")}
        assert sorted(new_state) == sorted(stats)
        for key, value in stats.items():
            _close(new_state[key], value, key)


def test_sampler_reads_the_moving_statistics(dcgan: ModuleType) -> None:
    """Inference uses the state given: other moving statistics give another sample."""
    images, z = _inputs()
    forward = _forward(dcgan)
    params, state = _tf_checkpoint("model.ckpt", *forward.init(0, images, z))
    scaled = {k: v * 4 if k.endswith("moving_variance") else v for k, v in state.items()}
    out, _ = forward.apply(params, scaled, images, z)
    _close(out["G"], TF["G"], "G (training mode ignores the moving statistics)")
    assert np.abs(np.asarray(out["sample"]) - TF["sample"]).max() > 0.1 * np.abs(TF["sample"]).max()


def test_gradients_match_tensorflow(dcgan: ModuleType) -> None:
    images, z = _inputs()
    forward = _forward(dcgan)
    params, state = _tf_checkpoint("model.ckpt", *forward.init(0, images, z))
    d, g = _grads(forward, params, state, images, z)
    for key, value in d.items():
        _close(value, TF["d_grad/" + key], "d_grad/" + key)
    for key, value in g.items():
        _close(value, TF["g_grad/" + key], "g_grad/" + key)


def _step(dcgan: ModuleType, checkpoint: str, jit: bool) -> tuple[Any, dict, dict]:
    images, z = _inputs()
    forward = _forward(dcgan)
    step = _train_step(dcgan)
    fparams, fstate = forward.init(0, images, z)
    d0, g0 = _grads(forward, fparams, fstate, images, z)
    params, state = _tf_checkpoint(checkpoint, *step.init(0, images, z, d0, g0))
    fstate = {k: state[k] for k in fstate}
    d, g = _grads(forward, params, fstate, images, z)
    update = jax.jit(step.update) if jit else step.update
    _, params, state = update(params, state, images, z, d, g)
    return step, params, state


@pytest.mark.parametrize("jit", [False, True])
def test_one_adam_step_of_each_optimizer_matches_tensorflow(dcgan: ModuleType, jit: bool) -> None:
    step, params, state = _step(dcgan, "model.ckpt", jit)
    _check_step(params, state, "step1")


def test_tf_training_checkpoint_resumes_here(dcgan: ModuleType) -> None:
    """TF's checkpoint after one step (slots, beta powers, global_step 1) loads; the next step is TF's."""
    step, params, state = _step(dcgan, "train.ckpt", True)
    _check_step(params, state, "step2")


def _check_step(params: dict, state: dict, prefix: str) -> None:
    expected = {k[len(prefix) + 1:]: v for k, v in TF.items() if k.startswith(prefix + "/")}
    assert sorted(set(params) | {k for k in state if "moving_" not in k}) == sorted(expected)
    for key, value in expected.items():
        actual = params[key] if key in params else state[key]
        if key == "global_step":
            assert int(actual) == int(value)
        else:
            _close(actual, value, f"{prefix}/{key}")


def test_checkpoint_written_here_resumes_in_tensorflow(dcgan: ModuleType, tmp_path: Path, tf_python: str) -> None:
    """Live: ``save_params`` of the state after one step here (Adam slots, beta powers, int64 ``global_step``);
    TF's Saver restores it into the TF program, gets these values, and its next step is the one taken here."""
    images, z = _inputs()
    step, params, state = _step(dcgan, "model.ckpt", True)
    prefix = str(tmp_path / "here.ckpt-1")
    vj.save_params(prefix, {**params, **state}, var_info=step.var_info)
    saved = {k: np.asarray(v) for k, v in {**params, **state}.items()}
    forward = _forward(dcgan)
    d, g = _grads(forward, params, {k: state[k] for k in state if "moving_" in k}, images, z)
    _, next_params, next_state = jax.jit(step.update)(params, state, images, z, d, g)
    out = tmp_path / "tf.npz"
    env = {**os.environ, "TF_USE_LEGACY_KERAS": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    proc = subprocess.run([tf_python, str(Path(__file__).with_name("dcgan_tf_resume_script.py")), prefix, str(out)],
                          capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, "TensorFlow side failed:\n" + proc.stderr[-5000:]
    tf_out = dict(np.load(out))
    restored = {k[len("restored/"):]: v for k, v in tf_out.items() if k.startswith("restored/")}
    assert sorted(restored) == sorted(saved)
    for key, value in saved.items():
        assert restored[key].dtype == (np.int64 if key == "global_step" else np.float32), key
        np.testing.assert_array_equal(restored[key], value, err_msg=key)
    stepped = {k[len("step/"):]: v for k, v in tf_out.items() if k.startswith("step/")}
    assert int(stepped["global_step"]) == 2 and int(next_state["global_step"]) == 2
    for key, value in stepped.items():
        if key != "global_step":
            _close(next_params[key] if key in next_params else next_state[key], value, f"TF's step/{key}")
