"""Record what TensorFlow does with ``examples/dcgan_style.py`` (run with the TF oracle's Python and
``TF_USE_LEGACY_KERAS=1``).

Writes ``tests/fixtures/dcgan_style/``:

* ``variables.json``: the graph's collection keys, ``UPDATE_OPS`` (empty: ``updates_collections=None``), the
  ``d_vars`` / ``g_vars`` split, and every global variable (the model's, ``global_step``, the Adam slots and
  ``beta1_power``/``beta2_power`` of both optimizers): name, shape, dtype and collections, in TF's order;
* ``model.ckpt.*``: TF's checkpoint of all of them right after initialization (graph seed 1234);
* ``outputs.npz``: the fixed ``images`` and ``z``, and, from that checkpoint, one training pass run op by
  op in the model's order (so that every moving-statistics update is ordered): ``G`` (generator, training
  mode), ``sample`` (sampler, inference, after the generator's update), ``D_logits`` (real images),
  ``D_logits_`` (generated images, ``G`` fed), then ``stats/<moving variable>`` after the pass;
  ``d_loss``, ``g_loss`` and the gradients ``d_grad/<v>`` / ``g_grad/<v>`` at the initial values;
  ``step1/<variable>``: every trainable variable, slot, beta power and ``global_step`` after one Adam step of
  each optimizer (both from the initial gradients, which are fed so that nothing races);
  ``step2/<variable>``: the same after a second step taken from ``train.ckpt``;
* ``train.ckpt.*``: TF's training checkpoint after the first step (Adam slots, ``global_step`` = 1).

Usage: ``TF_USE_LEGACY_KERAS=1 .venv-tf/bin/python tools/record_tf_dcgan.py``
"""

from __future__ import annotations

import json
import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "tests", "fixtures", "dcgan_style")
sys.path.insert(0, os.path.join(ROOT, "examples"))
sys.path.insert(0, HERE)

import dcgan_style as d  # noqa: E402
from record_tf_layers import _mend_tf_slim  # noqa: E402  (tf_slim 1.1 on TF 2.21, computing nothing else)

_RNG = np.random.RandomState(7)
IMAGES = np.tanh(_RNG.normal(size=(4, 8, 8, 1))).astype(np.float32)
Z = _RNG.uniform(-1, 1, size=(4, 6)).astype(np.float32)


def _name(v: tf.Variable) -> str:
    return v.op.name


def main() -> None:
    import tensorflow as tf_root

    _mend_tf_slim(tf_root)
    os.makedirs(OUT, exist_ok=True)
    graph = tf.Graph()
    out: dict[str, np.ndarray] = {"images": IMAGES, "z": Z}
    with graph.as_default():
        tf.set_random_seed(1234)
        model = d.DCGAN().build(tf.constant(IMAGES), tf.constant(Z))
        d_grads = tf.gradients(model.d_loss, model.d_vars)
        g_grads = tf.gradients(model.g_loss, model.g_vars)
        d_optim, g_optim = model.train_ops(d_grads, g_grads)
        variables = tf.global_variables()
        collections = {key: [v.name for v in graph.get_collection(key)]
                       for key in graph.get_all_collection_keys()}
        update_ops = [op.name for op in graph.get_collection(tf.GraphKeys.UPDATE_OPS)]  # none: updates in place
        moving = [v for v in variables if "moving_" in v.name]
        trained = [v for v in variables if v not in moving]
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            saver.save(sess, os.path.join(OUT, "model.ckpt"), write_meta_graph=False, write_state=False)
            out["G"] = sess.run(model.G)
            out["sample"] = sess.run(model.sample)
            out["D_logits"] = sess.run(model.D_logits)
            out["D_logits_"] = sess.run(model.D_logits_, feed_dict={model.G: out["G"]})
            for v, value in zip(moving, sess.run(moving)):
                out["stats/" + _name(v)] = value

            def step(prefix: str) -> dict:
                losses, dg, gg = sess.run([[model.d_loss, model.g_loss], d_grads, g_grads])
                feed = dict(zip(d_grads + g_grads, dg + gg))
                sess.run([d_optim, g_optim], feed_dict=feed)
                for v, value in zip(trained, sess.run(trained)):
                    out[prefix + "/" + _name(v)] = value
                return {"losses": losses, "d": dg, "g": gg}

            saver.restore(sess, os.path.join(OUT, "model.ckpt"))
            first = step("step1")
            out["d_loss"], out["g_loss"] = (np.float32(x) for x in first["losses"])
            for v, g in zip(model.d_vars, first["d"]):
                out["d_grad/" + _name(v)] = g
            for v, g in zip(model.g_vars, first["g"]):
                out["g_grad/" + _name(v)] = g
            saver.save(sess, os.path.join(OUT, "train.ckpt"), write_meta_graph=False, write_state=False)
            saver.restore(sess, os.path.join(OUT, "train.ckpt"))
            step("step2")
    records = [{"name": v.name, "shape": v.shape.as_list(), "dtype": v.dtype.base_dtype.name,
                "collections": sorted(k for k, names in collections.items() if v.name in names)}
               for v in variables]
    with open(os.path.join(OUT, "variables.json"), "w") as f:
        json.dump({"tensorflow": tf.__version__, "variables": records,
                   "d_vars": [v.name for v in model.d_vars], "g_vars": [v.name for v in model.g_vars],
                   "update_ops": update_ops, "collection_keys": sorted(collections)},
                  f, indent=1)
    np.savez(os.path.join(OUT, "outputs.npz"), **out)
    print(f"{len(records)} variables; d_loss {out['d_loss']:.6f} g_loss {out['g_loss']:.6f}; "
          f"step1 global_step {out['step1/global_step']}, step2 {out['step2/global_step']}")


if __name__ == "__main__":
    main()
