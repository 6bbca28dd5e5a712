"""Record small TensorFlow-written checkpoints as test fixtures for varscope.checkpoint.

Run with the TensorFlow interpreter (tensorflow-cpu 2.21)::

    .venv-tf/bin/python tools/record_tf_checkpoints.py [OUT_DIR]

Writes, under ``tests/fixtures/tf_checkpoints/`` by default:

* ``dtypes/``      raw ``SaveV2`` of every dtype TF saves (strings, bf16, float8, int4,
                   complex, bool, scalars, empty tensors), plus a raw ``"8 5 0,3:-"`` slice.
* ``partitioned/`` graph-mode ``Saver`` with ``fixed_size_partitioner(3)``, Adam slots,
                   ``global_step=7`` (with the ``checkpoint`` state file).
* ``sharded/``     graph-mode ``Saver(sharded=True)`` over two CPU devices (2 data shards,
                   a partitioned variable spread over both devices).
* ``manykeys/``    1300 long-named scalars: an index with more than one data block.
* ``tf2/``         a ``tf.train.Checkpoint`` (object-graph keys, ``_CHECKPOINTABLE_OBJECT_GRAPH``).
* ``expected.json`` every tensor's dtype, shape and exact bytes (hex), as TF reads them.
"""

from __future__ import annotations

import json
import os
import shutil
import sys

import numpy as np
import tensorflow as tf

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "tf_checkpoints"
)


def record_dtypes(out: str) -> None:
    import ml_dtypes

    rng = np.random.default_rng(0)
    values = {
        "f16": rng.standard_normal((2, 3)).astype(np.float16),
        "f32": rng.standard_normal((3, 2)).astype(np.float32),
        "f64": rng.standard_normal(4),
        "bf16": rng.standard_normal((2, 2)).astype(ml_dtypes.bfloat16),
        "i8": np.array([-128, 0, 127], np.int8),
        "i16": np.array([-32768, 1, 32767], np.int16),
        "i32": np.array([[-(2**31), 0], [5, 2**31 - 1]], np.int32),
        "i64": np.array([-(2**63), 2**63 - 1], np.int64),
        "u8": np.array([0, 255], np.uint8),
        "u16": np.array([0, 65535], np.uint16),
        "u32": np.array([0, 2**32 - 1], np.uint32),
        "u64": np.array([0, 2**64 - 1], np.uint64),
        "bool": np.array([True, False, True]),
        "c64": np.array([1 + 2j, -3.5j], np.complex64),
        "c128": np.array([[1 - 1j]], np.complex128),
        "f8e4m3": np.array([0.5, -2.0], ml_dtypes.float8_e4m3fn),
        "f8e5m2": np.array([1.5, -0.25], ml_dtypes.float8_e5m2),
        "int4": np.array([-8, 7, 0], ml_dtypes.int4),
        "uint4": np.array([0, 15], ml_dtypes.uint4),
        "str": np.array([b"ab", b"", b"with\x00nul", "ünï".encode()], object),
        "str_scalar": np.array(b"scalar string", object),
        "str_empty": np.zeros((0,), object),
        "scalar_f32": np.array(3.25, np.float32),
        "scalar_i64": np.array(-7, np.int64),
        "empty_f32": np.zeros((0, 3), np.float32),
        "empty_i32": np.zeros((2, 0), np.int32),
        "scope/nested/name": np.arange(6, dtype=np.float32).reshape(2, 3),
    }
    names = sorted(values)
    tensors = [tf.constant(values[n]) for n in names]
    d = os.path.join(out, "dtypes")
    os.makedirs(d, exist_ok=True)
    tf.raw_ops.SaveV2(prefix=os.path.join(d, "model.ckpt"), tensor_names=names,
                      shape_and_slices=[""] * len(names), tensors=tensors)
    # A raw slice spec with a full ("-") extent: an empty Extent in the proto.
    x = np.arange(40, dtype=np.float32).reshape(8, 5)
    d = os.path.join(out, "rawslices")
    os.makedirs(d, exist_ok=True)
    tf.raw_ops.SaveV2(prefix=os.path.join(d, "model.ckpt"), tensor_names=["x", "x", "y"],
                      shape_and_slices=["8 5 0,3:-", "8 5 3,5:-", ""],
                      tensors=[tf.constant(x[:3]), tf.constant(x[3:]), tf.constant(np.int32(1))])


