"""safetensors and .npz I/O and suffix-based dispatch."""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path

import ml_dtypes
import numpy as np
import pytest
import safetensors.numpy

from varscope.checkpoint import (
    CheckpointError,
    NpzReader,
    SafetensorsReader,
    detect_format,
    load_npz,
    load_safetensors,
    load_tensors,
    open_tensors,
    save_npz,
    save_safetensors,
    save_tensors,
    write_bundle,
)

NUMERIC = {
    "f32": np.arange(6, dtype=np.float32).reshape(2, 3),
    "f64": np.array([1.5, -2.0]),
    "f16": np.array([0.5], np.float16),
    "bf16": np.array([1.0, -3.5], ml_dtypes.bfloat16),
    "i8": np.array([-1, 2], np.int8),
    "u64": np.array([2**64 - 1], np.uint64),
    "bool": np.array([True, False]),
    "c64": np.array([1 + 2j], np.complex64),
    "scalar": np.array(7, np.int32),
    "empty": np.zeros((0, 4), np.float32),
    "f8": np.array([0.5, 2.0], ml_dtypes.float8_e4m3fn),
    "scope/name": np.ones((2, 2), np.int16),
}


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def test_safetensors_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "m.safetensors"
    save_safetensors(path, NUMERIC, metadata={"format": "np"})
    loaded = load_safetensors(path)
    assert sorted(loaded) == sorted(NUMERIC)
    assert all(_same(loaded[k], v) for k, v in NUMERIC.items())
    assert SafetensorsReader(path).metadata == {"format": "np"}


def test_safetensors_interoperates_with_reference_package(tmp_path: Path) -> None:
    ours = tmp_path / "ours.safetensors"
    tensors = {k: v for k, v in NUMERIC.items() if k != "f8"}  # 0.8 cannot load F8 via numpy
    save_safetensors(ours, tensors)
    theirs = safetensors.numpy.load_file(str(ours))
    assert all(_same(theirs[k], v) for k, v in tensors.items())
    ref = tmp_path / "ref.safetensors"
    safetensors.numpy.save_file(NUMERIC, str(ref))
    assert all(_same(load_safetensors(ref)[k], v) for k, v in NUMERIC.items())


def test_safetensors_rejects_strings_and_noncontiguous_is_safe(tmp_path: Path) -> None:
    with pytest.raises(CheckpointError, match="no string dtype"):
        save_safetensors(tmp_path / "s.safetensors", {"vocab": np.array([b"a"], object)})
    with pytest.raises(CheckpointError, match="not supported"):
        save_safetensors(tmp_path / "s.safetensors", {"c": np.zeros(1, np.complex128)})
    save_safetensors(tmp_path / "n.safetensors", {"x": np.arange(4)[::2], "b": np.arange(3, dtype=">i4")})
    loaded = load_safetensors(tmp_path / "n.safetensors")
    assert loaded["x"].tolist() == [0, 2] and loaded["b"].tolist() == [0, 1, 2]
    assert not list(tmp_path.glob("*.tmp*"))


def _st_file(header: object, data: bytes = b"") -> bytes:
    blob = json.dumps(header).encode()
    return struct.pack("<Q", len(blob)) + blob + data


@pytest.mark.parametrize("raw", [
    b"",
    struct.pack("<Q", 10**12),
    _st_file([1, 2]),
    _st_file({"x": {"dtype": "Q99", "shape": [1], "data_offsets": [0, 1]}}, b"\0"),
    _st_file({"x": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}, b"\0" * 4),
    _st_file({"x": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}, b"\0"),
    _st_file({"x": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}, b"\0" * 4),
    _st_file({"x": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]},
              "y": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}}, b"\0\0"),
    struct.pack("<Q", 3) + b"\xff\xfe{",
])
def test_malformed_safetensors(raw: bytes, tmp_path: Path) -> None:
    path = tmp_path / "bad.safetensors"
    path.write_bytes(raw)
    with pytest.raises(CheckpointError, match="bad.safetensors"):
        load_safetensors(path)


