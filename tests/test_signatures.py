"""Every public callable of ``varscope`` mirroring ``tf.compat.v1`` takes TF's parameters: the same names,
kinds, order and defaults (recorded from TensorFlow 2.21 by ``tools/record_tf_signatures.py``)."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import pytest

import varscope as tf1

_FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "tf_signatures.json").read_text(encoding="utf-8"))


def _default(p: inspect.Parameter) -> Any:
    if p.default is inspect.Parameter.empty:
        return None
    d = p.default
    if isinstance(d, (bool, int, float, str)) or d is None:
        return ["value", d]
    return ["repr", getattr(d, "name", None) or type(d).__name__]


def _params(obj: Any) -> list[list[Any]]:
    target = obj.__init__ if inspect.isclass(obj) else obj
    out = []
    for i, p in enumerate(inspect.signature(target).parameters.values()):
        if i == 0 and p.name == "self":
            continue
        out.append([p.name, p.kind.name, _default(p)])
    return out


@pytest.mark.parametrize("name", sorted(_FIXTURE["functions"]))
def test_signature_equals_tensorflows(name: str) -> None:
    assert _params(getattr(tf1, name)) == _FIXTURE["functions"][name]


@pytest.mark.parametrize("name", sorted(_FIXTURE["graph_methods"]))
def test_graph_method_signature_equals_tensorflows(name: str) -> None:
    assert _params(getattr(tf1.Graph, name)) == _FIXTURE["graph_methods"][name]


def test_public_callables_keep_their_docstrings_and_source() -> None:
    for name in _FIXTURE["functions"]:
        obj = getattr(tf1, name)
        assert (obj.__doc__ or "").strip(), name
        assert inspect.getsource(obj), name
