"""Every public callable of ``varscope`` mirroring ``tf.compat.v1`` takes TF's parameters: the same names,
kinds, order and defaults (recorded from TensorFlow 2.21 by ``tools/record_tf_signatures.py``)."""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path

import pytest

import varscope as tf1

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from record_tf_signatures import params  # noqa: E402  (what the recording does, applied to varscope)

_FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "tf_signatures.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(_FIXTURE["functions"]))
def test_signature_equals_tensorflows(name: str) -> None:
    assert params(getattr(tf1, name), skip_self=True) == _FIXTURE["functions"][name]


@pytest.mark.parametrize("name", sorted(_FIXTURE["graph_methods"]))
def test_graph_method_signature_equals_tensorflows(name: str) -> None:
    assert params(getattr(tf1.Graph, name), skip_self=True) == _FIXTURE["graph_methods"][name]


def test_public_callables_keep_their_docstrings_and_source() -> None:
    for name in _FIXTURE["functions"]:
        obj = getattr(tf1, name)
        assert (obj.__doc__ or "").strip(), name
        assert inspect.getsource(obj), name


@pytest.mark.parametrize("path", sorted(_FIXTURE.get("compat_ops", {})))
def test_compat_op_signature_equals_tensorflows(path: str) -> None:
    from varscope.compat import v1

    obj = v1
    for part in path.removeprefix("v2:").split("."):
        obj = getattr(obj, part)
    assert params(obj, skip_self=True) == _FIXTURE["compat_ops"][path]
