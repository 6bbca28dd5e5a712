"""Reading TensorFlow tensor bundles (``prefix.index`` + ``prefix.data-*``)."""

from __future__ import annotations

import bisect
import math
import mmap
import os
import re
import stat
import sys
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import BinaryIO

import numpy as np

from .crc import crc32c, crc32c_array, unmask
from .dtypes import DT_STRING, DtypeTable, dtype_from_enum, dtype_itemsize, dtype_name
from .errors import CheckpointError
from .ordered_code import encode_tensor_name_slice
from .paths import data_path, index_path, normalize_prefix
from .publish import generation_prefix
from .proto import BundleEntry, BundleHeader, decode_shape, decode_varint
from .slices import check_disjoint, intersect, resolve_extents
from .string_codec import decode_strings
from .table import table_items

__all__ = ["BundleReader"]

_MAX_KNOWN_DTYPE = 33
_MAX_SHARDS = 1 << 20
# Enums of fixed-size dtypes that can be read: their entries' sizes are checked against shapes.
_ITEMSIZES = {e: dtype_itemsize(e) for e in (*range(1, 20), *range(22, 31)) if e != DT_STRING}
# ... and the NumPy dtype each is read as, on a little-endian host from a little-endian bundle.
_FAST_DTYPES = DtypeTable(_ITEMSIZES)  # (bfloat16/float8/int4: ml_dtypes, imported on first use)
# Tensors below this size are read with one pread straight into the result (larger ones in chunks).
_FAST_MAX = 1 << 30


_VARINT9 = rb"([\x80-\xff]{0,8}[\x00-\x7f])"  # at most 63 bits: never negative as int64
# A BundleEntryProto as TF writes it: dtype, shape (dims as "size" varints or empty), then
# shard_id, offset, size and crc32c, each optional, in field order; no slices.
_COMMON_ENTRY = re.compile(
    rb"(\x08[\x00-\x7f]\x12[\x00-\x7f](?:\x12(?:\x00|[\x02-\x0b]\x08[\x80-\xff]{0,8}[\x00-\x7f]))*)"
    rb"(?:\x18" + _VARINT9 + rb")?(?:\x20" + _VARINT9 + rb")?(?:\x28" + _VARINT9 + rb")?(?:\x35(.{4}))?",
    re.S,
)


class _Entries(Mapping[bytes, BundleEntry]):
    """Index entries by raw key, kept as field tuples; ``BundleEntry`` objects made on demand."""

    def __init__(self, raw: dict[bytes, tuple]) -> None:
        self.raw = raw
        self._made: dict[bytes, BundleEntry] = {}

    def __getitem__(self, key: bytes) -> BundleEntry:
        entry = self._made.get(key)
        if entry is None:
            entry = self._made[key] = BundleEntry(*self.raw[key])
        return entry

    def get(self, key: bytes, default: BundleEntry | None = None) -> BundleEntry | None:  # type: ignore[override]
        return self[key] if key in self.raw else default

    def __contains__(self, key: object) -> bool:
        return key in self.raw

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)


def _open_regular(path: str, *, missing_ok: bool = True) -> BinaryIO:
    """Opens ``path`` for reading if it is a regular file; anything else is a CheckpointError.

    ``O_NONBLOCK`` keeps a FIFO from blocking the open; directories, devices (a link to
    ``/dev/zero`` would be read for ever) and sockets are refused after ``fstat``. A missing
    file raises ``FileNotFoundError`` unless ``missing_ok`` (then a CheckpointError too).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if not missing_ok:
            raise
        raise CheckpointError("is missing", path) from None
    except IsADirectoryError:
        raise CheckpointError("is a directory, not a file", path) from None
    except OSError as err:
        raise CheckpointError(f"cannot open: {err.strerror or err}", path) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise CheckpointError("is a directory, not a file", path)
        if not stat.S_ISREG(mode):
            raise CheckpointError("is not a regular file", path)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return open(fd, "rb", buffering=0, closefd=True)
    except BaseException:
        os.close(fd)
        raise


def _read_all(f: BinaryIO, path: str) -> bytes:
    """The file's bytes, at most its size when opened (a growing file is not chased)."""
    size = os.fstat(f.fileno()).st_size
    buf = bytearray(size)
    view = memoryview(buf)
    done = 0
    try:
        while done < size:
            n = f.readinto(view[done:])  # type: ignore[attr-defined]
            if not n:
                break
            done += n
    except OSError as err:
        raise CheckpointError(f"read failed: {err.strerror or err}", path) from None
    return bytes(view[:done])


