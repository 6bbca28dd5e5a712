"""Round trips and error handling of the tensor bundle writer and reader."""

from __future__ import annotations

import os
from pathlib import Path

import ml_dtypes
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from varscope.checkpoint import BundleReader, BundleWriter, CheckpointError, SliceData, write_bundle
from varscope.checkpoint.proto import BundleEntry, Extent

ALL_DTYPES = [
    np.float16, np.float32, np.float64, ml_dtypes.bfloat16, np.int8, np.int16, np.int32, np.int64,
    np.uint8, np.uint16, np.uint32, np.uint64, np.bool_, np.complex64, np.complex128,
    ml_dtypes.float8_e4m3fn, ml_dtypes.float8_e5m2, ml_dtypes.int4, ml_dtypes.uint4,
]


def sample(dtype: type, shape: tuple[int, ...]) -> np.ndarray:
    rng = np.random.default_rng(1)
    if np.dtype(dtype) == np.bool_:
        return rng.integers(0, 2, shape).astype(bool)
    if np.dtype(dtype).kind == "c":
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)
    return rng.integers(0, 7, shape).astype(dtype)


@pytest.mark.parametrize("big_endian", [False, True])
@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=lambda d: np.dtype(d).name)
def test_round_trip_every_dtype(dtype: type, big_endian: bool, tmp_path: Path) -> None:
    tensors = {"m": sample(dtype, (3, 4)), "s": sample(dtype, ()), "e": sample(dtype, (0, 2))}
    write_bundle(tmp_path / "ck", tensors, big_endian=big_endian)
    with BundleReader(tmp_path / "ck") as reader:
        assert reader.header.endianness == int(big_endian)
        for name, value in tensors.items():
            got = reader.get_tensor(name)
            assert got.dtype == np.dtype(dtype) and got.shape == value.shape
            assert got.tobytes() == value.tobytes()
            assert got.flags.writeable


@pytest.mark.parametrize("big_endian", [False, True])
def test_strings(big_endian: bool, tmp_path: Path) -> None:
    vocab = np.array([b"", b"a\x00b", "ü".encode(), b"x" * 300], dtype=object).reshape(2, 2)
    write_bundle(tmp_path / "ck", {"v": vocab, "u": np.array(["hi", "ü"]), "z": np.zeros((0,), object),
                                    "s": np.array(b"one", dtype=object)}, big_endian=big_endian)
    with BundleReader(tmp_path / "ck") as reader:
        assert reader.get_tensor("v").tolist() == vocab.tolist()
        assert reader.get_tensor("u").tolist() == [b"hi", "ü".encode()]
        assert reader.get_tensor("z").shape == (0,)
        assert reader.get_tensor("s")[()] == b"one"
        assert reader.dtype_name("v") == "string"


def test_spec_example_is_byte_exact(tmp_path: Path) -> None:
    with BundleWriter(tmp_path / "m") as writer:
        writer.add("v", np.array([1, 2], np.float32))
        writer.add("s", np.array([b"ab", b"c"], object))
    index = (tmp_path / "m.index").read_bytes()
    assert len(index) == 142
    assert index[:9].hex() == "00000608011a020801"
    assert index[-8:].hex() == "57fb808b247547db"
    assert (tmp_path / "m.data-00000-of-00001").read_bytes().hex() == "0000803f00000040020103717c67616263"


def test_entry_encoding_details() -> None:
    assert BundleEntry(1, (0, 3)).encode().hex() == "0801120612001202" + "0803"
    assert BundleEntry(1, ()).encode().hex() == "08011200"
    # Extent.length is a oneof: a zero length is still written; a full extent is empty.
    assert Extent(0, 0).encode().hex() == "1000"
    assert Extent().encode() == b""


def test_empty_tensor_has_masked_zero_crc(tmp_path: Path) -> None:
    write_bundle(tmp_path / "ck", {"e": np.zeros((0, 3), np.float32)})
    with BundleReader(tmp_path / "ck") as reader:
        assert reader.entry("e").crc32c == 0xA282EAD8


def test_partitioned_round_trip_and_repartition(tmp_path: Path) -> None:
    full = np.arange(30, dtype=np.float32).reshape(10, 3)
    parts = [SliceData((10, 3), (0, 0), full[:4]), SliceData((10, 3), (4, 0), full[4:7]),
             SliceData((10, 3), (7, 0), full[7:])]
    write_bundle(tmp_path / "ck", {"b": np.ones(2)}, slices={"emb": parts})
    with BundleReader(tmp_path / "ck") as reader:
        assert reader.keys() == ["b", "emb"]
        assert np.array_equal(reader.get_tensor("emb"), full)
        assert np.array_equal(reader.get_slice("emb", (3, 0), (5, 3)), full[3:8])


