"""Loads with one copy or none, and conversions that stream tensor by tensor.

* ``BundleReader.get_tensor`` reads into a fresh 64-byte-aligned buffer; ``tensor_view`` maps the
  data file (no copy, CRC checked); ``byte_range`` hands out the bytes' location for kernel copies.
* ``SafetensorsWriter`` / ``NpzWriter`` write one tensor at a time, the same bytes as the
  whole-dict writers; ``varscope convert`` holds about one tensor, whatever the model's size.
"""

from __future__ import annotations

import os
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ml_dtypes
import numpy as np
import pytest

from varscope.checkpoint import (BundleReader, CheckpointError, NpzWriter, SafetensorsWriter, load_npz, load_tensors,
                                 save_npz, write_bundle)
from varscope.checkpoint.safetensors_io import load_safetensors, save_safetensors
from varscope.cli import main


def peak_bytes(fn: Callable[[], Any]) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def many_tensors(count: int = 200, largest: int = 1 << 18) -> dict[str, np.ndarray]:
    """``count`` float32 tensors of 64 KiB and one of ``largest`` floats (4 bytes each)."""
    rng = np.random.default_rng(0)
    tensors = {f"layer_{i:03d}/w": rng.standard_normal(1 << 14, dtype=np.float32) for i in range(count)}
    tensors["big/w"] = rng.standard_normal(largest, dtype=np.float32)
    return tensors


# -- reading without copies --------------------------------------------------------------------------------
def test_get_tensor_reads_into_a_64_byte_aligned_buffer(tmp_path: Path) -> None:
    prefix = str(tmp_path / "m")
    write_bundle(prefix, {"a": np.ones(3, np.int8), "w": np.arange(1 << 16, dtype=np.float32)})
    with BundleReader(prefix) as reader:
        w = reader.get_tensor("w")
        assert w.ctypes.data % 64 == 0 and w.flags.writeable
        np.testing.assert_array_equal(w, np.arange(1 << 16, dtype=np.float32))


def test_tensor_view_maps_the_data_file_read_only_and_checks_the_crc(tmp_path: Path) -> None:
    prefix = str(tmp_path / "m")
    tensors = {"w": np.arange(50000, dtype=np.float32).reshape(500, 100), "s": np.array([b"x"], dtype=object),
               "e": np.zeros((0, 3), np.float32)}
    write_bundle(prefix, tensors)
    with BundleReader(prefix) as reader:
        view = reader.tensor_view("w")
        assert not view.flags.writeable and not view.flags.owndata
        base = view
        while isinstance(base, (np.ndarray, memoryview)):
            base = base.base if isinstance(base, np.ndarray) else base.obj
        assert type(base).__name__ == "mmap"  # the file's pages, not a copy
        np.testing.assert_array_equal(view, tensors["w"])
        assert reader.tensor_view("s").tolist() == [b"x"]  # strings: read as by get_tensor
        assert reader.tensor_view("e").shape == (0, 3)
    data = prefix + ".data-00000-of-00001"
    raw = bytearray(Path(data).read_bytes())
    raw[40] ^= 0xFF
    Path(data).write_bytes(bytes(raw))
    with BundleReader(prefix) as reader, pytest.raises(CheckpointError, match="checksum does not match"):
        reader.tensor_view("w")


def test_views_and_byte_ranges_of_a_truncated_data_file_raise_our_error(tmp_path: Path) -> None:
    prefix = str(tmp_path / "m")
    write_bundle(prefix, {"a": np.ones(1000, np.float32), "b": np.ones(1000, np.float32)})
    data = Path(prefix + ".data-00000-of-00001")
    data.write_bytes(data.read_bytes()[:6000])  # "b" ends past the end now
    with BundleReader(prefix) as reader:
        assert reader.tensor_view("a").sum() == 1000  # still whole
        assert reader.byte_range("b") is None
        with pytest.raises(CheckpointError, match="past the end"):
            reader.tensor_view("b")


def test_byte_range_is_where_the_raw_array_lies(tmp_path: Path) -> None:
    prefix = str(tmp_path / "m")
    write_bundle(prefix, {"a": np.arange(10, dtype=np.int64), "s": np.array([b"x"], dtype=object)})
    with BundleReader(prefix) as reader:
        where = reader.byte_range("a")
        assert where is not None
        fd, offset, size = where
        assert os.pread(fd, size, offset) == np.arange(10, dtype=np.int64).tobytes()
        assert reader.byte_range("s") is None
        with pytest.raises(KeyError):
            reader.byte_range("nope")


