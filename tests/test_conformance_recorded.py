"""Replay the scenarios recorded from real TensorFlow (tests/fixtures/tf_*.json) on varscope.

Each scenario runs in a fresh ``varscope.Graph()`` and must produce exactly the records TensorFlow produced.
Re-record with ``.venv-tf/bin/python tools/record_tf.py --suite all`` after adding or changing scenarios.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parent
if str(_TESTS) not in sys.path:
    sys.path.insert(0, str(_TESTS))
_SRC = _TESTS.parent / "src"
if _SRC.is_dir() and str(_SRC) not in sys.path:
    sys.path.append(str(_SRC))

from conformance import harness  # noqa: E402
from conformance.replay import (as_json, diff_records, load_fixture, load_module_scenarios,  # noqa: E402
                                present_suites)

_SUITES = present_suites()
_FIXTURES = {s: load_fixture(s) for s in _SUITES}
_CASES = [(s, name) for s in _SUITES for name in sorted(_FIXTURES[s]["scenarios"])]


@pytest.fixture(scope="module")
def tf1():
    import varscope  # the library under test; failing here means it does not import

    return varscope


@pytest.mark.parametrize("suite", _SUITES)
def test_fixture_covers_module_scenarios(suite):
    """A scenario can't be silently dropped or added without re-recording."""
    recorded = set(_FIXTURES[suite]["scenarios"])
    defined = set(load_module_scenarios(suite))
    assert not (defined - recorded), "scenarios not recorded (re-run tools/record_tf.py): %s" % sorted(defined - recorded)
    assert not (recorded - defined), "recorded scenarios missing from the module: %s" % sorted(recorded - defined)


def test_core_fixture_present():
    assert "core" in _SUITES, "tests/fixtures/tf_core.json is missing (run tools/record_tf.py)"
    assert len(_FIXTURES["core"]["scenarios"]) >= 220


def test_surface_fixture_present():
    assert "surface" in _SUITES, "tests/fixtures/tf_surface.json is missing (run tools/record_tf.py --suite surface)"
    assert len(_FIXTURES["surface"]["scenarios"]) >= 170


@pytest.mark.parametrize("suite,name", _CASES, ids=["%s::%s" % c for c in _CASES])
def test_scenario_matches_tensorflow(tf1, suite, name):
    scenarios = load_module_scenarios(suite)
    if name not in scenarios:
        pytest.fail("scenario %s is recorded but no longer defined in the %s suite" % (name, suite))
    expected = _FIXTURES[suite]["scenarios"][name]
    actual = as_json(harness.run_scenarios(tf1, {name: scenarios[name]}, "varscope")[name])
    if actual != expected:
        pytest.fail("scenario %s differs from TensorFlow %s:\n%s"
                    % (name, _FIXTURES[suite].get("tensorflow"), diff_records(expected, actual)), pytrace=False)
