"""Record TensorFlow's initializer, partitioner and partitioning behaviour for varscope's tests.

Run with the TensorFlow venv (never imported by the library or the tests)::

    .venv-tf/bin/python tools/record_tf_initializers.py

It writes ``tests/fixtures/tf_initializers.json``: for each case the spec (so the tests can
rebuild the same call on varscope) and what TensorFlow 2.21 (graph mode) did: exact values of the
deterministic initializers, sample statistics of the random ones, partitioner answers, slicing,
``_PartitionInfo`` answers and every error type and message.
"""

from __future__ import annotations

import json
import pathlib
import sys
from typing import Any

import numpy as np
import tensorflow as tf
from tensorflow.python.ops import variable_scope as vs_mod
from tensorflow.python.ops import variables as variables_mod

tf1 = tf.compat.v1
tf1.disable_eager_execution()

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "tf_initializers.json"

# The tagged-JSON codec is shared with the tests that read the fixture.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests" / "surface"))
from _tf_fixture import dec, enc  # noqa: E402


def err(e: BaseException) -> dict[str, str]:
    return {"type": type(e).__name__, "message": str(e)}


def run(t: Any) -> Any:
    with tf1.Session() as s:
        return s.run(t)


def make_init(spec: dict[str, Any]) -> Any:
    return getattr(tf1.initializers, spec["init"])(*dec(spec.get("args", [])), **dec(spec.get("kwargs", {})))


def call_init(spec: dict[str, Any]) -> Any:
    init = make_init(spec)
    kw: dict[str, Any] = {}
    if spec.get("dtype") is not None:
        kw["dtype"] = tf.as_dtype(spec["dtype"])
    if spec.get("partition_info") is not None:
        kw["partition_info"] = vs_mod._PartitionInfo(*spec["partition_info"])
    if spec.get("verify_shape") is not None:
        kw["verify_shape"] = spec["verify_shape"]
    return init(spec["shape"], **kw)


def value_json(v: np.ndarray) -> dict[str, Any]:
    v = np.asarray(v)
    if v.dtype == object:
        return {"dtype": "string", "shape": list(v.shape), "values": enc(v.tolist())}
    dt = tf.as_dtype(v.dtype).name
    vals = v.astype(np.float64).tolist() if dt == "bfloat16" else v.tolist()
    return {"dtype": dt, "shape": list(v.shape), "values": enc(vals)}


# ------------------------------------------------------------------------------------------
# Deterministic initializers: exact values or errors.

DETERMINISTIC: list[dict[str, Any]] = []


def det(label: str, **spec: Any) -> None:
    DETERMINISTIC.append({"label": label, **spec})


det("zeros f32", init="zeros", shape=[2, 3])
det("zeros int32", init="zeros", shape=[3], dtype="int32")
det("zeros int64 ctor", init="zeros", kwargs={"dtype": "int64"}, shape=[2])
det("zeros bool", init="zeros", shape=[2], dtype="bool")
det("zeros string", init="zeros", shape=[2], dtype="string")
det("zeros complex64", init="zeros", shape=[2], dtype="complex64")
det("zeros f16 scalar", init="zeros", shape=[], dtype="float16")
det("zeros bf16", init="zeros", shape=[2], dtype="bfloat16")
det("zeros empty", init="zeros", shape=[2, 0])
det("zeros uint8", init="zeros", shape=[2], dtype="uint8")
det("zeros bad ctor dtype", init="zeros", kwargs={"dtype": "foo"}, shape=[2])
det("ones f32", init="ones", shape=[2, 2])
det("ones int64", init="ones", shape=[3], dtype="int64")
det("ones bool", init="ones", shape=[2], dtype="bool")
det("ones string", init="ones", shape=[2], dtype="string")
det("ones complex128", init="ones", shape=[1], dtype="complex128")
det("ones f64 ctor", init="ones", kwargs={"dtype": "float64"}, shape=[2])
det("const scalar", init="constant", args=[3], shape=[2])
det("const float for int32", init="constant", args=[3.0], shape=[1], dtype="int32")
det("const list fill", init="constant", args=[[0, 1, 2, 3, 4, 5, 6, 7]], shape=[3, 4])
det("const list exact", init="constant", args=[[0, 1, 2, 3, 4, 5, 6, 7]], shape=[2, 4])
det("const list too many", init="constant", args=[[0, 1, 2, 3, 4, 5, 6, 7]], shape=[2, 3])
det("const verify mismatch", init="constant", args=[[1.0, 2.0, 3.0, 4.0]], kwargs={"verify_shape": True},
    shape=[2, 2])
