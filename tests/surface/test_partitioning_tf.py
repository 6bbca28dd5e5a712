"""Partitioners, slicing, PartitionInfo, SaveSliceInfo and PartitionedVariable against recorded TF answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from _tf_fixture import dec, load

from varscope import partitioners as P
from varscope._dtypes import as_dtype, float32
from varscope._shape import TensorShape
from varscope.partitioned import PartitionedVariable, SaveSliceInfo

DATA = load()


def _check_error(exc: BaseException, expected: dict[str, str]) -> None:
    assert type(exc).__name__ == expected["type"]
    assert str(exc) == expected["message"]


def _outcome(case: dict[str, Any], go: Callable[[], Any]) -> Any:
    """Runs ``go``: when ``case`` recorded an error, TF's error type and message must come out (returns
    None); otherwise returns what ``go`` returned."""
    if "error" not in case:
        return go()
    with pytest.raises(Exception) as info:
        go()
    _check_error(info.value, case["error"])
    return None


@pytest.mark.parametrize("case", DATA["partitioners"], ids=lambda c: f"{c['factory']}{c['kwargs']}{c['shape']}{c['dtype']}")
def test_partitioner_factories(case: dict[str, Any]) -> None:
    def go() -> Any:
        p = getattr(P, case["factory"])(**case["kwargs"])
        shape = case["shape"] if case["pass_shape_as_list"] else TensorShape(case["shape"])
        return p(shape=shape, dtype=as_dtype(case["dtype"]))

    result = _outcome(case, go)
    if "error" not in case:
        assert result == case["result"]


@pytest.mark.parametrize("case", DATA["call_partitioner"], ids=lambda c: f"{c['shape']}->{c['answer']}")
def test_call_partitioner(case: dict[str, Any]) -> None:
    answer = dec(case["answer"])
    if case["answer_is_tuple"]:
        answer = tuple(answer)

    def go() -> Any:
        return P.call_partitioner(lambda **_: answer, TensorShape(case["shape"]), float32)

    res = _outcome(case, go)
    if "error" not in case:
        assert type(res).__name__ == case["result_type"]
        assert list(res) == list(dec(case["result"]))


def test_call_partitioner_passes_keywords() -> None:
    seen: dict[str, Any] = {}

    def part(*args: Any, **kwargs: Any) -> list[int]:
        seen["args"], seen["kwargs"] = args, kwargs
        return [2, 1]

    assert P.call_partitioner(part, TensorShape([4, 2]), float32) == [2, 1]
    assert seen["args"] == () and set(seen["kwargs"]) == {"shape", "dtype"}
    assert isinstance(seen["kwargs"]["shape"], TensorShape) and seen["kwargs"]["dtype"] is float32


@pytest.mark.parametrize("case", DATA["slicing"]["iter_slices"], ids=lambda c: f"{c['full_shape']}/{c['num_slices']}")
def test_iter_slices(case: dict[str, Any]) -> None:
    got = [[o, s] for o, s in P.iter_slices(case["full_shape"], case["num_slices"], case["slice_dim"])]
    assert got == case["slices"]


@pytest.mark.parametrize("case", DATA["slicing"]["slice_dim_and_num_slices"], ids=lambda c: str(c["partitions"]))
def test_slice_dim_and_num_slices(case: dict[str, Any]) -> None:
    assert list(P.slice_dim_and_num_slices(case["partitions"])) == case["result"]


def _restore(value: Any, is_tuple: bool) -> Any:
    value = dec(value)
    return tuple(value) if is_tuple and isinstance(value, list) else value


@pytest.mark.parametrize("case", DATA["partition_info"], ids=lambda c: f"{c['full_shape']}{c['var_offset']}{c['method']}{c['arg']}")
def test_partition_info(case: dict[str, Any]) -> None:
    full = _restore(case["full_shape"], case["full_is_tuple"])
    offset = _restore(case["var_offset"], case["offset_is_tuple"])
    arg = _restore(case["arg"], case["arg_is_tuple"])

    def go() -> Any:
        pi = P.PartitionInfo(full, offset)
        assert list(pi.full_shape) == list(dec(case.get("full_shape_out", full)))
        return None if case["method"] is None else getattr(pi, case["method"])(arg)

    result = _outcome(case, go)
    if "error" not in case:
        assert result == case["result"]


@pytest.mark.parametrize("case", DATA["save_slice_info"], ids=lambda c: str(c["var_shape"]))
def test_save_slice_info_spec(case: dict[str, Any]) -> None:
    info = SaveSliceInfo("v", case["full_shape"], case["var_offset"], case["var_shape"])
    assert info.spec == case["spec"]
    back = SaveSliceInfo.from_spec(case["spec"])
    assert (back.full_shape, back.var_offset, back.var_shape) == (case["full_shape"], case["var_offset"],
                                                                  case["var_shape"])


# ---- PartitionedVariable on stand-in shards (the real Variable has the same interface) ----------


class _NumpyBackend:
    def concatenate(self, arrays: list[np.ndarray], axis: int) -> np.ndarray:
        return np.concatenate(arrays, axis=axis)

    def asarray(self, value: Any, dtype: Any = None) -> np.ndarray:
        return np.asarray(value, dtype)

    def to_numpy(self, value: Any) -> np.ndarray:
        return np.asarray(value)


class _Shard:
    """Test stand-in with the interface the store's Variable offers."""

    def __init__(self, name: str, value: np.ndarray, info: SaveSliceInfo | None) -> None:
        self.name = name
        self._value = np.array(value)
        self._save_slice_info = info
        self._backend = _NumpyBackend()

    @property
    def shape(self) -> TensorShape:
        return TensorShape(list(self._value.shape))

    @property
    def dtype(self) -> Any:
        return as_dtype(self._value.dtype)

    def numpy(self) -> np.ndarray:
        return self._value.copy()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self._value.copy() if dtype is None else self._value.astype(dtype)

    def value(self) -> np.ndarray:
        return self._value

    def assign(self, v: Any, use_locking: Any = None, name: Any = None, read_value: bool = True) -> _Shard:
        self._value = np.array(v, dtype=self._value.dtype).reshape(self._value.shape)
        return self

    def assign_add(self, v: Any, use_locking: Any = None, name: Any = None, read_value: bool = True) -> _Shard:
        return self.assign(self._value + np.asarray(v))

    def assign_sub(self, v: Any, use_locking: Any = None, name: Any = None, read_value: bool = True) -> _Shard:
        return self.assign(self._value - np.asarray(v))


