"""NumPy ``.npz`` archives, never pickled, with lossless bfloat16/float8 and string tensors.

NumPy cannot store ``ml_dtypes`` types or object arrays without pickle, so they are stored
as plain arrays (unsigned-int bit patterns, fixed-width ``S`` bytes) and the real dtypes are
recorded in a ``__varscope_dtypes__`` entry (a JSON string). Archives without that entry are
read as NumPy wrote them, except that ``S`` arrays come back as object arrays of ``bytes``,
the form TF checkpoints use.
"""

from __future__ import annotations

import json
import math
import os
import zipfile
from collections.abc import Mapping
from types import TracebackType
from typing import Any

import numpy as np
from numpy.lib import format as npformat

from .atomic import AtomicWriter
from .errors import CheckpointError

__all__ = ["NpzReader", "NpzWriter", "load_npz", "save_npz"]

_META = "__varscope_dtypes__"
_MAX_DEFLATE_RATIO = 1100  # deflate cannot expand data by much more than 1032:1


def _ml_dtype(name: str) -> np.dtype:
    import ml_dtypes

    try:
        return np.dtype(getattr(ml_dtypes, name))
    except (AttributeError, TypeError):
        raise CheckpointError(f"unknown dtype {name!r} in {_META}") from None


def _encode(name: str, array: np.ndarray) -> tuple[np.ndarray, str | None]:
    kind = array.dtype.kind
    if kind in "OU" or kind == "S":
        items = []
        for item in array.reshape(-1).tolist():
            if isinstance(item, str):
                item = item.encode("utf-8")
            if not isinstance(item, bytes):
                raise CheckpointError(f"tensor {name!r}: object arrays must hold bytes or str for .npz")
            if item.endswith(b"\x00"):
                raise CheckpointError(f"tensor {name!r}: .npz cannot keep a string ending in NUL bytes")
            items.append(item)
        width = max((len(i) for i in items), default=0) or 1
        return np.array(items, dtype=f"S{width}").reshape(array.shape), "string"
    if array.dtype.type.__module__.split(".")[0] == "ml_dtypes":
        return np.require(array, requirements="C").view(f"u{array.dtype.itemsize}"), array.dtype.name
    if kind in "biufc":
        return array, None
    raise CheckpointError(f"tensor {name!r}: dtype {array.dtype} cannot be stored in .npz")


def save_npz(path: str | os.PathLike[str], tensors: Mapping[str, Any]) -> None:
    """Writes an uncompressed ``.npz`` atomically (temp file + rename), without pickle.

    Example:
        >>> import tempfile, numpy as np
        >>> path = tempfile.mkdtemp() + "/m.npz"
        >>> save_npz(path, {"vocab": np.array([b"a", b"bc"], dtype=object)})
        >>> load_npz(path)["vocab"].tolist()
        [b'a', b'bc']
    """
    with NpzWriter(path) as writer:
        for name, value in tensors.items():
            writer.add(name, value)


