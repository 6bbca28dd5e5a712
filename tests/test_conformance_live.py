"""Live conformance: record the scenarios with real TensorFlow now and replay them on varscope.

The TF interpreter is ``$VARSCOPE_TF_PYTHON``, else ``.venv-tf/bin/python`` in the repository root.  Without one the
test is skipped, except when ``CI=true``, where it fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parent
_ROOT = _TESTS.parent
if str(_TESTS) not in sys.path:
    sys.path.insert(0, str(_TESTS))
_SRC = _ROOT / "src"
if _SRC.is_dir() and str(_SRC) not in sys.path:
    sys.path.append(str(_SRC))

from conformance import harness  # noqa: E402
from conformance.replay import SUITES, as_json, first_difference, load_module_scenarios  # noqa: E402


def _suites():
    return [s for s, (mod, _) in SUITES.items() if (_TESTS / (mod.replace(".", "/") + ".py")).exists()]


@pytest.mark.parametrize("suite", _suites())
def test_live_tensorflow_vs_varscope(suite, tmp_path, tf_python):
    py = tf_python
    out = tmp_path / ("tf_%s.json" % suite)
    proc = subprocess.run([py, str(_ROOT / "tools" / "record_tf.py"), "--suite", suite, "--out", str(out)],
                          cwd=str(_ROOT), capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, "recording with TensorFlow failed:\n%s" % proc.stderr[-5000:]
    data = json.loads(out.read_text(encoding="utf-8"))

    import varscope

    scenarios = load_module_scenarios(suite)
    assert set(data["scenarios"]) == set(scenarios)
    actual = as_json(harness.run_scenarios(varscope, scenarios, "varscope"))
    failures = []
    for name in sorted(scenarios):
        d = first_difference(data["scenarios"][name], actual[name])
        if d is not None:
            failures.append("%s: record #%d\n    tensorflow: %s\n    varscope:   %s" % ((name,) + d))
    assert not failures, "%d/%d scenarios differ from TensorFlow %s:\n%s" % (
        len(failures), len(scenarios), data.get("tensorflow"), "\n".join(failures))
