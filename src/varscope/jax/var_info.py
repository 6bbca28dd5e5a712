"""What ``init`` learns about each entry of ``params`` / ``state``: :class:`VarInfo` (shape, dtype, partitioning).

The lowest module of :mod:`varscope.jax`: sharding, transform and the checkpoint helpers all read it.
"""

from __future__ import annotations

import dataclasses

import numpy as np

__all__ = ["VarInfo"]


@dataclasses.dataclass(frozen=True)
class VarInfo:
    """What ``init`` learned about one entry of ``params`` / ``state``.

    Attributes:
        key: The checkpoint key (``"tower/dense/w"``; a partitioned variable's full name).
        shape: The full shape.
        dtype: The NumPy dtype.
        trainable: Whether the variable is trainable (``False``: it lives in ``state``).
        partitions: TF's partition list for a partitioned variable (``[4, 1]``), else None.
        shards: For a partitioned variable, ``(shard_name, var_offset, var_shape)`` per shard, in
            offset order: the ``v/part_N`` slices a TF checkpoint stores.
    """

    key: str
    shape: tuple[int, ...]
    dtype: np.dtype
    trainable: bool
    partitions: tuple[int, ...] | None = None
    shards: tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...] = ()

    @property
    def partition_axis(self) -> int | None:
        """The axis a partitioned variable is split along (None when not partitioned)."""
        if self.partitions is None:
            return None
        axes = [i for i, p in enumerate(self.partitions) if p > 1]
        return axes[0] if axes else 0
