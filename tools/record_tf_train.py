"""Record TensorFlow's training pieces (optimizers, schedules, moving averages, global step) for the tests.

Run with the TensorFlow interpreter (tensorflow-cpu 2.21, graph mode through ``tf.compat.v1``)::

    .venv-tf/bin/python tools/record_tf_train.py [OUT_DIR]

The cases are in ``tests/train/train_cases.py``. Writes, under ``tests/fixtures/tf_train/`` by default:

* ``train.json``: per optimizer case the variables after building (name, shape, dtype, trainable,
  collections, in ``global_variables()`` order), the train op's name and every variable's value
  before the first step, after step 1 and after step 3 (the gradients are the cases' fixed ones);
  per schedule case its value at each step of ``SCHEDULE_STEPS``; per moving-average case the
  variables, shadow names (``average_name`` before and after ``apply``), ``variables_to_restore``
  and the values after steps 1 and 3; the global step's names and errors.
* ``partitioned_ckpt/``: Adam's slots of a partitioned variable after one step, as TF's Saver writes them.
* ``adam_ckpt/``: a ``tf.train.Saver`` checkpoint of the ``adam`` case after 2 steps (Adam slots,
  ``beta1_power``/``beta2_power``, ``global_step``), and in ``train.json`` the values after TF's
  third step from it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys

import numpy as np
import tensorflow as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "train"))
import train_cases as C  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "tests", "fixtures", "tf_train")
v1 = tf.compat.v1
KEYS = ["variables", "trainable_variables", "global_step", "moving_average_variables", "train_op"]


def _values(sess, variables):
    return {v.op.name: np.asarray(sess.run(v)).tolist() for v in variables}


def _describe(graph):
    out = []
    for v in v1.global_variables():
        out.append({"name": v.name, "op_name": v.op.name, "shape": v.shape.as_list(), "dtype": v.dtype.base_dtype.name,
                    "collections": [k for k in KEYS if any(x is v for x in graph.get_collection(k))]})
    return out


def _model(dtype):
    with v1.variable_scope("model"):
        w = v1.get_variable("w", initializer=C.W0.astype(dtype))
        b = v1.get_variable("b", initializer=C.B0.astype(dtype))
    return [w, b]


def _build_optimizer_case(case):
    """Variables, gradient placeholders, train ops (one per optimizer) and the global step of ``case``."""
    dtype = case.get("dtype", "float32")
    variables = _model(dtype)
    step = v1.train.get_or_create_global_step() if case.get("global_step") else None
    phs = {v.op.name: v1.placeholder(dtype, v.shape) for v in variables}
    args = dict(case["args"])
    if "schedule" in case:
        fn, kwargs = case["schedule"]
        args["learning_rate"] = getattr(v1.train, fn)(global_step=step, **kwargs)
    ops = []
    with v1.variable_scope(case.get("variable_scope") or v1.get_variable_scope()):
        with v1.name_scope(case.get("name_scope")):
            for _ in range(case.get("optimizers", 1)):
                opt = getattr(v1.train, case["opt"])(**args)
                _OPTS.append(opt)
                pairs = [(None if v.op.name in case.get("none", []) else phs[v.op.name], v) for v in variables]
                ops.append(opt.apply_gradients(pairs, global_step=step))
    return variables, phs, ops, step


_OPTS: list = []


def _feed(phs, step_index, dtype, none=()):
    grads = C.gradients(step_index, dtype)
    return {ph: grads[name] for name, ph in phs.items() if name not in none}


def record_optimizers():
    out = {}
    for name, case in C.OPTIMIZER_CASES.items():
        dtype = case.get("dtype", "float32")
        with tf.Graph().as_default() as graph:
            _, phs, ops, _ = _build_optimizer_case(case)
            record = {"variables": _describe(graph), "train_ops": [op.name for op in ops],
                      "slot_names": _OPTS[-1].get_slot_names(),
                      "optimizer_variables": [v.op.name for v in _OPTS[-1].variables()]}
            with v1.Session() as sess:
                sess.run(v1.global_variables_initializer())
                record["initial"] = _values(sess, v1.global_variables())
                for i in range(C.STEPS):
                    for op in ops:
                        sess.run(op, _feed(phs, i, dtype, case.get("none", ())))
                    if i in (0, C.STEPS - 1):
                        record["step_%d" % (i + 1)] = _values(sess, v1.global_variables())
        out[name] = record
    return out


def record_checkpoint(out_dir):
    """The ``adam`` case saved after 2 steps, and TF's third step from the restored checkpoint."""
    case = C.OPTIMIZER_CASES["adam"]
    ckpt = os.path.join(out_dir, "adam_ckpt")
    os.makedirs(ckpt)
    with tf.Graph().as_default():
        _, phs, ops, _ = _build_optimizer_case(case)
        saver = v1.train.Saver(save_relative_paths=True)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            for i in range(2):
                sess.run(ops[0], _feed(phs, i, "float32"))
            prefix = saver.save(sess, os.path.join(ckpt, "model.ckpt"), global_step=v1.train.get_global_step(),
                                write_meta_graph=False)
    with tf.Graph().as_default():
        _, phs, ops, _ = _build_optimizer_case(case)
        saver = v1.train.Saver(save_relative_paths=True)
        with v1.Session() as sess:
            saver.restore(sess, prefix)
            restored = _values(sess, v1.global_variables())
            sess.run(ops[0], _feed(phs, 2, "float32"))
            resumed = _values(sess, v1.global_variables())
    reader = tf.train.load_checkpoint(prefix)
    return {"prefix": os.path.basename(prefix), "restored": restored, "step_3": resumed,
            "keys": sorted(reader.get_variable_to_shape_map()),
            "dtypes": {k: d.name for k, d in sorted(reader.get_variable_to_dtype_map().items())}}


