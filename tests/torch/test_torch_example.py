"""examples/torch_two_towers.py: the loss goes down and TensorFlow reads the saved checkpoint."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")

from varscope.checkpoint import BundleReader  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def _load_example():
    spec = importlib.util.spec_from_file_location("torch_two_towers", ROOT / "examples" / "torch_two_towers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_example_trains_and_saves_tf_checkpoint(tmp_path, request):
    result = _load_example().main(str(tmp_path), steps=40)
    assert result["last_loss"] < 0.5 * result["first_loss"]
    reader = BundleReader(result["prefix"])
    assert len(reader.entry("tower/embedding").slices) == 4  # TF's emb/part_0..3 slices
    assert reader.get_tensor("tower/embedding").shape == (64, 16)
    assert reader.get_tensor("tower/hidden/kernel").dtype == np.float32
    tf_python = request.getfixturevalue("tf_python")  # after training: that part needs no TensorFlow
    script = ("import sys, numpy as np, tensorflow as tf\n"
              "r = tf.train.load_checkpoint(sys.argv[1])\n"
              "np.save(sys.argv[2], r.get_tensor('tower/embedding'))\n"
              "print(sorted(r.get_variable_to_shape_map()))\n")
    out = subprocess.run([tf_python, "-c", script, result["prefix"], str(tmp_path / "emb.npy")],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "tower/hidden/kernel" in out.stdout
    assert np.array_equal(np.load(tmp_path / "emb.npy"), reader.get_tensor("tower/embedding"))
