"""Live: TensorFlow restores what varscope's JAX side writes for 64-bit variables without x64 (an int64
``global_step``, a float64 weight) and for slot-style ``get_variable("")`` names (issue 13, item 4).

TensorFlow runs in its own interpreter (``$VARSCOPE_TF_PYTHON``, else ``.venv-tf/bin/python``); without
one the test skips, except under ``CI=true``.
"""

from __future__ import annotations

import json
import subprocess
import textwrap

import numpy as np
import pytest

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402

import varscope as tf1  # noqa: E402
import varscope.jax as vj  # noqa: E402
from varscope.train import Saver  # noqa: E402

TF_SCRIPT = textwrap.dedent("""
    import json, sys
    import tensorflow as tf
    v1 = tf.compat.v1
    v1.disable_eager_execution()
    out = {}
    for prefix in sys.argv[1:]:
        with tf.Graph().as_default():
            with v1.variable_scope("model"):
                w = v1.get_variable("w", [3], dtype=tf.float64)
            step = v1.train.get_or_create_global_step()
            average = v1.train.ExponentialMovingAverage(0.5)
            average.apply([w])
            with v1.Session() as sess:
                v1.train.Saver().restore(sess, prefix)
                out[prefix] = {"w": sess.run(w).tolist(), "global_step": int(sess.run(step)),
                               "average": sess.run(average.average(w)).tolist(),
                               "dtypes": [w.dtype.base_dtype.name, step.dtype.base_dtype.name]}
    print("JSON" + json.dumps(out))
""")


def model(x):
    with tf1.variable_scope("model"):
        w = tf1.get_variable("w", [3], dtype=tf1.float64, initializer=tf1.constant_initializer(0.75))
    step = tf1.get_variable("global_step", [], dtype=tf1.int64, initializer=tf1.zeros_initializer(),
                            trainable=False, collections=[tf1.GraphKeys.GLOBAL_VARIABLES, tf1.GraphKeys.GLOBAL_STEP])
    with tf1.variable_scope(None, default_name=w.op.name + "/ExponentialMovingAverage"):  # TF's slot creator
        average = tf1.get_variable("", initializer=np.full(3, 0.25), trainable=False)
    step.assign_add(5)
    return jnp.sum(x * w) + jnp.sum(average.value())


def test_tensorflow_restores_64_bit_variables_and_slot_names(tmp_path, tf_python):
    m = vj.transform(model)
    params = m.init(0, jnp.ones(3))
    assert params["global_step"].dtype == jnp.int32 and sorted(params) == [
        "global_step", "model/w", "model/w/ExponentialMovingAverage"]
    transformed = str(tmp_path / "transform" / "model.ckpt-5")
    vj.save_params(transformed, params, var_info=m.var_info)
    with tf1.Graph(backend="jax").as_default():
        model(jnp.ones(3))
        step = tf1.get_collection(tf1.GraphKeys.GLOBAL_STEP)[0]
        saved = Saver().save(None, str(tmp_path / "graph" / "model.ckpt"), global_step=step)
    proc = subprocess.run([tf_python, "-c", TF_SCRIPT, transformed, saved], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, "TensorFlow side failed:\n" + proc.stderr[-5000:]
    restored = json.loads(proc.stdout.split("JSON", 1)[1])
    for prefix in (transformed, saved):
        assert restored[prefix] == {"w": [0.75] * 3, "global_step": 5, "average": [0.25] * 3,
                                    "dtypes": ["float64", "int64"]}, prefix
    assert saved.endswith("model.ckpt-5")
