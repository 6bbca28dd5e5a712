"""Partitioners and the slicing arithmetic of partitioned variables (TF1 semantics).

A *partitioner* is called as ``partitioner(shape=TensorShape, dtype=DType)`` and returns a list
with one entry per dimension: how many shards to cut along it (at most one entry may exceed 1).
The factories here are TensorFlow's ``fixed_size_partitioner``, ``variable_axis_size_partitioner``
and ``min_max_variable_partitioner`` with the same arithmetic and messages.
:func:`call_partitioner` validates a partitioner's answer, :func:`slice_dim_and_num_slices` and
:func:`iter_slices` turn it into shard offsets and shapes, and :class:`PartitionInfo` is what a
partition-aware initializer receives for each shard.

Example:
    >>> from varscope._shape import TensorShape
    >>> from varscope import _dtypes
    >>> p = fixed_size_partitioner(3)
    >>> parts = call_partitioner(p, TensorShape([7, 2]), _dtypes.float32)
    >>> parts, slice_dim_and_num_slices(parts)
    ([3, 1], (0, 3))
    >>> list(iter_slices([7, 2], 3, 0))
    [([0, 0], [3, 2]), ([3, 0], [2, 2]), ([5, 0], [2, 2])]
"""

from __future__ import annotations

import collections.abc
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from varscope._dtypes import DType, as_dtype
from varscope._shape import TensorShape

__all__ = [
    "Partitioner", "PartitionInfo", "fixed_size_partitioner", "variable_axis_size_partitioner",
    "min_max_variable_partitioner", "call_partitioner", "slice_dim_and_num_slices", "iter_slices",
]

Partitioner = Callable[..., Sequence[int]]


def _element_size(dtype: Any, bytes_per_string_element: int) -> int:
    dtype = as_dtype(dtype)
    if dtype.base_dtype.name == "string":
        return bytes_per_string_element
    return dtype.size


def variable_axis_size_partitioner(max_shard_bytes: int, axis: int = 0, bytes_per_string_element: int = 16,
                                   max_shards: int | None = None) -> Partitioner:
    """A partitioner that keeps each shard under ``max_shard_bytes`` by slicing along ``axis``.

    ``bytes_per_slice = num_elements / shape[axis] * element_size``;
    ``slices_per_shard = max(1, floor(max_shard_bytes / bytes_per_slice))``;
    shards along ``axis`` = ``ceil(shape[axis] / slices_per_shard)``, capped by ``max_shards``.

    Args:
        max_shard_bytes: The most bytes a shard should hold (a lone slice may exceed it).
        axis: The axis to partition along.
        bytes_per_string_element: The size assumed for one string element.
        max_shards: Optional cap on the number of shards.

    Returns:
        ``partitioner(shape, dtype)``.

    Raises:
        ValueError: For non-positive sizes or ``max_shards < 1``; at call time when ``shape`` is
            not a fully defined TensorShape.

    Example:
        >>> from varscope._shape import TensorShape
        >>> variable_axis_size_partitioner(100)(TensorShape([10, 3]), "float32")
        [2, 1]
    """
    if max_shard_bytes < 1 or bytes_per_string_element < 1:
        raise ValueError("Both max_shard_bytes and bytes_per_string_element must be positive. "
                         f"Currently, max_shard_bytes is {max_shard_bytes} and"
                         f"bytes_per_string_element is {bytes_per_string_element}")
    if max_shards and max_shards < 1:
        raise ValueError("max_shards must be positive.")

    def _partitioner(shape: TensorShape, dtype: Any) -> list[int]:
        if not isinstance(shape, TensorShape):
            raise ValueError(f"shape is not a TensorShape: {shape}")
        if not shape.is_fully_defined():
            raise ValueError(f"shape is not fully defined: {shape}")
        element_size = _element_size(dtype, bytes_per_string_element)
        dims = shape.as_list()
        partitions = [1] * len(dims)
        bytes_per_slice = 1.0 * (shape.num_elements() / dims[axis]) * element_size  # type: ignore[operator]
        slices_per_shard = max(1, math.floor(max_shard_bytes / bytes_per_slice))
        axis_shards = int(math.ceil(1.0 * dims[axis] / slices_per_shard))  # type: ignore[operator]
        if max_shards:
            axis_shards = min(max_shards, axis_shards)
        partitions[axis] = axis_shards
        return partitions

    return _partitioner


