"""The op cases of tests/compat/cases/, replayed on the NumPy backend against TensorFlow's records (replay.py).

Re-record with ``.venv-tf/bin/python tools/record_tf_ops.py [family ...]`` after adding or changing cases.
"""

from __future__ import annotations

from typing import Any

import pytest

from compat import replay

FAMILIES = replay.families()
FIXTURES = {f: replay.load_fixture(f) for f in FAMILIES}
CASES = {f: replay.load_cases(f) for f in FAMILIES}
PARAMS = [(f, name) for f in FAMILIES for name in sorted(FIXTURES[f][0]["cases"])]


@pytest.fixture(autouse=True)
def _tf1_shapes():
    from varscope._shape import v1_tensorshape

    with v1_tensorshape():
        yield


def test_families_present():
    assert {"array", "math", "control"} <= set(FAMILIES) or {"array", "math"} <= set(FAMILIES)


@pytest.mark.parametrize("family", FAMILIES)
def test_fixture_covers_cases(family):
    """A case cannot be added or dropped without re-recording."""
    recorded = set(FIXTURES[family][0]["cases"])
    defined = set(CASES[family])
    assert defined == recorded, f"re-run tools/record_tf_ops.py {family}: not recorded {sorted(defined - recorded)}, " \
                                f"recorded but gone {sorted(recorded - defined)}"


def _run_numpy(c: Any) -> Any:
    import varscope
    from varscope.compat import v1 as tf

    with varscope.Graph().as_default():
        return replay.describe(c.fn(tf, **{k: v.copy() for k, v in c.inputs.items()}))


@pytest.mark.parametrize("family,name", PARAMS)
def test_case_numpy(family, name):
    """On the NumPy backend, in a plain graph."""
    replay.check_case(family, name, FIXTURES[family], lambda: _run_numpy(CASES[family][name]))


SIGNED = [(f, op) for f in FAMILIES for op in sorted(FIXTURES[f][0].get("signatures", {}))]


def _signature(fn: Any) -> list[list[Any]]:
    import inspect

    out = []
    for p in inspect.signature(fn).parameters.values():
        d = p.default
        if d is inspect.Parameter.empty:
            default = None
        elif isinstance(d, (bool, int, float, str)) or d is None:
            default = ["value", d]
        else:
            default = ["repr", getattr(d, "name", None) or type(d).__name__]
        out.append([p.name, p.kind.name, default])
    return out


@pytest.mark.parametrize("family,op", SIGNED)
def test_signature_is_tfs(family, op):
    """Each op takes TF's parameters: names, kinds and defaults (``inspect.signature``, annotations aside)."""
    from varscope.compat import v1 as tf

    fn: Any = tf
    for part in op.split("."):
        fn = getattr(fn, part)
    assert _signature(fn) == FIXTURES[family][0]["signatures"][op]
