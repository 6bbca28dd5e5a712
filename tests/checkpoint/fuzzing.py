"""Checkpoint mutations shared by the fuzz tests and the fuzz campaign (``fuzz_campaign.py``).

Three kinds: byte edits of any file (flip, set, insert, truncate; the index's block CRCs catch
most of these), structural edits of the index (entries decoded, one field set to an extreme
value, re-encoded with valid CRCs, so the reader's checks behind the CRCs are reached), and
file-kind edits (a file replaced by a directory, a FIFO, a link to ``/dev/zero``, or removed).
"""

from __future__ import annotations

import os
import random
import shutil
import stat
from dataclasses import replace
from pathlib import Path

from varscope.checkpoint import BundleReader, CheckpointError
from varscope.checkpoint.ordered_code import encode_tensor_name_slice
from varscope.checkpoint.proto import BundleEntry, BundleHeader, Extent
from varscope.checkpoint.table import build_table, table_items

from .helpers import FIXTURES, bundle_files

SOURCES = ["dtypes/model.ckpt", "partitioned/model.ckpt-7", "sharded/model.ckpt", "rawslices/model.ckpt",
           "tf2/ckpt", "manykeys/model.ckpt"]
EXTREMES = [0, 1, 2, 3, 7, 20, 21, 31, 63, 64, 65, 100, 255, 1 << 20, (1 << 31) - 1, 1 << 31, (1 << 32) - 1,
            1 << 40, (1 << 61), (1 << 62) - 1, 1 << 62, (1 << 63) - 1, 1 << 63, (1 << 64) - 1]


def _value(rng: random.Random, old: int = 0) -> int:
    choice = rng.random()
    if choice < 0.6:
        return rng.choice(EXTREMES)
    if choice < 0.8:
        return max(0, old + rng.choice([-2, -1, 1, 2]))
    return rng.randrange(1 << rng.choice([4, 8, 16, 32]))


def mutate_bytes(raw: bytes, rng: random.Random) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 4)):
        if not data:
            break
        pos = rng.randrange(len(data))
        op = rng.choice(["flip", "set", "insert", "truncate"])
        if op == "flip":
            data[pos] ^= rng.randint(1, 255)
        elif op == "set":
            data[pos] = rng.randint(0, 255)
        elif op == "insert":
            data.insert(pos, rng.randint(0, 255))
        else:
            del data[pos:]
    return bytes(data)


def _mutate_entry(entry: BundleEntry, rng: random.Random, key: bytes) -> tuple[BundleEntry, list[tuple[bytes, BundleEntry]]]:
    """One field of ``entry`` changed; also returns entries to add (slice entries made to match)."""
    field = rng.choice(["dtype", "dim", "rank", "shard", "offset", "size", "crc", "slice", "slices"])
    extra: list[tuple[bytes, BundleEntry]] = []
    if field == "dtype":
        return replace(entry, dtype=rng.choice([0, 1, 7, 14, 20, 21, 29, 30, 31, 33, 34, 100, rng.randrange(64)])), extra
    if field == "dim" and entry.shape:
        dims = list(entry.shape)
        i = rng.randrange(len(dims))
        dims[i] = _value(rng, dims[i])
        return replace(entry, shape=tuple(dims)), extra
    if field == "rank":
        rank = rng.choice([0, 1, 5, 63, 64, 65, 70, 100, 255])
        return replace(entry, shape=(rng.choice([0, 1, 1, 2]),) * rank), extra
    if field == "shard":
        return replace(entry, shard_id=_value(rng, entry.shard_id)), extra
    if field == "offset":
        return replace(entry, offset=_value(rng, entry.offset)), extra
    if field == "size":
        return replace(entry, size=_value(rng, entry.size)), extra
    if field == "crc":
        return replace(entry, crc32c=rng.randrange(1 << 32)), extra
    if field == "slice" and entry.slices:
        slices = [list(s) for s in entry.slices]
        s = rng.randrange(len(slices))
        if slices[s]:
            d = rng.randrange(len(slices[s]))
            ext = slices[s][d]
            if rng.random() < 0.5:
                ext = Extent(_value(rng, ext.start), ext.length)
            else:
                ext = Extent(ext.start, None if rng.random() < 0.2 else _value(rng, ext.length or 0))
            slices[s][d] = ext
        new = tuple(tuple(x) for x in slices)
        # Give the changed slice a data entry of its own, so the check behind "no data entry" runs.
        if rng.random() < 0.7:
            part = BundleEntry(entry.dtype, tuple(e.length if e.length is not None else 0 for e in new[s]),
                               size=rng.choice([0, 4, 1 << 40]))
            extra.append((encode_tensor_name_slice(key, new[s]), part))
        return replace(entry, slices=new), extra
    # a full entry made partitioned: huge declared shape, one slice covering it, data entry to match
    n = rng.choice([1 << 24, 1 << 31, 1 << 40, (1 << 62) - 1])
    dtype = rng.choice([1, 7, entry.dtype])
    shape = (n,) if rng.random() < 0.5 else (n, rng.choice([0, 1, 1 << 30]))
    extents = tuple(Extent(0, d) for d in shape)
    extra.append((encode_tensor_name_slice(key, extents), BundleEntry(dtype, shape, size=rng.choice([n + 4, 64, 0]))))
    return BundleEntry(dtype, shape, slices=(extents,)), extra