det("const verify ok", init="constant", args=[[[1, 2], [3, 4]]], kwargs={"verify_shape": True}, shape=[2, 2])
det("const verify at call", init="constant", args=[[1, 2, 3, 4]], shape=[2, 2], verify_shape=True)
det("const verify scalar", init="constant", args=[3.0], kwargs={"verify_shape": True}, shape=[2])
det("const dict", init="constant", args=[{}], shape=[2])
det("const None", init="constant", args=[None], shape=[2])
det("const string", init="constant", args=["ab"], shape=[2], dtype="string")
det("const bytes", init="constant", args=[b"xy"], shape=[2], dtype="string")
det("const string list pad", init="constant", args=[["a", "b"]], shape=[3], dtype="string")
det("const string to float", init="constant", args=["a"], shape=[2])
det("const ndarray reshape", init="constant", args=[np.arange(6).reshape(2, 3)], shape=[3, 2])
det("const ndarray float to int", init="constant", args=[np.array([2.5, 1.0])], shape=[2], dtype="int32")
det("const ndarray verify", init="constant", args=[np.ones((2, 2))], kwargs={"verify_shape": True}, shape=[4])
det("const empty list", init="constant", args=[[]], shape=[2])
det("const list float to int", init="constant", args=[[1.5, 2]], shape=[2], dtype="int32")
det("const np scalar in list", init="constant", args=[[np.float64(1.5), 2]], shape=[2], dtype="int32")
det("const int8 overflow", init="constant", args=[300], shape=[2], dtype="int8")
det("const uint8 negative", init="constant", args=[-1], shape=[2], dtype="uint8")
det("const bool to float", init="constant", args=[True], shape=[2])
det("const int to bool", init="constant", args=[1], shape=[2], dtype="bool")
det("const bool pad", init="constant", args=[[True, False]], shape=[3], dtype="bool")
det("const np float64 scalar", init="constant", args=[np.float64(2.5)], shape=[2])
det("const np float32 scalar to int", init="constant", args=[np.float32(2.7)], shape=[2], dtype="int32")
det("const ndarray int to bool", init="constant", args=[np.array([1, 0])], shape=[2], dtype="bool")
det("const complex", init="constant", args=[[1 + 2j]], shape=[2], dtype="complex64")
det("const float to complex", init="constant", args=[1.5], shape=[2], dtype="complex64")
det("const bf16", init="constant", args=[[1.5, 2]], shape=[2], dtype="bfloat16")
det("const f16", init="constant", args=[[0.1, 0.2]], shape=[2], dtype="float16")
det("const f64", init="constant", args=[0.1], shape=[2], dtype="float64")
det("const zero-size", init="constant", args=[[1, 2]], shape=[0])
det("const zero-size verify", init="constant", args=[[1, 2, 3]], kwargs={"verify_shape": True}, shape=[0])
det("const zero-size float to int", init="constant", args=[1.5], shape=[0], dtype="int32")
det("const list to scalar shape", init="constant", args=[[1, 2]], shape=[])
det("const scalar shape", init="constant", args=[7.0], shape=[])
det("const tuple", init="constant", args=[(1, 2)], shape=[2, 2])
det("const nested ragged", init="constant", args=[[[1, 2], [3]]], shape=[3])
det("const ragged strings", init="constant", args=[[["a", "b"], ["c"]]], shape=[3], dtype="string")
det("const int64 big", init="constant", args=[2**40], shape=[1], dtype="int64")
det("const big int to int32", init="constant", args=[2**40], shape=[1], dtype="int32")
det("identity", init="identity", shape=[3, 3])
det("identity rect gain", init="identity", kwargs={"gain": 2.0}, shape=[2, 3])
det("identity tall", init="identity", shape=[4, 2], dtype="float64")
det("identity 1d", init="identity", shape=[3])
det("identity 3d", init="identity", shape=[3, 3, 3])
det("identity tuple", init="identity", shape=(3,))
det("identity int dtype", init="identity", shape=[2, 2], dtype="int32")
det("identity int gain", init="identity", kwargs={"gain": 2}, shape=[2, 2], dtype="int32")
det("identity ctor int", init="identity", kwargs={"dtype": "int32"}, shape=[2, 2])
det("identity partition rows", init="identity", shape=[2, 4], partition_info=[[4, 4], [2, 0]])
det("identity partition cols", init="identity", shape=[3, 2], partition_info=[[3, 5], [0, 2]])
det("identity partition 3d full", init="identity", shape=[2, 2], partition_info=[[2, 2, 2], [0, 0, 0]])
# Errors of the random initializers (no values recorded).
det("random_normal int32", init="random_normal", shape=[2], dtype="int32")
det("random_normal int mean", init="random_normal", kwargs={"mean": 0, "stddev": 1}, shape=[2], dtype="int32")
det("random_normal complex", init="random_normal", shape=[2], dtype="complex64")
det("random_normal string", init="random_normal", shape=[2], dtype="string")
det("random_normal bool", init="random_normal", shape=[2], dtype="bool")
det("random_normal ctor int", init="random_normal", kwargs={"dtype": "int32"}, shape=[2])
det("truncated_normal int32", init="truncated_normal", shape=[2], dtype="int32")
det("truncated_normal complex", init="truncated_normal", shape=[2], dtype="complex64")
det("truncated_normal ctor int", init="truncated_normal", kwargs={"dtype": "int64"}, shape=[2])
det("random_uniform int no maxval", init="random_uniform", shape=[2], dtype="int32")
det("random_uniform int float minval", init="random_uniform", kwargs={"maxval": 10}, shape=[2], dtype="int32")
det("random_uniform int16", init="random_uniform", args=[0, 10], shape=[2], dtype="int16")
det("random_uniform uint8", init="random_uniform", args=[0, 10], shape=[2], dtype="uint8")
det("random_uniform string", init="random_uniform", args=[0, 10], shape=[2], dtype="string")
det("random_uniform complex", init="random_uniform", args=[0, 10], shape=[2], dtype="complex64")
det("random_uniform bool", init="random_uniform", args=[0, 10], shape=[2], dtype="bool")
det("random_uniform int64 no maxval", init="random_uniform", shape=[2], dtype="int64")
det("uniform_unit_scaling int", init="uniform_unit_scaling", shape=[2], dtype="int32")
det("uniform_unit_scaling ctor int", init="uniform_unit_scaling", kwargs={"dtype": "int32"}, shape=[2])
det("variance_scaling int", init="variance_scaling", shape=[2, 2], dtype="int32")
det("variance_scaling uniform int", init="variance_scaling", kwargs={"distribution": "uniform"}, shape=[2, 2],
    dtype="int32")
