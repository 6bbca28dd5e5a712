"""TensorFlow-style dtypes: :class:`DType`, :func:`as_dtype` and the named dtypes.

A :class:`DType` wraps a NumPy dtype (bfloat16 and float8 come from ``ml_dtypes``) and carries
TensorFlow's name, ``DataType`` enum value and classification (``is_floating`` ...). DTypes are
interned: ``as_dtype`` always returns the one instance per type.

``ml_dtypes`` is imported when a bfloat16 or float8 dtype's NumPy type is first needed, not with
``import varscope``: its extension takes about 0.45 s to load, several times the rest of the package.

Example:
    >>> import varscope as tf1
    >>> tf1.as_dtype("float") is tf1.float32
    True
    >>> str(tf1.as_dtype("int64")), tf1.bfloat16.size
    ("<dtype: 'int64'>", 2)
"""

from __future__ import annotations

import builtins
import sys
from typing import TYPE_CHECKING, Any

import numpy as np

__all__ = [
    "DType", "as_dtype", "float16", "half", "bfloat16", "float32", "float64", "double", "int8", "int16",
    "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool", "string", "complex64", "complex128",
    "qint8", "quint8", "qint16", "quint16", "qint32", "resource", "variant", "float8_e5m2", "float8_e4m3fn",
]


class DType:
    """A TensorFlow data type: name, enum value and the NumPy dtype that holds its values.

    Example:
        >>> import varscope as tf1
        >>> tf1.float32.name, tf1.float32.is_floating, tf1.float32.as_numpy_dtype
        ('float32', True, <class 'numpy.float32'>)
    """

    __slots__ = ("_name", "_enum", "_np", "_kind", "_base", "_ref")

    def __init__(self, name: str, enum: int, np_type: Any, kind: str, base: DType | None = None) -> None:
        self._name = name
        self._enum = enum
        if np_type is not _FROM_ML_DTYPES:  # else the slot stays empty until __getattr__ fills it
            self._np = np_type
        self._kind = kind  # one of: float, int, uint, bool, complex, string, quantized, other
        self._base = base if base is not None else self
        self._ref: DType | None = None

    @property
    def name(self) -> str:
        """TensorFlow's name of the dtype (``"float32"``)."""
        return self._name

    @property
    def as_datatype_enum(self) -> int:
        """The ``DataType`` enum value of TensorFlow's ``types.proto``."""
        return self._enum

    @property
    def as_numpy_dtype(self) -> Any:
        """The NumPy scalar type that holds values of this dtype (``None`` where NumPy has none)."""
        return self._np

    @property
    def base_dtype(self) -> DType:
        """The non-reference dtype (``float32`` for ``float32_ref``)."""
        return self._base

    @property
    def is_ref_dtype(self) -> builtins.bool:
        """True for the reference dtypes of TF1 "RefVariables" (``float32_ref``)."""
        return self._base is not self

    @property
    def _as_ref(self) -> DType:
        """The reference dtype of this dtype (what a ``use_resource=False`` variable reports)."""
        return self if self._base is not self else self._ref  # type: ignore[return-value]

    @property
    def real_dtype(self) -> DType:
        """The dtype of the real part (``float32`` for ``complex64``)."""
        return {"complex64": float32, "complex128": float64}.get(self._name, self)

    @property
    def is_floating(self) -> builtins.bool:
        """True for float16, bfloat16, float32, float64 and the float8 types."""
        return self._kind == "float"

    @property
    def is_integer(self) -> builtins.bool:
        """True for the signed and unsigned integer types (not the quantized ones)."""
        return self._kind in ("int", "uint")

    @property
    def is_unsigned(self) -> builtins.bool:
        """True for uint8/16/32/64."""
        return self._kind == "uint"

    @property
    def is_bool(self) -> builtins.bool:
        """True for ``bool``."""
        return self._kind == "bool"

    @property
    def is_complex(self) -> builtins.bool:
        """True for complex64 and complex128."""
        return self._kind == "complex"

    @property
    def is_quantized(self) -> builtins.bool:
        """True for the quantized types (qint8 ...)."""
        return self._kind == "quantized"

    @property
    def is_numpy_compatible(self) -> builtins.bool:
        """True when NumPy can hold values of this dtype."""
        return self._np is not None and self._kind != "quantized"

    @property
    def size(self) -> int:
        """Bytes per element (1 for strings and resources, as TensorFlow answers)."""
        if self._np is None or self._kind in ("string", "quantized"):
            return 1
        return int(np.dtype(self._np).itemsize)

    @property
    def min(self) -> Any:
        """The smallest value of a numeric dtype."""
        return _limits(self)[0]

    @property
    def max(self) -> Any:
        """The largest value of a numeric dtype."""
        return _limits(self)[1]

    def is_compatible_with(self, other: Any) -> builtins.bool:
        """True when a value of dtype ``other`` can be used where this dtype is expected."""
        if type(other) is not DType:
            other = as_dtype(other)
        return self._enum == other._enum or self._enum == other._base._enum

    def __eq__(self, other: object) -> builtins.bool:
        if other is None:
            return False
        if type(other) is not DType:
            try:
                other = as_dtype(other)
            except TypeError:
                return False
        return self._enum == other._enum  # type: ignore[union-attr]

    def __ne__(self, other: object) -> builtins.bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return self._enum

    def __repr__(self) -> str:
        return f"tf.{self._name}"

    def __str__(self) -> str:
        return f"<dtype: '{self._name}'>"

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return as_dtype, (self._name,)

    if not TYPE_CHECKING:  # (hidden from mypy, which would otherwise accept any attribute of a DType)

        def __getattr__(self, attr: str) -> Any:
            # Only called when the slot is empty: ``_np`` of bfloat16/float8 before ml_dtypes is imported.
            if attr == "_np" and self._name.removesuffix("_ref") in _ML_DTYPES_NAMES:
                _import_ml_dtypes()
                return object.__getattribute__(self, "_np")
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {attr!r}")


