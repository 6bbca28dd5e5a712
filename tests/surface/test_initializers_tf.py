"""varscope.initializers against what TensorFlow 2.21 recorded (tests/fixtures/tf_initializers.json)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from _tf_fixture import dec, load

from varscope import initializers as I
from varscope._dtypes import as_dtype
from varscope.partitioners import PartitionInfo

DATA = load()


def _make(spec: dict[str, Any]) -> Any:
    return getattr(I, spec["init"])(*dec(spec.get("args", [])), **dec(spec.get("kwargs", {})))


def _call(spec: dict[str, Any]) -> np.ndarray:
    init = _make(spec)
    kw: dict[str, Any] = {}
    if spec.get("dtype") is not None:
        kw["dtype"] = as_dtype(spec["dtype"])
    if spec.get("partition_info") is not None:
        kw["partition_info"] = PartitionInfo(*spec["partition_info"])
    if spec.get("verify_shape") is not None:
        kw["verify_shape"] = spec["verify_shape"]
    shape = spec["shape"]
    if spec["label"].endswith("tuple 1d") or spec["label"] == "identity tuple":
        shape = tuple(shape)
    return init(shape, **kw)


@pytest.mark.parametrize("case", DATA["deterministic"], ids=lambda c: c["label"])
def test_deterministic_and_errors(case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(Exception) as info:
            _call(case)
        assert type(info.value).__name__ == case["error"]["type"]
        assert str(info.value) == case["error"]["message"]
        return
    value = _call(case)
    expected = case["result"]
    assert isinstance(value, np.ndarray)
    assert list(value.shape) == expected["shape"]
    if value.dtype == object:
        assert expected["dtype"] == "string"
    else:
        assert as_dtype(value.dtype).name == expected["dtype"]
    if "values" in expected:
        want = dec(expected["values"])
        if expected["dtype"] == "string":
            assert value.tolist() == want
            assert all(type(x) is bytes for x in value.ravel())
        else:
            got = value.astype(np.float64).tolist() if expected["dtype"] == "bfloat16" else value.tolist()
            assert got == want


@pytest.mark.parametrize("case", DATA["configs"], ids=lambda c: f"{c['init']}{c['kwargs']}")
def test_get_config_matches_tf(case: dict[str, Any]) -> None:
    init = getattr(I, case["init"])(*case.get("args", []), **case["kwargs"])
    assert init.get_config() == dec(case["config"])
    assert init.dtype.name == case["dtype"]
    clone = type(init).from_config(init.get_config())
    assert clone.get_config() == init.get_config()


@pytest.mark.parametrize("case", DATA["fans"], ids=lambda c: str(c["shape"]))
def test_compute_fans(case: dict[str, Any]) -> None:
    assert list(I.compute_fans(case["shape"])) == case["fans"]


_BOUNDED_INITS = {"truncated_normal", "random_uniform", "uniform_unit_scaling", "glorot_uniform", "glorot_normal",
                  "he_normal", "he_uniform", "lecun_normal", "lecun_uniform"}


def _bounded(case: dict[str, Any]) -> bool:
    if case["init"] == "variance_scaling":
        return case["kwargs"].get("distribution", "truncated_normal") != "untruncated_normal"
    return case["init"] in _BOUNDED_INITS


@pytest.mark.parametrize("case", DATA["random"], ids=lambda c: c["label"])
def test_random_statistics_match_tf(case: dict[str, Any]) -> None:
    reps = case.get("reps", 1)
    values = [_call(case) for _ in range(reps)]
    first = values[0]
    assert list(first.shape) == case["shape_out"]
    assert as_dtype(first.dtype).name == case["dtype_out"]
    tf_stats = case["stats"]
    v = np.stack(values).astype(np.float64) if reps > 1 else first.astype(np.float64)
    assert v.size == tf_stats["n"]
    if not v.size:
        return
    n = v.size
    coarse = case["dtype_out"] in ("float16", "bfloat16")
    spread = max(tf_stats["std"], 1e-12)
    mean_tol = 6 * spread / math.sqrt(n) + (0.01 * spread if coarse else 1e-9)
    assert abs(v.mean() - tf_stats["mean"]) <= mean_tol
    std_tol = 6 / math.sqrt(2 * n) + (0.01 if coarse else 0.002)
    assert abs(v.std() / spread - 1) <= std_tol
    if _bounded(case) or case["dtype_out"].startswith("int"):
        width = tf_stats["max"] - tf_stats["min"]
        edge_tol = width * (60 / n + 0.004) + (0.01 * width if coarse else 0)
        assert abs(v.min() - tf_stats["min"]) <= edge_tol
        assert abs(v.max() - tf_stats["max"]) <= edge_tol
    if case["init"] == "orthogonal":
        flat = first.astype(np.float64).reshape(-1, first.shape[-1])
        gram = flat @ flat.T if flat.shape[0] < flat.shape[1] else flat.T @ flat
        diag_tol = 0.01 if coarse else 1e-4
        assert abs(np.diag(gram).mean() - tf_stats["gram_diag_mean"]) <= diag_tol * tf_stats["gram_diag_mean"]
        assert np.abs(gram - np.diag(np.diag(gram))).max() <= max(tf_stats["gram_offdiag_maxabs"] * 10, 1e-5)