def _write(prefix: str, tensors: dict[str, np.ndarray]) -> str:
    write_bundle(prefix, tensors)
    return prefix


# -- streaming writers -------------------------------------------------------------------------------------
def mixed() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(1)
    return {"w": rng.standard_normal((3, 4)).astype(np.float32), "b": np.arange(5, dtype=np.int8),
            "d": np.arange(3, dtype=np.int64), "h": np.ones(2, np.float16), "bf": np.ones(3, ml_dtypes.bfloat16),
            "c": np.ones(2, np.complex64), "u": np.arange(4, dtype=np.uint32), "flag": np.array([True]),
            "scalar": np.array(2.5, np.float64), "empty": np.zeros((0, 2), np.float32), "é\"x": np.ones(1, np.uint16)}


@pytest.mark.parametrize("extra", [{"metadata": {"k": "v"}},
                                   {"partitions": {"w": [((0, 0), (3, 2)), ((0, 2), (3, 2))]}}])
def test_safetensors_writer_writes_what_save_file_writes(tmp_path: Path, extra: dict[str, Any]) -> None:
    # (one metadata entry: the library writes a map of several in a random order)
    tensors = mixed()
    save_safetensors(tmp_path / "whole.safetensors", tensors, **extra)
    layout = {k: (v.dtype, v.shape) for k, v in tensors.items()}
    with SafetensorsWriter(tmp_path / "stream.safetensors", layout, **extra) as writer:
        for name in writer.order:
            writer.add(name, tensors[name])
    assert (tmp_path / "stream.safetensors").read_bytes() == (tmp_path / "whole.safetensors").read_bytes()


def test_safetensors_writer_refuses_bad_input_and_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "m.safetensors"
    layout = {"a": (np.dtype(np.float32), (2,)), "b": (np.dtype(np.float32), (3,))}
    with pytest.raises(CheckpointError, match="string tensor"):
        SafetensorsWriter(path, {"s": (np.dtype(object), (1,))})
    with pytest.raises(ValueError, match="out of order: expected 'a'"):
        with SafetensorsWriter(path, layout) as writer:
            writer.add("b", np.zeros(3, np.float32))
    with pytest.raises(ValueError, match="declared float32"):
        with SafetensorsWriter(path, layout) as writer:
            writer.add("a", np.zeros(2, np.float64))
    writer = SafetensorsWriter(path, layout)
    writer.add("a", np.zeros(2, np.float32))
    with pytest.raises(ValueError, match="1 declared tensors were not added"):
        writer.finish()
    assert os.listdir(tmp_path) == []


def test_npz_writer_writes_what_save_npz_writes(tmp_path: Path) -> None:
    tensors = {**mixed(), "vocab": np.array([b"a", b"bc"], dtype=object)}
    save_npz(tmp_path / "whole.npz", tensors)
    with NpzWriter(tmp_path / "stream.npz") as writer:
        for name, value in tensors.items():
            writer.add(name, value)
    assert (tmp_path / "stream.npz").read_bytes() == (tmp_path / "whole.npz").read_bytes()
    assert load_npz(tmp_path / "stream.npz")["vocab"].tolist() == [b"a", b"bc"]
    with pytest.raises(CheckpointError, match="reserved"):
        with NpzWriter(tmp_path / "bad.npz") as writer:
            writer.add("__varscope_dtypes__", np.zeros(1))
    assert not [n for n in os.listdir(tmp_path) if n.startswith("bad")]


# -- streaming convert ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("chain", [("tf", "safetensors"), ("tf", "npz"), ("tf", "tf"), ("safetensors", "tf"),
                                   ("npz", "safetensors")])
def test_convert_holds_about_one_tensor_in_memory(tmp_path: Path, chain: tuple[str, str]) -> None:
    tensors = many_tensors()  # 201 tensors, 13.6 MB; the largest 1 MB
    total = sum(t.nbytes for t in tensors.values())
    suffix = {"tf": "/model.ckpt", "safetensors": "/m.safetensors", "npz": "/m.npz"}
    src, dst = str(tmp_path / "src") + suffix[chain[0]], str(tmp_path / "dst") + suffix[chain[1]]
    os.makedirs(os.path.dirname(src))
    if chain[0] == "tf":
        write_bundle(src, tensors)
    elif chain[0] == "safetensors":
        save_safetensors(src, tensors)
    else:
        save_npz(src, tensors)
    peak = peak_bytes(lambda: main(["convert", src, dst, "--no-progress"]))
    # The old convert held every tensor (13.6 MB); now the largest tensor, at most twice.
    assert peak < 3 << 20, (peak, total)
    back = load_tensors(dst)
    assert sorted(back) == sorted(tensors)
    for name, value in tensors.items():
        np.testing.assert_array_equal(back[name], value)


