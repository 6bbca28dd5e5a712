"""safetensors files: a self-contained, lazy, validating reader and a streaming writer.

Own code rather than the ``safetensors`` binding so that bfloat16/float8 load through
``ml_dtypes``, huge headers and bad offsets raise :class:`CheckpointError`, and tensors are
read on demand. Output is readable by the ``safetensors`` package (and vice versa).
"""

from __future__ import annotations

import json
import math
import os
import secrets
import struct
import sys
from collections.abc import Mapping
from types import TracebackType
from typing import Any

import numpy as np

from .errors import CheckpointError

__all__ = ["SafetensorsReader", "load_safetensors", "safetensors_dtype_code", "save_safetensors"]

_MAX_HEADER = 100 * 1024 * 1024
_CODES: dict[str, np.dtype] = {
    "BOOL": np.dtype(bool),
    "U8": np.dtype("u1"),
    "I8": np.dtype("i1"),
    "I16": np.dtype("<i2"),
    "U16": np.dtype("<u2"),
    "F16": np.dtype("<f2"),
    "I32": np.dtype("<i4"),
    "U32": np.dtype("<u4"),
    "F32": np.dtype("<f4"),
    "C64": np.dtype("<c8"),
    "F64": np.dtype("<f8"),
    "I64": np.dtype("<i8"),
    "U64": np.dtype("<u8"),
}
_BY_DTYPE = {dt: code for code, dt in _CODES.items()}
# Added to both tables by _add_ml_dtypes: importing ml_dtypes takes about 0.45 s, so it waits for a
# tensor of one of these types.
_ML_CODES = {"BF16": "bfloat16", "F8_E4M3": "float8_e4m3fn", "F8_E5M2": "float8_e5m2",
             "F8_E4M3FNUZ": "float8_e4m3fnuz", "F8_E5M2FNUZ": "float8_e5m2fnuz"}


def _add_ml_dtypes() -> None:
    import ml_dtypes

    for code, name in _ML_CODES.items():
        dt = np.dtype(getattr(ml_dtypes, name))
        _BY_DTYPE[dt] = code
        _CODES[code] = dt


def safetensors_dtype_code(name: str, dtype: np.dtype) -> str:
    """Returns the safetensors dtype code for ``dtype``.

    Raises:
        CheckpointError: for strings and dtypes safetensors cannot hold.

    Example:
        >>> import ml_dtypes
        >>> safetensors_dtype_code("w", np.dtype(ml_dtypes.bfloat16))
        'BF16'
    """
    key = dtype.newbyteorder("<") if dtype.byteorder == ">" else dtype
    code = _BY_DTYPE.get(key)
    if code is None and "ml_dtypes" in sys.modules and "BF16" not in _CODES:
        _add_ml_dtypes()
        code = _BY_DTYPE.get(key)
    if code is None:
        if dtype.kind in "OSU":
            raise CheckpointError(
                f"tensor {name!r} is a string tensor; safetensors has no string dtype "
                "(save it as a TF checkpoint or .npz instead)"
            )
        raise CheckpointError(f"tensor {name!r}: dtype {dtype} is not supported by safetensors")
    return code


def save_safetensors(
    path: str | os.PathLike[str], tensors: Mapping[str, Any], *, metadata: Mapping[str, str] | None = None
) -> None:
    """Writes ``tensors`` to a safetensors file, atomically (temp file + rename).

    Data is ordered by element size (largest first), then name, and the header is padded
    with spaces to 8 bytes, as the reference writer does.

    Raises:
        CheckpointError: for string tensors or dtypes safetensors cannot hold.

    Example:
        >>> import tempfile, numpy as np
        >>> path = tempfile.mkdtemp() + "/m.safetensors"
        >>> save_safetensors(path, {"w": np.ones(2, np.float32)})
        >>> load_safetensors(path)["w"].tolist()
        [1.0, 1.0]
    """
    path = os.fspath(path)
    arrays = {name: np.asarray(value) for name, value in tensors.items()}
    codes = {name: safetensors_dtype_code(name, a.dtype) for name, a in arrays.items()}
    order = sorted(arrays, key=lambda n: (-arrays[n].dtype.itemsize, n))
    header: dict[str, Any] = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    offset = 0
    for name in order:
        size = arrays[name].size * arrays[name].dtype.itemsize
        header[name] = {"dtype": codes[name], "shape": list(arrays[name].shape), "data_offsets": [offset, offset + size]}
        offset += size
    blob = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    blob += b" " * (-len(blob) % 8)
    temp = f"{path}.tmp{secrets.token_hex(8)}"
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    try:
        with open(temp, "wb") as f:
            f.write(struct.pack("<Q", len(blob)) + blob)
            for name in order:
                array = arrays[name]
                dtype = array.dtype.newbyteorder("<") if array.dtype.byteorder == ">" else array.dtype
                f.write(np.ascontiguousarray(array, dtype=dtype).reshape(-1).view(np.uint8).data)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.remove(temp)
        raise


