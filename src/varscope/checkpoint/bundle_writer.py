"""Writing TensorFlow tensor bundles byte-compatibly with TF's ``BundleWriter``/``Saver``."""

from __future__ import annotations

import math
import os
import shutil
import struct
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, BinaryIO

import numpy as np

from .atomic import Publishing
from .crc import crc32c_array, mask
from .dtypes import DT_STRING, enum_from_dtype, is_string_dtype
from .errors import CheckpointError
from .ordered_code import encode_tensor_name_slice
from .paths import data_path, index_path, normalize_prefix
from .publish import ACTIVE, clean_stale, current_link, generation_dir, new_tag, publish
from .proto import BundleEntry, BundleHeader, Extent, encode_shape, encode_varint
from .slices import SliceData, check_disjoint, extents_for, resolve_extents
from .string_codec import encode_strings, to_bytes_list
from .table import build_table

__all__ = ["BundleWriter", "write_bundle"]

# Data-file buffer: small tensors are gathered into writes of this size (fewer syscalls);
# a tensor at least this big bypasses the buffer and is written straight from its array.
_DATA_BUFFER = 1 << 20
_FIXED32 = struct.Struct("<I")
# TF dtype enums of the common native-order NumPy dtypes (others go through enum_from_dtype).
_ENUMS = {np.dtype(t): enum_from_dtype(t) for t in (np.float32, np.float64, np.float16, np.int32, np.int64,
                                                      np.int8, np.int16, np.uint8, np.uint16, np.uint32,
                                                      np.uint64, np.bool_, np.complex64, np.complex128)}


def _as_array(value: Any) -> np.ndarray:
    array = value if isinstance(value, np.ndarray) else np.asarray(value)
    if array.dtype.kind == "O" or is_string_dtype(array.dtype):
        return array
    return array


def _encode_entries(
    entries: Mapping[bytes, tuple[int, tuple[int, ...], int, int, int, int]],
) -> dict[bytes, bytes]:
    """``BundleEntry(*fields).encode()`` of each slice-less entry, dtype + shape encoded once
    per distinct pair (byte-identical: fields in number order, zero values omitted)."""
    heads: dict[tuple[int, tuple[int, ...]], bytes] = {}
    sizes: dict[int, bytes] = {}
    varint = encode_varint
    pack_crc = _FIXED32.pack
    out: dict[bytes, bytes] = {}
    for key, (dtype, shape, shard, offset, size, crc) in entries.items():
        head = heads.get((dtype, shape))
        if head is None:
            encoded = encode_shape(tuple(shape))
            head = heads[(dtype, shape)] = (
                (b"\x08" + varint(dtype) if dtype else b"") + b"\x12" + varint(len(encoded)) + encoded
            )
        parts = [head]
        if shard:
            parts += (b"\x18", varint(shard))
        if offset:
            parts += (b"\x20", varint(offset))
        if size:
            size_b = sizes.get(size)
            if size_b is None:
                size_b = sizes[size] = b"\x28" + varint(size)
            parts.append(size_b)
        if crc:
            parts += (b"\x35", pack_crc(crc))
        out[key] = b"".join(parts)
    return out


class _Sliced:
    def __init__(self, dtype: int, full_shape: tuple[int, ...]) -> None:
        self.dtype = dtype
        self.full_shape = full_shape
        self.parts: list[tuple[tuple[Extent, ...], int]] = []  # (extents, shard) in add order
        self.boxes: list[tuple[tuple[int, ...], tuple[int, ...]]] = []  # (offsets, shape) of each part