def min_max_variable_partitioner(max_partitions: int = 1, axis: int = 0, min_slice_size: int = 256 << 10,
                                 bytes_per_string_element: int = 16) -> Partitioner:
    """A partitioner that makes shards of at least ``min_slice_size`` bytes, at most ``max_partitions``.

    ``partitions[axis] = max(1, min(shape[axis], max_partitions, ceil(bytes / min_slice_size)))``.

    Args:
        max_partitions: The most shards to make.
        axis: The axis to partition along.
        min_slice_size: The least bytes per shard.
        bytes_per_string_element: The size assumed for one string element.

    Returns:
        ``partitioner(shape, dtype)``.

    Raises:
        ValueError: At call time, when ``axis`` is not a dimension of ``shape``.

    Example:
        >>> from varscope._shape import TensorShape
        >>> min_max_variable_partitioner(100, min_slice_size=2 << 10)(TensorShape([2048]), "float32")
        [4]
    """

    def _partitioner(shape: TensorShape, dtype: Any) -> list[int]:
        if axis >= len(shape):
            raise ValueError(f"Cannot partition variable along axis {axis} when shape is only {shape}")
        bytes_per_element = _element_size(dtype, bytes_per_string_element)
        total_size_bytes = shape.num_elements() * bytes_per_element  # type: ignore[operator]
        partitions = total_size_bytes / min_slice_size
        partitions_list = [1] * len(shape)
        partitions_list[axis] = max(1, min(shape.as_list()[axis], max_partitions,  # type: ignore[type-var,assignment]
                                           int(math.ceil(partitions))))
        return partitions_list

    return _partitioner


def fixed_size_partitioner(num_shards: int, axis: int = 0) -> Partitioner:
    """A partitioner that cuts ``num_shards`` shards along ``axis`` (fewer if the axis is shorter).

    Args:
        num_shards: The number of shards.
        axis: The axis to partition along.

    Returns:
        ``partitioner(shape, **unused)``.

    Example:
        >>> from varscope._shape import TensorShape
        >>> fixed_size_partitioner(5)(TensorShape([3, 4]))
        [3, 1]
    """

    def _partitioner(shape: TensorShape, **unused_args: Any) -> list[int]:
        partitions_list = [1] * len(shape)
        partitions_list[axis] = min(num_shards, shape.as_list()[axis])  # type: ignore[type-var,assignment]
        return partitions_list

    return _partitioner


def call_partitioner(partitioner: Partitioner, shape: TensorShape, dtype: DType) -> Sequence[int]:
    """Calls ``partitioner(shape=shape, dtype=dtype)`` and validates its answer (TF's ``_call_partitioner``).

    The answer is returned as the partitioner gave it (a tuple stays a tuple).

    Args:
        partitioner: The partitioner.
        shape: The full shape of the variable.
        dtype: Its dtype.

    Returns:
        The partition list.

    Raises:
        ValueError: For a shape that is not fully defined or of rank 0, or an answer that is not a
            sequence, has the wrong length, holds a value < 1 or slices more than one axis.

    Example:
        >>> from varscope._shape import TensorShape
        >>> from varscope._dtypes import float32
        >>> call_partitioner(lambda shape, dtype: (1, 2), TensorShape([4, 4]), float32)
        (1, 2)
    """
    if not shape.is_fully_defined():
        raise ValueError("Shape of a new partitioned variable must be fully defined, but instead was %s."
                         % (shape,))
    if shape.ndims < 1:  # type: ignore[operator]
        raise ValueError("A partitioned Variable must have rank at least 1, shape: %s" % shape)
    slicing = partitioner(shape=shape, dtype=dtype)
    if not isinstance(slicing, collections.abc.Sequence):
        raise ValueError("Partitioner must return a sequence, but saw: %s" % slicing)
    if len(slicing) != shape.ndims:
        raise ValueError("Partitioner returned a partition list that does not match the Variable's rank: "
                         "%s vs. %s" % (slicing, shape))
    if any(p < 1 for p in slicing):
        raise ValueError("Partitioner returned zero partitions for some axes: %s" % slicing)  # TF formats it so
    if sum(p > 1 for p in slicing) > 1:
        raise ValueError("Can only slice a variable along one dimension: shape: %s, partitioning: %s"
                         % (shape, slicing))
    return slicing


def slice_dim_and_num_slices(partitions: Sequence[int]) -> tuple[int, int]:
    """The axis to slice and the number of slices: the first entry > 1, else ``(0, 1)``.

    Example:
        >>> slice_dim_and_num_slices([1, 4]), slice_dim_and_num_slices([1, 1])
        ((1, 4), (0, 1))
    """
    for slice_dim, num_slices in enumerate(partitions):
        if num_slices > 1:
            return slice_dim, int(num_slices)
    return 0, 1