class NpzWriter(AtomicWriter):
    """Writes an uncompressed ``.npz`` one tensor at a time, atomically (temp file + rename at :meth:`finish`).

    The archive is the one :func:`save_npz` writes for the same tensors in the same order; only one
    tensor is in memory at a time.

    Example:
        >>> import tempfile, numpy as np
        >>> path = tempfile.mkdtemp() + "/m.npz"
        >>> with NpzWriter(path) as writer:
        ...     writer.add("a", np.zeros(2))
        ...     writer.add("b", np.ones(1, np.int8))
        >>> sorted(load_npz(path))
        ['a', 'b']
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(path)
        self._meta: dict[str, str] = {}
        self._out = zipfile.ZipFile(self._temp, "w", compression=zipfile.ZIP_STORED, allowZip64=True)

    def _member(self, name: str, array: np.ndarray) -> None:
        with self._writable().open(name + ".npy", "w", force_zip64=True) as f:
            npformat.write_array(f, np.require(array, requirements="C"), allow_pickle=False)

    def add(self, name: str, value: Any) -> None:
        """Writes tensor ``name``.

        Raises:
            CheckpointError: for the reserved name or a tensor ``.npz`` cannot hold.
        """
        self._writable()
        if name == _META:
            raise CheckpointError(f"tensor name {_META!r} is reserved in .npz files")
        self._guarded(self._add, name, value)

    def _add(self, name: str, value: Any) -> None:
        encoded, tag = _encode(name, np.asarray(value))
        if tag is not None:
            self._meta[name] = tag
        self._member(name, encoded)

    def _before_close(self) -> None:
        """Writes the dtype record (:meth:`finish` then closes the archive and renames it into place)."""
        if self._meta:
            self._member(_META, np.array(json.dumps(self._meta, sort_keys=True)))


# What reading a damaged member raises inside zipfile / numpy (RuntimeError: an "encrypted" flag bit).
_MEMBER_READ_ERRORS = (ValueError, OSError, RuntimeError, zipfile.BadZipFile, EOFError, NotImplementedError,
                       SyntaxError)


class NpzReader:
    """Lazy, validating ``.npz`` reader (``allow_pickle=False`` always).

    Raises:
        CheckpointError: for a corrupt archive, pickled members, or array headers that claim
            more data than the member holds.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        try:
            self._zip = zipfile.ZipFile(self.path)
        # NotImplementedError: a member's "version needed to extract" above what zipfile reads (6.3).
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as err:
            if isinstance(err, FileNotFoundError):
                raise
            raise CheckpointError(f"not a valid .npz archive ({err})", self.path) from None
        try:
            self._members: dict[str, zipfile.ZipInfo] = {}
            for info in self._zip.infolist():
                if info.filename.endswith(".npy"):
                    self._members[info.filename[:-4]] = info
            self._meta: dict[str, str] = {}
            if _META in self._members:
                raw = self._load(_META)
                try:
                    meta = json.loads(str(raw[()])) if raw.dtype.kind == "U" and raw.ndim == 0 else None
                except json.JSONDecodeError:
                    meta = None
                if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
                    raise self._fail(f"malformed {_META} entry")
                self._meta = meta
                del self._members[_META]
            self._headers = {name: self._header(name) for name in self._members}
        except BaseException:
            self._zip.close()
            raise

    def _fail(self, problem: str) -> CheckpointError:
        return CheckpointError(problem, self.path)

    def _header(self, name: str) -> tuple[tuple[int, ...], np.dtype]:
        info = self._members[name]
        limit = info.compress_size * (_MAX_DEFLATE_RATIO if info.compress_type != zipfile.ZIP_STORED else 1)
        if info.file_size > limit + 64:
            raise self._fail(f"member {info.filename!r} claims an implausible size {info.file_size}")
        try:
            with self._zip.open(info) as f:
                version = npformat.read_magic(f)
                if version == (1, 0):
                    shape, fortran, dtype = npformat.read_array_header_1_0(f, max_header_size=10000)
                else:
                    shape, fortran, dtype = npformat.read_array_header_2_0(f, max_header_size=10000)
                header_len = f.tell()
        except _MEMBER_READ_ERRORS as err:
            raise self._fail(f"member {info.filename!r}: bad .npy header ({err})") from None
        if dtype.hasobject:
            raise self._fail(f"member {info.filename!r} holds pickled objects; refusing to load")
        if math.prod(shape) * dtype.itemsize != info.file_size - header_len:
            raise self._fail(f"member {info.filename!r}: shape {shape} does not match its {info.file_size} bytes")
        return tuple(shape), dtype

    def _load(self, name: str) -> np.ndarray:
        info = self._members[name]
        try:
            with self._zip.open(info) as f:
                return npformat.read_array(f, allow_pickle=False)
        except _MEMBER_READ_ERRORS as err:
            raise self._fail(f"member {info.filename!r}: {err}") from None

    def keys(self) -> list[str]:
        """Tensor names, sorted."""
        return sorted(self._members)

    def __contains__(self, name: object) -> bool:
        return name in self._members

    def has_tensor(self, name: str) -> bool:
        """True if ``name`` is in the archive."""
        return name in self._members

    def shape(self, name: str) -> tuple[int, ...]:
        """Shape of ``name``."""
        return self._headers[self._check(name)][0]

    def dtype(self, name: str) -> np.dtype:
        """Dtype of ``name`` as :meth:`get_tensor` returns it."""
        tag = self._meta.get(self._check(name))
        if tag == "string" or self._headers[name][1].kind == "S":
            return np.dtype(object)
        if tag is not None:
            return _ml_dtype(tag)
        return self._headers[name][1]

    def nbytes_on_disk(self, name: str) -> int:
        """Bytes of ``name``'s array data."""
        shape, dtype = self._headers[self._check(name)]
        return math.prod(shape) * dtype.itemsize

    def _check(self, name: str) -> str:
        if name not in self._members:
            raise KeyError(f"tensor {name!r} not found in {self.path}")
        return name

    def get_tensor(self, name: str) -> np.ndarray:
        """Reads ``name``, restoring ``ml_dtypes`` types and string (object) arrays."""
        array = self._load(self._check(name))
        tag = self._meta.get(name)
        if tag == "string" or array.dtype.kind == "S":
            out = np.empty(array.shape, dtype=object)
            out.reshape(-1)[:] = [bytes(x) for x in array.reshape(-1)] if array.size else []
            return out
        if tag is not None:
            dtype = _ml_dtype(tag)
            if dtype.itemsize != array.dtype.itemsize:
                raise self._fail(f"tensor {name!r}: stored bits do not fit dtype {tag}")
            return array.view(dtype)
        return array

    def close(self) -> None:
        """Closes the archive."""
        self._zip.close()

    def __enter__(self) -> NpzReader:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def load_npz(path: str | os.PathLike[str]) -> dict[str, np.ndarray]:
    """Reads every tensor of an ``.npz`` file (never unpickles)."""
    with NpzReader(path) as reader:
        return {name: reader.get_tensor(name) for name in reader.keys()}
