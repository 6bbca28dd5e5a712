#!/usr/bin/env python
"""Record TensorFlow's ``tf.compat.v1.summary`` ops (graph mode) for the scenarios of
``tests/compat/summary_cases.py``: each summary tensor's name, op type, dtype and shape, and the ``summaries``
(and ``my_summaries``) collections, to ``tests/fixtures/tf_summaries.json`` (written to a temporary name, then
renamed). The values (serialized Summary protos) are not recorded: varscope's summary ops hold ``b""``.

Usage: ``.venv-tf/bin/python tools/record_tf_summaries.py``
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "compat"))

import tensorflow.compat.v1 as tf  # noqa: E402
from summary_cases import SCENARIOS  # noqa: E402

tf.disable_v2_behavior()


def describe(t):
    if t is None:
        return None
    return {"name": t.name, "op_type": t.op.type, "dtype": t.dtype.name, "shape": t.shape.as_list()}


def main() -> None:
    record = {"tensorflow": tf.__version__, "scenarios": {}}
    for fn in SCENARIOS:
        with tf.Graph().as_default() as graph:
            out = fn(tf)
            record["scenarios"][fn.__name__] = {
                "outputs": {k: describe(v) for k, v in out.items()},
                "collections": {key: [t.name for t in graph.get_collection(key)]
                                for key in ("summaries", "my_summaries")}}
    path = ROOT / "tests" / "fixtures" / "tf_summaries.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    os.replace(tmp, path)
    print(f"{len(SCENARIOS)} scenarios -> {path}")


if __name__ == "__main__":
    main()
