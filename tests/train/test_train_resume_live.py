"""Live: a training checkpoint written here (Adam slots, ``beta1_power``/``beta2_power``, ``global_step``) restores
in TensorFlow, whose next step gives TF's recorded values; from a NumPy graph's ``Saver`` and from a
``transform_with_state`` training loop's ``save_params``.

The TF interpreter is ``$VARSCOPE_TF_PYTHON``, else ``.venv-tf/bin/python``; without one the test is skipped,
except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import varscope as tf1
from varscope import train

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))
import train_cases as C  # noqa: E402
from test_train_recorded import DATA, _close, _model, _values  # noqa: E402

REC = DATA["optimizers"]["adam"]


def _numpy_checkpoint(directory: Path) -> tuple[str, dict[str, Any]]:
    with tf1.Graph().as_default() as graph:
        variables = _model("float32")
        step = train.get_or_create_global_step()
        opt = train.AdamOptimizer()
        for i in range(2):
            opt.apply_gradients(zip([C.gradients(i, "float32")[v.op.name] for v in variables], variables),
                                global_step=step)
        prefix = train.Saver().save(None, str(directory / "model.ckpt"), global_step=step)
        return prefix, _values(graph)


def _transform_checkpoint(directory: Path) -> tuple[str, dict[str, Any]]:
    jax = pytest.importorskip("jax")
    import jax.numpy as jnp

    import varscope.jax as vj

    def train_step(grads: dict[str, Any]) -> None:
        variables = _model("float32")
        step = train.get_or_create_global_step()
        train.AdamOptimizer().apply_gradients([(grads[v.op.name], v) for v in variables], global_step=step)

    model = vj.transform_with_state(train_step)
    grads = [{k: jnp.asarray(v) for k, v in C.gradients(i, "float32").items()} for i in range(2)]
    params, state = model.init(0, grads[0])
    update = jax.jit(model.update)
    for g in grads:
        _, params, state = update(params, state, g)
    prefix = str(directory / "model.ckpt-2")
    vj.save_params(prefix, {**params, **state}, var_info=model.var_info)
    return prefix, {k: np.asarray(v) for k, v in {**params, **state}.items()}


def test_tf_resumes_varscope_training_checkpoints(tmp_path: Path, tf_python: str) -> None:
    made = [_numpy_checkpoint(tmp_path / "numpy")]
    try:
        made.append(_transform_checkpoint(tmp_path / "jax"))
    except pytest.skip.Exception:
        pass
    out = tmp_path / "tf.json"
    proc = subprocess.run([tf_python, str(_HERE / "tf_train_resume_script.py"), str(out), *[p for p, _ in made]],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, "TensorFlow side failed:\n" + proc.stderr[-5000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    for prefix, values in made:
        got = results[prefix]
        _close(got["restored"], {k: np.asarray(v).tolist() for k, v in values.items()}, f"TF restored {prefix}")
        assert got["restored"]["global_step"] == 2
        _close(got["step_3"], REC["step_3"], f"TF's next step from {prefix}")