def test_convert_tf_to_safetensors_copies_the_bytes_exactly(tmp_path: Path) -> None:
    tensors = {k: v for k, v in mixed().items() if k != "empty"}
    prefix = _write(str(tmp_path / "model.ckpt"), {**tensors, "empty": np.zeros((0, 2), np.float32)})
    assert main(["convert", prefix, str(tmp_path / "out.safetensors")]) == 0
    save_safetensors(tmp_path / "ref.safetensors", {**tensors, "empty": np.zeros((0, 2), np.float32)})
    assert (tmp_path / "out.safetensors").read_bytes() == (tmp_path / "ref.safetensors").read_bytes()


def test_convert_of_a_corrupt_tensor_fails_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prefix = _write(str(tmp_path / "model.ckpt"), {"a": np.ones(100, np.float32), "b": np.ones(100, np.float32)})
    data = Path(prefix + ".data-00000-of-00001")
    raw = bytearray(data.read_bytes())
    raw[450] ^= 1  # in "b"
    data.write_bytes(bytes(raw))
    for out in ("out.safetensors", "out.npz", "out/model.ckpt"):
        assert main(["convert", prefix, str(tmp_path / out)]) == 2
        assert "checksum does not match" in capsys.readouterr().err
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert files == ["model.ckpt.data-00000-of-00001", "model.ckpt.index"]  # no output, no temporary file


def test_convert_renames_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prefix = _write(str(tmp_path / "model.ckpt"), {"model/h0/w": np.ones(2, np.float32),
                                                    "model/wte": np.zeros(3, np.float32)})
    out = str(tmp_path / "renamed/model.ckpt")
    assert main(["convert", prefix, out, "--rename", "^model/=gpt2/", "--rename", "/h(\\d+)/=/layer_\\1/"]) == 0
    with BundleReader(out) as reader:
        assert reader.keys() == ["gpt2/layer_0/w", "gpt2/wte"]
        assert reader.get_tensor("gpt2/layer_0/w").tolist() == [1.0, 1.0]
    assert main(["convert", prefix, str(tmp_path / "x.npz"), "--rename", "^model/.*=same"]) == 2
    assert "maps both 'model/h0/w' and 'model/wte' to 'same'" in capsys.readouterr().err
    assert main(["convert", prefix, str(tmp_path / "x.npz"), "--rename", "nothing"]) == 2
    assert "expected PATTERN=REPLACEMENT" in capsys.readouterr().err
    assert main(["convert", prefix, str(tmp_path / "x.npz"), "--rename", "(=x"]) == 2
    assert "bad regular expression" in capsys.readouterr().err
    assert not (tmp_path / "x.npz").exists()


@pytest.mark.parametrize("kind", ["npz", "safetensors"])
def test_failed_streaming_write_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"m.{kind}"
    old = {"a": np.arange(2, dtype=np.float32)}
    (save_npz if kind == "npz" else save_safetensors)(path, old)
    before = path.read_bytes()
    layout = {"a": (np.dtype(np.float32), (2,))}
    writer = NpzWriter(path) if kind == "npz" else SafetensorsWriter(path, layout)
    with pytest.raises(CheckpointError if kind == "npz" else OSError):  # (no ``with``: the writer itself aborts)
        if kind == "npz":  # fails inside the write: the encoder refuses the value
            writer.add("a", np.array([{"x": 1}], dtype=object))
        else:  # fails inside the write: the source descriptor is closed
            fd = os.open(path, os.O_RDONLY)
            os.close(fd)
            writer.add_bytes("a", fd, 0, 8)
    assert path.read_bytes() == before and os.listdir(tmp_path) == [path.name]
    with pytest.raises(ValueError, match="the writer is finished"):
        writer.add("a", old["a"])
    done = NpzWriter(path) if kind == "npz" else SafetensorsWriter(path, layout)
    with done:
        done.add("a", old["a"] + 1)
    with pytest.raises(ValueError, match="the writer is finished"):
        done.add("a", old["a"])
    assert (load_npz(path) if kind == "npz" else load_safetensors(path))["a"].tolist() == [1.0, 2.0]
