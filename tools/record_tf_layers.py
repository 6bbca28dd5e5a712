#!/usr/bin/env python
"""Record TensorFlow's layers (tf.layers from tf_keras, tf_slim) for the cases of
``tests/compat_layers/cases/layer_cases.py``.

Usage (with the TensorFlow interpreter)::

    .venv-tf/bin/python tools/record_tf_layers.py            # every case
    .venv-tf/bin/python tools/record_tf_layers.py dense_names  # some (the others are kept)
    .venv-tf/bin/python tools/record_tf_layers.py --out DIR      # into DIR instead (the live test)

Each case runs in a fresh ``tf.Graph`` in graph mode (``tf.compat.v1``, ``tf.compat.v1.layers`` with
``TF_USE_LEGACY_KERAS=1``, ``tf_slim``). One ``Session`` runs the variables' initializers, then the outputs
together with ``UPDATE_OPS`` and ``REGULARIZATION_LOSSES`` (one training step), then reads every variable again.
``tests/fixtures/tf_layers/layers.json`` gets, per case: the variables (name, shape, dtype, trainable, the
collections holding each, in creation order), the outputs (name, shape, dtype), the names of ``UPDATE_OPS`` and
``REGULARIZATION_LOSSES``; ``layers.npz`` the values (``<case>/init/<var>``, ``<case>/after/<var>``,
``<case>/out/<key>``, ``<case>/reg/<i>``; no pickle). Written to a temporary name and renamed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# oneDNN on whatever the CPU: TF turns it on by default only on CPUs with AVX-512 VNNI / AMX, and without it
# the CPU kernels refuse the NCHW cases (max_pool, conv2d, depthwise) that the fixtures record.
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1"
os.environ["TF_USE_LEGACY_KERAS"] = "1"

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = ROOT / "tests" / "compat_layers" / "cases"
OUT_DIR = ROOT / "tests" / "fixtures" / "tf_layers"


def load_cases() -> dict[str, Any]:
    """Import ``layer_cases.py`` and return its cases."""
    if str(CASES_DIR) not in sys.path:
        sys.path.insert(0, str(CASES_DIR))
    import _layer_case

    spec = importlib.util.spec_from_file_location("layer_cases", CASES_DIR / "layer_cases.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return _layer_case.CASES


def record_case(tf: Any, layers: Any, slim: Any, c: Any, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    graph = tf.Graph()
    with graph.as_default():
        inputs = {k: tf.constant(v, name=k) for k, v in c.inputs.items()}
        try:
            out = c.fn(tf, layers, slim, **inputs)
        except Exception as e:  # noqa: BLE001 - the error is the record
            return {"layer": c.layer, "error": {"type": type(e).__name__, "message": str(e).split("\n")[0]}}
        keys = sorted(out)
        variables = tf.global_variables()
        collections = {}
        for key in graph.get_all_collection_keys():
            members = graph.get_collection(key)
            for v in variables:
                if any(m is v for m in members):
                    collections.setdefault(v.op.name, []).append(key)
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        reg_losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
        with tf.Session(graph=graph) as sess:
            sess.run(tf.global_variables_initializer())
            init_values = sess.run(variables)
            values, _, reg_values = sess.run([[out[k] for k in keys], update_ops, reg_losses])
            after_values = sess.run(variables)
        record: dict[str, Any] = {"layer": c.layer, "random": list(c.random), "jax": c.jax, "variables": [],
                                  "outputs": [], "update_ops": [t.name for t in update_ops],
                                  "regularization_losses": [t.name for t in reg_losses]}
        for v, init, after in zip(variables, init_values, after_values):
            name = v.op.name
            record["variables"].append({"name": name, "shape": v.shape.as_list(), "dtype": v.dtype.base_dtype.name,
                                        "trainable": any(v is t for t in tf.trainable_variables()),
                                        "collections": sorted(collections.get(name, []))})
            arrays[f"{c.name}/init/{name}"] = np.asarray(init)
            arrays[f"{c.name}/after/{name}"] = np.asarray(after)
        for key, value in zip(keys, values):
            t = out[key]
            record["outputs"].append({"key": key, "name": t.name, "shape": t.shape.as_list(),
                                      "dtype": t.dtype.base_dtype.name})
            arrays[f"{c.name}/out/{key}"] = np.asarray(value)
        for i, value in enumerate(reg_values):
            arrays[f"{c.name}/reg/{i}"] = np.asarray(value)
        for k, v in c.inputs.items():
            arrays[f"{c.name}/in/{k}"] = v
    return record


def _atomic_write(path: Path, write: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    write(tmp)
    os.replace(tmp, path)


def _mend_tf_slim(tf_root: Any) -> None:
    """Let tf_slim 1.1 run on TF 2.21 as it ran on TF 1.x, changing nothing it computes.

    * ``tensorflow.python.layers.normalization`` (what slim's ``batch_norm`` builds its layer from) lazily imports
      ``tf_keras.legacy_tf_layers.normalization``, which tf_keras 2.21 keeps at
      ``tf_keras.src.legacy_tf_layers.normalization``: the old path is registered as an alias.
    * ``tf_slim.layers.utils.constant_value`` tests ``isinstance(x, ops.Tensor)``; TF 2.21's ``ops`` module no
      longer has ``Tensor``: it gets ``tf.Tensor`` back.
    """
    import tf_keras.src.legacy_tf_layers as legacy
    import tf_keras.src.legacy_tf_layers.normalization as legacy_normalization
    from tensorflow.python.framework import ops

    sys.modules.setdefault("tf_keras.legacy_tf_layers", legacy)
    sys.modules.setdefault("tf_keras.legacy_tf_layers.normalization", legacy_normalization)
    if not hasattr(ops, "Tensor"):
        ops.Tensor = tf_root.Tensor


def main(argv: list[str]) -> None:
    warnings.filterwarnings("ignore")
    import tensorflow as tf_root
    import tf_slim

    tf = tf_root.compat.v1
    tf.disable_v2_behavior()
    _mend_tf_slim(tf_root)
    layers = tf.layers
    cases = load_cases()
    out_dir = OUT_DIR
    if "--out" in argv:
        i = argv.index("--out")
        out_dir = Path(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    names = argv or list(cases)
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, npz_path = out_dir / "layers.json", out_dir / "layers.npz"
    records: dict[str, Any] = {}
    arrays: dict[str, np.ndarray] = {}
    if argv and json_path.exists():  # keep the cases not re-recorded
        records = json.loads(json_path.read_text())["cases"]
        with np.load(npz_path) as old:
            arrays = {k: old[k] for k in old.files}
        for name in names:
            records.pop(name, None)
            arrays = {k: v for k, v in arrays.items() if not k.startswith(name + "/")}
    for name in names:
        records[name] = record_case(tf, layers, tf_slim, cases[name], arrays)
        r = records[name]
        print(name, r.get('error') or f"{len(r['variables'])} variables, {len(r['outputs'])} outputs")
    records = {k: records[k] for k in cases if k in records}
    doc = {"tensorflow": tf_root.__version__, "tf_slim": getattr(tf_slim, "__version__", "1.1"), "cases": records}
    _atomic_write(json_path, lambda p: p.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n"))

    def write_npz(p: Path) -> None:
        with open(p, "wb") as f:
            np.savez_compressed(f, **arrays)

    _atomic_write(npz_path, write_npz)


if __name__ == "__main__":
    main(sys.argv[1:])
