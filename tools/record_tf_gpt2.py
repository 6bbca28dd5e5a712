"""Record what TensorFlow does with ``examples/gpt2_style.py`` (run with the TF oracle's Python).

Writes ``tests/fixtures/gpt2_style/``:

* ``variables.json``: every variable's name, shape, dtype and the collections it is in, in TF's order;
* ``model.ckpt.*``: TF's checkpoint of those variables (``tf.train.Saver``, V2 format), initialized
  from graph seed 1234;
* ``outputs.npz``: the fixed inputs and TF's results: ``tokens`` -> ``logits`` and ``present``;
  the sampling loop's ``context``, sampled ``sample_tokens`` and every step's logits ``sample_logits``
  (``forced_logits``: the same loop replaying ``sample_tokens``, which must give the same logits).

Usage: ``.venv-tf/bin/python tools/record_tf_gpt2.py``
"""

from __future__ import annotations

import json
import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "tests", "fixtures", "gpt2_style")
sys.path.insert(0, os.path.join(ROOT, "examples"))

import gpt2_style as g  # noqa: E402

TOKENS = np.array([[3, 14, 15, 9, 2], [6, 5, 35, 8, 49]], dtype=np.int32)
CONTEXT = np.array([[7, 1, 28], [40, 2, 11]], dtype=np.int32)
LENGTH = 4


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    config = g.Config()
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(1234)
        out = g.model(config, tf.constant(TOKENS))
        sampled, sampled_logits = g.sample(config, LENGTH, tf.constant(CONTEXT), batch_size=2)
        variables = tf.global_variables()
        collections = {key: [v.name for v in graph.get_collection(key)]
                       for key in graph.get_all_collection_keys()}
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            logits, present, tokens, seen = sess.run([out["logits"], out["present"], sampled, sampled_logits])
            forced_tokens = tokens[:, CONTEXT.shape[1]:]
            _, forced_logits = g.sample(config, LENGTH, tf.constant(CONTEXT), batch_size=2,
                                        forced=tf.constant(forced_tokens))
            forced = sess.run(forced_logits)
            saver.save(sess, os.path.join(OUT, "model.ckpt"), write_meta_graph=False, write_state=False)
    records = [{"name": v.name, "shape": v.shape.as_list(), "dtype": v.dtype.base_dtype.name,
                "collections": sorted(k for k, names in collections.items() if v.name in names)}
               for v in variables]
    with open(os.path.join(OUT, "variables.json"), "w") as f:
        json.dump({"tensorflow": tf.__version__, "variables": records}, f, indent=1)
    np.savez(os.path.join(OUT, "outputs.npz"), tokens=TOKENS, logits=logits, present=present, context=CONTEXT,
             sample_tokens=tokens, sample_logits=seen, forced_logits=forced)
    assert np.allclose(seen, forced, rtol=1e-5, atol=1e-5), "teacher forcing changed the logits"
    print(f"{len(records)} variables, logits {logits.shape}, present {present.shape}, samples {tokens.tolist()}")


if __name__ == "__main__":
    main()