def test_npz_round_trip_without_pickle(tmp_path: Path) -> None:
    tensors = dict(NUMERIC, vocab=np.array([b"a", b"", "ü".encode()], object), file=np.ones(1),
                   c128=np.array([1j]), uni=np.array(["x", "yz"]))
    path = tmp_path / "m.npz"
    save_npz(path, tensors)
    loaded = load_npz(path)
    for name, value in tensors.items():
        if name in ("vocab", "uni"):
            assert loaded[name].dtype == object
            assert loaded[name].tolist() == [v.encode() if isinstance(v, str) else v for v in value.tolist()]
        else:
            assert _same(loaded[name], value), name
    with np.load(path, allow_pickle=False) as plain:  # still an ordinary npz
        assert plain["bf16"].dtype == np.uint16


def test_npz_rejects_trailing_nul_strings_and_pickles(tmp_path: Path) -> None:
    with pytest.raises(CheckpointError, match="NUL"):
        save_npz(tmp_path / "x.npz", {"s": np.array([b"a\x00"], object)})
    pickled = tmp_path / "p.npz"
    np.savez(pickled, obj=np.array([{"a": 1}], dtype=object))
    with pytest.raises(CheckpointError, match="pickled"):
        load_npz(pickled)
    (tmp_path / "junk.npz").write_bytes(b"PK\x03\x04junk")
    with pytest.raises(CheckpointError):
        load_npz(tmp_path / "junk.npz")


def test_npz_foreign_files(tmp_path: Path) -> None:
    path = tmp_path / "f.npz"
    np.savez_compressed(path, a=np.zeros((100, 100)), s=np.array([b"ab", b"c"]))
    with NpzReader(path) as reader:
        assert reader.shape("a") == (100, 100)
        assert reader.dtype("s") == np.dtype(object)
        assert reader.get_tensor("s").tolist() == [b"ab", b"c"]


def test_npz_lying_header_is_rejected(tmp_path: Path) -> None:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.zeros(4, np.float64))
    raw = buf.getvalue().replace(b"(4,)", b"(99999999999,)".ljust(4)[:14])
    path = tmp_path / "lie.npz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("x.npy", raw)
    with pytest.raises(CheckpointError):
        load_npz(path)


def test_npz_member_marked_encrypted_is_rejected(tmp_path: Path) -> None:
    """A flipped "encrypted" flag bit makes zipfile raise RuntimeError; found by the fuzz test."""
    path = tmp_path / "enc.npz"
    save_npz(path, {"w": np.ones(4, np.float32)})
    raw = bytearray(path.read_bytes())
    central = raw.rindex(b"PK\x01\x02")
    raw[central + 8] |= 0x01  # general purpose flag, bit 0: encrypted
    path.write_bytes(bytes(raw))
    with pytest.raises(CheckpointError, match="enc.npz"):
        load_npz(path)


def test_dispatch_by_suffix(tmp_path: Path) -> None:
    assert detect_format("a.SAFETENSORS") == "safetensors"
    assert detect_format("a.npz") == "npz"
    assert detect_format("a.ckpt", "npz") == "npz"
    with pytest.raises(ValueError):
        detect_format("a", "onnx")
    tensors = {"w": np.ones((2, 2), np.float32), "b": np.zeros(2, ml_dtypes.bfloat16)}
    for name in ("m.safetensors", "m.npz", "model.ckpt"):
        save_tensors(tmp_path / name, tensors)
        loaded = load_tensors(tmp_path / name)
        assert all(_same(loaded[k], v) for k, v in tensors.items())
    save_tensors(tmp_path / "x.bin", tensors, format="safetensors")
    assert load_tensors(tmp_path / "x.bin", format="safetensors")["w"].shape == (2, 2)
    write_bundle(tmp_path / "ckdir" / "m-1", tensors)
    with pytest.raises(FileNotFoundError):
        open_tensors(tmp_path / "ckdir")  # a directory without a state file


