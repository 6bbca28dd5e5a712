"""Live interoperability: checkpoints written by varscope, read back by real TensorFlow.

TensorFlow runs in a subprocess of its own interpreter: ``$VARSCOPE_TF_PYTHON``, else
``<repo>/.venv-tf/bin/python``. Without it the test skips, except under ``CI=true``, where a
missing TensorFlow is a failure.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import ml_dtypes
import numpy as np

from varscope.checkpoint import BundleReader, SliceData, update_checkpoint_state, write_bundle

REPO = Path(__file__).resolve().parents[2]
TF_SCRIPT = textwrap.dedent("""
    import json, sys
    import numpy as np
    import tensorflow as tf
    out = {}
    for prefix in sys.argv[2:]:
        reader = tf.train.load_checkpoint(prefix)
        dtypes = reader.get_variable_to_dtype_map()
        entry = {}
        for name, shape in sorted(reader.get_variable_to_shape_map().items()):
            value = reader.get_tensor(name)
            item = {"dtype": dtypes[name].name, "shape": list(shape)}
            if dtypes[name] == tf.string:
                item["strings_hex"] = [bytes(v).hex() for v in np.asarray(value, dtype=object).reshape(-1)]
            else:
                item["bytes_hex"] = np.ascontiguousarray(value).tobytes().hex()
            entry[name] = item
        out[prefix] = entry
    out["latest"] = tf.train.latest_checkpoint(sys.argv[1])
    # Graph-mode Saver restoring the 3-part tensor into 2 partitions and into none.
    tf1 = tf.compat.v1
    tf1.disable_eager_execution()
    restored = {}
    for parts in (2, 1):
        with tf.Graph().as_default():
            with tf1.variable_scope("model"):
                kwargs = {"partitioner": tf1.fixed_size_partitioner(parts)} if parts > 1 else {}
                emb = tf1.get_variable("emb", shape=[10, 3], **kwargs)
            saver = tf1.train.Saver({"model/emb": emb} if parts == 1 else None)
            with tf1.Session() as sess:
                saver.restore(sess, out["latest"])
                value = sess.run(tf.convert_to_tensor(emb) if parts > 1 else emb)
                restored[str(parts)] = np.asarray(value).tolist()
    out["restored"] = restored
    print("JSON" + json.dumps(out))
""")


def _tensors() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(3)
    return {
        "f32": rng.standard_normal((3, 4)).astype(np.float32),
        "f64": rng.standard_normal(2),
        "f16": np.array([1.5, -2.0], np.float16),
        "bf16": np.array([[1.0, -3.5]], ml_dtypes.bfloat16),
        "i8": np.array([-128, 127], np.int8), "i16": np.array([3], np.int16), "i32": np.arange(4, dtype=np.int32),
        "i64": np.array([-(2**63)], np.int64), "u8": np.array([255], np.uint8), "u16": np.array([7], np.uint16),
        "u32": np.array([2**32 - 1], np.uint32), "u64": np.array([2**64 - 1], np.uint64),
        "bool": np.array([True, False]), "c64": np.array([1 - 2j], np.complex64), "c128": np.array([3j]),
        "str": np.array([b"", b"a\x00b", "ü".encode()], object), "str_scalar": np.array(b"s", object),
        "scalar": np.array(2.5, np.float32), "empty": np.zeros((0, 3), np.float32),
        "model/global_step": np.array(7, np.int64),
    }


def _expected_bytes(value: np.ndarray) -> str:
    return np.ascontiguousarray(value).tobytes().hex()


def test_tensorflow_reads_varscope_checkpoints(tmp_path: Path, tf_python: str) -> None:
    python = tf_python
    tensors = _tensors()
    emb = np.arange(30, dtype=np.float32).reshape(10, 3)
    parts = [SliceData((10, 3), (0, 0), emb[:4]), SliceData((10, 3), (4, 0), emb[4:7]),
             SliceData((10, 3), (7, 0), emb[7:])]
    main = tmp_path / "ckpt" / "model.ckpt-7"
    write_bundle(main, tensors, slices={"model/emb": parts})
    update_checkpoint_state(tmp_path / "ckpt", str(main), save_relative_paths=True)
    sharded = tmp_path / "sharded" / "model.ckpt"
    write_bundle(sharded, {"a": np.ones(3), "b": np.zeros(2, np.int32)}, slices={"p": parts}, num_shards=2)
    many = tmp_path / "many" / "model.ckpt"
    write_bundle(many, {f"scope_{i:05d}/" + "v" * 100: np.float32(i) for i in range(3000)})
    big_endian = tmp_path / "be" / "model.ckpt"
    write_bundle(big_endian, {"x": np.arange(5, dtype=np.int32), "s": np.array([b"ab", b"c"], object)},
                 big_endian=True)
    assert (many.parent / "model.ckpt.index").stat().st_size > 262144

    prefixes = [str(main), str(sharded), str(many), str(big_endian)]
    result = subprocess.run([python, "-c", TF_SCRIPT, str(tmp_path / "ckpt"), *prefixes],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(l for l in result.stdout.splitlines() if l.startswith("JSON"))
    out = json.loads(line[4:])

    assert out["latest"] == str(main)
    seen = out[str(main)]
    assert sorted(seen) == sorted([*tensors, "model/emb"])
    with BundleReader(main) as reader:
        for name, item in seen.items():
            assert item["dtype"] == reader.dtype_name(name), name
            assert tuple(item["shape"]) == reader.shape(name)
            value = reader.get_tensor(name)
            if "strings_hex" in item:
                assert item["strings_hex"] == [bytes(v).hex() for v in value.reshape(-1)]
            else:
                assert item["bytes_hex"] == _expected_bytes(value), name
    assert seen["model/emb"]["bytes_hex"] == _expected_bytes(emb)
    assert out["restored"]["2"] == emb.tolist() and out["restored"]["1"] == emb.tolist()

    assert sorted(out[str(sharded)]) == ["a", "b", "p"]
    assert out[str(sharded)]["p"]["bytes_hex"] == _expected_bytes(emb)
    assert len(out[str(many)]) == 3000
    assert out[str(big_endian)]["x"]["bytes_hex"] == _expected_bytes(np.arange(5, dtype=np.int32))
    assert out[str(big_endian)]["s"]["strings_hex"] == [b"ab".hex(), b"c".hex()]