class SafetensorsReader:
    """Lazy reader of a safetensors file; validates the whole header on open.

    Raises:
        CheckpointError: for a truncated file, an oversized or invalid header, unknown dtypes,
            or offsets that overlap, leave holes or point past the end.

    Example:
        >>> import tempfile, numpy as np
        >>> path = tempfile.mkdtemp() + "/m.safetensors"
        >>> save_safetensors(path, {"a": np.arange(4, dtype=np.int64)})
        >>> with SafetensorsReader(path) as r:
        ...     r.keys(), r.shape("a"), r.get_tensor("a")[1:].tolist()
        (['a'], (4,), [1, 2, 3])
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._file = open(self.path, "rb", buffering=0)
        try:
            self._parse()
        except BaseException:
            self._file.close()
            raise

    def _fail(self, problem: str) -> CheckpointError:
        return CheckpointError(problem, self.path)

    def _parse(self) -> None:
        size = os.fstat(self._file.fileno()).st_size
        head = os.pread(self._file.fileno(), 8, 0)
        if len(head) < 8:
            raise self._fail("file too short for a safetensors header")
        (n,) = struct.unpack("<Q", head)
        if n > _MAX_HEADER or n > size - 8:
            raise self._fail(f"header length {n} is implausible for a file of {size} bytes")
        raw = os.pread(self._file.fileno(), n, 8)
        try:
            header = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
            raise self._fail(f"invalid JSON header ({err})") from None
        if not isinstance(header, dict):
            raise self._fail("header is not a JSON object")
        meta = header.pop("__metadata__", None)
        if meta is not None and not (isinstance(meta, dict) and all(isinstance(v, str) for v in meta.values())):
            raise self._fail("__metadata__ must map strings to strings")
        self.metadata: dict[str, str] = dict(meta or {})
        self._base = 8 + n
        data_size = size - self._base
        self._info: dict[str, tuple[np.dtype, tuple[int, ...], int, int]] = {}
        spans = []
        for name, info in header.items():
            if not isinstance(info, dict):
                raise self._fail(f"tensor {name!r}: header entry is not an object")
            code, shape, offsets = info.get("dtype"), info.get("shape"), info.get("data_offsets")
            if code not in _CODES:
                if code not in _ML_CODES:
                    raise self._fail(f"tensor {name!r}: unknown dtype {code!r}")
                _add_ml_dtypes()
            if not (isinstance(shape, list) and all(type(d) is int and d >= 0 for d in shape)):
                raise self._fail(f"tensor {name!r}: invalid shape {shape!r}")
            if not (isinstance(offsets, list) and len(offsets) == 2 and all(type(o) is int for o in offsets)):
                raise self._fail(f"tensor {name!r}: invalid data_offsets {offsets!r}")
            begin, end = offsets
            dtype = _CODES[code]
            if not 0 <= begin <= end <= data_size:
                raise self._fail(f"tensor {name!r}: data_offsets {offsets} outside the {data_size}-byte buffer")
            if end - begin != math.prod(shape) * dtype.itemsize:
                raise self._fail(f"tensor {name!r}: {end - begin} bytes do not match shape {shape} of {code}")
            self._info[name] = (dtype, tuple(shape), begin, end)
            spans.append((begin, end, name))
        spans.sort()
        position = 0
        for begin, end, name in spans:
            if begin != position:
                raise self._fail(f"tensor {name!r}: data overlaps or leaves a hole at byte {position}")
            position = end
        if position != data_size:
            raise self._fail(f"{data_size - position} trailing bytes after the last tensor")

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
        """NumPy dtype of ``name``."""
        return self._get(name)[0]

    def nbytes_on_disk(self, name: str) -> int:
        """Bytes ``name`` occupies in the file."""
        _, _, begin, end = self._get(name)
        return end - begin

    def _get(self, name: str) -> tuple[np.dtype, tuple[int, ...], int, int]:
        try:
            return self._info[name]
        except KeyError:
            raise KeyError(f"tensor {name!r} not found in {self.path}") from None

    def get_tensor(self, name: str) -> np.ndarray:
        """Reads tensor ``name`` into a new writable array."""
        dtype, shape, begin, end = self._get(name)
        buf = np.empty(end - begin, dtype=np.uint8)
        view = memoryview(buf)  # type: ignore[arg-type]  # ndarray supports the buffer protocol
        done = 0
        while done < len(buf):
            n = os.preadv(self._file.fileno(), [view[done : done + (1 << 30)]], self._base + begin + done)
            if n <= 0:
                raise self._fail(f"tensor {name!r}: file truncated while reading")
            done += n
        return buf.view(dtype).reshape(shape)

    def close(self) -> None:
        """Closes the file."""
        self._file.close()

    def __enter__(self) -> SafetensorsReader:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def load_safetensors(path: str | os.PathLike[str]) -> dict[str, np.ndarray]:
    """Reads every tensor of a safetensors file (bfloat16/float8 as ``ml_dtypes`` arrays)."""
    with SafetensorsReader(path) as reader:
        return {name: reader.get_tensor(name) for name in reader.keys()}