# The dtypes whose NumPy types ml_dtypes defines; see _import_ml_dtypes.
_FROM_ML_DTYPES: Any = object()
_ML_DTYPES_NAMES = ("bfloat16", "float8_e5m2", "float8_e4m3fn")
_ml_dtypes_imported = False


def _import_ml_dtypes() -> None:
    """Imports ml_dtypes and gives bfloat16/float8 (and their ``_ref`` dtypes) their NumPy types.

    Runs on the first read of such a dtype's NumPy type, or when :func:`as_dtype` meets a value it does
    not know while ml_dtypes is already imported (by JAX, or by the caller). Threads may run it at the
    same time: each sets the same values.
    """
    global _ml_dtypes_imported
    import ml_dtypes

    for name in _ML_DTYPES_NAMES:
        dt = _BY_NAME[name]
        np_type = getattr(ml_dtypes, name)
        _BY_NP.setdefault(np_type, dt)
        dt._np = np_type
        dt._as_ref._np = np_type
    _ml_dtypes_imported = True


def _limits(dt: DType) -> tuple[Any, Any]:
    if dt._kind == "float":
        if dt._base._name in _ML_DTYPES_NAMES:
            import ml_dtypes

            ml_info = ml_dtypes.finfo(dt._np)
            return ml_info.min, ml_info.max
        info = np.finfo(dt._np)
        return info.min, info.max
    if dt._kind in ("int", "uint"):
        iinfo = np.iinfo(dt._np)
        return iinfo.min, iinfo.max
    if dt._kind == "bool":
        return False, True
    raise TypeError(f"Cannot find minimum value of {dt}.")


float16 = DType("float16", 19, np.float16, "float")
half = float16
bfloat16 = DType("bfloat16", 14, _FROM_ML_DTYPES, "float")
float32 = DType("float32", 1, np.float32, "float")
float64 = DType("float64", 2, np.float64, "float")
double = float64
int8 = DType("int8", 6, np.int8, "int")
int16 = DType("int16", 5, np.int16, "int")
int32 = DType("int32", 3, np.int32, "int")
int64 = DType("int64", 9, np.int64, "int")
uint8 = DType("uint8", 4, np.uint8, "uint")
uint16 = DType("uint16", 17, np.uint16, "uint")
uint32 = DType("uint32", 22, np.uint32, "uint")
uint64 = DType("uint64", 23, np.uint64, "uint")
bool = DType("bool", 10, np.bool_, "bool")  # noqa: A001 - mirrors tf.bool
string = DType("string", 7, np.object_, "string")
complex64 = DType("complex64", 8, np.complex64, "complex")
complex128 = DType("complex128", 18, np.complex128, "complex")
qint8 = DType("qint8", 11, None, "quantized")
quint8 = DType("quint8", 12, None, "quantized")
qint32 = DType("qint32", 13, None, "quantized")
qint16 = DType("qint16", 15, None, "quantized")
quint16 = DType("quint16", 16, None, "quantized")
resource = DType("resource", 20, None, "other")
variant = DType("variant", 21, None, "other")
float8_e5m2 = DType("float8_e5m2", 24, _FROM_ML_DTYPES, "float")
float8_e4m3fn = DType("float8_e4m3fn", 25, _FROM_ML_DTYPES, "float")