def record_schedules():
    out = {}
    for name, (fn, kwargs) in C.SCHEDULE_CASES.items():
        with tf.Graph().as_default():
            if fn == "piecewise_constant":
                x = v1.placeholder(tf.int64, [])
                lr = v1.train.piecewise_constant(x, **kwargs)
            else:
                x = v1.placeholder(tf.int64, [])
                lr = getattr(v1.train, fn)(global_step=x, **kwargs)
            with v1.Session() as sess:
                values = [float(sess.run(lr, {x: s})) for s in C.SCHEDULE_STEPS]
            out[name] = {"values": values, "dtype": lr.dtype.name}
    return out


def _errors(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the recorder keeps what TF raises
        # (an object's address would change the fixture on every recording)
        return {"type": type(e).__name__, "message": re.sub(r" at 0x[0-9a-f]+>", " at 0x...>", str(e))}
    return None


def record_schedule_errors():
    def mismatched_boundaries():
        with tf.Graph().as_default():
            v1.train.piecewise_constant(v1.placeholder(tf.int64, []), [1.5], [1.0, 2.0])

    def mismatched_values():
        with tf.Graph().as_default():
            v1.train.piecewise_constant(v1.placeholder(tf.int32, []), [1], [1.0, np.float64(2.0)])

    def wrong_length():
        with tf.Graph().as_default():
            v1.train.piecewise_constant(v1.placeholder(tf.int32, []), [1, 2], [1.0, 2.0])

    def no_step():
        with tf.Graph().as_default():
            v1.train.exponential_decay(0.1, None, 10, 0.5)

    return {"mismatched_boundaries": _errors(mismatched_boundaries), "mismatched_values": _errors(mismatched_values),
            "wrong_length": _errors(wrong_length), "no_step": _errors(no_step)}


def record_optimizer_errors():
    def graph_with(fn):
        def run():
            with tf.Graph().as_default():
                w = v1.get_variable("w", initializer=np.ones(2, np.float32))
                fn(w)
        return _errors(run)

    return {
        "no_variables": graph_with(lambda w: v1.train.AdamOptimizer().apply_gradients([])),
        "no_gradients": graph_with(lambda w: v1.train.AdamOptimizer().apply_gradients([(None, w)])),
        "no_name": _errors(lambda: v1.train.GradientDescentOptimizer(0.1, name="")),
        "adagrad_accumulator": _errors(lambda: v1.train.AdagradOptimizer(0.1, initial_accumulator_value=0.0)),
        "grad_dtype_adam": graph_with(lambda w: v1.train.AdamOptimizer().apply_gradients(
            [(tf.constant(np.ones(2)), w)])),
        "grad_dtype_gd": graph_with(lambda w: v1.train.GradientDescentOptimizer(0.1).apply_gradients(
            [(tf.constant(np.ones(2)), w)])),
        "not_a_gradient": graph_with(lambda w: v1.train.AdamOptimizer().apply_gradients([(object(), w)])),
    }


def record_moving_averages():
    out = {}
    for name, case in C.EMA_CASES.items():
        with tf.Graph().as_default() as graph:
            with v1.variable_scope("model"):
                w = v1.get_variable("w", initializer=C.EMA_W0)
                b = v1.get_variable("b", initializer=C.EMA_B0)
            values = v1.placeholder(tf.float32, [2])
            follow = tf.group(w.assign(values), b.assign(-values))
            step = v1.train.get_or_create_global_step() if case.get("num_updates") else None
            ema = v1.train.ExponentialMovingAverage(num_updates=step, **case["args"])
            record = {"average_name_before": [ema.average_name(w), ema.average_name(b)]}
            with v1.variable_scope(case.get("variable_scope") or v1.get_variable_scope()):
                update = ema.apply([w, b])
            record["op"] = update.name
            record["average_name"] = [ema.average_name(w), ema.average_name(b)]
            record["average"] = [ema.average(w).name, ema.average(b).name]
            record["variables"] = _describe(graph)
            record["variables_to_restore"] = {k: v.op.name for k, v in sorted(ema.variables_to_restore().items())}
            incr = step.assign_add(1) if step is not None else None
            with v1.Session() as sess:
                sess.run(v1.global_variables_initializer())
                if "init_pass" in case:
                    sess.run([w.assign(case["init_pass"][0]), b.assign(case["init_pass"][1])])
                record["initial"] = _values(sess, v1.global_variables())
                for i, value in enumerate(C.EMA_VALUES):
                    sess.run(follow, {values: value})
                    sess.run(update)
                    if incr is not None:
                        sess.run(incr)
                    if i in (0, len(C.EMA_VALUES) - 1):
                        record["step_%d" % (i + 1)] = _values(sess, v1.global_variables())
        out[name] = record
    return out


def record_assign_moving_average():
    """``moving_averages.assign_moving_average`` with and without zero-debiasing, at the top and in a scope."""
    from tensorflow.python.training import moving_averages

    out = {}
    for name, zero_debias, scope in [("plain", False, None), ("zero_debias", True, None),
                                     ("zero_debias_in_scope", True, "bn")]:
        with tf.Graph().as_default() as graph:
            with v1.variable_scope(scope or v1.get_variable_scope()):
                avg = v1.get_variable("moving_mean", initializer=C.EMA_W0, trainable=False)
                value = v1.placeholder(tf.float32, [2])
                update = moving_averages.assign_moving_average(avg, value, 0.8, zero_debias=zero_debias)
            record = {"variables": _describe(graph)}
            with v1.Session() as sess:
                sess.run(v1.global_variables_initializer())
                for i, v in enumerate(C.EMA_VALUES):
                    sess.run(update, {value: v})
                    if i in (0, len(C.EMA_VALUES) - 1):
                        record["step_%d" % (i + 1)] = _values(sess, v1.global_variables())
        out[name] = record
    return out


def record_partitioned():
    """Adam on a partitioned variable: slots per shard, saved as slices of ``<v>/Adam``."""
    out_dir = os.path.join(os.path.abspath(OUT), "partitioned_ckpt")
    os.makedirs(out_dir)
    with tf.Graph().as_default() as graph:
        w = v1.get_variable("emb", [4, 3], initializer=v1.ones_initializer(),
                            partitioner=v1.fixed_size_partitioner(2))
        shards = list(w)
        g = v1.placeholder(tf.float32, [4, 3])
        op = v1.train.AdamOptimizer(0.1).apply_gradients([(g[:2], shards[0]), (g[2:], shards[1])])
        record = {"variables": _describe(graph)}
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(op, {g: np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3)})
            record["step_1"] = _values(sess, v1.global_variables())
            prefix = v1.train.Saver(save_relative_paths=True).save(sess, os.path.join(out_dir, "model.ckpt"), write_meta_graph=False)
    reader = tf.train.load_checkpoint(prefix)
    record["keys"] = {k: list(v) for k, v in sorted(reader.get_variable_to_shape_map().items())}
    return record


