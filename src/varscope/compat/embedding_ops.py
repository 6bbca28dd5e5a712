"""TF's ``tf.nn.embedding_lookup``: rows of one table, or of a table split in shards (a list or a
``PartitionedVariable``) by TF's ``partition_strategy``.

``"mod"``: id ``i`` lives in shard ``i % n`` at row ``i // n``; ``"div"``: shards hold contiguous id ranges, the
first ``total % n`` of them one id more (which is how TF's partitioners split a variable, so a
``PartitionedVariable`` with ``"div"`` reads its full value: inside ``transform``, the one ``params`` array). The
shards are concatenated and the rows gathered once; ``max_norm`` clips each embedding to that L2 norm.

Example:
    >>> import numpy as np
    >>> from varscope.compat import v1 as tf
    >>> table = np.arange(10.0, dtype=np.float32).reshape(5, 2)
    >>> with tf.Graph().as_default():
    ...     e = tf.nn.embedding_lookup([table[0::2], table[1::2]], np.array([3, 4]))
    >>> e.name, e.numpy().tolist()
    ('embedding_lookup/Reshape_1:0', [[6.0, 7.0], [8.0, 9.0]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from varscope._graph import get_default_graph
from varscope.compat import _nn_math as m
from varscope.compat._op import array_module, convert, result, scope
from varscope.compat._tensor import Tensor
from varscope.compat.nn_ops import run_error
from varscope.partitioned import PartitionedVariable

__all__ = ["embedding_lookup"]


def embedding_lookup(params: Any, ids: Any, partition_strategy: str = "mod", name: Any = None,
                     validate_indices: bool = True, max_norm: Any = None) -> Tensor:
    """The rows ``ids`` of ``params`` (a table, or a list of shards), shaped ``ids.shape + row shape``.

    ``validate_indices`` is accepted and ignored, as in TF.

    Raises:
        ValueError: For no params, an unknown strategy (TF's messages) or shards of different row shapes.
        varscope.compat.errors.InvalidArgumentError: For an id outside the table on the NumPy backend (as TF's
            CPU kernel; JAX clamps it, as ``jnp.take`` does).
    """
    if params is None:
        raise ValueError("params must be specified")
    if isinstance(params, (list, tuple)) and not params:
        raise ValueError("Length of params is currently 0. Need at least one param.")
    whole = None
    if isinstance(params, PartitionedVariable):
        if partition_strategy == "div" and all(p == 1 for p in params._get_partitions()[1:]):
            whole = params.as_tensor()  # TF's partitioners split as "div" does: the full value is the table
        params = list(params)
    if not isinstance(params, (list, tuple)):
        params = [params]
    with scope(name, "embedding_lookup"):
        if whole is not None:
            first, dtype = convert(whole)
            shards = [first]
        else:
            first, dtype = convert(params[0])
            shards = [first] + [convert(p, dtype)[0] for p in params[1:]]
        row_shape = tuple(first.shape[1:])
        if any(tuple(p.shape[1:]) != row_shape for p in shards):
            raise ValueError(f"embedding_lookup's shards must share their row shape, got "
                             f"{[list(p.shape) for p in shards]}.")
        index, _ = convert(ids)
        sizes = [int(p.shape[0]) for p in shards] if whole is None else [int(first.shape[0])]
        if whole is None and len(params) > 1 and partition_strategy not in ("mod", "div"):
            raise ValueError(f"Unrecognized partition strategy: {partition_strategy}.Must be one of either `mod` or "
                             "`div`.")
        xp = array_module(index, *shards)
        table = shards[0] if len(shards) == 1 else xp.concatenate(shards, axis=0)
        rows = m.embedding_rows(xp, index, sizes, partition_strategy)
        total = int(sum(sizes))
        if isinstance(rows, np.ndarray):
            bad = (index < 0) | (index >= total)
            if np.any(bad):
                where = int(np.flatnonzero(np.ravel(bad))[0])
                raise run_error(f"indices[{where}] = {int(np.ravel(index)[where])} is not in [0, {total})")
        out = xp.take(table, rows, axis=0)
        op_type, final = ("Identity", "Identity") if len(params) == 1 else ("Reshape", "Reshape_1")
        if max_norm is not None:
            axes = tuple(range(np.ndim(index), out.ndim))
            out = m.clip_rows_by_norm(xp, out, float(max_norm), axes)
            if len(params) > 1:
                op_type, final = "Identity", "clip_by_norm"
        return result(out, op_type, final, dtype=dtype)