det("variance_scaling uniform int16", init="variance_scaling", kwargs={"distribution": "uniform"}, shape=[2],
    dtype="int16")
det("variance_scaling uniform complex", init="variance_scaling", kwargs={"distribution": "uniform"}, shape=[2],
    dtype="complex64")
det("variance_scaling ctor int", init="variance_scaling", kwargs={"dtype": "int32"}, shape=[2])
det("variance_scaling scale 0", init="variance_scaling", kwargs={"scale": 0}, shape=[2])
det("variance_scaling scale negative", init="variance_scaling", kwargs={"scale": -1.0}, shape=[2])
det("variance_scaling bad mode", init="variance_scaling", kwargs={"mode": "fan_x"}, shape=[2])
det("variance_scaling bad distribution", init="variance_scaling", kwargs={"distribution": "Gaussian"}, shape=[2])
det("glorot_uniform int", init="glorot_uniform", shape=[2, 2], dtype="int32")
det("glorot_normal string", init="glorot_normal", shape=[2, 2], dtype="string")
det("orthogonal 1d", init="orthogonal", shape=[3])
det("orthogonal tuple 1d", init="orthogonal", shape=(3,))
det("orthogonal scalar", init="orthogonal", shape=[])
det("orthogonal int", init="orthogonal", shape=[3, 3], dtype="int32")
det("orthogonal bf16", init="orthogonal", shape=[2, 2], dtype="bfloat16")
det("orthogonal ctor int", init="orthogonal", kwargs={"dtype": "int32"}, shape=[2, 2])
det("orthogonal empty", init="orthogonal", shape=[0, 3])