def test_single_full_slice_is_stored_plain(tmp_path: Path) -> None:
    x = np.ones((2, 2), np.float32)
    write_bundle(tmp_path / "ck", {}, slices={"x": [((2, 2), (0, 0), x)]})
    with BundleReader(tmp_path / "ck") as reader:
        assert not reader.is_partitioned("x")
        assert len(reader.raw_entries()) == 1


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_any_partitioning_restores_any_region(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    rows = data.draw(st.integers(1, 12))
    cols = data.draw(st.integers(1, 5))
    full = np.arange(rows * cols, dtype=np.int32).reshape(rows, cols)
    cuts = sorted(set(data.draw(st.lists(st.integers(1, rows - 1), max_size=4)) if rows > 1 else []))
    bounds = [0, *cuts, rows]
    parts = [((rows, cols), (a, 0), full[a:b]) for a, b in zip(bounds, bounds[1:])]
    prefix = tmp_path_factory.mktemp("p") / "ck"
    write_bundle(prefix, {}, slices={"x": parts}, num_shards=data.draw(st.integers(1, 3)))
    r0 = data.draw(st.integers(0, rows))
    r1 = data.draw(st.integers(r0, rows))
    c0 = data.draw(st.integers(0, cols))
    c1 = data.draw(st.integers(c0, cols))
    with BundleReader(prefix) as reader:
        assert np.array_equal(reader.get_slice("x", (r0, c0), (r1 - r0, c1 - c0)), full[r0:r1, c0:c1])


def test_sharded_write(tmp_path: Path) -> None:
    tensors = {f"v{i}": np.full(100 * (i + 1), i, np.int64) for i in range(7)}
    write_bundle(tmp_path / "ck", tensors, num_shards=3)
    assert len(list(tmp_path.glob("ck.data-*-of-00003"))) == 3
    with BundleReader(tmp_path / "ck") as reader:
        assert {reader.entry(n).shard_id for n in tensors} == {0, 1, 2}
        for name, value in tensors.items():
            assert np.array_equal(reader.get_tensor(name), value)
    write_bundle(tmp_path / "ck2", tensors, num_shards=2, shard_of=lambda n: int(n[1:]) % 2)
    with BundleReader(tmp_path / "ck2") as reader:
        assert reader.entry("v3").shard_id == 1


def test_many_keys_span_index_blocks(tmp_path: Path) -> None:
    tensors = {f"scope_{i:05d}/" + "x" * 100: np.float32(i) for i in range(4000)}
    write_bundle(tmp_path / "ck", tensors)
    assert (tmp_path / "ck.index").stat().st_size > 262144
    with BundleReader(tmp_path / "ck") as reader:
        assert len(reader.keys()) == 4000
        assert reader.get_tensor("scope_03999/" + "x" * 100)[()] == 3999


def test_writes_are_deterministic(tmp_path: Path) -> None:
    tensors = {"b": np.ones(3), "a": np.arange(4, dtype=np.int32), "c/d": np.array([b"q"], object)}
    write_bundle(tmp_path / "one", tensors)
    write_bundle(tmp_path / "two", dict(reversed(list(tensors.items()))))
    for suffix in (".index", ".data-00000-of-00001"):
        assert (tmp_path / f"one{suffix}").read_bytes() == (tmp_path / f"two{suffix}").read_bytes()


def test_unicode_and_odd_names(tmp_path: Path) -> None:
    names = ["ü/ß", "a\x00b", "\xff", "z" * 1000]
    parts = {"p\x00q": [((4,), (0,), np.ones(2)), ((4,), (2,), np.zeros(2))]}
    write_bundle(tmp_path / "ck", {n: np.float32(i) for i, n in enumerate(names)}, slices=parts)
    with BundleReader(tmp_path / "ck") as reader:
        assert reader.keys() == sorted([*names, "p\x00q"], key=lambda n: n.encode())
        assert reader.get_tensor("p\x00q").tolist() == [1, 1, 0, 0]


def test_writer_rejects_bad_input(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="duplicate"):
        with BundleWriter(tmp_path / "a") as writer:
            writer.add("x", 1)
            writer.add("x", 2)
    with pytest.raises(ValueError, match="do not tile"):
        write_bundle(tmp_path / "b", {}, slices={"x": [((4,), (0,), np.ones(2))]})
    with pytest.raises(ValueError, match="overlapping"):
        write_bundle(tmp_path / "c", {}, slices={"x": [((4,), (0,), np.ones(3)), ((4,), (2,), np.ones(2))]})
    with pytest.raises(ValueError, match="outside"):
        write_bundle(tmp_path / "d", {}, slices={"x": [((4,), (3,), np.ones(2))]})
    with pytest.raises(CheckpointError, match="no TensorFlow"):
        write_bundle(tmp_path / "e", {"t": np.array(["2020-01-01"], dtype="datetime64[D]")})
    with pytest.raises(ValueError, match="both"):
        write_bundle(tmp_path / "f", {"x": 1}, slices={"x": [((1,), (0,), np.ones(1))]})
    assert not list(tmp_path.iterdir())  # every failure cleaned up after itself


def test_reader_errors(tmp_path: Path) -> None:
    write_bundle(tmp_path / "ck", {"w": np.arange(1000, dtype=np.float32), "s": np.array([b"abc"], object)})
    with pytest.raises(FileNotFoundError):
        BundleReader(tmp_path / "missing")
    reader = BundleReader(tmp_path / "ck")
    with pytest.raises(KeyError):
        reader.get_tensor("nope")
    data = tmp_path / "ck.data-00000-of-00001"
    raw = bytearray(data.read_bytes())
    raw[100] ^= 1
    data.write_bytes(bytes(raw))
    reader.close()
    with pytest.raises(CheckpointError, match="checksum"):
        reader.get_tensor("w")
    assert BundleReader(tmp_path / "ck", verify_crc=False).get_tensor("w").shape == (1000,)
    data.write_bytes(bytes(raw[:2000]))
    with pytest.raises(CheckpointError, match="past the end"):
        BundleReader(tmp_path / "ck").get_tensor("w")
    os.remove(data)
    with pytest.raises(CheckpointError, match="missing"):
        BundleReader(tmp_path / "ck").get_tensor("w")
    (tmp_path / "ck.index").write_bytes(b"\x00" * 100)
    with pytest.raises(CheckpointError, match="magic"):
        BundleReader(tmp_path / "ck")


def test_accepts_index_or_data_path(tmp_path: Path) -> None:
    write_bundle(tmp_path / "m.ckpt-3", {"w": np.ones(1)})
    assert BundleReader(tmp_path / "m.ckpt-3.index").keys() == ["w"]
    assert BundleReader(str(tmp_path / "m.ckpt-3.data-00000-of-00001")).keys() == ["w"]
