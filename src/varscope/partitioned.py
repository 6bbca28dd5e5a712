"""``PartitionedVariable`` and ``SaveSliceInfo``: a variable stored as shards along one axis.

The store (``get_variable`` with a partitioner) creates one ``Variable`` per shard, named
``<name>/part_<i>``, gives each a :class:`SaveSliceInfo` and wraps them in a
:class:`PartitionedVariable`. Its value is the concatenation of the shards (:meth:`as_tensor`), and
assignments are split across them. Validation messages are TensorFlow's.

Example:
    >>> info = SaveSliceInfo("v", [10, 10], [0, 0], [2, 10])
    >>> info.spec
    '10 10 0,2:0,10'
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from varscope._shape import TensorShape

__all__ = ["SaveSliceInfo", "PartitionedVariable"]


class SaveSliceInfo:
    """How a shard is saved as a slice of its full variable.

    Args:
        full_name: Name of the full variable (``"foo/v"``).
        full_shape: Shape of the full variable, a list of ints.
        var_offset: Offset of the shard in the full variable, a list of ints.
        var_shape: Shape of the shard, a list of ints.

    Example:
        >>> SaveSliceInfo("v", [4], [2], [1]).spec
        '4 2,1'
    """

    def __init__(self, full_name: str | None = None, full_shape: Sequence[int] | None = None,
                 var_offset: Sequence[int] | None = None, var_shape: Sequence[int] | None = None) -> None:
        self.full_name = full_name
        self.full_shape = full_shape
        self.var_offset = var_offset
        self.var_shape = var_shape

    @property
    def spec(self) -> str:
        """The checkpoint slice spec: full dims, a space, then ``offset,length`` pairs joined by ``:``."""
        full_shape_str = " ".join("%d" % d for d in (self.full_shape or [])) + " "
        sl_spec = ":".join("%d,%d" % (o, s) for o, s in zip(self.var_offset or [], self.var_shape or []))
        return full_shape_str + sl_spec

    @classmethod
    def from_spec(cls, spec: str) -> SaveSliceInfo:
        """Parses :attr:`spec` back (``full_name`` stays None).

        Raises:
            ValueError: If the spec is malformed.

        Example:
            >>> i = SaveSliceInfo.from_spec("4 3 5 0,4:1,1:3,2")
            >>> i.full_shape, i.var_offset, i.var_shape
            ([4, 3, 5], [0, 1, 3], [4, 1, 2])
        """
        if not spec:
            return cls()
        try:
            full_shape_str, slice_str = spec.rsplit(" ", 1)
        except ValueError as e:
            raise ValueError("Spec string must contain space-separated full_shape info.") from e
        try:
            full_shape = [int(d) for d in full_shape_str.split()]
            pairs = [tuple(int(x) for x in part.split(",")) for part in slice_str.split(":")]
            var_offset = [p[0] for p in pairs]
            var_shape = [p[1] for p in pairs]
        except (ValueError, IndexError) as e:
            raise ValueError(f"Spec string {spec!r} is malformed.") from e
        return cls(full_shape=full_shape, var_offset=var_offset, var_shape=var_shape)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SaveSliceInfo):
            return NotImplemented
        return (self.full_name, _as_list(self.full_shape), _as_list(self.var_offset), _as_list(self.var_shape)) == (
            other.full_name, _as_list(other.full_shape), _as_list(other.var_offset), _as_list(other.var_shape))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"SaveSliceInfo(full_name={self.full_name!r}, full_shape={self.full_shape!r}, "
                f"var_offset={self.var_offset!r}, var_shape={self.var_shape!r})")


def _as_list(value: Any) -> list[Any] | None:
    if value is None:
        return None
    if isinstance(value, TensorShape):
        return value.as_list()
    return list(value)


def _slice_info(variable: Any) -> SaveSliceInfo | None:
    getter = getattr(variable, "_get_save_slice_info", None)
    if getter is not None:
        return getter()  # type: ignore[no-any-return]
    return getattr(variable, "_save_slice_info", None)


class PartitionedVariable:
    """A variable made of shards, each a ``Variable`` carrying a :class:`SaveSliceInfo`.

    Args:
        name: The full variable's name (``"foo/v"``, no ``:0``).
        shape: The full shape (a TensorShape).
        dtype: The dtype.
        variable_list: The shards (any order; they are sorted by offset).
        partitions: The partition list (one entry per dimension).

    Raises:
        TypeError: If ``variable_list`` or ``partitions`` is not a list or tuple.
        ValueError: For non-positive partitions, no shards, shards without slice info, or shapes
            that do not match.

    Example:
        >>> import varscope as tf1
        >>> v = tf1.get_variable("pv", [4, 2], partitioner=tf1.fixed_size_partitioner(2))  # doctest: +SKIP
        >>> len(v), v.as_tensor().shape  # doctest: +SKIP
        (2, (4, 2))
    """

    def __init__(self, name: str, shape: Any, dtype: Any, variable_list: Sequence[Any],
                 partitions: Sequence[int]) -> None:
        if not isinstance(variable_list, (list, tuple)):
            raise TypeError("variable_list is not a list or tuple: %s" % (variable_list,))
        if not isinstance(partitions, (list, tuple)):
            raise TypeError("partitions is not a list or tuple: %s" % (partitions,))
        if not all(p >= 1 for p in partitions):
            raise ValueError("partition values must be positive: %s" % partitions)  # TF formats it so
        if not variable_list:
            raise ValueError("variable_list may not be empty")
        for v in variable_list:
            if not all(_slice_info(u) is not None for u in variable_list):
                raise ValueError("All variables must have a save_slice_info available: %s"
                                 % [u.name for u in variable_list])
            if len(shape) != len(partitions):
                raise ValueError("len(shape) != len(partitions): %s vs. %s" % (shape, partitions))
            info = _slice_info(v)
            assert info is not None
            if _as_list(info.full_shape) != _as_list(shape):
                raise ValueError("All variables' full shapes must match shape: %s; but full shapes were: %s"
                                 % (shape, str([info.full_shape])))
        self._variable_list = sorted(variable_list, key=lambda u: list(_slice_info(u).var_offset))  # type: ignore[union-attr,arg-type]
        self._name = name
        self._shape = shape
        self._dtype = dtype
        self._partitions = partitions

    # -- TF's public API -----------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The full variable's name (no ``:0``)."""
        return self._name

    @property
    def dtype(self) -> Any:
        """The dtype of the shards."""
        return self._dtype

    @property
    def shape(self) -> Any:
        """The full shape."""
        return self.get_shape()

    def get_shape(self) -> Any:
        """The full shape."""
        return self._shape

    def __iter__(self) -> Iterator[Any]:
        """Iterates over the shards in offset order."""
        return iter(self._variable_list)

    def __len__(self) -> int:
        """The number of shards.

        Raises:
            ValueError: When more than one axis is partitioned.
        """
        num_partition_axes = len(self._partition_axes())
        if num_partition_axes > 1:
            raise ValueError("Cannot get a length for %d > 1 partition axes" % num_partition_axes)
        return len(self._variable_list)

    def _get_variable_list(self) -> list[Any]:
        return self._variable_list

    def _get_partitions(self) -> Sequence[int]:
        return self._partitions

    def _partition_axes(self) -> list[int]:
        if all(p == 1 for p in self._partitions):
            return [0]
        return [i for i, p in enumerate(self._partitions) if p > 1]

    def _concat(self) -> Any:
        """The concatenated value, an array of the shards' backend."""
        if len(self._variable_list) == 1:
            return self._variable_list[0].value()
        partition_axes = self._partition_axes()
        if len(partition_axes) > 1:
            raise NotImplementedError("Cannot concatenate along more than one dimension: %s.  Multi-axis "
                                      "partition concat is not supported" % str(partition_axes))
        first = self._variable_list[0]
        backend = getattr(first, "_backend", None)
        values = [v.value() for v in self._variable_list]
        if backend is None:
            return np.concatenate([np.asarray(v) for v in values], axis=partition_axes[0])
        return backend.concatenate(values, partition_axes[0])

    def as_tensor(self) -> Any:
        """The full value: the shards concatenated along the partition axis (a backend array).

        Raises:
            NotImplementedError: When more than one axis is partitioned.
        """
        return self._concat()

    def numpy(self) -> np.ndarray:
        """The full value as a NumPy array."""
        parts = [np.asarray(v.numpy()) for v in self._variable_list]
        if len(parts) == 1:
            return parts[0]
        partition_axes = self._partition_axes()
        if len(partition_axes) > 1:
            raise NotImplementedError("Cannot concatenate along more than one dimension: %s.  Multi-axis "
                                      "partition concat is not supported" % str(partition_axes))
        return np.concatenate(parts, axis=partition_axes[0])

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        value = self.numpy()
        return value if dtype is None else value.astype(dtype)

    def _dense_value(self, dtype: Any = None, name: Any = None, as_ref: bool = False) -> Any:
        """TF's tensor conversion of a PartitionedVariable (dtype check, no references)."""
        if dtype is not None and not dtype.is_compatible_with(self._dtype):
            raise ValueError("Incompatible type conversion requested to type '%s' for variable of type '%s'"
                             % (dtype.name, self._dtype.name))
        if as_ref:
            raise NotImplementedError("PartitionedVariable doesn't support being used as a reference.")
        return self.as_tensor()

    def _apply_assign_fn(self, assign_fn: Any, value: Any) -> list[Any]:
        partition_axes = self._partition_axes()
        if len(partition_axes) > 1:
            raise NotImplementedError("Cannot do assign action along more than one dimension: %s.  Multi-axis "
                                      "partition assign action is not supported " % str(partition_axes))
        if isinstance(value, list):
            assert len(value) == len(self._variable_list)
            value_list = value
        elif isinstance(value, PartitionedVariable):
            value_list = list(value)
        else:
            axis = partition_axes[0]
            array = np.asarray(value)
            sizes = [v.shape.as_list()[axis] for v in self._variable_list]
            if array.ndim <= axis or array.shape[axis] != sum(sizes):
                raise ValueError(f"Cannot split a value of shape {array.shape} into shards of sizes {sizes} "
                                 f"along axis {axis}.")
            value_list = np.split(array, np.cumsum(sizes)[:-1], axis=axis)
        return [assign_fn(var, value_list[i]) for i, var in enumerate(self._variable_list)]

    def assign(self, value: Any, use_locking: bool = False, name: str | None = None,
               read_value: bool = True) -> list[Any]:
        """Assigns ``value`` (full value, a list of shard values, or a PartitionedVariable).

        Returns:
            The shard results (TF returns the shards' assign results).
        """
        return self._apply_assign_fn(
            lambda var, v: var.assign(v, use_locking=use_locking, name=name, read_value=read_value), value)

    def assign_add(self, value: Any, use_locking: bool = False, name: str | None = None,
                   read_value: bool = True) -> list[Any]:
        """Adds ``value`` to the shards, split as in :meth:`assign`."""
        return self._apply_assign_fn(
            lambda var, v: var.assign_add(v, use_locking=use_locking, name=name, read_value=read_value), value)

    def assign_sub(self, value: Any, use_locking: bool = False, name: str | None = None,
                   read_value: bool = True) -> list[Any]:
        """Subtracts ``value`` from the shards, split as in :meth:`assign`."""
        return self._apply_assign_fn(
            lambda var, v: var.assign_sub(v, use_locking=use_locking, name=name, read_value=read_value), value)

    def __repr__(self) -> str:
        dtype = getattr(self._dtype, "name", self._dtype)
        return (f"<PartitionedVariable '{self._name}' shape={self._shape} dtype={dtype} "
                f"partitions={list(self._partitions)} shards={len(self._variable_list)}>")