def _shards(full: list[int], n: int, axis: int = 0, name: str = "pv") -> list[_Shard]:
    out = []
    for i, (off, shp) in enumerate(P.iter_slices(full, n, axis)):
        out.append(_Shard(f"{name}/part_{i}:0", np.ones(shp, np.float32), SaveSliceInfo(name, full, off, shp)))
    return out


PV_DATA = DATA["partitioned_variable"]


def test_shard_names_and_specs_match_tf() -> None:
    shards = _shards([4, 2], 2)
    assert [s.name for s in shards] == PV_DATA["names"]
    assert [s._save_slice_info.spec for s in shards] == PV_DATA["specs"]
    pv = PartitionedVariable("pv", TensorShape([4, 2]), float32, shards, [2, 1])
    assert pv._get_partitions() == PV_DATA["partitions"]
    assert pv._partition_axes() == PV_DATA["partition_axes"]
    assert len(pv) == PV_DATA["len"]
    assert pv.name == PV_DATA["name"]
    assert str(pv.shape) == PV_DATA["shape"] and pv.get_shape() is pv.shape
    assert pv.dtype is float32


@pytest.mark.parametrize("case", PV_DATA["ctor"], ids=lambda c: c["label"])
def test_partitioned_variable_ctor_errors(case: dict[str, Any]) -> None:
    shards = _shards([4, 2], 2)
    plain = _Shard("plain:0", np.zeros((4, 2), np.float32), None)
    ts = TensorShape([4, 2])
    args = {
        "variable_list not list": ("x", ts, float32, "abc", [2, 1]),
        "partitions not list": ("x", ts, float32, shards, 3),
        "partition zero": ("x", ts, float32, shards, [0, 1]),
        "empty": ("x", ts, float32, [], [2, 1]),
        "no slice info": ("x", ts, float32, [shards[0], plain], [2, 1]),
        "len mismatch": ("x", ts, float32, shards, [2, 1, 1]),
        "full shape mismatch": ("x", TensorShape([5, 2]), float32, shards, [2, 1]),
    }[case["label"]]
    with pytest.raises(Exception) as info:
        PartitionedVariable(*args)
    _check_error(info.value, case["error"])


