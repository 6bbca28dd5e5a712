"""Run by ``test_train_tf_live.py`` under a TensorFlow interpreter (never imports varscope).

Usage: ``python tf_interop_script.py VARSCOPE_DIR TF_DIR OUT_JSON``

* Reads the checkpoint varscope wrote in ``VARSCOPE_DIR`` with ``tf.train.load_checkpoint``,
  restores it with a graph-mode ``tf.compat.v1.train.Saver`` into 3, 2 and no partitions, and
  loads it with ``tf.compat.v1.train.init_from_checkpoint``.
* Writes a TF ``Saver`` checkpoint (a 3-way partitioned variable included) to ``TF_DIR``.
* Dumps every value it saw to ``OUT_JSON``.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

v1 = tf.compat.v1


def _build(parts, scope="model", emb_init=None):
    partitioner = v1.fixed_size_partitioner(parts) if parts else None
    with v1.variable_scope(scope):
        w = v1.get_variable("w", [3, 2], initializer=v1.zeros_initializer())
        b = v1.get_variable("b", [2], dtype=tf.int64, initializer=v1.zeros_initializer())
        if emb_init is None:
            emb = v1.get_variable("emb", [10, 3], initializer=v1.zeros_initializer(), partitioner=partitioner)
        else:
            emb = v1.get_variable("emb", initializer=emb_init, partitioner=partitioner)
    return w, b, emb


def _value(sess, var):
    if hasattr(var, "_get_variable_list"):
        return sess.run(tf.concat(var._get_variable_list(), axis=0)).tolist()
    return sess.run(var).tolist()


def main(vs_dir: str, tf_dir: str, out_path: str) -> None:
    out: dict = {"tensorflow": tf.__version__}
    prefix = tf.train.latest_checkpoint(vs_dir)
    out["latest"] = prefix
    reader = tf.train.load_checkpoint(vs_dir)
    out["shapes"] = reader.get_variable_to_shape_map()
    out["dtypes"] = {k: v.name for k, v in reader.get_variable_to_dtype_map().items()}
    out["values"] = {k: reader.get_tensor(k).tolist() for k in out["shapes"] if out["dtypes"][k] != "string"}
    out["vocab"] = [x.decode() for x in reader.get_tensor("vocab").tolist()]

    out["restored"] = {}
    for parts in (3, 2, None):
        with tf.Graph().as_default():
            w, b, emb = _build(parts)
            vocab = v1.get_variable("vocab", [3], dtype=tf.string, initializer=v1.constant_initializer(""))
            with v1.Session() as sess:
                v1.train.Saver().restore(sess, prefix)
                out["restored"][str(parts)] = {"model/w": _value(sess, w), "model/b": _value(sess, b),
                                               "model/emb": _value(sess, emb),
                                               "vocab": [x.decode() for x in sess.run(vocab).tolist()]}

    with tf.Graph().as_default():
        with v1.variable_scope("new"):
            emb = v1.get_variable("emb", [10, 3], partitioner=v1.fixed_size_partitioner(4))
            w = v1.get_variable("w", [3, 2])
        plain = v1.get_variable("plain_emb", [10, 3])
        v1.train.init_from_checkpoint(vs_dir, {"model/": "new/", "model/emb": plain})
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            out["init_from_checkpoint"] = {"new/emb": _value(sess, emb), "new/w": _value(sess, w),
                                           "plain_emb": _value(sess, plain)}

    with tf.Graph().as_default():
        rng = np.random.RandomState(0)
        w, b, emb = _build(3, emb_init=tf.constant(rng.rand(10, 3).astype(np.float32)))
        step = v1.train.get_or_create_global_step()
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run([w.assign(np.arange(6, dtype=np.float32).reshape(3, 2)), b.assign([5, -7]), step.assign(9)])
            saved = v1.train.Saver().save(sess, os.path.join(tf_dir, "model.ckpt"), global_step=9)
            out["tf_saved"] = {"prefix": saved, "model/w": _value(sess, w), "model/b": _value(sess, b),
                               "model/emb": _value(sess, emb), "global_step": int(sess.run(step))}

    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main(*sys.argv[1:4])
