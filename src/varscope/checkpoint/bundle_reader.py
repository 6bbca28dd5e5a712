"""Reading TensorFlow tensor bundles (``prefix.index`` + ``prefix.data-*``)."""

from __future__ import annotations

import math
import os
from types import TracebackType
from typing import BinaryIO

import numpy as np

from .crc import crc32c, unmask
from .dtypes import DT_STRING, dtype_from_enum, dtype_name
from .errors import CheckpointError
from .ordered_code import encode_tensor_name_slice
from .paths import data_path, index_path, normalize_prefix
from .proto import BundleEntry, BundleHeader
from .slices import check_disjoint, intersect, resolve_extents
from .string_codec import decode_strings
from .table import read_table

__all__ = ["BundleReader"]

_MAX_KNOWN_DTYPE = 33
_MAX_SHARDS = 1 << 20


def _decode_key(key: bytes) -> str:
    return key.decode("utf-8", "surrogateescape")


class BundleReader:
    """Lazy, checksum-verifying reader of a TF checkpoint (tensor bundle).

    Opening reads and validates only the ``.index`` file; tensor bytes are read on demand
    with ``pread`` and verified against their CRC32C. Partitioned tensors (saved as slices)
    appear under their full name and are merged on read; any region can be read with
    :meth:`get_slice`, whatever partitioning was saved.

    Args:
        prefix: the checkpoint prefix (``dir/model.ckpt-7``); a trailing ``.index`` or
            ``.data-*`` suffix is accepted and stripped.
        verify_crc: check tensor checksums on read (index blocks are always checked).

    Raises:
        FileNotFoundError: if ``prefix.index`` does not exist.
        CheckpointError: if the index is malformed.

    Example:
        >>> import tempfile, numpy as np
        >>> from varscope.checkpoint import write_bundle
        >>> prefix = tempfile.mkdtemp() + "/model.ckpt"
        >>> write_bundle(prefix, {"w": np.ones((2, 3), np.float32)})
        >>> with BundleReader(prefix) as reader:
        ...     print(reader.keys(), reader.get_tensor("w").sum())
        ['w'] 6.0
    """

    def __init__(self, prefix: str | os.PathLike[str], *, verify_crc: bool = True) -> None:
        self.prefix = normalize_prefix(prefix)
        self.verify_crc = verify_crc
        self._index_path = index_path(self.prefix)
        self._files: dict[int, tuple[BinaryIO, int]] = {}
        with open(self._index_path, "rb") as f:
            table = f.read()
        self._entries: dict[bytes, BundleEntry] = {}
        header: BundleHeader | None = None
        for key, value in read_table(table, self._index_path):
            try:
                if header is None:
                    if key != b"":
                        raise CheckpointError("first index entry is not the bundle header")
                    header = BundleHeader.decode(value)
                    continue
                self._entries[key] = BundleEntry.decode(value)
            except CheckpointError as err:
                raise CheckpointError(f"entry {key!r}: {err.problem}", self._index_path) from None
        if header is None:
            raise CheckpointError("index has no bundle header entry", self._index_path)
        self.header = header
        self._check_header()
        self._names = self._validate_entries()

    # -- validation -----------------------------------------------------------------------
    def _fail(self, problem: str) -> CheckpointError:
        return CheckpointError(problem, self._index_path)

    def _check_header(self) -> None:
        h = self.header
        if h.producer < 0 or h.min_consumer > 1 or 1 in h.bad_consumers:
            raise self._fail(
                f"incompatible checkpoint version (producer {h.producer}, min_consumer {h.min_consumer})"
            )
        if not 1 <= h.num_shards <= _MAX_SHARDS:
            raise self._fail(f"implausible shard count {h.num_shards}")
        if h.endianness not in (0, 1):
            raise self._fail(f"unknown endianness {h.endianness}")

    def _validate_entries(self) -> list[str]:
        slice_keys: set[bytes] = set()
        for key, entry in self._entries.items():
            what = f"tensor {_decode_key(key)!r}"
            if not 1 <= entry.dtype <= _MAX_KNOWN_DTYPE:
                raise self._fail(f"{what}: unknown dtype enum {entry.dtype}")
            if any(d >= 1 << 62 for d in entry.shape):
                raise self._fail(f"{what}: absurd shape {entry.shape}")
            if not entry.slices:
                self._check_plain(entry, what)
                continue
            boxes = []
            for extents in entry.slices:
                try:
                    box = resolve_extents(extents, entry.shape)
                except CheckpointError as err:
                    raise self._fail(f"{what}: {err.problem}") from None
                skey = encode_tensor_name_slice(key, extents)
                part = self._entries.get(skey)
                if part is None:
                    raise self._fail(f"{what}: slice {box} has no data entry")
                if skey in slice_keys:
                    raise self._fail(f"{what}: duplicated slice {box}")
                if part.slices or part.dtype != entry.dtype or part.shape != box[1]:
                    raise self._fail(f"{what}: slice entry {box} disagrees with the full entry")
                slice_keys.add(skey)
                boxes.append(box)
            try:
                check_disjoint(boxes, what)
            except CheckpointError as err:
                raise self._fail(err.problem) from None
        return sorted(_decode_key(k) for k in self._entries if k not in slice_keys)

    def _check_plain(self, entry: BundleEntry, what: str) -> None:
        if entry.shard_id >= self.header.num_shards:
            raise self._fail(f"{what}: shard {entry.shard_id} of {self.header.num_shards}")
        count = math.prod(entry.shape)
        if entry.dtype == DT_STRING:
            if count > entry.size or (entry.size and entry.size < count + 4):
                raise self._fail(f"{what}: {entry.size} bytes cannot hold {count} strings")
        elif entry.dtype in (20, 21) or entry.dtype > 30:
            return  # unsupported for reading; reported by get_tensor
        elif count * dtype_from_enum(entry.dtype).itemsize != entry.size:
            raise self._fail(f"{what}: size {entry.size} does not match shape {entry.shape}")

    # -- metadata -------------------------------------------------------------------------
    def keys(self) -> list[str]:
        """Sorted tensor names (partitioned tensors once, under their full name)."""
        return list(self._names)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.has_tensor(name)

    def has_tensor(self, name: str) -> bool:
        """True if ``name`` is a tensor in this checkpoint."""
        return self._key(name) in self._entries and name in self._name_set

    @property
    def _name_set(self) -> set[str]:
        cached = getattr(self, "_name_set_cache", None)
        if cached is None:
            cached = set(self._names)
            self._name_set_cache = cached
        return cached

    @staticmethod
    def _key(name: str) -> bytes:
        return name.encode("utf-8", "surrogateescape")

    def entry(self, name: str) -> BundleEntry:
        """The raw ``BundleEntryProto`` of ``name`` (the full entry of a partitioned tensor)."""
        if not self.has_tensor(name):
            raise KeyError(f"tensor {name!r} not found in checkpoint {self.prefix}")
        return self._entries[self._key(name)]

    def raw_entries(self) -> dict[bytes, BundleEntry]:
        """Every index entry by raw key, slice entries included (for low-level tools)."""
        return dict(self._entries)

    def shape(self, name: str) -> tuple[int, ...]:
        """The (full) shape of tensor ``name``."""
        return self.entry(name).shape

    def dtype(self, name: str) -> np.dtype:
        """The NumPy dtype of tensor ``name`` (``object`` for strings)."""
        return dtype_from_enum(self.entry(name).dtype)

    def dtype_name(self, name: str) -> str:
        """TF's name for the dtype of ``name`` (``"float32"``, ``"string"``, ``"bfloat16"``...)."""
        return dtype_name(self.entry(name).dtype)

    def get_variable_to_shape_map(self) -> dict[str, list[int]]:
        """``{name: shape as a list}``, like TF's ``CheckpointReader``."""
        return {n: list(self._entries[self._key(n)].shape) for n in self._names}

    def get_variable_to_dtype_map(self) -> dict[str, np.dtype]:
        """``{name: NumPy dtype}``."""
        return {n: self.dtype(n) for n in self._names}

    def shape_and_dtype(self) -> dict[str, tuple[tuple[int, ...], np.dtype]]:
        """``{name: (shape, dtype)}`` for every tensor."""
        return {n: (self.shape(n), self.dtype(n)) for n in self._names}

    def is_partitioned(self, name: str) -> bool:
        """True if ``name`` was saved as slices."""
        return bool(self.entry(name).slices)

    def saved_slices(self, name: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        """``[(offsets, shape)]`` of the parts ``name`` was saved as (``[]`` if unpartitioned)."""
        entry = self.entry(name)
        return [resolve_extents(e, entry.shape) for e in entry.slices]

    def nbytes_on_disk(self, name: str) -> int:
        """Bytes ``name`` occupies in the data files."""
        entry = self.entry(name)
        if not entry.slices:
            return entry.size
        return sum(self._entries[encode_tensor_name_slice(self._key(name), e)].size for e in entry.slices)

    # -- data -----------------------------------------------------------------------------
    def _data_file(self, shard: int) -> tuple[BinaryIO, int]:
        if shard not in self._files:
            path = data_path(self.prefix, shard, self.header.num_shards)
            try:
                f = open(path, "rb", buffering=0)
            except FileNotFoundError:
                raise CheckpointError("data file is missing", path) from None
            self._files[shard] = (f, os.fstat(f.fileno()).st_size)
        return self._files[shard]

    def _read_range(self, entry: BundleEntry, what: str) -> np.ndarray:
        f, fsize = self._data_file(entry.shard_id)
        path = data_path(self.prefix, entry.shard_id, self.header.num_shards)
        if entry.offset > fsize or entry.size > fsize - entry.offset:
            raise CheckpointError(
                f"{what}: bytes [{entry.offset}, {entry.offset + entry.size}) lie past the end of the "
                f"{fsize}-byte data file", path
            )
        buf = np.empty(entry.size, dtype=np.uint8)
        view = memoryview(buf)  # type: ignore[arg-type]  # ndarray supports the buffer protocol
        done = 0
        while done < entry.size:
            n = os.preadv(f.fileno(), [view[done : done + (1 << 30)]], entry.offset + done)
            if n <= 0:
                raise CheckpointError(f"{what}: data file truncated while reading", path)
            done += n
        return buf

    def _read_entry(self, entry: BundleEntry, what: str) -> np.ndarray:
        big = self.header.endianness == 1
        if entry.dtype == DT_STRING:
            count = math.prod(entry.shape)
            if entry.size == 0:
                out = np.empty(count, dtype=object)
                out[:] = b""
                return out.reshape(entry.shape)
            raw = self._read_range(entry, what).tobytes()
            try:
                values, actual = decode_strings(raw, count, big_endian=big)
            except CheckpointError as err:
                raise self._fail(f"{what}: {err.problem}") from None
            if self.verify_crc and actual != unmask(entry.crc32c):
                raise self._crc_error(entry, what)
            return values.reshape(entry.shape)
        try:
            dtype = dtype_from_enum(entry.dtype)
        except CheckpointError as err:
            raise self._fail(f"{what}: {err.problem}") from None
        buf = self._read_range(entry, what)
        if self.verify_crc and crc32c(buf) != unmask(entry.crc32c):
            raise self._crc_error(entry, what)
        if big and dtype.itemsize > 1:
            return buf.view(dtype.newbyteorder(">")).astype(dtype).reshape(entry.shape)
        return buf.view(dtype).reshape(entry.shape)

    def _crc_error(self, entry: BundleEntry, what: str) -> CheckpointError:
        path = data_path(self.prefix, entry.shard_id, self.header.num_shards)
        return CheckpointError(f"{what}: checksum does not match (data corrupted)", path)

    def get_tensor(self, name: str) -> np.ndarray:
        """Reads tensor ``name`` (merging slices of a partitioned tensor).

        Raises:
            KeyError: if there is no such tensor.
            CheckpointError: on corrupt data or slices that do not cover the tensor.
        """
        entry = self.entry(name)
        if not entry.slices:
            return self._read_entry(entry, f"tensor {name!r}")
        return self.get_slice(name, (0,) * len(entry.shape), entry.shape)

    def get_slice(self, name: str, offsets: tuple[int, ...] | list[int], shape: tuple[int, ...] | list[int]) -> np.ndarray:
        """Reads the region ``[offsets, offsets + shape)`` of tensor ``name``.

        Works for any saved partitioning (or none), like TF's ``RestoreV2`` with a slice spec.

        Raises:
            KeyError: if there is no such tensor.
            ValueError: if the region lies outside the tensor.
            CheckpointError: if the saved slices do not cover the region, or data is corrupt.

        Example:
            >>> import tempfile, numpy as np
            >>> from varscope.checkpoint import write_bundle, SliceData
            >>> prefix = tempfile.mkdtemp() + "/m"
            >>> x = np.arange(12.0).reshape(4, 3)
            >>> write_bundle(prefix, {}, slices={"x": [SliceData((4, 3), (0, 0), x[:3]),
            ...                                        SliceData((4, 3), (3, 0), x[3:])]})
            >>> BundleReader(prefix).get_slice("x", (2, 1), (2, 2)).tolist()
            [[7.0, 8.0], [10.0, 11.0]]
        """
        entry = self.entry(name)
        offsets = tuple(int(o) for o in offsets)
        shape = tuple(int(n) for n in shape)
        if len(offsets) != len(entry.shape) or len(shape) != len(entry.shape) or any(
            o < 0 or n < 0 or o + n > d for o, n, d in zip(offsets, shape, entry.shape)
        ):
            raise ValueError(f"slice {offsets}+{shape} is outside tensor {name!r} of shape {entry.shape}")
        region = tuple(slice(o, o + n) for o, n in zip(offsets, shape))
        what = f"tensor {name!r}"
        if not entry.slices:
            return np.array(self._read_entry(entry, what)[region], copy=True)
        key = self._key(name)
        parts = []
        covered = 0
        for extents in entry.slices:
            part_off, part_shape = resolve_extents(extents, entry.shape)
            inter = intersect(part_off, part_shape, offsets, shape)
            if inter is not None:
                parts.append((extents, part_off, inter))
                covered += math.prod(inter[1])
        if covered != math.prod(shape):
            raise self._fail(f"{what}: saved slices do not cover the requested region {offsets}+{shape}")
        dtype = dtype_from_enum(entry.dtype)
        if entry.dtype != DT_STRING:
            total = sum(size for _, size in (self._data_file(s) for s in range(self.header.num_shards)))
            if math.prod(shape) * dtype.itemsize > total:
                raise self._fail(f"{what}: region larger than all data files together")
        out = np.empty(shape, dtype=dtype)
        for extents, part_off, (lo, size) in parts:
            part = self._read_entry(self._entries[encode_tensor_name_slice(key, extents)], f"{what} slice {part_off}")
            src = tuple(slice(l - p, l - p + n) for l, p, n in zip(lo, part_off, size))
            dst = tuple(slice(l - o, l - o + n) for l, o, n in zip(lo, offsets, size))
            out[dst] = part[src]
        return out

    # -- lifetime -------------------------------------------------------------------------
    def close(self) -> None:
        """Closes the data files (the reader reopens them on demand)."""
        for f, _ in self._files.values():
            f.close()
        self._files.clear()

    def __enter__(self) -> BundleReader:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass
