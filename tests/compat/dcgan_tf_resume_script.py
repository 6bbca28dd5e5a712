"""TensorFlow's side of ``test_dcgan_style_tf_live.py`` (run with the TF oracle's Python,
``TF_USE_LEGACY_KERAS=1``): build ``examples/dcgan_style.py`` with its two Adam optimizers, restore a
checkpoint varscope wrote (``tf.train.Saver``: every variable must be there, with its dtype and shape), record
the restored values, take one Adam step of each optimizer from the fixture's images and z, record the values.

Usage: ``python dcgan_tf_resume_script.py PREFIX OUT.npz``
"""

from __future__ import annotations

import os
import sys

import numpy as np
import tensorflow as tf_root

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "examples"))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import dcgan_style as d  # noqa: E402
from record_tf_layers import _mend_tf_slim  # noqa: E402

tf = tf_root.compat.v1


def main(prefix: str, out_path: str) -> None:
    _mend_tf_slim(tf_root)
    fixture = np.load(os.path.join(ROOT, "tests", "fixtures", "dcgan_style", "outputs.npz"))
    with tf.Graph().as_default():
        model = d.DCGAN().build(tf.constant(fixture["images"]), tf.constant(fixture["z"]))
        d_grads = tf.gradients(model.d_loss, model.d_vars)
        g_grads = tf.gradients(model.g_loss, model.g_vars)
        d_optim, g_optim = model.train_ops(d_grads, g_grads)
        variables = tf.global_variables()
        out = {}
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, prefix)
            for v, value in zip(variables, sess.run(variables)):
                out["restored/" + v.op.name] = value
            dg, gg = sess.run([d_grads, g_grads])
            sess.run([d_optim, g_optim], feed_dict=dict(zip(d_grads + g_grads, dg + gg)))
            trained = [v for v in variables if "moving_" not in v.name]
            for v, value in zip(trained, sess.run(trained)):
                out["step/" + v.op.name] = value
    np.savez(out_path, **out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