def test_two_axis_errors_match_tf() -> None:
    pv = PartitionedVariable("x", TensorShape([4, 2]), float32, _shards([4, 2], 2), [2, 2])
    assert pv._partition_axes() == PV_DATA["partition_axes_two"]
    with pytest.raises(Exception) as info:
        len(pv)
    _check_error(info.value, PV_DATA["len_two_axes"])
    with pytest.raises(Exception) as info:
        pv.as_tensor()
    _check_error(info.value, PV_DATA["concat_two_axes"])
    with pytest.raises(Exception) as info:
        pv.assign(np.zeros((4, 2), np.float32))
    _check_error(info.value, PV_DATA["assign_two_axes"])


def test_conversion_errors_match_tf() -> None:
    pv = PartitionedVariable("pv", TensorShape([4, 2]), float32, _shards([4, 2], 2), [2, 1])
    with pytest.raises(Exception) as info:
        pv._dense_value(dtype=as_dtype("int32"))
    _check_error(info.value, PV_DATA["convert_bad_dtype"])
    with pytest.raises(Exception) as info:
        pv._dense_value(as_ref=True)
    _check_error(info.value, PV_DATA["convert_as_ref"])


def test_iteration_sorted_by_offset() -> None:
    shards = _shards([4, 2], 2)
    pv = PartitionedVariable("x", TensorShape([4, 2]), float32, shards[::-1], [2, 1])
    assert [v.name for v in pv] == PV_DATA["reversed_order"]
    assert pv._get_variable_list() == shards


def test_assign_and_concat_match_tf() -> None:
    pv = PartitionedVariable("pv", TensorShape([4, 2]), float32, _shards([4, 2], 2), [2, 1])
    pv.assign(np.arange(8, dtype=np.float32).reshape(4, 2))
    assert pv.as_tensor().tolist() == PV_DATA["after_assign"]
    pv.assign_add(np.ones((4, 2), np.float32))
    assert pv.numpy().tolist() == PV_DATA["after_assign_add"]
    assert np.asarray(pv).tolist() == PV_DATA["after_assign_add"]
    pv.assign_sub(np.ones((4, 2), np.float32))
    assert pv._concat().tolist() == PV_DATA["after_assign"]


def test_assign_along_axis_1_uneven_and_lists() -> None:
    shards = _shards([2, 7], 3, axis=1)
    pv = PartitionedVariable("w", TensorShape([2, 7]), float32, shards, [1, 3])
    value = np.arange(14, dtype=np.float32).reshape(2, 7)
    pv.assign(value)
    assert [s.value().shape for s in pv] == [(2, 3), (2, 2), (2, 2)]
    np.testing.assert_array_equal(pv.as_tensor(), value)
    pv.assign([np.zeros((2, 3)), np.ones((2, 2)), np.full((2, 2), 2.0)])
    np.testing.assert_array_equal(pv.numpy()[1], [0, 0, 0, 1, 1, 2, 2])
    other = PartitionedVariable("o", TensorShape([2, 7]), float32, _shards([2, 7], 3, axis=1, name="o"), [1, 3])
    pv.assign(other)
    np.testing.assert_array_equal(pv.numpy(), np.ones((2, 7)))
    with pytest.raises(ValueError):
        pv.assign(np.zeros((2, 6)))


def test_single_shard_and_degenerate_partitions() -> None:
    shards = _shards([3, 2], 1)
    pv = PartitionedVariable("h", TensorShape([3, 2]), float32, shards, (1, 1))
    assert len(pv) == 1 and pv._partition_axes() == [0] and pv._get_partitions() == (1, 1)
    assert pv.as_tensor() is shards[0].value()
    assert "PartitionedVariable" in repr(pv) and "'h'" in repr(pv)


def test_shards_exposing_get_save_slice_info() -> None:
    class WithGetter(_Shard):
        def _get_save_slice_info(self) -> SaveSliceInfo | None:
            return self._save_slice_info

    shards = [WithGetter(s.name, s.value(), s._save_slice_info) for s in _shards([6], 3)]
    pv = PartitionedVariable("g", TensorShape([6]), float32, shards[::-1], [3])
    assert [s._save_slice_info.var_offset for s in pv] == [[0], [2], [4]]


def test_variable_axis_size_partitioner_rejects_lists() -> None:
    p = P.variable_axis_size_partitioner(10)
    with pytest.raises(ValueError, match=r"^shape is not a TensorShape: \[3, 4\]$"):
        p(shape=[3, 4], dtype=float32)


def test_partition_info_repr_and_tuple_preserved() -> None:
    pi = P.PartitionInfo((4, 2), (2, 0))
    assert pi.full_shape == (4, 2) and pi.var_offset == (2, 0)
    assert "full_shape=[4, 2]" in repr(pi)
