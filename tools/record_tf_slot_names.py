"""Record how TensorFlow names a variable made by ``get_variable("")`` inside a scope, as TF's slot
creator does (``<v>/ExponentialMovingAverage``, ``<v>/Adam``), and the checkpoint key its Saver uses.

Run with the TensorFlow interpreter (tensorflow-cpu 2.21)::

    .venv-tf/bin/python tools/record_tf_slot_names.py [OUT_DIR]

Writes, under ``tests/fixtures/tf_slot_names/`` by default:

* ``model.ckpt-1.*`` (and ``checkpoint``): a graph-mode ``Saver`` checkpoint of ``model/w``, its
  ``ExponentialMovingAverage`` and ``Adam`` slots, a plain ``get_variable("")`` in scope ``sc``
  and ``global_step``, after one training step.
* ``names.json``: for each of those variables its variable-store key, ``name``, ``op.name`` and
  the checkpoint keys the Saver wrote.
"""

from __future__ import annotations

import json
import os
import shutil
import sys

import numpy as np
import tensorflow as tf

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "tf_slot_names"
)


def main() -> None:
    out = os.path.abspath(OUT)
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    v1 = tf.compat.v1
    with tf.Graph().as_default() as graph:
        with v1.variable_scope("model"):
            w = v1.get_variable("w", initializer=np.array([1.0, -2.0], np.float32))
        with v1.variable_scope("sc"):
            empty = v1.get_variable("", [1], initializer=v1.constant_initializer(3.0))
        step = v1.train.get_or_create_global_step()
        loss = tf.reduce_sum(w * w) + tf.reduce_sum(empty)
        ema = v1.train.ExponentialMovingAverage(0.5)
        train = v1.train.AdamOptimizer(0.1).minimize(loss, global_step=step)
        with tf.control_dependencies([train]):
            update = ema.apply([w])
        average = ema.average(w)
        store = graph.get_collection(("__variable_store",))[0]
        saver = v1.train.Saver()
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(update)
            saver.save(sess, os.path.join(out, "model.ckpt"), global_step=1, write_meta_graph=False)
            values = {v.op.name: sess.run(v).tolist() for v in v1.global_variables()}
        by_id = {id(v): key for key, v in store._vars.items()}
        trainable = {id(v) for v in v1.trainable_variables()}
        variables = [{"store_key": by_id.get(id(v)), "name": v.name, "op_name": v.op.name,
                      "dtype": v.dtype.base_dtype.name, "trainable": id(v) in trainable}
                     for v in v1.global_variables()]
    with open(os.path.join(out, "checkpoint"), "w") as f:
        f.write('model_checkpoint_path: "model.ckpt-1"\nall_model_checkpoint_paths: "model.ckpt-1"\n')
    reader = tf.train.load_checkpoint(os.path.join(out, "model.ckpt-1"))
    names = {
        "tensorflow": tf.__version__,
        "variables": variables,
        "average_name": average.name,
        "empty_name": empty.name,
        "checkpoint_keys": sorted(reader.get_variable_to_shape_map()),
        "checkpoint_dtypes": {k: d.name for k, d in sorted(reader.get_variable_to_dtype_map().items())},
        "values": values,
    }
    with open(os.path.join(out, "names.json"), "w") as f:
        json.dump(names, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps(names, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
