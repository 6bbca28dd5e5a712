"""Live: record the op cases with real TensorFlow now; the committed fixtures must be what TensorFlow gives.

This catches a case changed without re-recording (the recorded fixtures are what the replay tests check). The TF
interpreter is ``$VARSCOPE_TF_PYTHON``, else ``.venv-tf/bin/python``; without one the test skips, except under
``CI=true``, where it fails.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from compat import replay

ROOT = Path(__file__).resolve().parents[2]


def test_committed_fixtures_are_what_tensorflow_records(tmp_path, tf_python):
    proc = subprocess.run([tf_python, str(ROOT / "tools" / "record_tf_ops.py"), "--out", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, "recording with TensorFlow failed:\n" + proc.stderr[-5000:]
    for family in replay.families():
        live = json.loads((tmp_path / f"{family}.json").read_text(encoding="utf-8"))
        committed, arrays = replay.load_fixture(family)
        assert live["cases"] == committed["cases"], f"re-run tools/record_tf_ops.py {family}"
        assert live["signatures"] == committed["signatures"], f"re-run tools/record_tf_ops.py {family}"
        with np.load(tmp_path / f"{family}.npz", allow_pickle=False) as npz:
            assert sorted(npz.files) == sorted(arrays)
            for key in npz.files:
                np.testing.assert_array_equal(npz[key], arrays[key], err_msg=f"{family}: {key}")


@pytest.mark.parametrize("family", replay.families())
def test_fixture_family_matches_its_file(family):
    assert replay.load_fixture(family)[0]["family"] == family
