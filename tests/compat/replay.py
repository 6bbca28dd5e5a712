"""Replay the op cases recorded from TensorFlow (tests/fixtures/tf_ops/) on varscope.compat.

Three modes per case: ``numpy`` (a plain graph, NumPy inputs), ``transform`` (inside
``varscope.jax.transform``'s ``apply``, JAX inputs) and ``jit`` (the same under ``jax.jit``, tracer inputs). In
each, the outputs' names, op types, dtypes and static shapes must equal TensorFlow's, the values must agree
within 1e-6 relative (1e-6 absolute near zero), and errors must have TF's type and message (the message up to
TF's `` for '{{node ...`` graph dump, which names the node: varscope's message must name the same node).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = ROOT / "tests" / "compat" / "cases"
FIXTURES = ROOT / "tests" / "fixtures" / "tf_ops"
if str(CASES_DIR) not in sys.path:
    sys.path.insert(0, str(CASES_DIR))

import _case  # noqa: E402

RTOL = 1e-6
ATOL = 1e-6


def families() -> list[str]:
    return sorted(p.stem for p in FIXTURES.glob("*.json"))


def load_cases(family: str) -> dict[str, _case.Case]:
    import importlib.util

    if family not in _case.CASES:
        spec = importlib.util.spec_from_file_location(f"{family}_cases", CASES_DIR / f"{family}_cases.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return _case.CASES.get(family, {})


def load_fixture(family: str) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    data = json.loads((FIXTURES / f"{family}.json").read_text(encoding="utf-8"))
    with np.load(FIXTURES / f"{family}.npz", allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return data, arrays


def _message(text: str) -> tuple[str, str | None]:
    head, sep, rest = text.partition(" for '{{node ")
    return head, (rest.split("}}", 1)[0] if sep else None)


def check_run_error(record: dict[str, Any], err: BaseException) -> None:
    """An error TF raises when the graph runs (a gather index out of range): varscope raises it while building,
    with the same type, and its message is the line of TF's message that says what went wrong."""
    assert type(err).__name__ == record["type"], f"error type {type(err).__name__} != TF's {record['type']}: {err}"
    assert str(err) and str(err) in record["message"], f"message {str(err)!r} not in TF's {record['message']!r}"


def check_error(record: dict[str, Any], err: BaseException) -> None:
    want_head, want_node = _message(record["message"])
    assert type(err).__name__ == record["type"], f"error type {type(err).__name__} != TF's {record['type']}: {err}"
    got = str(err)
    assert got.startswith(want_head), f"message {got!r} != TF's {want_head!r}"
    if want_node is not None:
        assert f"{{{{node {want_node}}}}}" in got or got == want_head, (
            f"message {got!r} does not name TF's node {want_node}")


def describe(out: Any) -> tuple[list[dict[str, Any]], list[Any]]:
    """Metadata records of a case's outputs (as the recorder writes them, without values) and the values."""
    import varscope

    meta: list[dict[str, Any]] = []
    values: list[Any] = []
    for key, value in _case.flatten_outputs(out):
        if hasattr(value, "op") and hasattr(value, "dtype") and not isinstance(value, np.ndarray):
            shape = value.shape
            meta.append({"key": key, "name": value.name, "op_type": value.op.type,
                         "dtype": value.dtype.base_dtype.name, "shape": None if shape.rank is None else
                         [None if d is None else int(d) for d in shape.as_list()]})
            values.append(value.value() if isinstance(value, varscope.Variable) else value._value)
        else:
            meta.append({"key": key, "python": _case.describe_python(value)})
            values.append(None)
    return meta, values


def check_outputs(family: str, name: str, record: dict[str, Any], arrays: dict[str, np.ndarray],
                  meta: list[dict[str, Any]], values: list[Any]) -> None:
    want = record["outputs"]
    stripped = [{k: v for k, v in o.items() if k not in ("strings", "value_shape")} for o in want]
    assert meta == stripped, f"{family}/{name}: outputs differ from TF's:\n got  {meta}\n want {stripped}"
    for entry, value in zip(want, values):
        if "python" in entry:
            continue
        got = np.asarray(value)
        if "strings" in entry:
            flat = [s.decode() if isinstance(s, bytes) else s for s in got.ravel().tolist()]
            assert flat == entry["strings"] and list(got.shape) == entry["value_shape"]
            continue
        expected = arrays[f"{name}/{entry['key']}"]
        assert got.shape == expected.shape, f"{family}/{name}[{entry['key']}]: shape {got.shape} != {expected.shape}"
        if expected.dtype.kind in "fc":
            np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL,
                                       err_msg=f"{family}/{name}[{entry['key']}]")
        else:
            np.testing.assert_array_equal(got.astype(expected.dtype), expected,
                                          err_msg=f"{family}/{name}[{entry['key']}]")


def check_case(family: str, name: str, fixture: tuple[dict[str, Any], dict[str, np.ndarray]], run: Any) -> None:
    """Run a case (``run() -> (meta, values)``) and compare with its record: the outputs, or the error."""
    import pytest

    record = fixture[0]["cases"][name]
    for kind, check in (("error", check_error), ("run_error", check_run_error)):
        if kind in record:
            with pytest.raises(Exception) as info:
                run()
            check(record[kind], info.value)
            return
    meta, values = run()
    check_outputs(family, name, record, fixture[1], meta, values)
