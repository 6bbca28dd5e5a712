"""Record what TensorFlow does with ``examples/bert_style.py`` (run with the TF oracle's Python).

Writes ``tests/fixtures/bert_style/``:

* ``variables.json``: every variable's name, shape, dtype and collections, in TF's order, after the
  classifier and its training step are built (``global_step`` and the ``adam_m`` / ``adam_v`` slots included);
* ``model.ckpt.*``: TF's checkpoint of those variables before the step (``tf.train.Saver``, V2 format),
  initialized from graph seed 1234, with ``global_step`` set to 1 (a training checkpoint to resume);
* ``outputs.npz``: the fixed inputs; TF's ``pooled``, ``logits``, ``loss``, the gradients (``grad/<name>``),
  and every variable's value after ONE training step (``after/<name>``).

Usage: ``TF_USE_LEGACY_KERAS=1 .venv-tf/bin/python tools/record_tf_bert.py``
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")

import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "tests", "fixtures", "bert_style")
sys.path.insert(0, os.path.join(ROOT, "examples"))

import bert_style as b  # noqa: E402

INPUT_IDS = np.array([[2, 17, 5, 33, 9, 0], [2, 8, 39, 1, 0, 0]], dtype=np.int32)
INPUT_MASK = np.array([[1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 0, 0]], dtype=np.int32)
TOKEN_TYPES = np.array([[0, 0, 0, 1, 1, 0], [0, 0, 1, 1, 0, 0]], dtype=np.int32)
LABELS = np.array([1, 2], dtype=np.int32)
NUM_LABELS = 3
RESUME_STEP = 1


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    config = b.Config()
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(1234)
        out = b.classifier(config, tf.constant(INPUT_IDS), tf.constant(INPUT_MASK), tf.constant(TOKEN_TYPES),
                           tf.constant(LABELS), NUM_LABELS)
        tvars = tf.trainable_variables()
        # (the word embeddings' gradient is IndexedSlices: densified, as jax.grad gives it)
        grads = [tf.convert_to_tensor(g) for g in tf.gradients(out["loss"], tvars)]
        step = b.train_op(grads, tvars)
        variables = tf.global_variables()
        collections = {key: [v.name for v in graph.get_collection(key)] for key in graph.get_all_collection_keys()
                       if all(hasattr(v, "name") for v in graph.get_collection(key))}
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(tf.train.get_global_step().assign(RESUME_STEP))  # (past 0: the warmup's rate is not 0)
            saver.save(sess, os.path.join(OUT, "model.ckpt"), write_meta_graph=False, write_state=False)
            pooled, logits, loss, grad_values = sess.run([out["pooled"], out["logits"], out["loss"], grads])
            sess.run(step)
            after = sess.run(variables)
    records = [{"name": v.name, "shape": v.shape.as_list(), "dtype": v.dtype.base_dtype.name,
                "collections": sorted(k for k, names in collections.items() if v.name in names)}
               for v in variables]
    with open(os.path.join(OUT, "variables.json"), "w") as f:
        json.dump({"tensorflow": tf.__version__, "variables": records}, f, indent=1)
    arrays = {"input_ids": INPUT_IDS, "input_mask": INPUT_MASK, "token_type_ids": TOKEN_TYPES, "labels": LABELS,
              "pooled": pooled, "logits": logits, "loss": np.asarray(loss)}
    arrays.update({"grad/" + v.op.name: g for v, g in zip(tvars, grad_values)})
    arrays.update({"after/" + v.op.name: a for v, a in zip(variables, after)})
    np.savez(os.path.join(OUT, "outputs.npz"), **arrays)
    print(f"{len(records)} variables, loss {float(loss):.6f}, logits {logits.tolist()}")


if __name__ == "__main__":
    main()
