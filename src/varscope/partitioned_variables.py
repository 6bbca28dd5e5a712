"""``create_partitioned_variables``: the deprecated list-of-shards API (spec §10.3).

It creates one variable split along a single axis and returns the shards as a list. The full
variable is named by a variable scope (``name``, or a uniquified ``"PartitionedVariable"``), and the
shards are ``<scope>/part_<i>``.

Example:
    >>> import varscope as tf1
    >>> with tf1.Graph().as_default():
    ...     parts = tf1.create_partitioned_variables([10, 4], [3, 1], tf1.zeros_initializer())
    >>> [(v.name, v.shape.as_list()) for v in parts]
    [('PartitionedVariable/part_0:0', [4, 4]), ('PartitionedVariable/part_1:0', [3, 4]), \
('PartitionedVariable/part_2:0', [3, 4])]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from varscope._dtypes import float32
from varscope._scope import get_variable_scope, variable_scope

__all__ = ["create_partitioned_variables"]


def create_partitioned_variables(shape: Sequence[int], slicing: Sequence[int], initializer: Any,
                                 dtype: Any = float32, trainable: bool = True, collections: Any = None,
                                 name: str | None = None, reuse: Any = None) -> list[Any]:
    """Create a variable of ``shape`` split by ``slicing`` and return its shards (TF's deprecated API).

    Only one axis may have more than one slice. When an axis does not divide evenly, the first
    shards get one extra row each (7 rows in 3 → 3, 2, 2).

    Args:
        shape: The full variable's shape (a list of ints).
        slicing: The number of slices per axis; same length as ``shape``.
        initializer: A value/array of the full shape, or an initializer called once per shard
            with the shard's shape, dtype and ``partition_info``.
        dtype: The variables' dtype (ignored when ``initializer`` is a tensor).
        trainable: Also add the shards to ``TRAINABLE_VARIABLES``.
        collections: Collections of the shards (default ``[GLOBAL_VARIABLES]``).
        name: The full variable's scope name; default a uniquified ``"PartitionedVariable"``.
        reuse: True to get existing shards, None to inherit the scope's reuse.

    Returns:
        The shard variables in order.

    Raises:
        ValueError: ``shape`` and ``slicing`` differ in length, ``shape`` is empty, or the store
            rejects the partitioning (spec §10.1).

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     with tf1.variable_scope("hi"):
        ...         a = tf1.create_partitioned_variables([4], [2], tf1.ones_initializer(), name="named")
        ...         b = tf1.create_partitioned_variables([4], [2], tf1.ones_initializer(), name="named",
        ...                                              reuse=True)
        >>> [v.name for v in a], a == b
        (['hi/named/part_0:0', 'hi/named/part_1:0'], True)
    """
    if len(shape) != len(slicing):
        raise ValueError("The 'shape' and 'slicing' of a partitioned Variable "
                         f"must have the length: shape: {shape}, slicing: {slicing}")
    if len(shape) < 1:
        raise ValueError(f"A partitioned Variable must have rank at least 1: shape: {shape}")

    def partitioner(**_: Any) -> Sequence[int]:
        return slicing

    with variable_scope(name, "PartitionedVariable", reuse=reuse):
        partitioned_var = get_variable_scope()._get_partitioned_variable(
            None, None, shape=shape, dtype=dtype, initializer=initializer, trainable=trainable,
            partitioner=partitioner, collections=collections)
        return list(partitioned_var)
