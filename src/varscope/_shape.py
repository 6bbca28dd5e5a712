"""``TensorShape`` and ``Dimension``: shapes whose rank or dimensions may be unknown, as TensorFlow has them.

TensorFlow switches what a shape's entries are with one process-wide flag (``tensor_shape._TENSORSHAPE_V2_OVERRIDE``):
in TF 2 behaviour ``shape[i]`` is an ``int`` (or None), in TF 1.x behaviour (``disable_v2_behavior()``) it is a
:class:`Dimension` with ``.value``. ``import varscope as tf1`` keeps TF 2's ``compat.v1`` behaviour (ints);
:mod:`varscope.compat` switches to Dimensions (:func:`disable_v2_tensorshape`), for variables' shapes too.

Example:
    >>> from varscope import TensorShape
    >>> str(TensorShape([2])), str(TensorShape([None, 3])), str(TensorShape(None))
    ('(2,)', '(None, 3)', '<unknown>')
    >>> TensorShape([None, 3]).is_compatible_with([5, 3])
    True
    >>> TensorShape([None, 3])[1]
    3
    >>> with v1_tensorshape():
    ...     TensorShape([None, 3])[1].value, TensorShape([None, 3])[0], str(TensorShape([None, 3]))
    (3, Dimension(None), '(?, 3)')
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["TensorShape", "Dimension", "as_shape", "as_dimension", "dimension_value", "dimension_at_index",
           "enable_v2_tensorshape", "disable_v2_tensorshape", "v2_tensorshape_enabled", "v1_tensorshape"]

# TF's ``_TENSORSHAPE_V2_OVERRIDE``, as TF 2 starts: True (entries are ints); False gives Dimensions.
_V2 = True


def enable_v2_tensorshape() -> None:
    """TF 2 behaviour, process-wide: ``shape[i]`` and iteration give ints (the default)."""
    global _V2
    _V2 = True


def disable_v2_tensorshape() -> None:
    """TF 1.x behaviour, process-wide: ``shape[i]`` and iteration give :class:`Dimension` objects."""
    global _V2
    _V2 = False


def v2_tensorshape_enabled() -> bool:
    """True when shapes give ints (TF 2 behaviour), False when they give Dimensions."""
    return _V2


@contextmanager
def v1_tensorshape(enabled: bool = True) -> Iterator[None]:
    """TF 1.x shape behaviour inside the block (``enabled=False``: TF 2's), the previous one restored after."""
    global _V2
    old = _V2
    _V2 = not enabled
    try:
        yield
    finally:
        _V2 = old


def dimension_value(value: Any) -> int | None:
    """Validates one dimension as TensorFlow's ``Dimension`` does and returns it as int or None."""
    if value is None:
        return None
    if isinstance(value, Dimension):
        return value._value
    if type(value) is int:
        if value < 0:
            raise ValueError(f"Dimension {value} must be >= 0")
        return value
    dims = getattr(value, "_dims", _MISSING)
    if dims is not _MISSING:  # a Dimension-like object
        value = getattr(value, "value", value)
        if value is None:
            return None
    try:
        result = int(value.__index__())
    except AttributeError:
        raise TypeError(
            f"Dimension value must be integer or None or have an __index__ method, got value '{value!r}' "
            f"with type '{type(value)!r}'"
        ) from None
    if result < 0:
        raise ValueError(f"Dimension {result} must be >= 0")
    return result


_MISSING = object()


class Dimension:
    """One dimension of a TF 1.x shape: ``.value`` is an int or None (unknown), as TF's ``Dimension``.

    Arithmetic with an unknown dimension is unknown; ``==`` with an unknown one is None.

    Example:
        >>> d = Dimension(3)
        >>> d.value, d + 1, d * Dimension(None), str(Dimension(None)), d == 3, int(d)
        (3, Dimension(4), Dimension(None), '?', True, 3)
    """

    __slots__ = ("_value",)
    _value: int | None

    def __init__(self, value: Any) -> None:
        self._value = dimension_value(value._value if isinstance(value, Dimension) else value)

    @property
    def value(self) -> int | None:
        """The size, or None when unknown."""
        return self._value

    def __repr__(self) -> str:
        return f"Dimension({self._value!r})"

    def __str__(self) -> str:
        return "?" if self._value is None else str(self._value)

    def __eq__(self, other: object) -> Any:
        try:
            other_value = as_dimension(other)._value
        except (TypeError, ValueError):
            return NotImplemented
        if self._value is None or other_value is None:
            return None
        return self._value == other_value

    def __ne__(self, other: object) -> Any:
        try:
            other_value = as_dimension(other)._value
        except (TypeError, ValueError):
            return NotImplemented
        if self._value is None or other_value is None:
            return None
        return self._value != other_value

    __hash__ = None  # type: ignore[assignment]  # (as TF: __eq__ without __hash__)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __int__(self) -> int:
        return self._value  # type: ignore[return-value]

    def __index__(self) -> int:
        return self._value  # type: ignore[return-value]

    def is_compatible_with(self, other: Any) -> bool:
        """True when either is unknown or both are equal."""
        other_value = as_dimension(other)._value
        return self._value is None or other_value is None or self._value == other_value

    def assert_is_compatible_with(self, other: Any) -> None:
        """Raises ValueError unless compatible with ``other``."""
        if not self.is_compatible_with(other):
            raise ValueError(f"Dimensions {self} and {as_dimension(other)} are not compatible")

    def merge_with(self, other: Any) -> Dimension:
        """The known one of the two (they must be compatible)."""
        other = as_dimension(other)
        self.assert_is_compatible_with(other)
        return Dimension(other._value if self._value is None else self._value)

    def _combine(self, other: Any, fn: Any, reflected: bool = False) -> Any:
        try:
            other_value = as_dimension(other)._value
        except (TypeError, ValueError):
            if reflected:
                raise
            return NotImplemented
        if self._value is None or other_value is None:
            return Dimension(None)
        return Dimension(fn(other_value, self._value) if reflected else fn(self._value, other_value))

    def __add__(self, other: Any) -> Any:
        return self._combine(other, lambda a, b: a + b)

    def __radd__(self, other: Any) -> Any:
        return self + other

    def __sub__(self, other: Any) -> Any:
        return self._combine(other, lambda a, b: a - b)

    def __rsub__(self, other: Any) -> Any:
        return self._combine(other, lambda a, b: a - b, reflected=True)

    def __mul__(self, other: Any) -> Any:
        return self._combine(other, lambda a, b: a * b)

    def __rmul__(self, other: Any) -> Any:
        return self * other

    def __floordiv__(self, other: Any) -> Any:
        return self._combine(other, lambda a, b: a // b)

    def __rfloordiv__(self, other: Any) -> Any:
        return self._combine(other, lambda a, b: a // b, reflected=True)

    def __truediv__(self, other: Any) -> Any:
        raise TypeError(f"unsupported operand type(s) for /: 'Dimension' and '{type(other).__name__}', "
                        "please use // instead")

    def __rtruediv__(self, other: Any) -> Any:
        raise TypeError(f"unsupported operand type(s) for /: '{type(other).__name__}' and 'Dimension', "
                        "please use // instead")

    def __mod__(self, other: Any) -> Any:
        other_value = as_dimension(other)._value  # (TF's __mod__ lets a bad operand's error through)
        if self._value is None or other_value is None:
            return Dimension(None)
        return Dimension(self._value % other_value)

    def __rmod__(self, other: Any) -> Any:
        return as_dimension(other) % self

    def _compare(self, other: Any, fn: Any) -> Any:
        other_value = as_dimension(other)._value
        if self._value is None or other_value is None:
            return None
        return fn(self._value, other_value)

    def __lt__(self, other: Any) -> Any:
        return self._compare(other, lambda a, b: a < b)

    def __le__(self, other: Any) -> Any:
        return self._compare(other, lambda a, b: a <= b)

    def __gt__(self, other: Any) -> Any:
        return self._compare(other, lambda a, b: a > b)

    def __ge__(self, other: Any) -> Any:
        return self._compare(other, lambda a, b: a >= b)

    def __reduce__(self) -> tuple[Any, tuple[Any]]:
        return Dimension, (self._value,)


def as_dimension(value: Any) -> Dimension:
    """``value`` as a :class:`Dimension` (returned as is when it already is one)."""
    return value if isinstance(value, Dimension) else Dimension(value)


def dimension_at_index(shape: Any, index: int) -> Dimension:
    """The Dimension at ``index`` of ``shape`` (unknown for an unknown rank), in either behaviour."""
    shape = as_shape(shape)
    if shape._dims is None:
        return Dimension(None)
    return Dimension(shape._dims[index])


class TensorShape:
    """The static shape of a variable: a tuple of ints and ``None`` s, or an unknown rank.

    Args:
        dims: A sequence of dimensions (ints or None), a single int, another TensorShape, or None
            for an unknown rank.

    Example:
        >>> from varscope import TensorShape
        >>> s = TensorShape([3, 4])
        >>> s.as_list(), s.rank, s.num_elements(), s[0]
        ([3, 4], 2, 12, 3)
    """

    __slots__ = ("_dims",)

    def __init__(self, dims: Any) -> None:
        if dims is None:
            self._dims: tuple[int | None, ...] | None = None
        elif isinstance(dims, TensorShape):
            self._dims = dims._dims
        elif type(dims) is list or type(dims) is tuple:
            self._dims = tuple([d if type(d) is int and d >= 0 else dimension_value(d) for d in dims])
        else:
            try:
                it = iter(dims)
            except TypeError:
                self._dims = (dimension_value(dims),)
            else:
                self._dims = tuple(dimension_value(d) for d in it)

    @property
    def dims(self) -> list[Dimension] | None:
        """The dimensions as a list of :class:`Dimension` (as TF, in both behaviours), or None for an unknown rank."""
        return None if self._dims is None else [Dimension(d) for d in self._dims]

    @property
    def rank(self) -> int | None:
        """The number of dimensions, or None when unknown."""
        return None if self._dims is None else len(self._dims)

    @property
    def ndims(self) -> int | None:
        """The number of dimensions, or None when unknown (alias of ``rank``)."""
        return None if self._dims is None else len(self._dims)

    def is_fully_defined(self) -> bool:
        """True when the rank and every dimension are known."""
        return self._dims is not None and None not in self._dims

    def as_list(self) -> list[int | None]:
        """The dimensions as a list.

        Raises:
            ValueError: For an unknown rank.
        """
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def num_elements(self) -> int | None:
        """The product of the dimensions, or None when not fully defined."""
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:  # type: ignore[union-attr]
            n *= d  # type: ignore[operator]
        return n

    def is_compatible_with(self, other: Any) -> bool:
        """True when the two shapes could describe the same array (None matches anything)."""
        if not isinstance(other, TensorShape):
            other = TensorShape(other)
        if self._dims is None or other._dims is None or self._dims == other._dims:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def merge_with(self, other: Any) -> TensorShape:
        """The most specific shape compatible with both.

        Raises:
            ValueError: When the shapes are incompatible.
        """
        other = as_shape(other)
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        return TensorShape([a if a is not None else b for a, b in zip(self._dims, other._dims)])

    def assert_is_compatible_with(self, other: Any) -> None:
        """Raises ValueError unless compatible with ``other``."""
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {as_shape(other)} are incompatible")

    def __len__(self) -> int:
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __iter__(self) -> Iterator[Any]:
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        if _V2:
            return iter(self._dims)
        return iter([Dimension(d) for d in self._dims])

    def __getitem__(self, key: Any) -> Any:
        if self._dims is None:
            if isinstance(key, slice):
                return TensorShape(None)
            return None if _V2 else Dimension(None)
        if isinstance(key, slice):
            return TensorShape(list(self._dims[key]))
        return self._dims[key] if _V2 else Dimension(self._dims[key])

    def __bool__(self) -> bool:
        return self._dims is not None

    def __eq__(self, other: object) -> bool:
        try:
            other_shape = as_shape(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self._dims == other_shape._dims

    def __hash__(self) -> int:
        return hash(self._dims)

    def __str__(self) -> str:
        if self._dims is None:
            return "<unknown>"
        dims = self._dims if _V2 else ["?" if d is None else d for d in self._dims]
        if len(dims) == 1:
            return f"({dims[0]},)"
        return "(" + ", ".join(str(d) for d in dims) + ")"

    def __repr__(self) -> str:
        if _V2:
            return "TensorShape(None)" if self._dims is None else f"TensorShape({list(self._dims)})"
        return f"TensorShape({self.dims})"

    def __reduce__(self) -> tuple[Any, tuple[Any]]:
        return TensorShape, (None if self._dims is None else list(self._dims),)


def as_shape(shape: Any) -> TensorShape:
    """``shape`` as a :class:`TensorShape` (returned as is when it already is one)."""
    if isinstance(shape, TensorShape):
        return shape
    return TensorShape(shape)
