"""Shared helpers for the replay tests: load fixtures, run scenarios on varscope, and diff records readably."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# suite name -> (scenario module, fixture path); keep in sync with tools/record_tf.py SUITES
SUITES = {
    "core": ("conformance.scenarios_core", ROOT / "tests" / "fixtures" / "tf_core.json"),
    "surface": ("conformance.scenarios_surface", ROOT / "tests" / "fixtures" / "tf_surface.json"),
}


def present_suites():
    """Suites whose fixture file exists."""
    return [s for s, (_, path) in SUITES.items() if path.exists()]


def load_fixture(suite):
    with open(SUITES[suite][1], encoding="utf-8") as f:
        return json.load(f)


def load_module_scenarios(suite):
    import importlib

    return importlib.import_module(SUITES[suite][0]).SCENARIOS


def as_json(records):
    """Round-trip through JSON so tuples/lists etc. compare exactly as they would in a fixture."""
    return json.loads(json.dumps(records, sort_keys=True))


def diff_records(expected, actual):
    """A readable diff of two record lists, starting with the first differing record."""
    exp_lines = [json.dumps(r, sort_keys=True) for r in expected]
    act_lines = [json.dumps(r, sort_keys=True) for r in actual]
    first = next((i for i, (a, b) in enumerate(zip(exp_lines, act_lines)) if a != b),
                 min(len(exp_lines), len(act_lines)))
    head = ["first difference at record #%d" % first,
            "  tensorflow: %s" % (exp_lines[first] if first < len(exp_lines) else "<no more records>"),
            "  varscope:   %s" % (act_lines[first] if first < len(act_lines) else "<no more records>"),
            ""]
    body = difflib.unified_diff(exp_lines, act_lines, "tensorflow", "varscope", lineterm="", n=2)
    return "\n".join(head + list(body))


def first_difference(expected, actual):
    exp_lines = [json.dumps(r, sort_keys=True) for r in expected]
    act_lines = [json.dumps(r, sort_keys=True) for r in actual]
    for i in range(max(len(exp_lines), len(act_lines))):
        e = exp_lines[i] if i < len(exp_lines) else "<none>"
        a = act_lines[i] if i < len(act_lines) else "<none>"
        if e != a:
            return i, e, a
    return None