def test_safetensors_files_are_the_librarys_own(tmp_path: Path) -> None:
    """save_safetensors writes through safetensors.numpy.save_file: the same bytes, metadata included."""
    ours, ref = tmp_path / "ours.safetensors", tmp_path / "ref.safetensors"
    save_safetensors(ours, NUMERIC, metadata={"format": "np"})
    safetensors.numpy.save_file(NUMERIC, str(ref), metadata={"format": "np"})
    assert ours.read_bytes() == ref.read_bytes()


def test_safetensors_get_slice_and_partitions(tmp_path: Path) -> None:
    path = tmp_path / "p.safetensors"
    emb = np.arange(30, dtype=np.float32).reshape(10, 3)
    parts = [((0, 0), (4, 3)), ((4, 0), (3, 3)), ((7, 0), (3, 3))]
    save_safetensors(path, {"emb": emb, "f8": NUMERIC["f8"], "s": np.array(2.0)}, partitions={"emb": parts})
    with SafetensorsReader(path) as reader:
        assert reader.saved_slices("emb") == parts and reader.is_partitioned("emb")
        assert not reader.is_partitioned("s") and reader.saved_slices("s") == []
        region = reader.get_slice("emb", (2, 1), (5, 2))
        assert region.tolist() == emb[2:7, 1:3].tolist() and region.flags.writeable
        assert reader.get_slice("f8", (1,), (1,)).tolist() == [2.0]
        assert reader.get_slice("s", (), ()).tolist() == 2.0
        with pytest.raises(ValueError, match="outside"):
            reader.get_slice("emb", (8, 0), (3, 3))
    with pytest.raises(ValueError, match="do not cover"):
        save_safetensors(path, {"emb": emb}, partitions={"emb": parts[:2]})
    with pytest.raises(ValueError, match="overlap"):
        save_safetensors(path, {"emb": emb}, partitions={"emb": [((0, 0), (6, 3)), ((4, 0), (6, 3))]})


@pytest.mark.parametrize("value", ['{"emb": [[[0, 0], [4, 3]]]}', "[1]", "{", '{"nope": []}'])
def test_safetensors_bad_partition_metadata(value: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.safetensors"
    safetensors.numpy.save_file({"emb": np.zeros((10, 3), np.float32)}, str(path),
                                metadata={"varscope_partitions": value})
    with pytest.raises(CheckpointError, match="bad.safetensors"):
        SafetensorsReader(path)


def test_safetensors_directory_and_closed_reader(tmp_path: Path) -> None:
    (tmp_path / "d.safetensors").mkdir()
    with pytest.raises(CheckpointError, match="d.safetensors: is a directory"):
        SafetensorsReader(tmp_path / "d.safetensors")
    with pytest.raises(FileNotFoundError):
        SafetensorsReader(tmp_path / "none.safetensors")
    save_safetensors(tmp_path / "m.safetensors", {"w": np.ones(2)})
    reader = SafetensorsReader(tmp_path / "m.safetensors")
    reader.close()
    assert reader.get_tensor("w").tolist() == [1.0, 1.0]  # reopened on demand
    reader.close()


def test_strict_format_detection(tmp_path: Path) -> None:
    for name in ("model", "dir/model.ckpt", "model.ckpt-7", "ckpt-3", "m.ckpt-7.index", "m.data-00000-of-00001",
                 "m.safetensors", "m.npz"):
        assert detect_format(name, strict=True) == detect_format(name), name
    for name in ("model.pt", "model.safetensor", "weights.h5", "x.bin"):
        assert detect_format(name) == "tf"  # the default stays TF's: any prefix
        with pytest.raises(ValueError, match="cannot tell the format"):
            detect_format(name, strict=True)
    assert detect_format("x.bin", "safetensors", strict=True) == "safetensors"
    write_bundle(tmp_path / "model.v2", {"w": np.ones(1)})
    assert detect_format(tmp_path / "model.v2", strict=True) == "tf"  # an existing prefix
    (tmp_path / "run.1").mkdir()
    assert detect_format(tmp_path / "run.1", strict=True) == "tf"  # a directory