def record_partitioned(out: str) -> None:
    tf1 = tf.compat.v1
    d = os.path.join(out, "partitioned")
    os.makedirs(d, exist_ok=True)
    with tf.Graph().as_default():
        tf1.set_random_seed(1)
        with tf1.variable_scope("model"):
            emb = tf1.get_variable("emb", shape=[10, 3], partitioner=tf1.fixed_size_partitioner(3))
            w = tf1.get_variable("w", shape=[3, 2])
            b = tf1.get_variable("b", shape=[2], initializer=tf1.zeros_initializer())
            whole = tf1.get_variable("whole", shape=[4, 2], partitioner=tf1.fixed_size_partitioner(1))
        step = tf1.train.get_or_create_global_step()
        loss = tf.reduce_sum(tf.matmul(tf.nn.embedding_lookup(emb, [1, 5, 9]), w) + b) + tf.reduce_sum(whole)
        train = tf1.train.AdamOptimizer(0.1).minimize(loss, global_step=step)
        saver = tf1.train.Saver()
        with tf1.Session() as sess:
            sess.run(tf1.global_variables_initializer())
            sess.run(train)
            saver.save(sess, os.path.join(d, "model.ckpt"), global_step=7, write_meta_graph=False)
    # Make the state file relative (it is when save_path is relative); rewrite as TF would.
    with open(os.path.join(d, "checkpoint"), "w") as f:
        f.write('model_checkpoint_path: "model.ckpt-7"\nall_model_checkpoint_paths: "model.ckpt-7"\n')


def record_sharded(out: str) -> None:
    tf1 = tf.compat.v1
    d = os.path.join(out, "sharded")
    os.makedirs(d, exist_ok=True)
    with tf.Graph().as_default():
        tf1.set_random_seed(2)
        with tf.device("/cpu:0"):
            a = tf1.get_variable("a", shape=[3, 3])
            vocab = tf1.get_variable("vocab", initializer=tf.constant([b"x", b"yy", b"zzz"]), dtype=tf.string)
        with tf.device("/cpu:1"):
            c = tf1.get_variable("c", shape=[5], dtype=tf.int64, initializer=tf1.ones_initializer())
            d_var = tf1.get_variable("d", shape=[2, 2], dtype=tf.float64)
        # Partition parts spread over both devices.
        parts = []
        for i, (start, rows) in enumerate([(0, 3), (3, 3), (6, 2)]):
            with tf.device(f"/cpu:{i % 2}"):
                parts.append(tf1.get_variable(f"p/part_{i}", shape=[rows, 4]))
        for i, (part, (start, rows)) in enumerate(zip(parts, [(0, 3), (3, 3), (6, 2)])):
            part._set_save_slice_info(tf.Variable.SaveSliceInfo("p", [8, 4], [start, 0], [rows, 4]))
        saver = tf1.train.Saver([a, vocab, c, d_var] + parts, sharded=True)
        config = tf1.ConfigProto(device_count={"CPU": 2})
        with tf1.Session(config=config) as sess:
            sess.run(tf1.global_variables_initializer())
            saver.save(sess, os.path.join(d, "model.ckpt"), write_meta_graph=False)
    os.remove(os.path.join(d, "checkpoint"))


def record_manykeys(out: str) -> None:
    d = os.path.join(out, "manykeys")
    os.makedirs(d, exist_ok=True)
    names = [f"k{i:05d}/" + "long_scope_name_" * 12 + f"v{i}" for i in range(1300)]
    tensors = [tf.constant(np.int8(i % 100)) for i in range(len(names))]
    tf.raw_ops.SaveV2(prefix=os.path.join(d, "model.ckpt"), tensor_names=names,
                      shape_and_slices=[""] * len(names), tensors=tensors)


def record_tf2(out: str) -> None:
    d = os.path.join(out, "tf2")
    os.makedirs(d, exist_ok=True)
    module = tf.Module()
    module.kernel = tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3))
    module.bias = tf.Variable(np.zeros(3, np.float32))
    ckpt = tf.train.Checkpoint(model=module)
    ckpt.write(os.path.join(d, "ckpt"))


def expected_values(out: str) -> dict[str, dict[str, dict[str, object]]]:
    result: dict[str, dict[str, dict[str, object]]] = {}
    for sub in sorted(os.listdir(out)):
        path = os.path.join(out, sub)
        if not os.path.isdir(path):
            continue
        prefixes = sorted({f[: -len(".index")] for f in os.listdir(path) if f.endswith(".index")})
        for prefix in prefixes:
            reader = tf.train.load_checkpoint(os.path.join(path, prefix))
            dtypes = reader.get_variable_to_dtype_map()
            entry: dict[str, dict[str, object]] = {}
            for name, shape in sorted(reader.get_variable_to_shape_map().items()):
                value = reader.get_tensor(name)
                item: dict[str, object] = {"dtype": dtypes[name].name, "shape": list(shape)}
                if dtypes[name] == tf.string:
                    flat = np.asarray(value, dtype=object).reshape(-1)
                    item["strings_hex"] = [bytes(v).hex() for v in flat]
                else:
                    arr = np.ascontiguousarray(value)
                    item["bytes_hex"] = arr.astype(arr.dtype.newbyteorder("<")).tobytes().hex() if arr.dtype.itemsize > 1 and arr.dtype.kind in "iufc" else arr.tobytes().hex()
                entry[name] = item
            result[f"{sub}/{prefix}"] = entry
    return result


def main() -> None:
    out = os.path.abspath(OUT)
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    record_dtypes(out)
    record_manykeys(out)
    record_tf2(out)
    record_partitioned(out)
    record_sharded(out)
    expected = {"tensorflow_version": tf.__version__, "checkpoints": expected_values(out)}
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(out) for f in fs)
    print(f"wrote fixtures to {out}: {total} bytes")


if __name__ == "__main__":
    main()