def iter_slices(full_shape: Sequence[int], num_slices: int, slice_dim: int) -> Iterator[tuple[list[int], list[int]]]:
    """Yields ``(offset, shape)`` of each shard: the first ``dim % n`` shards get one extra row.

    Example:
        >>> [s for _, s in iter_slices([7], 5, 0)]
        [[2], [2], [1], [1], [1]]
    """
    full = [int(d) for d in full_shape]
    with_excess = full[slice_dim] % num_slices
    min_len = full[slice_dim] // num_slices
    offset = [0] * len(full)
    for i in range(num_slices):
        shape = full[:]
        shape[slice_dim] = min_len + int(i < with_excess)
        yield offset[:], shape
        offset[slice_dim] += shape[slice_dim]


class PartitionInfo:
    """Where one shard sits in its partitioned variable (TensorFlow's ``_PartitionInfo``).

    Args:
        full_shape: The full variable's shape (list or tuple of ints).
        var_offset: The shard's offset in each dimension (list or tuple of ints).

    Raises:
        TypeError: If either argument is not a list or tuple.
        ValueError: On a length mismatch or an offset outside ``[0, full_shape)``.

    Example:
        >>> pi = PartitionInfo([9, 3], [4, 0])
        >>> pi.single_offset([1, 3]), pi.single_slice_dim([2, 3])
        (4, 0)
    """

    __slots__ = ("_full_shape", "_var_offset")

    def __init__(self, full_shape: Sequence[int], var_offset: Sequence[int]) -> None:
        if not isinstance(full_shape, (list, tuple)):
            raise TypeError("`full_shape` must be a sequence (like tuple or list) instead of "
                            + type(full_shape).__name__)
        if not isinstance(var_offset, (list, tuple)):
            raise TypeError("`var_offset` must be a sequence (like tuple or list) instead of "
                            + type(var_offset).__name__)
        if len(var_offset) != len(full_shape):
            raise ValueError("Expected equal length, but `var_offset` is of length {} while full_shape is of "
                             "length {}.".format(len(var_offset), len(full_shape)))
        for offset, dim in zip(var_offset, full_shape):
            if offset < 0 or offset >= dim:
                raise ValueError("Expected 0 <= offset < shape but found offset={}, shape={} for var_offset={}, "
                                 "full_shape={}".format(offset, dim, var_offset, full_shape))
        self._full_shape = full_shape
        self._var_offset = var_offset

    @property
    def full_shape(self) -> Sequence[int]:
        """The full variable's shape, as given."""
        return self._full_shape

    @property
    def var_offset(self) -> Sequence[int]:
        """The shard's offset, as given."""
        return self._var_offset

    def single_offset(self, shape: Sequence[int]) -> int:
        """The offset along the sliced dimension, or 0 when the shard is the whole variable.

        Raises:
            TypeError, ValueError: As :meth:`single_slice_dim`.
        """
        dim = self.single_slice_dim(shape)
        if dim is None:
            return 0
        return self._var_offset[dim]

    def single_slice_dim(self, shape: Sequence[int]) -> int | None:
        """The one dimension in which ``shape`` differs from the full shape (None if none does).

        Raises:
            TypeError: If ``shape`` is not a list or tuple.
            ValueError: On a rank mismatch, a shard that would overflow the full shape, or two
                differing dimensions.
        """
        if not isinstance(shape, (tuple, list)):
            raise TypeError("`shape` must be a sequence (like tuple or list) instead of " + type(shape).__name__)
        if len(shape) != len(self._full_shape):
            raise ValueError("Expected equal length, but received shape={} of length {} while self.full_shape={} "
                             "is of length {}.".format(shape, len(shape), self._full_shape, len(self._full_shape)))
        for i in range(len(shape)):
            if self._var_offset[i] + shape[i] > self._full_shape[i]:
                raise ValueError("With self.var_offset={}, a partition of shape={} would exceed self.full_shape={} "
                                 "in dimension {}.".format(self._var_offset, shape, self._full_shape, i))
        slice_dim: int | None = None
        for i in range(len(shape)):
            if shape[i] == self._full_shape[i]:
                continue
            if slice_dim is not None:
                raise ValueError("Cannot use single_slice_dim() with shape={} and self.full_shape={} since slice "
                                 "dim could be either dimension {} or {}.".format(shape, self._full_shape, i,
                                                                                    slice_dim))
            slice_dim = i
        return slice_dim

    def __repr__(self) -> str:
        return f"PartitionInfo(full_shape={list(self._full_shape)}, var_offset={list(self._var_offset)})"