SIGNATURE_FUNCTIONS = """
get_global_step create_global_step get_or_create_global_step assert_global_step global_step exponential_decay
natural_exp_decay inverse_time_decay polynomial_decay piecewise_constant piecewise_constant_decay cosine_decay
cosine_decay_restarts linear_cosine_decay noisy_linear_cosine_decay Optimizer GradientDescentOptimizer
MomentumOptimizer AdamOptimizer RMSPropOptimizer AdagradOptimizer ExponentialMovingAverage
""".split()
SIGNATURE_METHODS = {"Optimizer": "apply_gradients minimize compute_gradients get_slot get_slot_names variables "
                                  "get_name".split(),
                     "ExponentialMovingAverage": "apply average average_name variables_to_restore".split()}


def record_signatures():
    """``inspect.signature`` of the ``tf.compat.v1.train`` callables (as ``tools/record_tf_signatures.py``)."""
    sys.path.insert(0, HERE)
    from record_tf_signatures import params
    from tensorflow.python.training import moving_averages

    out = {"functions": {n: params(getattr(v1.train, n), skip_self=True) for n in SIGNATURE_FUNCTIONS},
           "methods": {f"{cls}.{m}": params(getattr(getattr(v1.train, cls), m), skip_self=True)
                       for cls, methods in SIGNATURE_METHODS.items() for m in methods},
           "assign_moving_average": params(moving_averages.assign_moving_average, skip_self=False)}
    return out


