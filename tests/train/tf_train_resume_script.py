"""Run by ``test_train_resume_live.py`` with the TensorFlow interpreter: restore each varscope checkpoint given into
the ``adam`` case's graph with ``tf.compat.v1.train.Saver``, run TF's third step, and write every variable's
values (restored and after the step) as JSON.

Usage: python tf_train_resume_script.py OUT.json PREFIX [PREFIX ...]
"""

from __future__ import annotations

import json
import os
import sys

import numpy as np
import tensorflow as tf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_cases as C  # noqa: E402

v1 = tf.compat.v1


def main() -> None:
    out, prefixes = sys.argv[1], sys.argv[2:]
    results = {}
    for prefix in prefixes:
        with tf.Graph().as_default():
            with v1.variable_scope("model"):
                w = v1.get_variable("w", initializer=C.W0.astype(np.float32))
                b = v1.get_variable("b", initializer=C.B0.astype(np.float32))
            step = v1.train.get_or_create_global_step()
            phs = {v.op.name: v1.placeholder(tf.float32, v.shape) for v in (w, b)}
            op = v1.train.AdamOptimizer().apply_gradients([(phs[v.op.name], v) for v in (w, b)], global_step=step)
            with v1.Session() as sess:
                v1.train.Saver().restore(sess, prefix)
                restored = {v.op.name: np.asarray(sess.run(v)).tolist() for v in v1.global_variables()}
                grads = C.gradients(2, "float32")
                sess.run(op, {ph: grads[name] for name, ph in phs.items()})
                resumed = {v.op.name: np.asarray(sess.run(v)).tolist() for v in v1.global_variables()}
        results[prefix] = {"restored": restored, "step_3": resumed}
    with open(out, "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main()
