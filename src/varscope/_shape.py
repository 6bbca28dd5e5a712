"""``TensorShape``: a shape whose rank or dimensions may be unknown, printed as TensorFlow prints it.

Example:
    >>> from varscope import TensorShape
    >>> str(TensorShape([2])), str(TensorShape([None, 3])), str(TensorShape(None))
    ('(2,)', '(None, 3)', '<unknown>')
    >>> TensorShape([None, 3]).is_compatible_with([5, 3])
    True
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["TensorShape", "as_shape", "dimension_value"]


def dimension_value(value: Any) -> int | None:
    """Validates one dimension as TensorFlow's ``Dimension`` does and returns it as int or None."""
    if value is None:
        return None
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
    def dims(self) -> list[int | None] | None:
        """The dimensions as a list, or None for an unknown rank."""
        return None if self._dims is None else list(self._dims)

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

    def __iter__(self) -> Iterator[int | None]:
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self._dims)

    def __getitem__(self, key: Any) -> Any:
        if self._dims is None:
            if isinstance(key, slice):
                return TensorShape(None)
            return None
        if isinstance(key, slice):
            return TensorShape(list(self._dims[key]))
        return self._dims[key]

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
        if len(self._dims) == 1:
            return f"({self._dims[0]},)"
        return "(" + ", ".join(str(d) for d in self._dims) + ")"

    def __repr__(self) -> str:
        if self._dims is None:
            return "TensorShape(None)"
        return f"TensorShape({list(self._dims)})"

    def __reduce__(self) -> tuple[Any, tuple[Any]]:
        return TensorShape, (self.dims,)


def as_shape(shape: Any) -> TensorShape:
    """``shape`` as a :class:`TensorShape` (returned as is when it already is one)."""
    if isinstance(shape, TensorShape):
        return shape
    return TensorShape(shape)
