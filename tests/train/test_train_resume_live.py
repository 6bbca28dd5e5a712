"""Live: a training checkpoint written here (Adam slots, ``beta1_power``/``beta2_power``, ``global_step``) restores
in TensorFlow, whose next step gives TF's recorded values; from a NumPy graph's ``Saver`` (the
``transform_with_state`` loop's ``save_params``: ``tests/backend_jax/test_train_resume_tf_live.py``).

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
import varscope as tf1
from varscope import train

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))
import train_cases as C  # noqa: E402
from train_replay import DATA, _close, _model, _values  # noqa: E402

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


def test_tf_resumes_varscope_training_checkpoints(tmp_path: Path, tf_python: str) -> None:
    check_tf_resumes([_numpy_checkpoint(tmp_path / "numpy")], tmp_path, tf_python)


def check_tf_resumes(made: list[tuple[str, dict[str, Any]]], tmp_path: Path, tf_python: str) -> None:
    """TF restores each ``(prefix, values)``, gets ``values``, and its next step is TF's recorded third step."""
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
