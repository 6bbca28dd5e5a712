#!/usr/bin/env python
"""Record what real TensorFlow does for the conformance scenarios.

Usage (with the TensorFlow interpreter):

    .venv-tf/bin/python tools/record_tf.py                      # suite "core" -> tests/fixtures/tf_core.json
    .venv-tf/bin/python tools/record_tf.py --suite surface      # tests/conformance/scenarios_surface.py -> tf_surface.json
    .venv-tf/bin/python tools/record_tf.py --suite all          # every suite whose module exists
    .venv-tf/bin/python tools/record_tf.py --suite core --out /tmp/x.json
    .venv-tf/bin/python tools/record_tf.py --only reuse_chain_observed --print   # debug: print, write nothing

A suite is a module ``tests/conformance/scenarios_<suite>.py`` with a ``SCENARIOS`` dict; add its name to ``SUITES``.
The fixture is ``{"tensorflow": <version>, "scenarios": {name: records}}`` (sorted keys, indent 1).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"

# suite name -> (module under tests/, fixture path relative to the repo root)
SUITES = {
    "core": ("conformance.scenarios_core", "tests/fixtures/tf_core.json"),
    "surface": ("conformance.scenarios_surface", "tests/fixtures/tf_surface.json"),
}


def _import_tests_module(modname):
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    return importlib.import_module(modname)


def suite_available(suite: str) -> bool:
    modname = SUITES[suite][0]
    return (TESTS / (modname.replace(".", "/") + ".py")).exists()


def load_scenarios(suite: str):
    return _import_tests_module(SUITES[suite][0]).SCENARIOS


def fixture_path(suite: str) -> Path:
    return ROOT / SUITES[suite][1]


def dump_fixture(data, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, sort_keys=True, indent=1, ensure_ascii=True)
    path.write_text(text + "\n", encoding="utf-8")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--suite", default="core", help="suite name (%s) or 'all'" % ", ".join(SUITES))
    p.add_argument("--out", default=None, help="output path (only with a single suite)")
    p.add_argument("--only", action="append", default=[], help="run only these scenarios (repeatable)")
    p.add_argument("--print", dest="do_print", action="store_true", help="print the records instead of writing")
    args = p.parse_args(argv)

    if args.suite == "all":
        suites = [s for s in SUITES if suite_available(s)]
    elif args.suite in SUITES:
        suites = [args.suite]
    else:
        p.error("unknown suite %r (known: %s)" % (args.suite, ", ".join(SUITES)))
    if args.out and len(suites) != 1:
        p.error("--out needs exactly one suite")

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    tf1 = tf.compat.v1
    harness = _import_tests_module("conformance.harness")

    for suite in suites:
        scenarios = load_scenarios(suite)
        if args.only:
            missing = [n for n in args.only if n not in scenarios]
            if missing:
                p.error("unknown scenario(s) in suite %s: %s" % (suite, ", ".join(missing)))
            scenarios = {n: scenarios[n] for n in args.only}
        records = harness.run_scenarios(tf1, scenarios, "tf")
        if args.do_print or args.only:
            for name in sorted(records):
                print("== %s" % name)
                for rec in records[name]:
                    print("   ", json.dumps(rec))
            if args.only and not args.out:
                continue
        data = {"tensorflow": tf.__version__, "scenarios": records}
        out = Path(args.out) if args.out else fixture_path(suite)
        dump_fixture(data, out)
        print("wrote %d scenarios of suite %s to %s" % (len(records), suite, out), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
