#!/usr/bin/env python
"""Record TensorFlow's results for the op cases of ``tests/compat/cases/<family>_cases.py``.

Usage (with the TensorFlow interpreter)::

    .venv-tf/bin/python tools/record_tf_ops.py            # every family
    .venv-tf/bin/python tools/record_tf_ops.py array math  # some
    .venv-tf/bin/python tools/record_tf_ops.py --out /tmp/ops  # elsewhere (the live test compares)

Each case runs in a fresh ``tf.Graph`` in graph mode (``tf.compat.v1``, TF 1.x behaviour); its output tensors
are evaluated in a ``Session``. ``tests/fixtures/tf_ops/<family>.json`` gets, per case, each output's name, op
type, dtype and static shape (or the Python value, or the error's type and message), and
``tests/fixtures/tf_ops/<family>.npz`` the values (keys ``<case>/<output>``; no pickle). The family file's ``OPS``
list names the ops whose ``inspect.signature`` is recorded too (``"math.top_k"`` for a sub-namespace; ``"v2:nn.gelu"``
for a name TF exports only in TF 2's namespace). The files are written
to a temporary name and renamed, so an interrupted run leaves the old fixture.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# oneDNN on whatever the CPU: TF turns it on by default only on CPUs with AVX-512 VNNI / AMX, and without it
# the CPU kernels refuse the NCHW cases (max_pool, conv2d, depthwise) that the fixtures record.
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1"
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = ROOT / "tests" / "compat" / "cases"
OUT_DIR = ROOT / "tests" / "fixtures" / "tf_ops"


def load_family(family: str) -> dict[str, Any]:
    """Import ``<family>_cases.py`` and return its cases (``_case.CASES[family]``)."""
    if str(CASES_DIR) not in sys.path:
        sys.path.insert(0, str(CASES_DIR))
    import _case  # noqa: E402  (the shared helper, importable by both interpreters)

    spec = importlib.util.spec_from_file_location(f"{family}_cases", CASES_DIR / f"{family}_cases.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return _case.CASES.get(family, {})


def _default(p: Any) -> Any:
    if p.default is inspect.Parameter.empty:
        return None
    d = p.default
    if isinstance(d, (bool, int, float, str)) or d is None:
        return ["value", d]
    return ["repr", getattr(d, "name", None) or type(d).__name__]


def signature(fn: Any) -> list[list[Any]]:
    """``[name, kind, default]`` for each parameter of ``fn`` (annotations ignored)."""
    return [[p.name, p.kind.name, _default(p)] for p in inspect.signature(fn).parameters.values()]


def resolve(tf: Any, dotted: str) -> Any:
    obj = tf
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def families() -> list[str]:
    return sorted(p.name[: -len("_cases.py")] for p in CASES_DIR.glob("*_cases.py"))


def _is_tensor(tf: Any, value: Any) -> bool:
    return isinstance(value, (tf.Tensor, tf.Variable)) or type(value).__name__ in ("RefVariable",
                                                                                 "ResourceVariable")


def record_case(tf: Any, c: Any, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    import _case

    graph = tf.Graph()
    with graph.as_default():
        try:
            out = c.fn(tf, **{k: v.copy() for k, v in c.inputs.items()})
        except Exception as e:  # noqa: BLE001 - the error is the record
            return {"error": {"type": type(e).__name__, "message": str(e)}}
        pairs = _case.flatten_outputs(out)
        tensors = [(k, v) for k, v in pairs if _is_tensor(tf, v)]
        outputs: list[dict[str, Any]] = []
        with tf.Session(graph=graph) as sess:
            sess.run(tf.global_variables_initializer())
            try:
                values = sess.run([v for _, v in tensors]) if tensors else []
            except Exception as e:  # noqa: BLE001
                return {"run_error": {"type": type(e).__name__, "message": _run_message(e)}}
        by_key = dict(zip([k for k, _ in tensors], values))
        for key, value in pairs:
            if key in by_key:
                v = value
                entry = {"key": key, "name": v.name, "op_type": v.op.type, "dtype": v.dtype.base_dtype.name,
                         "shape": None if v.shape.rank is None else v.shape.as_list()}
                array = np.asarray(by_key[key])
                if array.dtype == object:
                    entry["strings"] = [s.decode() if isinstance(s, bytes) else s for s in array.ravel().tolist()]
                    entry["value_shape"] = list(array.shape)
                else:
                    arrays[f"{c.name}/{key}"] = array
                outputs.append(entry)
            else:
                outputs.append({"key": key, "python": _case.describe_python(value)})
        return {"outputs": outputs}


def _run_message(e: Exception) -> str:
    """What a run-time error says went wrong, without TF's traceback of the node (which names this machine's files)."""
    lines = getattr(e, "message", str(e)).split("\n")
    keep = [ln for ln in lines if ln.strip() and not ln.startswith(("Graph execution error", "Detected at node",
                                                                     "    File", "Node: ", "\t [["))]
    return "\n".join(keep)


def _atomic_write(path: Path, write: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    write(tmp)
    os.replace(tmp, path)


def record_family(tf: Any, family: str, out_dir: Path = OUT_DIR) -> int:
    cases = load_family(family)
    arrays: dict[str, np.ndarray] = {}
    records = {name: record_case(tf, c, arrays) for name, c in sorted(cases.items())}
    ops = getattr(sys.modules[f"{family}_cases"], "OPS", [])
    data = {"tensorflow": tf.__version__ if hasattr(tf, "__version__") else "", "family": family, "cases": records,
            "signatures": {name: signature(resolve(tf, name)) if not name.startswith("v2:") else
                           signature(resolve(sys.modules["tensorflow"], name[3:])) for name in ops}}
    out_dir.mkdir(parents=True, exist_ok=True)
    _atomic_write(out_dir / f"{family}.json",
                  lambda p: p.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8"))

    def write_npz(p: Path) -> None:
        with open(p, "wb") as f:
            np.savez(f, **arrays)

    _atomic_write(out_dir / f"{family}.npz", write_npz)
    return len(records)


def main(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("families", nargs="*", help="families to record (default: all)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (default: tests/fixtures/tf_ops)")
    args = parser.parse_args(argv)
    import tensorflow as tf2

    tf = tf2.compat.v1
    tf.disable_v2_behavior()
    tf.__version__ = tf2.__version__
    for family in args.families or families():
        n = record_family(tf, family, args.out)
        print(f"{family}: {n} cases -> {args.out / (family + '.json')}")


if __name__ == "__main__":
    main(sys.argv[1:])
