"""safetensors files through the ``safetensors`` library, with varscope's errors and dtypes.

Reading uses the library's lazy ``safe_open(..., framework="numpy")``: opening validates the
header (size, JSON, dtypes, shapes, offsets that must tile the data exactly) and maps the file;
``get_tensor`` and ``get_slice`` read only what they return. Writing uses
``safetensors.numpy.save_file`` on a temporary file that is then renamed over the target.

What stays our own code, because the library (checked with 0.7.0 and 0.8.0) cannot do it:

* float8 tensors (``F8_E4M3``, ``F8_E5M2`` and the ``FNUZ`` variants) cannot be read through
  NumPy: the library looks them up as ``numpy.float8_*`` and raises ``AttributeError``. Their
  bytes are read here, at the offsets the header gives, as ``ml_dtypes`` arrays.
* bfloat16 reads through the library only once ``ml_dtypes`` has registered the ``bfloat16``
  name with NumPy, so it is imported first (only when a file holds bfloat16).
* The library's errors are ``SafetensorError`` (and ``OSError``) without the file name; they are
  raised here as :class:`CheckpointError` naming the file. String tensors and dtypes without a
  safetensors code are refused before anything is written, with an explanation.
* Big-endian and non-contiguous arrays are converted first (``save_file`` takes the raw buffer).
* Streaming: :class:`SafetensorsWriter` writes a file tensor by tensor (the header first, from the
  shapes and dtypes, then each tensor's bytes), in the layout ``save_file`` uses, so a conversion
  never holds more than one tensor (the library only writes a whole dict at once).
* Partitioning: the slices a partitioned variable was saved as live in the ``__metadata__``
  entry ``varscope_partitions`` (JSON ``{name: [[offsets, shape], ...]}``), which
  :meth:`SafetensorsReader.saved_slices` reads back, so a conversion to a TF checkpoint can
  write the same slices again.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import struct
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any

import numpy as np

from .atomic import AtomicWriter
from .errors import CheckpointError
from .slices import check_disjoint

__all__ = ["PARTITIONS_KEY", "SafetensorsReader", "SafetensorsWriter", "load_safetensors", "safetensors_dtype_code",
           "save_safetensors"]

PARTITIONS_KEY = "varscope_partitions"

# safetensors code -> NumPy dtype name (ml_dtypes names for bfloat16 and float8).
_NAMES = {
    "BOOL": "bool",
    "U8": "uint8",
    "I8": "int8",
    "I16": "int16",
    "U16": "uint16",
    "F16": "float16",
    "BF16": "bfloat16",
    "I32": "int32",
    "U32": "uint32",
    "F32": "float32",
    "C64": "complex64",
    "F64": "float64",
    "I64": "int64",
    "U64": "uint64",
    "F8_E4M3": "float8_e4m3fn",
    "F8_E5M2": "float8_e5m2",
    "F8_E4M3FNUZ": "float8_e4m3fnuz",
    "F8_E5M2FNUZ": "float8_e5m2fnuz",
}
_CODE_OF = {name: code for code, name in _NAMES.items()}
_ML_DTYPES = {"BF16", "F8_E4M3", "F8_E5M2", "F8_E4M3FNUZ", "F8_E5M2FNUZ"}
_OWN_READ = {"F8_E4M3", "F8_E5M2", "F8_E4M3FNUZ", "F8_E5M2FNUZ"}  # the library cannot give these via NumPy


def _np_dtype(code: str) -> np.dtype:
    name = _NAMES[code]
    if code in _ML_DTYPES:
        import ml_dtypes  # registers "bfloat16" with NumPy too (the library relies on that)

        return np.dtype(getattr(ml_dtypes, name))
    return np.dtype(name).newbyteorder("<")


def safetensors_dtype_code(name: str, dtype: np.dtype) -> str:
    """Returns the safetensors dtype code for ``dtype``.

    Raises:
        CheckpointError: for strings and dtypes safetensors cannot hold.

    Example:
        >>> import ml_dtypes
        >>> safetensors_dtype_code("w", np.dtype(ml_dtypes.bfloat16))
        'BF16'
    """
    dtype = np.dtype(dtype)
    code = _CODE_OF.get(dtype.name) if dtype.fields is None else None
    if code is None:
        if dtype.kind in "OSU":
            raise CheckpointError(
                f"tensor {name!r} is a string tensor; safetensors has no string dtype "
                "(save it as a TF checkpoint or .npz instead)"
            )
        raise CheckpointError(f"tensor {name!r}: dtype {dtype} is not supported by safetensors")
    return code


def _partitions_metadata(
    partitions: Mapping[str, Sequence[tuple[Sequence[int], Sequence[int]]]], shapes: Mapping[str, tuple[int, ...]]
) -> str:
    parts: dict[str, list[list[list[int]]]] = {}
    for name, boxes in partitions.items():
        if name not in shapes:
            raise ValueError(f"partitions name tensor {name!r}, which is not among the tensors")
        parts[name] = [[[int(o) for o in offsets], [int(n) for n in shape]] for offsets, shape in boxes]
        _check_partitions(name, shapes[name], parts[name], ValueError)
    return json.dumps(parts, sort_keys=True)


def _check_partitions(name: str, shape: tuple[int, ...], boxes: Any, error: Any) -> None:
    """Checks that ``boxes`` (``[[offsets, shape], ...]``) tile a tensor of ``shape``."""
    ok = isinstance(boxes, list) and all(
        isinstance(box, list) and len(box) == 2
        and all(isinstance(part, list) and len(part) == len(shape) and all(type(v) is int for v in part)
                for part in box)
        for box in boxes
    )
    if not ok:
        raise error(f"tensor {name!r}: partitions must be [[offsets, shape], ...] of rank {len(shape)}, got {boxes!r}")
    for offsets, size in boxes:
        if any(o < 0 or n < 0 or o + n > d for o, n, d in zip(offsets, size, shape)):
            raise error(f"tensor {name!r}: partition {offsets}+{size} lies outside shape {list(shape)}")

    try:
        check_disjoint([(tuple(o), tuple(n)) for o, n in boxes], f"tensor {name!r}")
    except CheckpointError as err:
        raise error(err.problem) from None
    if sum(math.prod(n) for _, n in boxes) != math.prod(shape):
        raise error(f"tensor {name!r}: partitions do not cover shape {list(shape)}")


def save_safetensors(
    path: str | os.PathLike[str],
    tensors: Mapping[str, Any],
    *,
    metadata: Mapping[str, str] | None = None,
    partitions: Mapping[str, Sequence[tuple[Sequence[int], Sequence[int]]]] | None = None,
) -> None:
    """Writes ``tensors`` to a safetensors file with the ``safetensors`` library, atomically.

    The file is written under a temporary name next to ``path`` and renamed over it, so an
    error or a kill never leaves a half-written ``path``.

    Args:
        path: the file to write.
        tensors: ``{name: array}``; non-contiguous and big-endian arrays are converted.
        metadata: ``{str: str}`` for the header's ``__metadata__``.
        partitions: ``{name: [(offsets, shape), ...]}``, the slices a partitioned tensor was
            saved as; recorded in the ``varscope_partitions`` metadata entry.

    Raises:
        CheckpointError: for string tensors or dtypes safetensors cannot hold.
        ValueError: for partitions that do not tile their tensor.

    Example:
        >>> import tempfile, numpy as np
        >>> path = tempfile.mkdtemp() + "/m.safetensors"
        >>> save_safetensors(path, {"w": np.ones((4, 2), np.float32)}, partitions={"w": [((0, 0), (2, 2)),
        ...                                                                             ((2, 0), (2, 2))]})
        >>> load_safetensors(path)["w"].shape, SafetensorsReader(path).saved_slices("w")
        ((4, 2), [((0, 0), (2, 2)), ((2, 0), (2, 2))])
    """
    from safetensors.numpy import save_file

    path = os.fspath(path)
    arrays = {}
    for name, value in tensors.items():
        array = np.asarray(value)
        safetensors_dtype_code(name, array.dtype)
        little = array.dtype.newbyteorder("<") if array.dtype.byteorder == ">" else array.dtype
        arrays[str(name)] = np.asarray(array, dtype=little, order="C")  # (ascontiguousarray makes 0-d 1-d)
    meta = {str(k): str(v) for k, v in (metadata or {}).items()}
    if partitions:
        meta[PARTITIONS_KEY] = _partitions_metadata(partitions, {k: a.shape for k, a in arrays.items()})
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    if os.path.isdir(path):
        raise IsADirectoryError(f"{path} is a directory")
    temp = f"{path}.tmp{secrets.token_hex(8)}"
    try:
        save_file(arrays, temp, metadata=meta or None)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.remove(temp)
        raise


# The library's tensor order: dtypes in descending order of this list (its ``Dtype`` enum), then names.
# Largest items first keeps every tensor aligned to its item size.
_DTYPE_ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E4M3FNUZ", "F8_E5M2FNUZ", "I16", "U16", "F16", "BF16",
                "I32", "U32", "F32", "C64", "F64", "I64", "U64"]
_RANK = {code: i for i, code in enumerate(_DTYPE_ORDER)}


def _write_all(f: Any, data: memoryview) -> None:
    """Writes all of ``data`` to the unbuffered file ``f`` (whose ``write`` may write less)."""
    done = 0
    while done < len(data):
        done += f.write(data[done:])


def _copy_range(fd: int, offset: int, size: int, out: Any) -> None:
    """Appends ``size`` bytes of ``fd`` from ``offset`` to the unbuffered file ``out``."""
    copy = getattr(os, "copy_file_range", None)
    done = 0
    while copy is not None and done < size:
        try:
            n = copy(fd, out.fileno(), size - done, offset + done)
        except OSError:  # (EXDEV, ENOSYS, EINVAL, EOPNOTSUPP...: not for these files)
            break
        if n <= 0:
            break
        done += n
    while done < size:
        chunk = os.pread(fd, min(size - done, 16 << 20), offset + done)
        if not chunk:
            raise CheckpointError(f"source file truncated while copying {size} bytes at {offset}")
        _write_all(out, memoryview(chunk))
        done += len(chunk)


class SafetensorsWriter(AtomicWriter):
    """Writes a safetensors file tensor by tensor, atomically (temp file + rename at :meth:`finish`).

    The header is written first, from ``layout``; then :meth:`add` takes the tensors one at a time
    in the order of :attr:`order` (the library's: larger dtypes first, then by name), so at most one
    tensor is in memory. The bytes are what ``safetensors.numpy.save_file`` writes for the same
    tensors.

    Args:
        path: the file to write.
        layout: ``{name: (dtype, shape)}`` of every tensor.
        metadata: ``{str: str}`` for the header's ``__metadata__``.
        partitions: ``{name: [(offsets, shape), ...]}``, recorded as ``varscope_partitions``.

    Raises:
        CheckpointError: for string tensors or dtypes safetensors cannot hold (before anything is written).
        ValueError: for partitions that do not tile their tensor.

    Example:
        >>> import tempfile, numpy as np
        >>> path = tempfile.mkdtemp() + "/m.safetensors"
        >>> tensors = {"w": np.ones((2, 2), np.float32), "step": np.array(7, np.int64)}
        >>> with SafetensorsWriter(path, {k: (v.dtype, v.shape) for k, v in tensors.items()}) as writer:
        ...     for name in writer.order:
        ...         writer.add(name, tensors[name])
        >>> load_safetensors(path)["step"].tolist(), writer.order
        (7, ['step', 'w'])
    """

    def __init__(self, path: str | os.PathLike[str], layout: Mapping[str, tuple[Any, Sequence[int]]], *,
                 metadata: Mapping[str, str] | None = None,
                 partitions: Mapping[str, Sequence[tuple[Sequence[int], Sequence[int]]]] | None = None) -> None:
        self.path = os.fspath(path)
        specs: dict[str, tuple[str, np.dtype, tuple[int, ...]]] = {}
        for name, (dtype, shape) in layout.items():
            dtype = np.dtype(dtype)
            specs[str(name)] = (safetensors_dtype_code(name, dtype), dtype, tuple(int(d) for d in shape))
        meta = {str(k): str(v) for k, v in (metadata or {}).items()}
        if partitions:
            meta[PARTITIONS_KEY] = _partitions_metadata(partitions, {k: spec[2] for k, spec in specs.items()})
        #: The order :meth:`add` takes the tensors in.
        self.order = sorted(specs, key=lambda n: (-_RANK[specs[n][0]], n))
        header: dict[str, Any] = {"__metadata__": meta} if meta else {}
        offset = 0
        for name in self.order:
            code, dtype, shape = specs[name]
            size = math.prod(shape) * dtype.itemsize
            header[name] = {"dtype": code, "shape": list(shape), "data_offsets": [offset, offset + size]}
            offset += size
        text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        text += b" " * (-len(text) % 8)
        self._specs = specs
        self._next = 0
        super().__init__(self.path)
        if os.path.isdir(self.path):
            raise IsADirectoryError(f"{self.path} is a directory")
        self._out = open(self._temp, "xb", buffering=0)
        self._guarded(_write_all, self._out, memoryview(struct.pack("<Q", len(text)) + text))

    def _check_next(self, name: str) -> tuple[str, np.dtype, tuple[int, ...]]:
        self._writable()
        expected = self.order[self._next] if self._next < len(self.order) else None
        if name != expected:
            raise ValueError(f"tensor {name!r} added out of order: expected {expected!r} (see .order)")
        return self._specs[name]

    def add(self, name: str, value: Any) -> None:
        """Writes tensor ``name`` (the next one of :attr:`order`; shape and dtype as declared).

        Raises:
            ValueError: for a tensor out of order, or of another shape or dtype than declared.
        """
        _, dtype, shape = self._check_next(name)
        array = np.asarray(value)
        if array.dtype != dtype or tuple(array.shape) != shape:
            raise ValueError(f"tensor {name!r}: got {array.dtype} {list(array.shape)}, declared {dtype} {list(shape)}")
        little = dtype.newbyteorder("<") if dtype.byteorder == ">" else dtype
        array = np.asarray(array, dtype=little, order="C")
        self._guarded(_write_all, self._out, array.reshape(-1).view(np.uint8).data)
        self._next += 1

    def add_bytes(self, name: str, fd: int, offset: int, size: int) -> None:
        """Writes tensor ``name`` from ``size`` bytes of the open file ``fd`` at ``offset``: its raw
        little-endian array (what ``BundleReader.byte_range`` gives), copied in the kernel
        (``os.copy_file_range``, as ``cp`` does; read and written in chunks where it is not available).

        Raises:
            ValueError: for a tensor out of order, or a size that is not its declared size.
        """
        _, dtype, shape = self._check_next(name)
        if size != math.prod(shape) * dtype.itemsize:
            raise ValueError(f"tensor {name!r}: {size} bytes given, {math.prod(shape) * dtype.itemsize} declared")
        self._guarded(_copy_range, fd, offset, size, self._out)
        self._next += 1

    def _before_close(self) -> None:
        """Every declared tensor must have been added (:meth:`finish` then closes the file and renames it
        into place)."""
        if self._next != len(self.order):
            missing = self.order[self._next :]
            raise ValueError(f"{len(missing)} declared tensors were not added, e.g. {missing[0]!r}")


class SafetensorsReader:
    """Lazy reader of a safetensors file (the library's ``safe_open``); the header is validated on open.

    Raises:
        FileNotFoundError: if the file does not exist.
        CheckpointError: for a directory, a truncated file, an oversized or invalid header,
            unknown dtypes, offsets that overlap, leave holes or point past the end, or invalid
            ``varscope_partitions`` metadata.

    Example:
        >>> import tempfile, numpy as np
        >>> path = tempfile.mkdtemp() + "/m.safetensors"
        >>> save_safetensors(path, {"a": np.arange(4, dtype=np.int64)})
        >>> with SafetensorsReader(path) as r:
        ...     r.keys(), r.shape("a"), r.get_tensor("a")[1:].tolist(), r.get_slice("a", (1,), (2,)).tolist()
        (['a'], (4,), [1, 2, 3], [1, 2])
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._handle: Any = None
        self._offsets: dict[str, tuple[int, int]] | None = None
        handle = self._open()
        try:
            self._parse(handle)
        except BaseException:
            self.close()
            raise

    def _fail(self, problem: str) -> CheckpointError:
        return CheckpointError(problem, self.path)

    def _open(self) -> Any:
        if self._handle is None:
            from safetensors import SafetensorError, safe_open

            if os.path.isdir(self.path):
                raise self._fail("is a directory, not a safetensors file")
            try:
                self._handle = safe_open(self.path, framework="numpy")
            except FileNotFoundError:
                raise
            except (SafetensorError, OSError) as err:
                raise self._fail(str(err)) from None
        return self._handle

    def _parse(self, handle: Any) -> None:
        self._info: dict[str, tuple[str, tuple[int, ...]]] = {}
        for name in handle.keys():
            part = handle.get_slice(name)
            code, shape = part.get_dtype(), tuple(int(d) for d in part.get_shape())
            if code not in _NAMES:
                raise self._fail(f"tensor {name!r}: dtype {code} is not supported")
            self._info[name] = (code, shape)
        self.metadata: dict[str, str] = dict(handle.metadata() or {})
        self._partitions: dict[str, list[tuple[tuple[int, ...], tuple[int, ...]]]] = {}
        raw = self.metadata.get(PARTITIONS_KEY)
        if raw is not None:
            try:
                parts = json.loads(raw)
            except (json.JSONDecodeError, RecursionError) as err:
                raise self._fail(f"{PARTITIONS_KEY} metadata is not JSON ({err})") from None
            if not isinstance(parts, dict):
                raise self._fail(f"{PARTITIONS_KEY} metadata is not a JSON object")
            for name, boxes in parts.items():
                if name not in self._info:
                    raise self._fail(f"{PARTITIONS_KEY} metadata names tensor {name!r}, which is not in the file")
                _check_partitions(name, self._info[name][1], boxes, self._fail)
                self._partitions[name] = [(tuple(o), tuple(n)) for o, n in boxes]

    def keys(self) -> list[str]:
        """Tensor names, sorted."""
        return sorted(self._info)

    def __contains__(self, name: object) -> bool:
        return name in self._info

    def has_tensor(self, name: str) -> bool:
        """True if ``name`` is in the file."""
        return name in self._info

    def shape(self, name: str) -> tuple[int, ...]:
        """Shape of ``name``."""
        return self._get(name)[1]

    def dtype(self, name: str) -> np.dtype:
        """NumPy dtype of ``name`` (``ml_dtypes`` types for bfloat16 and float8)."""
        return _np_dtype(self._get(name)[0])

    def dtype_code(self, name: str) -> str:
        """The safetensors dtype code of ``name`` (``"F32"``, ``"BF16"``, ...)."""
        return self._get(name)[0]

    def nbytes_on_disk(self, name: str) -> int:
        """Bytes ``name`` occupies in the file."""
        code, shape = self._get(name)
        return math.prod(shape) * _np_dtype(code).itemsize

    def is_partitioned(self, name: str) -> bool:
        """True if the ``varscope_partitions`` metadata records slices for ``name``."""
        self._get(name)
        return name in self._partitions

    def saved_slices(self, name: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        """``[(offsets, shape)]`` of the parts ``name`` was saved as (``[]`` if unpartitioned)."""
        self._get(name)
        return list(self._partitions.get(name, []))

    def _get(self, name: str) -> tuple[str, tuple[int, ...]]:
        try:
            return self._info[name]
        except KeyError:
            raise KeyError(f"tensor {name!r} not found in {self.path}") from None

    def get_tensor(self, name: str) -> np.ndarray:
        """Reads tensor ``name`` into a writable array."""
        code, shape = self._get(name)
        if code in _OWN_READ:
            return self._read_own(name, code, shape)
        if code in _ML_DTYPES:
            _np_dtype(code)
        from safetensors import SafetensorError

        try:
            array = self._open().get_tensor(name)
        except SafetensorError as err:
            raise self._fail(f"tensor {name!r}: {err}") from None
        return array if array.flags.writeable else array.copy()

    def get_slice(self, name: str, offsets: Sequence[int], shape: Sequence[int]) -> np.ndarray:
        """Reads only the region ``[offsets, offsets + shape)`` of ``name`` (the library's ``get_slice``).

        Raises:
            KeyError: if there is no such tensor.
            ValueError: if the region lies outside the tensor.
        """
        code, full = self._get(name)
        offsets, shape = tuple(int(o) for o in offsets), tuple(int(n) for n in shape)
        if len(offsets) != len(full) or len(shape) != len(full) or any(
            o < 0 or n < 0 or o + n > d for o, n, d in zip(offsets, shape, full)
        ):
            raise ValueError(f"slice {offsets}+{shape} is outside tensor {name!r} of shape {full}")
        region = tuple(slice(o, o + n) for o, n in zip(offsets, shape))
        if code in _OWN_READ or not full:
            return np.array(self.get_tensor(name)[region], copy=True)
        if code in _ML_DTYPES:
            _np_dtype(code)
        from safetensors import SafetensorError

        try:
            array = self._open().get_slice(name)[region]
        except SafetensorError as err:
            raise self._fail(f"tensor {name!r}: {err}") from None
        return np.asarray(array).reshape(shape) if array.flags.writeable else np.array(array).reshape(shape)

    def _read_own(self, name: str, code: str, shape: tuple[int, ...]) -> np.ndarray:
        """Reads a tensor the library cannot return through NumPy (float8) from its header offsets."""
        if self._offsets is None:
            with open(self.path, "rb") as f:  # the library has validated this header already
                (n,) = struct.unpack("<Q", f.read(8))
                header = json.loads(f.read(n).decode("utf-8"))
            header.pop("__metadata__", None)
            base = 8 + n
            self._offsets = {k: (base + v["data_offsets"][0], base + v["data_offsets"][1]) for k, v in header.items()}
        begin, end = self._offsets[name]
        with open(self.path, "rb") as f:
            f.seek(begin)
            raw = f.read(end - begin)
        if len(raw) != end - begin:
            raise self._fail(f"tensor {name!r}: file truncated while reading")
        return np.frombuffer(bytearray(raw), dtype=_np_dtype(code)).reshape(shape)

    def close(self) -> None:
        """Closes the file (it is reopened if a tensor is read afterwards)."""
        handle, self._handle = self._handle, None
        if handle is not None and hasattr(handle, "__exit__"):
            handle.__exit__(None, None, None)

    def __enter__(self) -> SafetensorsReader:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def load_safetensors(path: str | os.PathLike[str]) -> dict[str, np.ndarray]:
    """Reads every tensor of a safetensors file (bfloat16/float8 as ``ml_dtypes`` arrays)."""
    with SafetensorsReader(path) as reader:
        return {name: reader.get_tensor(name) for name in reader.keys()}