def record_global_step():
    out = {}
    with tf.Graph().as_default() as graph:
        with v1.variable_scope("outer"), tf.name_scope("ns"):
            step = v1.train.get_or_create_global_step()
        out["in_scope"] = {"name": step.name, "dtype": step.dtype.base_dtype.name, "shape": step.shape.as_list(),
                           "collections": [k for k in KEYS if any(x is step for x in graph.get_collection(k))],
                           "trainable": step.trainable, "again": v1.train.get_global_step() is step}
        out["create_twice"] = _errors(lambda: v1.train.create_global_step())
    with tf.Graph().as_default():
        out["none"] = v1.train.get_global_step() is None
        v1.get_variable("global_step", [], dtype=tf.float32)
        out["float_by_name"] = _errors(lambda: v1.train.get_global_step())
    with tf.Graph().as_default():
        v1.get_variable("global_step", [2], dtype=tf.int64)
        out["vector_by_name"] = _errors(lambda: v1.train.get_global_step())
    with tf.Graph().as_default():
        v1.get_variable("global_step", [], dtype=tf.int32)
        out["int32_by_name"] = _errors(lambda: v1.train.get_global_step())
    with tf.Graph().as_default():
        v1.get_variable("global_step", [], dtype=tf.int32, use_resource=False)
        found = v1.train.get_global_step()  # (the variable's tensor, found by name)
        out["int32_ref_by_name"] = {"name": found.name, "dtype": found.dtype.name}
    with tf.Graph().as_default():
        v1.get_variable("global_step", [], dtype=tf.float32, use_resource=False)
        out["float_ref_by_name"] = _errors(lambda: v1.train.get_global_step())
    with tf.Graph().as_default():
        v1.get_variable("global_step", [2], dtype=tf.int64, use_resource=False)
        out["vector_ref_by_name"] = _errors(lambda: v1.train.get_global_step())
    return out


def main():
    out = os.path.abspath(OUT)
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    data = {
        "tensorflow": tf.__version__,
        "optimizers": record_optimizers(),
        "schedules": record_schedules(),
        "schedule_errors": record_schedule_errors(),
        "moving_averages": record_moving_averages(),
        "optimizer_errors": record_optimizer_errors(),
        "assign_moving_average": record_assign_moving_average(),
        "partitioned": record_partitioned(),
        "signatures": record_signatures(),
        "global_step": record_global_step(),
        "checkpoint": record_checkpoint(out),
    }
    with open(os.path.join(out, "train.json"), "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", out)


if __name__ == "__main__":
    main()