_ALL = [float16, bfloat16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool,
        string, complex64, complex128, qint8, quint8, qint32, qint16, quint16, resource, variant, float8_e5m2,
        float8_e4m3fn]

_LAZY = [bfloat16, float8_e5m2, float8_e4m3fn]
for _base in _ALL:
    _base._ref = DType(_base._name + "_ref", _base._enum + 100, _FROM_ML_DTYPES if _base in _LAZY else _base._np,
                       _base._kind, base=_base)
_BY_ENUM: dict[int, DType] = {d._enum: d for d in _ALL}
_BY_ENUM.update({d._as_ref._enum: d._as_ref for d in _ALL})
_BY_NAME: dict[str, DType] = {d._name: d for d in _ALL}
_BY_NAME.update({d._as_ref._name: d._as_ref for d in _ALL})
_BY_NAME.update(half=float16, float=float32, double=float64)
_BY_NP: dict[Any, DType] = {d._np: d for d in _ALL if d not in _LAZY and d._np is not None}  # + _import_ml_dtypes
_BY_NP.update({np.bytes_: string, np.str_: string})
for _platform in (np.intc, np.uintc, np.int_, np.uint, np.longlong, np.ulonglong):
    if _platform not in _BY_NP:
        _BY_NP[_platform] = next(d for t, d in list(_BY_NP.items())
                                 if t not in (np.object_, np.bytes_, np.str_) and np.dtype(t) == np.dtype(_platform))
_BY_PYTHON: dict[Any, DType] = {builtins.float: float32, builtins.bool: bool, builtins.object: string}


def as_dtype(type_value: Any) -> DType:
    """Converts ``type_value`` to a :class:`DType`, as ``tf.as_dtype`` does.

    Accepts a DType, a ``DataType`` enum value, a name (``"float32"``, ``"float"``, ``"double"``,
    ``"half"``), a NumPy dtype or scalar type, ``float``/``bool``/``object``, or anything with a
    ``.dtype`` attribute.

    Args:
        type_value: The value to convert.

    Returns:
        The interned DType.

    Raises:
        TypeError: If the value names no TensorFlow dtype.

    Example:
        >>> import numpy as np, varscope as tf1
        >>> tf1.as_dtype(np.float16).name, tf1.as_dtype(2).name, tf1.as_dtype(float).name
        ('float16', 'float64', 'float32')
    """
    if type(type_value) is DType:
        return type_value
    if isinstance(type_value, np.dtype):
        found = _BY_NP.get(type_value.type)
        if found is not None:
            return found
    try:
        if isinstance(type_value, str):
            return _BY_NAME[type_value]
        if isinstance(type_value, int) and not isinstance(type_value, builtins.bool):
            return _BY_ENUM[type_value]
        found = _BY_PYTHON.get(type_value)
        if found is None:
            found = _BY_NP.get(type_value)
        if found is not None:
            return found
    except (KeyError, TypeError):
        pass
    if hasattr(type_value, "dtype"):
        try:
            found = _BY_NP.get(np.dtype(type_value.dtype).type)
            if found is not None:
                return found
        except TypeError:
            pass
    if type(type_value).__module__ == "torch":  # a torch.dtype (torch.float32 -> "float32"), without importing torch
        found = _BY_NAME.get(str(type_value).rpartition(".")[2])
        if found is not None:
            return found
    if not _ml_dtypes_imported and "ml_dtypes" in sys.modules:  # an ml_dtypes type, met before any use here
        _import_ml_dtypes()
        return as_dtype(type_value)
    raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType.")