# NumPy's limits: at most 64 dimensions, and a byte size that fits in a signed 64-bit integer.
_NUMPY_MAX_RANK = 64
_NUMPY_MAX_BYTES = (1 << 63) - 1


def _representable(shape: tuple[int, ...], itemsize: int) -> bool:
    """True if NumPy can allocate an array of ``shape`` (checked before ``np.empty`` raises)."""
    if len(shape) > _NUMPY_MAX_RANK:
        return False
    total = max(itemsize, 1)
    for d in shape:
        if d:
            total *= d
    return total <= _NUMPY_MAX_BYTES


# Tensors are read into buffers aligned to this many bytes: JAX's CPU client then uses them in place
# (``jax.device_put`` of a 64-byte-aligned array makes no copy; NumPy's own alignment is 16).
_ALIGN = 64
_ALIGN_MIN = 1 << 16  # below this many bytes a copy costs less than the padding


def _aligned_empty(shape: tuple[int, ...], dtype: np.dtype, nbytes: int) -> np.ndarray:
    """``np.empty(shape, dtype)`` whose data starts on a 64-byte boundary (for ``nbytes`` >= 64 KiB)."""
    if nbytes < _ALIGN_MIN:
        return np.empty(shape, dtype)
    raw = np.empty(nbytes + _ALIGN, np.uint8)
    start = -raw.ctypes.data % _ALIGN
    return raw[start : start + nbytes].view(dtype).reshape(shape)


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
        self._data_prefix = self.prefix  # where the data files are looked up
        self._files: dict[int, tuple[BinaryIO, int]] = {}
        # A prefix that was overwritten links into its live generation directory: read that
        # generation's files by their real names, so one published meanwhile cannot mix in.
        for attempt in range(3):
            generation = generation_prefix(self.prefix)
            if generation is not None:
                self._data_prefix = generation
            try:
                f = _open_regular(index_path(self._data_prefix), missing_ok=False)
                break
            except FileNotFoundError:
                if generation is None or attempt == 2:
                    raise
                self._data_prefix = self.prefix  # replaced while opening: look again
        try:
            table = _read_all(f, self._index_path)
        finally:
            f.close()
        items = table_items(table, self._index_path)
        del table
        if not items:
            raise CheckpointError("index has no bundle header entry", self._index_path)
        if items[0][0] != b"":
            raise self._fail(f"entry {items[0][0]!r}: first index entry is not the bundle header")
        try:
            self.header = BundleHeader.decode(items[0][1])
        except CheckpointError as err:
            raise self._fail(f"entry {b''!r}: {err.problem}") from None
        self._check_header()
        # _fast: name -> (dtype, shape, shard, offset, size, unmasked crc) of every plain,
        # native-order, numeric tensor: what get_tensor needs, with all checks already done.
        self._fast: dict[str, tuple[np.dtype, tuple[int, ...], int, int, int, int]] = {}
        raw, unchecked = self._decode_entries(items)
        self._entries = _Entries(raw)
        self._names = self._validate_entries(unchecked)
        if self._data_prefix != self.prefix and self.header.num_shards <= 64:
            for shard in range(self.header.num_shards):  # hold the generation's files open
                try:
                    self._data_file(shard)
                except CheckpointError:
                    pass  # reported when a tensor is read

    def _decode_entries(self, items: list[tuple[bytes, bytes]]) -> tuple[dict[bytes, tuple], list[bytes]]:
        """Decodes (and checks) every index entry into ``BundleEntry`` field tuples.

        Entries laid out as TF writes them (dtype, shape, then shard_id, offset, size, crc32c,
        no slices) are split by one regular-expression match; the dtype + shape prefix is
        decoded and checked once per distinct encoding, and plain numeric entries are
        validated here. Anything else goes through the general decoder and is returned in the
        list of keys left for :meth:`_validate_entries`.
        """
        raw: dict[bytes, tuple] = {}
        unchecked: list[bytes] = []
        fast = self._fast
        # dtype + shape bytes -> (dtype, dims, byte size or -1, NumPy dtype or None)
        heads: dict[bytes, tuple[int, tuple[int, ...] | None, int, np.dtype | None]] = {}
        sizes: dict[bytes, int] = {}
        num_shards = self.header.num_shards
        native = self.header.endianness == 0 and sys.byteorder == "little"
        general = BundleEntry.decode_fields
        match = _COMMON_ENTRY.fullmatch
        from_bytes = int.from_bytes
        key = b""
        try:
            for i in range(1, len(items)):
                key, value = items[i]
                m = match(value)
                if m is None:
                    raw[key] = general(value)
                    unchecked.append(key)
                    continue
                head, shard_b, offset_b, size_b, crc_b = m.groups()
                info = heads.get(head)
                if info is None:
                    info = heads[head] = self._head_info(head, key, native)
                dtype, dims, nbytes, npdtype = info
                if dims is None:
                    raw[key] = general(value)
                    unchecked.append(key)
                    continue
                if offset_b is None:
                    offset = 0
                else:
                    x = from_bytes(offset_b, "little")  # varint of <= 9 bytes (the pattern says)
                    offset = (x & 0x7F) | (x >> 1 & 0x3F80) | (x >> 2 & 0x1FC000) | (x >> 3 & 0xFE00000)
                    if x >> 32:
                        offset, _ = decode_varint(offset_b, 0)
                if size_b is None:
                    size = 0
                else:
                    size = sizes.get(size_b, -1)
                    if size < 0:
                        size = sizes[size_b] = decode_varint(size_b, 0)[0]
                crc = 0 if crc_b is None else from_bytes(crc_b, "little")
                shard = 0 if shard_b is None else decode_varint(shard_b, 0)[0]
                raw[key] = (dtype, dims, shard, offset, size, crc, ())
                if nbytes < 0:  # strings, unknown or unreadable dtypes
                    unchecked.append(key)
                    continue
                if shard >= num_shards:
                    raise CheckpointError(f"tensor {_decode_key(key)!r}: shard {shard} of {num_shards}")
                if nbytes != size:
                    raise CheckpointError(f"tensor {_decode_key(key)!r}: size {size} does not match shape {dims}")
                if npdtype is not None and size < _FAST_MAX:
                    rot = (crc - 0xA282EAD8) & 0xFFFFFFFF  # crc.unmask, inlined
                    fast[key.decode("utf-8", "surrogateescape")] = (
                        npdtype, dims, shard, offset, size, ((rot >> 17) | (rot << 15)) & 0xFFFFFFFF
                    )
        except CheckpointError as err:
            problem = err.problem if err.problem.startswith("tensor ") else f"entry {key!r}: {err.problem}"
            raise self._fail(problem) from None
        return raw, unchecked

    @staticmethod
    def _head_info(head: bytes, key: bytes, native: bool) -> tuple[int, tuple[int, ...] | None, int, np.dtype | None]:
        """``(dtype, dims, byte size, NumPy dtype)`` of an entry's dtype + shape prefix.

        ``dims`` is None if the prefix is not exactly ``dtype`` then one ``shape`` field (the
        pattern cannot check the shape's length byte); the byte size is -1 for dtypes whose
        sizes are not checked here; the NumPy dtype is None where get_tensor's fast path does
        not apply.
        """
        if 4 + head[3] != len(head):
            return 0, None, 0, None
        dims = decode_shape(head[4:])
        if any(d >= 1 << 62 for d in dims):
            raise CheckpointError(f"tensor {_decode_key(key)!r}: absurd shape {dims}")
        dtype = head[1]
        if not 1 <= dtype <= _MAX_KNOWN_DTYPE:
            raise CheckpointError(f"tensor {_decode_key(key)!r}: unknown dtype enum {dtype}")
        itemsize = _ITEMSIZES.get(dtype)
        if itemsize is None:
            return dtype, dims, -1, None
        fast = native and _representable(dims, itemsize)  # else get_tensor's general path reports it
        return dtype, dims, math.prod(dims) * itemsize, _FAST_DTYPES[dtype] if fast else None

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

    def _validate_entries(self, unchecked: list[bytes]) -> list[str]:
        """Checks the entries ``_decode_entries`` left unchecked; returns the tensor names."""
        slice_keys: set[bytes] = set()
        for key in unchecked:
            entry = self._entries[key]
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
        for skey in slice_keys:
            self._fast.pop(_decode_key(skey), None)
        if len(self._fast) == len(self._entries.raw):  # every entry a plain tensor, names decoded
            return sorted(self._fast)
        return sorted(_decode_key(k) for k in self._entries.raw if k not in slice_keys)

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
        return name in self._fast or (self._key(name) in self._entries.raw and name in self._name_set)

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
        return {key: self._entries[key] for key in self._entries.raw}

    def shape(self, name: str) -> tuple[int, ...]:
        """The (full) shape of tensor ``name``."""
        return self.entry(name).shape

    def dtype(self, name: str) -> np.dtype:
        """The NumPy dtype of tensor ``name`` (``object`` for strings)."""
        try:
            return dtype_from_enum(self.entry(name).dtype)
        except CheckpointError as err:
            raise self._fail(f"tensor {name!r}: {err.problem}") from None

    def dtype_name(self, name: str) -> str:
        """TF's name for the dtype of ``name`` (``"float32"``, ``"string"``, ``"bfloat16"``...)."""
        return dtype_name(self.entry(name).dtype)

    def get_variable_to_shape_map(self) -> dict[str, list[int]]:
        """``{name: shape as a list}``, like TF's ``CheckpointReader``."""
        raw = self._entries.raw
        return {n: list(raw[self._key(n)][1]) for n in self._names}

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
            path = data_path(self._data_prefix, shard, self.header.num_shards)
            try:
                f = _open_regular(path)
            except CheckpointError as err:
                raise CheckpointError(f"data file {err.problem}", path) from None
            self._files[shard] = (f, os.fstat(f.fileno()).st_size)
        return self._files[shard]

    def _read_range(self, entry: BundleEntry, what: str) -> np.ndarray:
        f, fsize = self._data_file(entry.shard_id)
        path = data_path(self._data_prefix, entry.shard_id, self.header.num_shards)
        if entry.offset > fsize or entry.size > fsize - entry.offset:
            raise CheckpointError(
                f"{what}: bytes [{entry.offset}, {entry.offset + entry.size}) lie past the end of the "
                f"{fsize}-byte data file", path
            )
        buf = _aligned_empty((entry.size,), np.dtype(np.uint8), entry.size)
        view = memoryview(buf)  # type: ignore[arg-type]  # ndarray supports the buffer protocol
        done = 0
        while done < entry.size:
            try:
                n = os.preadv(f.fileno(), [view[done : done + (1 << 30)]], entry.offset + done)
            except OSError as err:
                raise CheckpointError(f"{what}: read failed: {err.strerror or err}", path) from None
            if n <= 0:
                raise CheckpointError(f"{what}: data file truncated while reading", path)
            done += n
        return buf

    def _read_entry(self, entry: BundleEntry, what: str) -> np.ndarray:
        big = self.header.endianness == 1
        if entry.dtype == DT_STRING:
            if not _representable(entry.shape, 8):
                raise self._unrepresentable(entry.shape, what)
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
        if not _representable(entry.shape, dtype.itemsize):
            raise self._unrepresentable(entry.shape, what)
        buf = self._read_range(entry, what)
        if self.verify_crc and crc32c(buf) != unmask(entry.crc32c):
            raise self._crc_error(entry, what)
        if big and dtype.itemsize > 1:
            return buf.view(dtype.newbyteorder(">")).astype(dtype).reshape(entry.shape)
        return buf.view(dtype).reshape(entry.shape)

    def _unrepresentable(self, shape: tuple[int, ...], what: str) -> CheckpointError:
        return self._fail(f"{what}: shape {list(shape)} cannot be held in a NumPy array "
                          f"(more than {_NUMPY_MAX_RANK} dimensions or {_NUMPY_MAX_BYTES} bytes)")

    def _crc_error(self, entry: BundleEntry, what: str) -> CheckpointError:
        path = data_path(self._data_prefix, entry.shard_id, self.header.num_shards)
        return CheckpointError(f"{what}: checksum does not match (data corrupted)", path)

    def get_tensor(self, name: str) -> np.ndarray:
        """Reads tensor ``name`` (merging slices of a partitioned tensor).

        Raises:
            KeyError: if there is no such tensor.
            CheckpointError: on corrupt data or slices that do not cover the tensor.
        """
        fast = self._fast.get(name)
        if fast is not None:
            dtype, shape, shard, offset, size, crc = fast
            opened = self._files.get(shard)
            if opened is None:
                opened = self._data_file(shard)
            if offset + size <= opened[1]:
                out = _aligned_empty(shape, dtype, size)
                if size == 0 or os.preadv(opened[0].fileno(), [out], offset) == size:  # type: ignore[list-item]
                    if self.verify_crc and crc32c_array(out) != crc:
                        raise self._crc_error(self._entries[self._key(name)], f"tensor {name!r}")
                    return out
            # past the end of the file or a short read: the general path reports it
        entry = self.entry(name)
        if not entry.slices:
            return self._read_entry(entry, f"tensor {name!r}")
        return self.get_slice(name, (0,) * len(entry.shape), entry.shape)

    def tensor_view(self, name: str) -> np.ndarray:
        """Tensor ``name`` as a read-only array over the data file's pages (``mmap``), without a copy.

        For a plain tensor stored uncompressed in the host's byte order (every numeric tensor TF
        writes on a little-endian host), the array maps the tensor's bytes; its checksum is
        verified on the first view of each tensor in this reader (by reading the pages once). The
        mapping lasts as long as the array: its memory is the page cache's, so writing it to
        another file (``varscope convert``) costs one copy and no memory of its own. Anything else
        (strings, big-endian bundles, slices, empty tensors) is read as by :meth:`get_tensor`
        and returned read-only.

        Do not truncate or rewrite the data file in place while a view is alive (reading a page
        past a truncated end is a ``SIGBUS``); varscope and TensorFlow only ever replace
        checkpoint files by renaming new ones over them, which views survive.

        Raises:
            KeyError: if there is no such tensor.
            CheckpointError: on corrupt data.

        Example:
            >>> import tempfile, numpy as np
            >>> from varscope.checkpoint import write_bundle
            >>> prefix = tempfile.mkdtemp() + "/m"
            >>> write_bundle(prefix, {"w": np.arange(6, dtype=np.float32)})
            >>> view = BundleReader(prefix).tensor_view("w")
            >>> view.tolist(), view.flags.writeable
            ([0.0, 1.0, 2.0, 3.0, 4.0, 5.0], False)
        """
        fast = self._fast.get(name)
        if fast is not None and fast[4] > 0:
            dtype, shape, shard, offset, size, crc = fast
            f, fsize = self._data_file(shard)
            if offset + size <= fsize:
                start = offset - offset % mmap.ALLOCATIONGRANULARITY
                try:
                    mapped = mmap.mmap(f.fileno(), offset + size - start, offset=start, access=mmap.ACCESS_READ)
                except (OSError, ValueError) as err:
                    path = data_path(self._data_prefix, shard, self.header.num_shards)
                    raise CheckpointError(f"tensor {name!r}: cannot map the data file: {err}", path) from None
                view = np.frombuffer(mapped, dtype, math.prod(shape), offset - start).reshape(shape)
                verified = self.__dict__.setdefault("_verified", set())
                if self.verify_crc and name not in verified:
                    if crc32c(view) != crc:
                        raise self._crc_error(self._entries[self._key(name)], f"tensor {name!r}")
                    verified.add(name)
                return view
        out = self.get_tensor(name)
        out.flags.writeable = False
        return out

    def byte_range(self, name: str) -> tuple[int, int, int] | None:
        """``(file descriptor, offset, size)`` of tensor ``name``'s bytes in its data file, or None.

        Only for a plain tensor stored as the host's raw little-endian array (what
        :meth:`tensor_view` maps): its bytes are then exactly a safetensors file's data for it, and
        ``varscope convert`` copies them with ``os.copy_file_range`` (in the kernel, as ``cp``
        does). The checksum is verified first (once per tensor and reader). The descriptor
        belongs to the reader: do not close it.

        Raises:
            KeyError: if there is no such tensor.
            CheckpointError: on corrupt data.
        """
        fast = self._fast.get(name)
        if fast is None or fast[4] == 0 or sys.byteorder != "little":
            if not self.has_tensor(name):
                raise KeyError(f"tensor {name!r} not found in checkpoint {self.prefix}")
            return None
        _, _, shard, offset, size, _ = fast
        f, fsize = self._data_file(shard)
        if offset + size > fsize:
            return None  # (get_tensor reports it)
        self.tensor_view(name)  # verifies the checksum
        return f.fileno(), offset, size

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
        for extents, part_off, part_shape in self._slice_candidates(key, entry, offsets, shape):
            inter = intersect(part_off, part_shape, offsets, shape)
            if inter is not None:
                parts.append((extents, part_off, inter))
                covered += math.prod(inter[1])
        if covered != math.prod(shape):
            raise self._fail(f"{what}: saved slices do not cover the requested region {offsets}+{shape}")
        try:
            dtype = dtype_from_enum(entry.dtype)
        except CheckpointError as err:
            raise self._fail(f"{what}: {err.problem}") from None
        if not _representable(shape, dtype.itemsize):
            raise self._unrepresentable(shape, what)
        # Every element of the region comes from the data files: at least its item size in
        # bytes, and at least one byte (its length) for a string, so a huge declared shape
        # is refused here rather than allocated.
        total = sum(size for _, size in (self._data_file(s) for s in range(self.header.num_shards)))
        if math.prod(shape) * (1 if entry.dtype == DT_STRING else dtype.itemsize) > total:
            raise self._fail(f"{what}: region larger than all data files together")
        out = np.empty(shape, dtype=dtype)
        for extents, part_off, (lo, size) in parts:
            part = self._read_entry(self._entries[encode_tensor_name_slice(key, extents)], f"{what} slice {part_off}")
            src = tuple(slice(l - p, l - p + n) for l, p, n in zip(lo, part_off, size))
            dst = tuple(slice(l - o, l - o + n) for l, o, n in zip(lo, offsets, size))
            out[dst] = part[src]
        return out

    def _slice_candidates(
        self, key: bytes, entry: BundleEntry, offsets: tuple[int, ...], shape: tuple[int, ...]
    ) -> list[tuple[tuple, tuple[int, ...], tuple[int, ...]]]:
        """The saved slices of ``key`` that may meet the region, found by bisection.

        The slices are sorted once per tensor along the axis with the most distinct starts;
        a region ``[lo, hi)`` along it can only meet slices starting in ``(lo - longest, hi)``,
        so restoring N partitions costs O(N log N), not O(N^2).
        """
        cache = self.__dict__.setdefault("_slice_index", {})
        index = cache.get(key)
        if index is None:
            parts = [(e, *resolve_extents(e, entry.shape)) for e in entry.slices]
            rank = len(entry.shape)
            axis = max(range(rank), key=lambda ax: len({p[1][ax] for p in parts}), default=0)
            if rank:
                parts.sort(key=lambda p: p[1][axis])
            starts = [p[1][axis] for p in parts] if rank else []
            longest = max((p[2][axis] for p in parts), default=0) if rank else 0
            index = cache[key] = (axis, starts, longest, parts)
        axis, starts, longest, parts = index
        if not entry.shape:
            return parts
        lo, hi = offsets[axis], offsets[axis] + shape[axis]
        return parts[bisect.bisect_right(starts, lo - longest) : bisect.bisect_left(starts, hi)]

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
