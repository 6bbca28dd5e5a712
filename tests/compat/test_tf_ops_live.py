"""Live: record the op cases with real TensorFlow now; the committed fixtures must be what TensorFlow gives.

This catches a case changed without re-recording (the recorded fixtures are what the replay tests check). The TF
interpreter is ``$VARSCOPE_TF_PYTHON``, else ``.venv-tf/bin/python``; without one the test skips, except under
``CI=true``, where it fails.

Integer, boolean and string outputs must be equal. Floating-point outputs must be equal up to the CPU's rounding:
TensorFlow's own kernels (oneDNN and Eigen pick their code by the CPU's vector ISA: SSE4.1, AVX2, AVX-512, AMX)
sum in a different order on different CPUs, and measured on one machine, recording the same cases with oneDNN
held to AVX2 or SSE4.1 moved matmul, conv and softmax outputs by up to 8 float32 ULPs of the output's largest
value. So each element may differ by 16 machine epsilons of ``max(1, max |committed|)``; any change to a case moves
its outputs by orders of magnitude more.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from compat import replay

ROOT = Path(__file__).resolve().parents[2]
CPU_ROUNDING_EPS = 16


def assert_same_up_to_cpu_rounding(live: np.ndarray, committed: np.ndarray, what: str) -> None:
    """``live`` equals ``committed`` exactly, or for floats within the rounding different CPUs give."""
    assert live.dtype == committed.dtype and live.shape == committed.shape, \
        f"{what}: {live.dtype}{live.shape} != {committed.dtype}{committed.shape}"
    if committed.dtype.kind not in "fc":
        np.testing.assert_array_equal(live, committed, err_msg=what)
        return
    finite = np.isfinite(committed)
    np.testing.assert_array_equal(finite, np.isfinite(live), err_msg=f"{what}: where inf/nan are")
    np.testing.assert_array_equal(live[~finite], committed[~finite], err_msg=what)
    scale = max(1.0, float(np.max(np.abs(committed[finite]), initial=0.0)))
    np.testing.assert_allclose(live[finite], committed[finite], rtol=0,
                               atol=CPU_ROUNDING_EPS * float(np.finfo(committed.dtype).eps) * scale, err_msg=what)


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
                assert_same_up_to_cpu_rounding(npz[key], arrays[key], f"{family}: {key}")


@pytest.mark.parametrize("family", replay.families())
def test_fixture_family_matches_its_file(family):
    assert replay.load_fixture(family)[0]["family"] == family


def test_cpu_rounding_allowance_passes_ulps_and_catches_real_changes():
    committed = np.array([[0.5, -3.0], [np.inf, 1e-9]], np.float32)
    eight_ulps = committed.copy()
    eight_ulps[0, 1] = np.float32(-3.0) - 8 * np.spacing(np.float32(3.0))
    assert_same_up_to_cpu_rounding(eight_ulps, committed, "ulps")
    for changed in (committed + np.float32(1e-4) * np.array([[0, 0], [0, 1]], np.float32),
                    np.where(np.isinf(committed), np.float32(np.nan), committed),
                    committed.astype(np.float64)):
        with pytest.raises(AssertionError):
            assert_same_up_to_cpu_rounding(changed, committed, "changed")
    with pytest.raises(AssertionError):
        assert_same_up_to_cpu_rounding(np.array([1, 2], np.int32), np.array([1, 3], np.int32), "ints")
