"""Zip header fields that make :mod:`zipfile` raise something else than BadZipFile become CheckpointError.

The fuzz test of ``.npz`` files (test_fuzz.py) found the first one: a "version needed to extract" of 10.9
made ``zipfile.ZipFile`` raise ``NotImplementedError``.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from varscope.checkpoint import CheckpointError, NpzReader, load_npz, load_tensors, save_npz

_CENTRAL = b"PK\x01\x02"  # central directory file header
_LOCAL = b"PK\x03\x04"  # local file header


def _archive(tmp_path: Path) -> tuple[Path, bytearray]:
    path = tmp_path / "m.npz"
    save_npz(path, {"w": np.arange(6, dtype=np.float32), "b": np.ones(2, np.int64)})
    return path, bytearray(path.read_bytes())


def _patch(raw: bytearray, signature: bytes, offset: int, fmt: str, value: int) -> bytearray:
    at = raw.find(signature)
    assert at >= 0
    struct.pack_into(fmt, raw, at + offset, value)
    return raw


@pytest.mark.parametrize("load", [load_npz, NpzReader, load_tensors])
@pytest.mark.parametrize("version", [109, 64, 255])  # 10.9 (found by the fuzz test), 6.4, 25.5
def test_version_needed_beyond_zipfile_is_a_checkpoint_error(tmp_path: Path, load: object, version: int) -> None:
    path, raw = _archive(tmp_path)
    path.write_bytes(_patch(raw, _CENTRAL, 6, "<B", version))
    with pytest.raises(CheckpointError, match=rf"{path.name}.*zip file version {version // 10}\.{version % 10}"):
        load(path)  # type: ignore[operator]


def test_version_needed_zipfile_reads_still_loads(tmp_path: Path) -> None:
    path, raw = _archive(tmp_path)
    path.write_bytes(_patch(raw, _CENTRAL, 6, "<B", 63))
    assert load_npz(path)["w"].tolist() == list(range(6))


@pytest.mark.parametrize("field,fmt,value,problem", [
    (10, "<H", 99, "compression method is not supported"),  # compression method 99 (AES) -> NotImplementedError
    (8, "<H", 1 << 6, "strong encryption"),  # central directory: general purpose flags -> NotImplementedError
    (8, "<H", 1, "encrypted"),  # "encrypted" -> RuntimeError (password required)
])
def test_unsupported_member_features_are_checkpoint_errors(tmp_path: Path, field: int, fmt: str, value: int,
                                                           problem: str) -> None:
    path, raw = _archive(tmp_path)
    path.write_bytes(_patch(raw, _CENTRAL, field, fmt, value))
    with pytest.raises(CheckpointError, match=path.name) as info:
        load_npz(path)
    assert problem in str(info.value)
    assert not isinstance(info.value, (NotImplementedError, RuntimeError))
