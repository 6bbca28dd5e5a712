"""Shared helpers for the checkpoint tests."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from varscope.checkpoint import BundleReader, BundleWriter
from varscope.checkpoint.ordered_code import encode_tensor_name_slice
from varscope.checkpoint.slices import resolve_extents

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "tf_checkpoints"
EXPECTED: dict[str, dict[str, dict[str, Any]]] = json.loads((FIXTURES / "expected.json").read_text())["checkpoints"]
PREFIXES = sorted(EXPECTED)


def bundle_files(prefix: str | Path) -> list[Path]:
    """The index and data files of a bundle."""
    prefix = Path(prefix)
    return sorted(p for p in prefix.parent.iterdir() if p.name.startswith(prefix.name + ".") and
                  (p.name.endswith(".index") or ".data-" in p.name))


def copy_bundle(prefix: str | Path, dest_dir: Path) -> Path:
    """Copies a bundle's files into ``dest_dir``; returns the new prefix."""
    prefix = Path(prefix)
    dest_dir.mkdir(parents=True, exist_ok=True)
    for path in bundle_files(prefix):
        shutil.copy(path, dest_dir / path.name)
    return dest_dir / prefix.name


def rewrite(reader: BundleReader, prefix: str | os.PathLike[str]) -> None:
    """Re-creates a bundle from what ``reader`` read, adding data in the original file order."""
    slice_of: dict[bytes, tuple[str, Any]] = {}
    for name in reader.keys():
        entry = reader.entry(name)
        key = name.encode("utf-8", "surrogateescape")
        for extents in entry.slices:
            slice_of[encode_tensor_name_slice(key, extents)] = (name, extents)
    items = []
    for key, entry in reader.raw_entries().items():
        if entry.slices:
            continue
        items.append((entry.shard_id, entry.offset, key, entry))
    with BundleWriter(prefix, num_shards=reader.header.num_shards) as writer:
        for shard, _, key, entry in sorted(items, key=lambda t: (t[0], t[1])):
            if key in slice_of:
                name, extents = slice_of[key]
                full = reader.shape(name)
                offsets, shape = resolve_extents(extents, full)
                writer.add_slice(name, full, offsets, reader.get_slice(name, offsets, shape),
                                 shard=shard, extents=extents)
            else:
                name = key.decode("utf-8", "surrogateescape")
                writer.add(name, reader.get_tensor(name), shard=shard)


def expected_array(item: dict[str, Any], dtype: np.dtype) -> np.ndarray:
    """Rebuilds the array TF read from its JSON record."""
    shape = tuple(item["shape"])
    if "strings_hex" in item:
        out = np.empty(len(item["strings_hex"]), dtype=object)
        out[:] = [bytes.fromhex(h) for h in item["strings_hex"]]
        return out.reshape(shape)
    return np.frombuffer(bytes.fromhex(item["bytes_hex"]), dtype=dtype).reshape(shape)
