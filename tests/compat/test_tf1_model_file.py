"""An unmodified TF 1.x model file (tests/compat/models/tiny_lm.py: ``import tensorflow as tf``, contrib imports,
``x.shape[-1].value``, a decoding ``while_loop`` whose cache grows) imports and builds after install_as_tensorflow()
(on NumPy here; under JAX in test_tf1_model_file_jax.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

import varscope
from varscope.compat import install_as_tensorflow, v1

MODEL = Path(__file__).resolve().parent / "models" / "tiny_lm.py"


@pytest.fixture()
def tiny_lm():
    with install_as_tensorflow():
        spec = importlib.util.spec_from_file_location("tiny_lm", MODEL)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module
    sys.modules.pop("tiny_lm", None)


PROMPT = np.array([[1, 2, 3], [4, 5, 6]], np.int32)


def test_builds_on_numpy_with_tf_names(tiny_lm):
    hp = tiny_lm.default_hparams()
    with varscope.Graph().as_default() as g:
        out = tiny_lm.model(hp, v1.constant(PROMPT))  # (TF 1.x code takes Tensors: a placeholder, a constant)
        names = [v.name for v in g.get_collection("variables")]
    assert out["logits"].shape.as_list() == [2, 3, 11] and out["logits"].name == "lm/Reshape_1:0"
    assert out["cache"].shape.as_list() == [2, 2, 2, 2, 3, 4]
    assert names[:4] == ["lm/embed:0", "lm/pos:0", "lm/ln_0/scale:0", "lm/ln_0/shift:0"]
    assert "lm/layer_1/proj/kernel:0" in names and len(names) == 2 + 2 * 6 + 2  # (per layer: ln, qkv, proj)