def record_deterministic() -> list[dict[str, Any]]:
    out = []
    random_inits = {"random_normal", "truncated_normal", "random_uniform", "uniform_unit_scaling",
                    "variance_scaling", "glorot_uniform", "glorot_normal", "orthogonal"}
    for spec in DETERMINISTIC:
        rec = {k: enc(v) for k, v in spec.items()}
        try:
            value = run(call_init(spec))
            if spec["init"] in random_inits:
                rec["result"] = {"shape": list(np.shape(value)), "dtype": tf.as_dtype(value.dtype).name}
            else:
                rec["result"] = value_json(value)
        except Exception as e:  # noqa: BLE001 - recording whatever TF raises
            rec["error"] = err(e)
        out.append(rec)
    return out


# ------------------------------------------------------------------------------------------
# Configs.

def record_configs() -> list[dict[str, Any]]:
    specs = [
        ("zeros", {}), ("zeros", {"dtype": "int32"}), ("ones", {}), ("constant", {"value": [1, 2]}),
        ("constant", {"value": 3.5, "dtype": "float64"}), ("random_uniform", {}),
        ("random_uniform", {"minval": -1, "maxval": 1, "seed": 3, "dtype": "float64"}), ("random_normal", {}),
        ("truncated_normal", {"mean": 1.0, "stddev": 0.5, "seed": 7}), ("uniform_unit_scaling", {}),
        ("variance_scaling", {}), ("variance_scaling", {"scale": 2.0, "mode": "fan_avg", "distribution": "NORMAL"}),
        ("glorot_uniform", {}), ("glorot_uniform", {"seed": 1, "dtype": "float64"}), ("glorot_normal", {"seed": 2}),
        ("orthogonal", {"gain": 2.0, "seed": 4}), ("identity", {"gain": 3.0}),
    ]
    out = []
    for name, kwargs in specs:
        init = getattr(tf1.initializers, name)(**{k: (tf.as_dtype(v) if k == "dtype" else v)
                                                  for k, v in kwargs.items()})
        out.append({"init": name, "kwargs": kwargs, "config": enc(init.get_config()),
                    "dtype": init.dtype.name})
    for name in ("he_normal", "he_uniform", "lecun_normal", "lecun_uniform"):
        init = getattr(tf1.initializers, name)(5)
        out.append({"init": name, "args": [5], "kwargs": {}, "config": enc(init.get_config()),
                    "dtype": init.dtype.name})
    return out


# ------------------------------------------------------------------------------------------
# Random initializers: statistics over large samples.

RANDOM: list[dict[str, Any]] = []


def rnd(label: str, **spec: Any) -> None:
    RANDOM.append({"label": label, **spec})


rnd("random_normal", init="random_normal", kwargs={"mean": 0.5, "stddev": 2.0}, shape=[200000])
rnd("random_normal f64", init="random_normal", kwargs={"mean": -1.0, "stddev": 0.1}, shape=[200, 1000],
    dtype="float64")
rnd("random_normal f16", init="random_normal", shape=[200000], dtype="float16")
rnd("random_normal bf16", init="random_normal", shape=[200000], dtype="bfloat16")
rnd("truncated_normal", init="truncated_normal", kwargs={"mean": 1.0, "stddev": 0.5}, shape=[200000])
rnd("truncated_normal f64", init="truncated_normal", shape=[100, 2000], dtype="float64")
rnd("random_uniform default", init="random_uniform", shape=[200000])
rnd("random_uniform -2,3", init="random_uniform", args=[-2.0, 3.0], shape=[200000])
rnd("random_uniform f64 int bounds", init="random_uniform", args=[0, 4], shape=[200000], dtype="float64")
rnd("random_uniform f16", init="random_uniform", args=[-1.0, 1.0], shape=[200000], dtype="float16")
rnd("random_uniform int32", init="random_uniform", args=[0, 10], shape=[200000], dtype="int32")
rnd("random_uniform int64 ctor", init="random_uniform", kwargs={"minval": -5, "maxval": 5, "dtype": "int64"},
    shape=[200000])
rnd("random_uniform reversed", init="random_uniform", args=[5.0, 2.0], shape=[200000])
rnd("uniform_unit_scaling", init="uniform_unit_scaling", kwargs={"factor": 1.5}, shape=[400, 500])
rnd("uniform_unit_scaling 3d", init="uniform_unit_scaling", shape=[4, 5, 10000])
rnd("uniform_unit_scaling partitioned", init="uniform_unit_scaling", shape=[100, 2000],
    partition_info=[[1000, 2000], [100, 0]])
for mode in ("fan_in", "fan_out", "fan_avg"):
    for dist in ("normal", "truncated_normal", "untruncated_normal", "uniform"):
        rnd(f"variance_scaling {mode} {dist}", init="variance_scaling",
            kwargs={"scale": 2.0, "mode": mode, "distribution": dist}, shape=[300, 700])
