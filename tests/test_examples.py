"""The training examples: the loss goes down and TensorFlow reads the checkpoint they save."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import numpy as np
import pytest

from varscope.checkpoint import BundleReader

ROOT = Path(__file__).resolve().parents[1]

EXAMPLES = [("jax_two_towers", ("jax", "optax")), ("torch_two_towers", ("torch",))]


def _load_example(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.mark.parametrize("name,requires", EXAMPLES, ids=[name for name, _ in EXAMPLES])
def test_example_trains_and_saves_tf_checkpoint(name, requires, tmp_path, request):
    for module in requires:
        pytest.importorskip(module)
    result = _load_example(name).main(str(tmp_path), steps=40)
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
