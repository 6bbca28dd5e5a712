"""Live: record the layer cases with real TensorFlow now (tools/record_tf_layers.py --out) and check that the
committed fixture still says what TF says (names, shapes, dtypes, collections, UPDATE_OPS, regularization losses,
errors) and that varscope's NumPy replay agrees with the fresh recording (its own random initial values).

The TF interpreter is ``$VARSCOPE_TF_PYTHON``, else ``.venv-tf/bin/python`` (with tf_keras and tf-slim); without
one the test is skipped, except when ``CI=true``, where it fails.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np

from test_tf_layers_recorded import CASES, RECORDS, replay_numpy

ROOT = Path(__file__).resolve().parents[2]


def test_live_tensorflow_layers_vs_fixture_and_varscope(tf_python: str, tmp_path: Path) -> None:
    proc = subprocess.run([tf_python, str(ROOT / "tools" / "record_tf_layers.py"), "--out", str(tmp_path)],
                          cwd=str(ROOT), capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, "recording with TensorFlow failed:\n" + proc.stderr[-5000:]
    live = json.loads((tmp_path / "layers.json").read_text())["cases"]
    assert set(live) == set(RECORDS) == set(CASES)
    with np.load(tmp_path / "layers.npz") as npz:
        arrays = {k: npz[k] for k in npz.files}
    for name, rec in live.items():
        assert rec == RECORDS[name], f"{name}: TF now records something else than the committed fixture"
        replay_numpy(name, rec, arrays)
