"""TensorFlow ``DataType`` enum values and their NumPy equivalents (little-endian on disk)."""

from __future__ import annotations

import sys
from collections.abc import Iterable

import numpy as np

from .errors import CheckpointError

__all__ = ["DT_STRING", "DtypeTable", "dtype_from_enum", "dtype_itemsize", "enum_from_dtype", "dtype_name",
           "is_string_dtype"]

DT_STRING = 7
DT_VARIANT = 21

_ENUM_TO_NP: dict[int, np.dtype] = {
    1: np.dtype("<f4"),
    2: np.dtype("<f8"),
    3: np.dtype("<i4"),
    4: np.dtype("u1"),
    5: np.dtype("<i2"),
    6: np.dtype("i1"),
    7: np.dtype(object),
    8: np.dtype("<c8"),
    9: np.dtype("<i8"),
    10: np.dtype(bool),
    11: np.dtype("i1"),  # qint8
    12: np.dtype("u1"),  # quint8
    13: np.dtype("<i4"),  # qint32
    15: np.dtype("<i2"),  # qint16
    16: np.dtype("<u2"),  # quint16
    17: np.dtype("<u2"),
    18: np.dtype("<c16"),
    19: np.dtype("<f2"),
    22: np.dtype("<u4"),
    23: np.dtype("<u8"),
}
# The types ml_dtypes defines, added by _add_ml_dtypes: importing ml_dtypes takes about 0.45 s, so it
# waits for the first tensor (or array) of one of these types.
_ML_DTYPES = {14: "bfloat16", 24: "float8_e5m2", 25: "float8_e4m3fn", 26: "float8_e4m3fnuz",
              27: "float8_e4m3b11fnuz", 28: "float8_e5m2fnuz", 29: "int4", 30: "uint4"}
_ML_ITEMSIZES = {14: 2, 24: 1, 25: 1, 26: 1, 27: 1, 28: 1, 29: 1, 30: 1}

_NAMES = {
    1: "float32", 2: "float64", 3: "int32", 4: "uint8", 5: "int16", 6: "int8", 7: "string",
    8: "complex64", 9: "int64", 10: "bool", 11: "qint8", 12: "quint8", 13: "qint32",
    14: "bfloat16", 15: "qint16", 16: "quint16", 17: "uint16", 18: "complex128", 19: "float16",
    22: "uint32", 23: "uint64", 24: "float8_e5m2", 25: "float8_e4m3fn", 26: "float8_e4m3fnuz",
    27: "float8_e4m3b11fnuz", 28: "float8_e5m2fnuz", 29: "int4", 30: "uint4",
}

# Dtypes TF can put in a checkpoint that hold no array data (handles and opaque variants).
_UNREADABLE = {20: "resource", 21: "variant"}

# Preferred enum per NumPy dtype (the quantized types map onto plain ints on the way back).
_NP_TO_ENUM: dict[np.dtype, int] = {}
for _enum in (1, 2, 3, 4, 5, 6, 8, 9, 10, 17, 18, 19, 22, 23):
    _NP_TO_ENUM[_ENUM_TO_NP[_enum]] = _enum


_ml_dtypes_added = False


def _add_ml_dtypes() -> None:
    """Imports ml_dtypes and adds its types to both tables (threads may run it together: same values)."""
    global _ml_dtypes_added
    import ml_dtypes

    for enum, name in _ML_DTYPES.items():
        dt = np.dtype(getattr(ml_dtypes, name))
        _NP_TO_ENUM[dt] = enum
        _ENUM_TO_NP[enum] = dt
    _ml_dtypes_added = True


def dtype_from_enum(enum: int) -> np.dtype:
    """Returns the little-endian NumPy dtype for a TF ``DataType`` value.

    Raises:
        CheckpointError: for values TF never stores in checkpoints or varscope cannot hold.

    Example:
        >>> dtype_from_enum(1)
        dtype('float32')
    """
    try:
        return _ENUM_TO_NP[enum]
    except KeyError:
        if enum in _ML_DTYPES:
            _add_ml_dtypes()
            return _ENUM_TO_NP[enum]
        kind = _UNREADABLE.get(enum)
        if kind is not None:
            raise CheckpointError(f"{kind} tensors (dtype enum {enum}) cannot be read as arrays") from None
        raise CheckpointError(f"unsupported TensorFlow dtype enum {enum}") from None


def dtype_itemsize(enum: int) -> int:
    """Bytes per element of a fixed-size dtype enum, without importing ml_dtypes for its types.

    Raises:
        CheckpointError: as :func:`dtype_from_enum`.

    Example:
        >>> dtype_itemsize(14), dtype_itemsize(2)
        (2, 8)
    """
    size = _ML_ITEMSIZES.get(enum)
    return dtype_from_enum(enum).itemsize if size is None else size


class DtypeTable(dict[int, np.dtype]):
    """:func:`dtype_from_enum` of each of ``enums``; ml_dtypes' types are looked up on first use."""

    def __init__(self, enums: Iterable[int]) -> None:
        super().__init__((e, _ENUM_TO_NP[e]) for e in enums if e in _ENUM_TO_NP)

    def __missing__(self, enum: int) -> np.dtype:
        dt = self[enum] = dtype_from_enum(enum)
        return dt


def dtype_name(enum: int) -> str:
    """Returns TF's short name for a dtype enum (``"float32"``, ``"string"``, ...).

    Example:
        >>> dtype_name(14)
        'bfloat16'
    """
    return _NAMES.get(enum, f"dtype_{enum}")


def is_string_dtype(dtype: np.dtype) -> bool:
    """True for dtypes stored as ``DT_STRING``: object (bytes/str), ``S`` and ``U`` arrays."""
    return dtype.kind in "OSU"


def enum_from_dtype(dtype: np.dtype | type) -> int:
    """Returns the TF ``DataType`` enum for a NumPy dtype (any byte order).

    Raises:
        CheckpointError: for dtypes with no TF equivalent (e.g. ``datetime64``).

    Example:
        >>> enum_from_dtype(np.float16)
        19
    """
    dt = np.dtype(dtype)
    if is_string_dtype(dt):
        return DT_STRING
    key = dt.newbyteorder("<") if dt.byteorder == ">" else dt
    try:
        return _NP_TO_ENUM[key]
    except KeyError:
        if not _ml_dtypes_added and "ml_dtypes" in sys.modules:
            _add_ml_dtypes()  # an ml_dtypes array, met before any such tensor was read
            return enum_from_dtype(dtype)
        raise CheckpointError(f"NumPy dtype {dt} has no TensorFlow checkpoint equivalent") from None