rnd("variance_scaling f64 conv", init="variance_scaling", kwargs={"mode": "fan_avg"}, shape=[3, 3, 64, 128],
    dtype="float64")
rnd("variance_scaling partitioned", init="variance_scaling", kwargs={"distribution": "uniform"}, shape=[10, 10],
    partition_info=[[1000, 10], [500, 0]], reps=20)
rnd("variance_scaling partitioned normal", init="variance_scaling", kwargs={"mode": "fan_out"}, shape=[20, 1000],
    partition_info=[[1000, 1000], [0, 0]], reps=10)
for shape in ([], [5], [3, 4], [1000, 10], [2, 3, 4, 5], [3, 3, 64, 128], [0, 3]):
    n = int(np.prod(shape)) if shape else 1
    reps = 1 if n >= 100000 else max(1, min(2000, 100000 // max(n, 1)))
    rnd(f"glorot_uniform {shape}", init="glorot_uniform", shape=shape, reps=reps if n else 1)
rnd("glorot_normal", init="glorot_normal", shape=[500, 400])
rnd("glorot_normal f16", init="glorot_normal", shape=[500, 400], dtype="float16")
rnd("he_normal", init="he_normal", shape=[3, 3, 32, 64], reps=5)
rnd("he_uniform", init="he_uniform", shape=[3, 3, 32, 64], reps=5)
rnd("lecun_normal", init="lecun_normal", shape=[300, 700])
rnd("lecun_uniform", init="lecun_uniform", shape=[300, 700])
rnd("orthogonal square", init="orthogonal", shape=[300, 300])
rnd("orthogonal tall gain", init="orthogonal", kwargs={"gain": 2.0}, shape=[500, 200])
rnd("orthogonal wide", init="orthogonal", shape=[100, 400])
rnd("orthogonal 3d", init="orthogonal", shape=[4, 25, 60])
rnd("orthogonal f64", init="orthogonal", shape=[50, 50], dtype="float64")
rnd("orthogonal f16", init="orthogonal", shape=[8, 8], dtype="float16")


def stats(values: np.ndarray, orth: bool) -> dict[str, Any]:
    v = values.astype(np.float64)
    out: dict[str, Any] = {"n": int(v.size)}
    if v.size:
        out.update(min=float(v.min()), max=float(v.max()), mean=float(v.mean()), std=float(v.std()),
                   abs_mean=float(np.abs(v).mean()))
    if orth:
        flat = v.reshape(-1, v.shape[-1])
        gram = flat @ flat.T if flat.shape[0] < flat.shape[1] else flat.T @ flat
        out["gram_diag_mean"] = float(np.diag(gram).mean())
        out["gram_offdiag_maxabs"] = float(np.abs(gram - np.diag(np.diag(gram))).max())
    return out


def record_random() -> list[dict[str, Any]]:
    out = []
    for spec in RANDOM:
        rec = {k: enc(v) for k, v in spec.items()}
        t = call_init(spec)
        reps = spec.get("reps", 1)
        with tf1.Session() as s:
            values = [s.run(t) for _ in range(reps)]
        v = np.stack(values) if reps > 1 else values[0]
        rec["dtype_out"] = tf.as_dtype(values[0].dtype).name
        rec["shape_out"] = list(np.shape(values[0]))
        rec["stats"] = stats(np.asarray(v) if reps == 1 else v, spec["init"] == "orthogonal")
        if spec["init"] == "orthogonal" and reps == 1:
            rec["stats"] = stats(values[0], True)
        out.append(rec)
    return out


def record_fans() -> list[dict[str, Any]]:
    from tensorflow.python.ops.init_ops import _compute_fans

    shapes = [[], [7], [3, 4], [1000, 10], [2, 3, 4, 5], [3, 3, 64, 128], [0, 3], [5, 0, 2], [2, 2, 2, 2, 2]]
    return [{"shape": s, "fans": list(_compute_fans(s))} for s in shapes]


# ------------------------------------------------------------------------------------------
# Partitioners, slicing and _PartitionInfo.


def record_partitioners() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []

    def case(factory: str, kwargs: dict[str, Any], shape: Any, dtype: str = "float32",
             pass_shape_as_list: bool = False) -> None:
        rec: dict[str, Any] = {"factory": factory, "kwargs": kwargs, "shape": shape, "dtype": dtype,
                               "pass_shape_as_list": pass_shape_as_list}
        try:
            p = getattr(tf1, factory)(**kwargs)
            arg = shape if pass_shape_as_list else tf.TensorShape(shape)
            rec["result"] = list(p(shape=arg, dtype=tf.as_dtype(dtype)))
        except Exception as e:  # noqa: BLE001
            rec["error"] = err(e)
        cases.append(rec)

    for n, shape, axis in [(5, [10, 10], 0), (5, [3, 4], 0), (3, [2, 8], 1), (4, [20], 0), (3, [0, 2], 0),
                           (2, [7, 3, 5], 2), (1, [4, 4], 0), (10, [100, 2], 0), (3, [1], 0)]:
        case("fixed_size_partitioner", {"num_shards": n, "axis": axis}, shape)
    case("fixed_size_partitioner", {"num_shards": 4}, [20], "int64")
    shape4 = [4, 8, 16, 32]
    for axis, mb, extra in [(0, 131072, {}), (1, 65536, {}), (2, 32768, {}), (3, 2048, {}), (3, 1024, {}),
                            (3, 1024, {"max_shards": 33}), (3, 1024, {"max_shards": 2}), (0, 1, {}),
                            (3, 4096, {"max_shards": 0})]:
        case("variable_axis_size_partitioner", {"max_shard_bytes": mb, "axis": axis, **extra}, shape4)
    case("variable_axis_size_partitioner", {"max_shard_bytes": 32768, "axis": 3, "bytes_per_string_element": 8},
         shape4, "string")
    case("variable_axis_size_partitioner", {"max_shard_bytes": 100}, [10, 3])
    case("variable_axis_size_partitioner", {"max_shard_bytes": 100}, [10, 3], "float64")
    case("variable_axis_size_partitioner", {"max_shard_bytes": 4}, [2])
    case("variable_axis_size_partitioner", {"max_shard_bytes": 50}, [10, 3], "string")
    case("variable_axis_size_partitioner", {"max_shard_bytes": 50, "bytes_per_string_element": 1}, [10, 3],
         "string")
    case("variable_axis_size_partitioner", {"max_shard_bytes": 100}, [10, 3], "bfloat16")
    case("variable_axis_size_partitioner", {"max_shard_bytes": 0}, [10, 3])
    case("variable_axis_size_partitioner", {"max_shard_bytes": 10, "bytes_per_string_element": 0}, [10, 3])
    case("variable_axis_size_partitioner", {"max_shard_bytes": 10, "max_shards": -1}, [10, 3])
    case("variable_axis_size_partitioner", {"max_shard_bytes": 10}, [3, 4], pass_shape_as_list=True)
    case("variable_axis_size_partitioner", {"max_shard_bytes": 10}, [None, 4])
    mm = "min_max_variable_partitioner"
    case(mm, {"max_partitions": 100, "min_slice_size": 2 << 10}, [2048])
    for kw in [{"max_partitions": 100, "min_slice_size": 256 << 10}, {"max_partitions": 16},
               {"max_partitions": 1}, {"max_partitions": 100, "min_slice_size": 128 << 10},
               {"max_partitions": 100, "min_slice_size": 512 << 10}, {}, {"max_partitions": 0}]:
        case(mm, kw, [2048, 1024])
    case(mm, {"max_partitions": 100, "axis": 1, "min_slice_size": 256 << 10}, [64, 1024, 1, 3])
    case(mm, {"max_partitions": 100, "axis": 3, "min_slice_size": 256 << 10}, [64, 1024, 1, 3])
    case(mm, {"max_partitions": 100, "min_slice_size": 256 << 10}, [16, 128, 1024])
    case(mm, {"max_partitions": 100, "min_slice_size": 256 << 10}, [4, 512, 1024])
    case(mm, {"max_partitions": 10, "min_slice_size": 7}, [3, 2])
    case(mm, {"max_partitions": 10, "min_slice_size": 64}, [30, 2], "string")
    case(mm, {"max_partitions": 10, "min_slice_size": 64, "bytes_per_string_element": 4}, [30, 2], "string")
    case(mm, {"axis": 2}, [3, 4])
    return cases


def record_call_partitioner() -> list[dict[str, Any]]:
    out = []
    for shape, answer in [([4, 2], [2, 1]), ([4, 2], (1, 1)), ([None, 2], [1, 1]), (None, [1]), ([], []),
                          ([4, 2], "nope"), ([4, 2], 3), ([4, 2], [2]), ([4, 2], [0, 1]), ([4, 2], [2, 2]),
                          ([4, 2], [1, -1]), ([4, 2], (0, 1))]:
        rec: dict[str, Any] = {"shape": shape, "answer": enc(answer), "answer_is_tuple": isinstance(answer, tuple)}
        try:
            res = vs_mod._call_partitioner(lambda answer=answer, **_: answer, tf.TensorShape(shape), tf.float32)
            rec["result"] = enc(res)
            rec["result_type"] = type(res).__name__
        except Exception as e:  # noqa: BLE001
            rec["error"] = err(e)
        out.append(rec)
    return out


def record_slices() -> dict[str, Any]:
    slices = []
    for full, n, dim in [([7, 2], 5, 0), ([10, 43], 2, 1), ([10, 43], 3, 1), ([10, 43], 4, 1), ([10, 43], 5, 1),
                         ([13], 3, 0), ([4], 4, 0), ([5, 5], 1, 0), ([3, 2], 5, 0)]:
        slices.append({"full_shape": full, "num_slices": n, "slice_dim": dim,
                       "slices": [[o, s] for o, s in vs_mod._iter_slices(full, n, dim)]})
    dims = [{"partitions": p, "result": list(vs_mod._get_slice_dim_and_num_slices(p))}
            for p in ([1, 1], [5, 1], [1, 3], [1, 1, 4], [2], [1])]
    return {"iter_slices": slices, "slice_dim_and_num_slices": dims}


def record_partition_info() -> list[dict[str, Any]]:
    out = []
    cases: list[tuple[Any, Any, str | None, Any]] = [
        ([9, 3], [4, 0], "single_offset", [1, 3]), ([9, 3], [4, 0], "single_slice_dim", [2, 3]),
        ([9, 3], [0, 0], "single_slice_dim", [9, 2]), ([9, 3], [0, 0], "single_offset", [9, 3]),
        ([9, 3], [0, 0], "single_slice_dim", [9, 3]), ((9, 3), (0, 1), "single_offset", (9, 2)),
        ([9, 3], [4, 0], "single_slice_dim", [6, 3]), ([9, 3], [4, 0], "single_slice_dim", [2, 2]),
        ([9, 3], [4, 0], "single_slice_dim", [2]), ([9, 3], [4, 0], "single_slice_dim", 3),
        ([9, 3], [4, 0], "single_offset", "ab"), ([9, 3], [0, 0], "single_offset", [9, 4]),
        ([4, 2], [4, 0], None, None), ([4, 2], [-1, 0], None, None), ([4, 2], [0], None, None),
        ("ab", [0], None, None), ([4], 0, None, None), ({"a": 1}, [0], None, None), ([4, 2], [3, 1], None, None),
    ]
    for full, offset, method, arg in cases:
        rec: dict[str, Any] = {"full_shape": enc(full), "var_offset": enc(offset), "method": method,
                               "arg": enc(arg), "full_is_tuple": isinstance(full, tuple),
                               "offset_is_tuple": isinstance(offset, tuple), "arg_is_tuple": isinstance(arg, tuple)}
        try:
            pi = vs_mod._PartitionInfo(full, offset)
            rec["result"] = None if method is None else getattr(pi, method)(arg)
            rec["full_shape_out"] = enc(pi.full_shape)
        except Exception as e:  # noqa: BLE001
            rec["error"] = err(e)
        out.append(rec)
    return out


def record_save_slice_info() -> list[dict[str, Any]]:
    out = []
    for full, off, shp in [([10, 10], [0, 0], [2, 10]), ([4], [2], [1]), ([4, 3, 5], [0, 1, 3], [4, 1, 2]),
                           ([7, 2], [3, 0], [2, 2])]:
        info = variables_mod.Variable.SaveSliceInfo("v", full, off, shp)
        out.append({"full_shape": full, "var_offset": off, "var_shape": shp, "spec": info.spec})
    return out


def record_partitioned_variable() -> dict[str, Any]:
    """PartitionedVariable ctor errors and API on real shards of ``pv`` ([4, 2] in 2)."""
    g = tf.Graph()
    out: dict[str, Any] = {}
    with g.as_default():
        pv = tf1.get_variable("pv", [4, 2], initializer=tf1.ones_initializer(),
                              partitioner=tf1.fixed_size_partitioner(2))
        shards = list(pv)
        plain = tf1.get_variable("plain", [4, 2])
        out["names"] = [v.name for v in shards]
        out["specs"] = [v._get_save_slice_info().spec for v in shards]
        out["partitions"] = pv._get_partitions()
        out["partition_axes"] = pv._partition_axes()
        out["len"] = len(pv)
        out["name"] = pv.name
        out["shape"] = str(pv.shape)
        PV = variables_mod.PartitionedVariable
        ts = tf.TensorShape([4, 2])
        ctor: list[dict[str, Any]] = []
        for label, args in [
            ("variable_list not list", ("x", ts, tf.float32, "abc", [2, 1])),
            ("partitions not list", ("x", ts, tf.float32, shards, 3)),
            ("partition zero", ("x", ts, tf.float32, shards, [0, 1])),
            ("empty", ("x", ts, tf.float32, [], [2, 1])),
            ("no slice info", ("x", ts, tf.float32, [shards[0], plain], [2, 1])),
            ("len mismatch", ("x", ts, tf.float32, shards, [2, 1, 1])),
            ("full shape mismatch", ("x", tf.TensorShape([5, 2]), tf.float32, shards, [2, 1])),
        ]:
            try:
                PV(*args)
                ctor.append({"label": label, "ok": True})
            except Exception as e:  # noqa: BLE001
                ctor.append({"label": label, "error": err(e)})
        out["ctor"] = ctor
        two_axes = PV("x", ts, tf.float32, shards, [2, 2])
        try:
            len(two_axes)
        except Exception as e:  # noqa: BLE001
            out["len_two_axes"] = err(e)
        try:
            two_axes.as_tensor()
        except Exception as e:  # noqa: BLE001
            out["concat_two_axes"] = err(e)
        try:
            two_axes.assign(np.zeros((4, 2), np.float32))
        except Exception as e:  # noqa: BLE001
            out["assign_two_axes"] = err(e)
        out["partition_axes_two"] = two_axes._partition_axes()
        out["reversed_order"] = [v.name for v in PV("x", ts, tf.float32, shards[::-1], [2, 1])]
        conv = tf.python.framework.tensor_conversion_registry if hasattr(tf, "python") else None
        del conv
        try:
            PV._TensorConversionFunction(pv, dtype=tf.int32)
        except Exception as e:  # noqa: BLE001
            out["convert_bad_dtype"] = err(e)
        try:
            PV._TensorConversionFunction(pv, as_ref=True)
        except Exception as e:  # noqa: BLE001
            out["convert_as_ref"] = err(e)
        assigned = pv.assign(np.arange(8, dtype=np.float32).reshape(4, 2))
        added = pv.assign_add(np.ones((4, 2), np.float32))
        with tf1.Session() as s:
            s.run(tf1.global_variables_initializer())
            s.run(assigned)
            out["after_assign"] = s.run(pv.as_tensor()).tolist()
            s.run(added)
            out["after_assign_add"] = s.run(pv.as_tensor()).tolist()
    return out


def record_regularizer_values() -> list[dict[str, Any]]:
    """contrib's l1/l2 arithmetic, computed with TF ops in the weights' dtype."""
    out = []
    rng = np.random.default_rng(0)
    for dtype in ("float32", "float64", "float16"):
        w = rng.normal(size=(17, 5)).astype(dtype)
        for scale in (0.1, 0.5, 1e-3):
            s = tf.constant(scale, dtype=dtype)
            l1 = run(s * tf.reduce_sum(tf.abs(w)))
            l2 = run(s * tf.nn.l2_loss(w))
            out.append({"dtype": dtype, "weights": enc(w.astype(np.float64).tolist()), "scale": scale,
                        "l1": float(l1), "l2": float(l2), "l1_dtype": l1.dtype.name, "l2_dtype": l2.dtype.name})
    return out


def main() -> None:
    data = {
        "tensorflow_version": tf.__version__,
        "deterministic": record_deterministic(),
        "configs": record_configs(),
        "random": record_random(),
        "fans": record_fans(),
        "partitioners": record_partitioners(),
        "call_partitioner": record_call_partitioner(),
        "slicing": record_slices(),
        "partition_info": record_partition_info(),
        "save_slice_info": record_save_slice_info(),
        "partitioned_variable": record_partitioned_variable(),
        "regularizer_values": record_regularizer_values(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