def mutate_structure(raw: bytes, rng: random.Random) -> bytes:
    """An index with one entry (or the header) changed, re-encoded with valid block CRCs."""
    items = table_items(raw, "index")
    if not items:
        return raw
    rows = dict(items)
    i = rng.randrange(len(items))
    key = items[i][0]
    if key == b"" and rng.random() < 0.5:
        header = BundleHeader.decode(rows[b""])
        what = rng.choice(["num_shards", "endianness", "producer", "min_consumer"])
        header = replace(header, **{what: _value(rng, getattr(header, what)) % (1 << 63)})
        rows[b""] = header.encode()
    else:
        if key == b"":
            key = items[rng.randrange(1, len(items))][0] if len(items) > 1 else b"x"
        try:
            entry = BundleEntry.decode(rows[key]) if key in rows else BundleEntry(1, (1,))
        except CheckpointError:
            entry = BundleEntry(1, (1,))
        for _ in range(rng.choice([1, 1, 2, 3])):
            entry, extra = _mutate_entry(entry, rng, key)
            rows.update((k, e.encode()) for k, e in extra)
        rows[key] = entry.encode()
    return build_table(sorted(rows.items()))


def mutate_kind(path: Path, rng: random.Random) -> None:
    """Replaces ``path`` by another kind of file (an index is never just removed: that is FileNotFoundError)."""
    kinds = ["dir", "fifo", "devzero", "empty"] + ([] if path.name.endswith(".index") else ["remove"])
    kind = rng.choice(kinds)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
    if kind == "dir":
        path.mkdir()
    elif kind == "fifo" and hasattr(os, "mkfifo"):
        os.mkfifo(path)
    elif kind == "devzero":
        os.symlink("/dev/zero", path)
    elif kind == "empty":
        path.write_bytes(b"")


def make_case(directory: Path, rng: random.Random) -> tuple[Path, str]:
    """Copies a random fixture bundle into ``directory`` and mutates it; returns ``(prefix, what)``."""
    source = rng.choice(SOURCES)
    files = bundle_files(FIXTURES / source)
    for path in files:
        shutil.copy(path, directory / path.name)
    victim = directory / rng.choice(files).name
    kind = rng.choices(["bytes", "structure", "kind"], [0.35, 0.55, 0.10])[0]
    if kind == "structure":
        victim = directory / (Path(source).name + ".index")
        victim.write_bytes(mutate_structure(victim.read_bytes(), rng))
    elif kind == "bytes":
        victim.write_bytes(mutate_bytes(victim.read_bytes(), rng))
    else:
        mutate_kind(victim, rng)
    return directory / Path(source).name, f"{source} {kind} {victim.name}"


def exercise(prefix: Path, rng: random.Random | None = None) -> None:
    """Every reader path over one bundle (errors for single tensors do not stop the others)."""
    reader = BundleReader(prefix)
    try:
        reader.get_variable_to_shape_map()
        for name in reader.keys():
            try:
                reader.shape(name)
                reader.dtype_name(name)
                reader.saved_slices(name)
                reader.nbytes_on_disk(name)
                reader.dtype(name)
                value = reader.get_tensor(name)
                if value.ndim:
                    reader.get_slice(name, (0,) * value.ndim, value.shape)
                    if rng is not None and value.size:
                        lo = tuple(rng.randrange(d) for d in value.shape)
                        reader.get_slice(name, lo, tuple(d - o for d, o in zip(value.shape, lo)))
            except CheckpointError as err:
                check_names_file(err)
    finally:
        reader.close()


def check_names_file(err: CheckpointError) -> None:
    """Raises AssertionError unless the error names the file it is about."""
    if err.path is None or err.path not in str(err):
        raise AssertionError(f"CheckpointError without a file: {err}")


def is_special(path: Path) -> bool:
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True
