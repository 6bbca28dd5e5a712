"""Live: TensorFlow restores a ``transform_with_state`` training loop's checkpoint (``save_params`` with
``var_info``: Adam slots, ``beta1_power``/``beta2_power``, an int64 ``global_step``) and its next step is TF's.

The TF interpreter is ``$VARSCOPE_TF_PYTHON``, else ``.venv-tf/bin/python``; without one the test is skipped,
except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402

import varscope.jax as vj  # noqa: E402
from varscope import train  # noqa: E402

_TRAIN = Path(__file__).resolve().parents[1] / "train"
if str(_TRAIN) not in sys.path:
    sys.path.insert(0, str(_TRAIN))
import train_cases as C  # noqa: E402
from test_train_resume_live import check_tf_resumes  # noqa: E402
from train_replay import _model  # noqa: E402


def _transform_checkpoint(directory: Path) -> tuple[str, dict[str, Any]]:
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


def test_tf_resumes_a_transform_training_checkpoint(tmp_path: Path, tf_python: str) -> None:
    check_tf_resumes([_transform_checkpoint(tmp_path)], tmp_path, tf_python)
