"""Live interop with real TensorFlow: varscope's ``Saver`` files in TF, and TF's ``Saver`` files in varscope.

The TF interpreter is ``$VARSCOPE_TF_PYTHON``, else ``.venv-tf/bin/python`` in the repository root.
Without one the test is skipped, except when ``CI=true``, where it fails.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

import varscope as tf1
from varscope.train import Saver, latest_checkpoint, list_variables, load_checkpoint

_HERE = Path(__file__).resolve().parent
_ROOT = _HERE.parent.parent
EMB = (np.arange(30, dtype=np.float32).reshape(10, 3) - 11) / 8
W = np.array([[1.5, -2], [0.25, 3], [7, -0.125]], np.float32)
B = np.array([2**40, -3], np.int64)
VOCAB = np.array([b"alpha", b"", b"\xc3\xbc"], dtype=object)


@pytest.fixture(scope="module")
def tf_run(tmp_path_factory: pytest.TempPathFactory, tf_python: str) -> dict:
    python = tf_python
    base = tmp_path_factory.mktemp("tf_live")
    vs_dir, tf_dir, out = base / "varscope", base / "tf", base / "out.json"
    with tf1.Graph().as_default():
        with tf1.variable_scope("model"):
            tf1.get_variable("w", initializer=W)
            tf1.get_variable("b", initializer=B)
            tf1.get_variable("emb", initializer=tf1.constant(EMB), partitioner=tf1.fixed_size_partitioner(3))
        tf1.get_variable("vocab", initializer=VOCAB, dtype=tf1.string)
        saver = Saver()
        saver.save(None, str(vs_dir / "model.ckpt"), global_step=4)
        saver.save(None, str(vs_dir / "model.ckpt"), global_step=5)
    proc = subprocess.run([python, str(_HERE / "tf_interop_script.py"), str(vs_dir), str(tf_dir), str(out)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, "TensorFlow side failed:\n" + proc.stderr[-5000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    data["vs_dir"] = str(vs_dir)
    return data


def test_tf_reads_varscope_checkpoint(tf_run: dict) -> None:
    assert tf_run["latest"] == os.path.join(tf_run["vs_dir"], "model.ckpt-5")
    assert tf_run["shapes"] == {"model/w": [3, 2], "model/b": [2], "model/emb": [10, 3], "vocab": [3]}
    assert tf_run["dtypes"] == {"model/w": "float32", "model/b": "int64", "model/emb": "float32", "vocab": "string"}
    np.testing.assert_array_equal(np.array(tf_run["values"]["model/emb"], np.float32), EMB)
    assert tf_run["values"]["model/b"] == B.tolist()
    assert tf_run["vocab"] == [x.decode() for x in VOCAB]


@pytest.mark.parametrize("parts", ["3", "2", "None"])
def test_tf_saver_restores_into_any_partitioning(tf_run: dict, parts: str) -> None:
    restored = tf_run["restored"][parts]
    np.testing.assert_array_equal(np.array(restored["model/emb"], np.float32), EMB)
    np.testing.assert_array_equal(np.array(restored["model/w"], np.float32), W)
    assert restored["model/b"] == B.tolist()
    assert restored["vocab"] == [x.decode() for x in VOCAB]


def test_tf_init_from_checkpoint(tf_run: dict) -> None:
    loaded = tf_run["init_from_checkpoint"]
    np.testing.assert_array_equal(np.array(loaded["new/emb"], np.float32), EMB)
    np.testing.assert_array_equal(np.array(loaded["plain_emb"], np.float32), EMB)
    np.testing.assert_array_equal(np.array(loaded["new/w"], np.float32), W)


@pytest.mark.parametrize("parts", [3, 2, None])
def test_varscope_restores_tf_saver_checkpoint(tf_run: dict, parts: int | None) -> None:
    saved = tf_run["tf_saved"]
    tf_dir = os.path.dirname(saved["prefix"])
    assert latest_checkpoint(tf_dir) == saved["prefix"]
    assert dict(list_variables(tf_dir)) == {"global_step": [], "model/b": [2], "model/emb": [10, 3], "model/w": [3, 2]}
    with tf1.Graph().as_default():
        with tf1.variable_scope("model"):
            w = tf1.get_variable("w", [3, 2])
            b = tf1.get_variable("b", [2], dtype=tf1.int64)
            emb = tf1.get_variable("emb", [10, 3], partitioner=tf1.fixed_size_partitioner(parts) if parts else None)
        step = tf1.get_variable("global_step", [], dtype=tf1.int64, trainable=False)
        Saver().restore(None, latest_checkpoint(tf_dir))
    np.testing.assert_array_equal(emb.numpy(), np.array(saved["model/emb"], np.float32))
    np.testing.assert_array_equal(w.numpy(), np.array(saved["model/w"], np.float32))
    assert b.numpy().tolist() == saved["model/b"] and int(step.numpy()) == saved["global_step"] == 9
    reader = load_checkpoint(tf_dir)
    assert reader.get_variable_to_dtype_map()["global_step"] == tf1.int64
