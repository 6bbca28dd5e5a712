"""``tf.summary`` on varscope against TensorFlow 2.21's graph-mode summary ops (``tools/record_tf_summaries.py``
-> ``tests/fixtures/tf_summaries.json``): names, op types, dtype, shape and collections; values are ``b""``
(TF's documented value for summaries it does not serialize); ``FileWriter`` raises."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from varscope.compat import v1

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "compat"))
from summary_cases import SCENARIOS  # noqa: E402

RECORD = json.loads((ROOT / "tests" / "fixtures" / "tf_summaries.json").read_text())["scenarios"]


def _describe(t: Any) -> Any:
    if t is None:
        return None
    return {"name": t.name, "op_type": t.op.type, "dtype": t.dtype.name, "shape": t.shape.as_list()}


@pytest.mark.parametrize("fn", SCENARIOS, ids=[fn.__name__ for fn in SCENARIOS])
def test_summary_ops_match_tensorflow(fn: Any) -> None:
    with v1.Graph().as_default() as graph:
        out = fn(v1)
        got = {"outputs": {k: _describe(v) for k, v in out.items()},
               "collections": {key: [t.name for t in graph.get_collection(key)]
                               for key in ("summaries", "my_summaries")}}
    assert got == RECORD[fn.__name__]
    for value in out.values():
        if value is not None:
            assert np.asarray(value._value).item() == b""


def test_file_writer_raises_naming_the_fix() -> None:
    with pytest.raises(NotImplementedError, match=r"FileWriter\('./logs'\): varscope writes no event files"):
        v1.summary.FileWriter("./logs")


def test_installed_tensorflow_has_summary() -> None:
    """``tf.summary.*`` is what TF1 files such as DCGAN's ``ops.py`` read at import time."""
    import varscope.compat

    with varscope.compat.install_as_tensorflow():
        import tensorflow as tf  # varscope's stand-in

        assert tf.summary.scalar is v1.summary.scalar
        assert tf.compat.v1.summary.merge is v1.summary.merge
        assert not hasattr(tf, "image_summary")  # TF 1.0's old names are gone in TF too (ops.py falls back)