class BundleWriter(Publishing):
    """Streams tensors into a new checkpoint; :meth:`finish` publishes it atomically.

    Tensor bytes go to temporary data files as they are added (in add order, densely packed,
    as TF's ``SaveV2`` does) in a generation directory of their own; :meth:`finish` writes the
    sorted index there and publishes the generation with one rename (see
    :mod:`varscope.checkpoint.publish`), so a reader, TF's included, sees the previous
    checkpoint or the new one, complete, whenever the writer is stopped. Used as a context
    manager, an exception aborts the write and removes the generation directory, leaving any
    previous checkpoint untouched. Opening a writer removes what killed writers left in the
    directory.

    Args:
        prefix: checkpoint prefix; parent directories are created.
        num_shards: number of ``.data-SSSSS-of-NNNNN`` files.
        big_endian: write a big-endian bundle (``endianness = BIG`` in the header).
        sync: ``fsync`` files and directories around the publishing renames (durability across
            power loss).

    Example:
        >>> import tempfile, numpy as np
        >>> prefix = tempfile.mkdtemp() + "/model.ckpt"
        >>> with BundleWriter(prefix) as writer:
        ...     writer.add("bias", np.zeros(3, np.float32))
        ...     writer.add_slice("emb", (4, 2), (0, 0), np.ones((2, 2), np.float32))
        ...     writer.add_slice("emb", (4, 2), (2, 0), np.ones((2, 2), np.float32))
        >>> sorted(os.listdir(os.path.dirname(prefix)))
        ['model.ckpt.data-00000-of-00001', 'model.ckpt.index']
    """

    def __init__(
        self,
        prefix: str | os.PathLike[str],
        *,
        num_shards: int = 1,
        big_endian: bool = False,
        sync: bool = False,
    ) -> None:
        if num_shards < 1:
            raise ValueError(f"num_shards must be >= 1, got {num_shards}")
        self.prefix = normalize_prefix(prefix)
        self.num_shards = num_shards
        self.big_endian = big_endian
        self.sync = sync
        # key -> (dtype, shape, shard, offset, size, masked crc): BundleEntry's fields, no slices
        self._entries: dict[bytes, tuple[int, tuple[int, ...], int, int, int, int]] = {}
        self._sliced: dict[bytes, _Sliced] = {}
        self._offsets = [0] * num_shards
        # dtype.byteorder values whose bytes are already in the bundle's byte order
        self._ok_orders = (">" if big_endian else "<") + ("=" if big_endian == (sys.byteorder == "big") else "")
        self._tag = new_tag()
        self._finished = False
        directory = os.path.dirname(self.prefix)
        if directory:
            os.makedirs(directory, exist_ok=True)
        clean_stale(directory)  # what killed writers left behind
        # Every file goes into a generation directory of its own, published by finish().
        self._gen: str | None = generation_dir(self.prefix, self._tag)
        ACTIVE.add(os.path.basename(self._gen))
        os.mkdir(self._gen)
        self._gen_prefix = os.path.join(self._gen, os.path.basename(self.prefix))
        self._data_names = [os.path.basename(data_path(self.prefix, s, num_shards)) for s in range(num_shards)]
        self._files: list[BinaryIO] = []
        try:
            for s in range(num_shards):
                self._files.append(open(data_path(self._gen_prefix, s, num_shards), "wb", buffering=_DATA_BUFFER))
        except BaseException:
            self.abort()
            raise

    # -- adding ---------------------------------------------------------------------------
    def _write_data(
        self, array: np.ndarray, shard: int, name: str, part: tuple[int, ...] | None = None
    ) -> tuple[int, int, int]:
        """Writes tensor ``name``'s bytes (or slice ``part``'s); returns ``(offset, size, masked_crc)``."""
        if not 0 <= shard < self.num_shards:
            what = f"tensor {name!r}" if part is None else f"slice {part} of {name!r}"
            raise ValueError(f"{what}: shard {shard} not in [0, {self.num_shards})")
        f = self._files[shard]
        offset = self._offsets[shard]
        if is_string_dtype(array.dtype):
            try:
                payload, crc = encode_strings(to_bytes_list(array), big_endian=self.big_endian)
            except CheckpointError as err:
                what = f"tensor {name!r}" if part is None else f"slice {part} of {name!r}"
                raise CheckpointError(f"{what}: {err.problem}") from None
            f.write(payload)
            size = len(payload)
        else:
            dtype = array.dtype
            if not (array.flags.c_contiguous and (dtype.itemsize == 1 or dtype.byteorder in self._ok_orders)):
                dtype = dtype if dtype.itemsize == 1 else dtype.newbyteorder(">" if self.big_endian else "<")
                array = np.ascontiguousarray(array, dtype=dtype)
            # The caller's (C-contiguous) buffer itself: no copy for the CRC or the write.
            crc = mask(crc32c_array(array))
            f.write(array)  # type: ignore[call-overload]  # ndarray supports the buffer protocol
            size = array.nbytes
        self._offsets[shard] += size
        return offset, size, crc

    def _check_new(self, key: bytes, name: str) -> None:
        if self._finished:
            raise RuntimeError("BundleWriter already finished")
        if not key:
            raise ValueError("tensor names must be non-empty")
        if key in self._entries or key in self._sliced:
            raise ValueError(f"duplicate tensor name {name!r}")

    def add(self, name: str, value: Any, *, shard: int = 0) -> None:
        """Adds a whole tensor ``name`` (any array-like; strings as bytes/str elements).

        Raises:
            ValueError: for a duplicate or empty name, or a bad shard.
            CheckpointError: for a dtype TF checkpoints cannot hold.
        """
        key = name.encode("utf-8", "surrogateescape")
        self._check_new(key, name)
        array = value if type(value) is np.ndarray else _as_array(value)
        dtype = _ENUMS.get(array.dtype)
        if dtype is None:
            dtype = enum_from_dtype(array.dtype) if array.dtype.kind != "O" else DT_STRING
        offset, size, crc = self._write_data(array, shard, name)
        self._entries[key] = (dtype, array.shape, shard, offset, size, crc)

    def add_slice(
        self,
        name: str,
        full_shape: Sequence[int],
        offsets: Sequence[int],
        value: Any,
        *,
        shard: int = 0,
        extents: Sequence[Extent] | None = None,
    ) -> None:
        """Adds one part of partitioned tensor ``name``, as TF's ``Saver`` saves partitions.

        A part covering the whole tensor is stored as a plain entry, as TF does. The slice is
        recorded with an explicit start and length per dimension (as the Saver's specs give);
        pass ``extents`` to record other forms (``Extent()`` = whole dimension, as a raw
        ``"8 5 0,3:-"`` spec gives).

        Raises:
            ValueError: if the part is out of bounds or changes dtype/shape (overlapping parts are
                refused by :meth:`finish`, which checks all parts of a tensor at once).
        """
        key = name.encode("utf-8", "surrogateescape")
        array = _as_array(value)
        full = tuple(int(d) for d in full_shape)
        offs = tuple(int(o) for o in offsets)
        given = tuple(extents) if extents is not None else extents_for(offs, array.shape)
        try:
            box = resolve_extents(given, full)
        except CheckpointError as err:
            raise ValueError(f"slice of {name!r}: {err.problem}") from None
        if box != (offs, tuple(array.shape)):
            raise ValueError(f"slice of {name!r}: extents {given} disagree with offsets {offs} and shape {array.shape}")
        if offs == (0,) * len(full) and tuple(array.shape) == full and key not in self._sliced:
            self.add(name, array, shard=shard)
            return
        dtype = enum_from_dtype(array.dtype) if array.dtype.kind != "O" else DT_STRING
        state = self._sliced.get(key)
        if state is None:
            self._check_new(key, name)
            state = self._sliced[key] = _Sliced(dtype, full)
        elif state.dtype != dtype or state.full_shape != full:
            raise ValueError(f"slices of {name!r} disagree on dtype or full shape")
        skey = encode_tensor_name_slice(key, given)
        offset, size, crc = self._write_data(array, shard, name, offs)
        self._entries[skey] = (dtype, array.shape, shard, offset, size, crc)
        state.parts.append((given, shard))
        state.boxes.append(box)

    # -- finishing ------------------------------------------------------------------------
    def _index_bytes(self) -> bytes:
        entries = _encode_entries(self._entries)
        for key, state in self._sliced.items():
            name = key.decode("utf-8", "surrogateescape")
            # Overlaps are checked once here, in O(n log n), not on every add_slice.
            try:
                check_disjoint(state.boxes, f"tensor {name!r}")
            except CheckpointError as err:
                raise ValueError(err.problem) from None
            covered = sum(math.prod(shape) for _, shape in state.boxes)
            if covered != math.prod(state.full_shape):
                raise ValueError(f"slices of {name!r} do not tile shape {state.full_shape}")
            # MergeBundles order: shard by shard, then add order; the full entry keeps the
            # shard id of the first shard that holds one of its slices.
            parts = sorted(state.parts, key=lambda p: p[1])
            entries[key] = BundleEntry(
                state.dtype, state.full_shape, shard_id=parts[0][1], slices=tuple(e for e, _ in parts)
            ).encode()
        header = BundleHeader(num_shards=self.num_shards, endianness=1 if self.big_endian else 0)
        rows = [(b"", header.encode())] + [(k, entries[k]) for k in sorted(entries)]
        return build_table(rows)

    def finish(self) -> None:
        """Writes the index and publishes the checkpoint atomically (see :mod:`.publish`)."""
        if self._finished:
            return
        try:
            index = self._index_bytes()
            for f in self._files:
                f.flush()
                if self.sync:
                    os.fsync(f.fileno())
                f.close()
            with open(index_path(self._gen_prefix), "wb") as f:
                f.write(index)
                f.flush()
                if self.sync:
                    os.fsync(f.fileno())
            assert self._gen is not None
            publish(self.prefix, self._gen, self._data_names, self._tag, sync=self.sync)
            ACTIVE.discard(os.path.basename(self._gen))
            self._gen = None
            self._finished = True
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Discards everything written so far (the generation directory is removed)."""
        self._finished = True
        for f in self._files:
            f.close()
        gen, self._gen = self._gen, None
        if gen is not None:
            ACTIVE.discard(os.path.basename(gen))
        if gen is not None and not (os.path.islink(current_link(self.prefix))
                                    and os.readlink(current_link(self.prefix)) == os.path.basename(gen)):
            shutil.rmtree(gen, ignore_errors=True)


def _slice_parts(parts: Iterable[SliceData | tuple[Sequence[int], Sequence[int], Any]]) -> list[SliceData]:
    return [SliceData(tuple(p[0]), tuple(p[1]), _as_array(p[2])) for p in parts]


def write_bundle(
    prefix: str | os.PathLike[str],
    tensors: Mapping[str, Any],
    *,
    slices: Mapping[str, Iterable[SliceData | tuple[Sequence[int], Sequence[int], Any]]] | None = None,
    num_shards: int = 1,
    shard_of: Callable[[str], int] | None = None,
    big_endian: bool = False,
    sync: bool = False,
) -> None:
    """Writes a TF checkpoint (tensor bundle) exactly as TF's ``Saver`` would.

    Tensors are written in sorted-name order (slices in the order given), which is the
    order TF's Saver uses, so identical inputs give byte-identical files.

    Args:
        prefix: checkpoint prefix, e.g. ``"ckpt/model.ckpt-7"``.
        tensors: ``{name: array}`` of whole tensors. Strings: object arrays of ``bytes``/``str``.
        slices: ``{full_name: [(full_shape, offsets, array), ...]}`` for partitioned tensors.
        num_shards: number of data files.
        shard_of: maps a tensor name to its shard; by default tensors go to the least-filled shard.
        big_endian: write a big-endian bundle.
        sync: ``fsync`` before publishing.

    Raises:
        ValueError: for duplicate names or slices that do not tile their tensor.
        CheckpointError: for dtypes TF checkpoints cannot hold.

    Example:
        >>> import tempfile, numpy as np
        >>> prefix = tempfile.mkdtemp() + "/model.ckpt"
        >>> write_bundle(prefix, {"w": np.eye(2, dtype=np.float32), "vocab": np.array([b"a", b"b"], object)})
        >>> from varscope.checkpoint import BundleReader
        >>> BundleReader(prefix).get_tensor("vocab").tolist()
        [b'a', b'b']
    """
    slices = slices or {}
    overlap = set(tensors) & set(slices)
    if overlap:
        raise ValueError(f"tensors given both whole and as slices: {sorted(overlap)}")
    loads = [0] * num_shards

    def pick(name: str, nbytes: int) -> int:
        if shard_of is not None:
            return shard_of(name)
        shard = loads.index(min(loads))
        loads[shard] += nbytes
        return shard

    names = sorted(list(tensors) + list(slices), key=lambda n: n.encode("utf-8", "surrogateescape"))
    with BundleWriter(prefix, num_shards=num_shards, big_endian=big_endian, sync=sync) as writer:
        for name in names:
            if name in tensors:
                array = tensors[name]
                if type(array) is not np.ndarray:
                    array = _as_array(array)
                writer.add(name, array, shard=pick(name, array.nbytes))
            else:
                for part in _slice_parts(slices[name]):
                    writer.add_slice(name, part.full_shape, part.offsets, part.array,
                                     shard=pick(name, part.array.nbytes))
