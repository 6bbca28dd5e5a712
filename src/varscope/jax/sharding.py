"""Sharding of partitioned variables over a ``jax.sharding.Mesh``.

A variable created with a partitioner is, in ``params``, one global array; with a mesh it is
sharded along its partition axis (``NamedSharding(mesh, P(..., axis_name, ...))``), every other
variable is replicated. The checkpoint form stays TensorFlow's ``v/part_N`` slices (see
:mod:`varscope.jax.checkpoint`), whatever the number of devices.

Example:
    >>> import numpy as np
    >>> from varscope.jax.var_info import VarInfo
    >>> info = VarInfo("emb", (8, 4), np.dtype("float32"), True, (4, 1), ())
    >>> tuple(partition_spec(info, "x"))
    ('x', None)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from varscope.jax.var_info import VarInfo

__all__ = ["partition_spec", "sharding_for", "sharding_for_key", "shard_params"]


def partition_spec(info: VarInfo, mesh_axis: str) -> PartitionSpec:
    """``P(None, .., mesh_axis, .., None)`` along a partitioned variable's partition axis; ``P()`` otherwise."""
    axis = info.partition_axis
    if axis is None:
        return PartitionSpec()
    spec: list[Any] = [None] * len(info.shape)
    spec[axis] = mesh_axis
    return PartitionSpec(*spec)


def sharding_for(info: VarInfo, mesh: Mesh, mesh_axis: str) -> NamedSharding:
    """The ``NamedSharding`` of variable ``info`` on ``mesh``.

    Raises:
        ValueError: When the partition axis is not divisible by the mesh axis size.
    """
    spec = partition_spec(info, mesh_axis)
    axis = info.partition_axis
    if axis is not None:
        size = mesh.shape[mesh_axis]
        if info.shape[axis] % size:
            raise ValueError(f"Variable {info.key}: dimension {axis} of size {info.shape[axis]} cannot be sharded "
                             f"over mesh axis {mesh_axis!r} of size {size}; choose a shape divisible by it.")
    return NamedSharding(mesh, spec)


def shard_params(params: Mapping[str, Any], var_info: Mapping[str, VarInfo], mesh: Mesh,
                 mesh_axis: str | None = None) -> dict[str, Any]:
    """Place ``params`` on ``mesh``: partitioned variables sharded, the rest replicated.

    Args:
        params: A params (or state) dict.
        var_info: ``Transformed.var_info`` (tells which keys are partitioned, and how).
        mesh: The mesh.
        mesh_axis: The axis to shard along (default: the mesh's first axis).

    Returns:
        A new dict of ``jax.Array`` with ``NamedSharding``.
    """
    mesh_axis = mesh_axis or mesh.axis_names[0]
    return {key: jax.device_put(value, sharding_for_key(key, var_info, mesh, mesh_axis)) for key, value in params.items()}


def sharding_for_key(key: str, var_info: Mapping[str, VarInfo], mesh: Mesh, mesh_axis: str) -> NamedSharding:
    """The sharding of ``params[key]``: :func:`sharding_for` its ``VarInfo``, replicated without one."""
    info = var_info.get(key)
    return sharding_for(info, mesh, mesh_axis) if info is not None else NamedSharding(mesh, PartitionSpec())
