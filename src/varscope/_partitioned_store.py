"""The partitioned path of the variable store: one variable split into ``name/part_N`` shards (spec §10.1).

Example:
    >>> import varscope as tf1
    >>> with tf1.Graph().as_default():
    ...     pv = tf1.get_variable("emb", [10, 4], partitioner=tf1.fixed_size_partitioner(3))
    >>> [v.name for v in pv], pv._get_partitions(), list(pv)[1]._save_slice_info.spec
    (['emb/part_0:0', 'emb/part_1:0', 'emb/part_2:0'], [3, 1], '10 4 4,3:0,4')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from varscope._dtypes import as_dtype
from varscope._shape import as_shape

if TYPE_CHECKING:
    from varscope._store import GetRequest, VariableStore

__all__ = ["get_partitioned"]


def get_partitioned(store: VariableStore, req: GetRequest) -> Any:
    """Get or create the partitioned variable ``req.name`` in ``store``."""
    from varscope._convert import is_tensor
    from varscope._store import GetRequest, _default_initializer
    from varscope.partitioned import PartitionedVariable, SaveSliceInfo
    from varscope.partitioners import PartitionInfo, call_partitioner, iter_slices, slice_dim_and_num_slices

    name = req.name
    initializer = req.initializer
    reuse = req.reuse
    partitioner = req.partitioner
    dtype = req.dtype
    initializing_from_value = initializer is not None and is_tensor(initializer)
    with store._lock:
        if name in store._vars:
            raise ValueError(
                f"A partitioner was provided, but an unpartitioned version of the variable was found: {name}.  "
                "Perhaps a variable of the same name was already created without partitioning?")
        shape = as_shape(req.shape)
        if initializing_from_value:
            shape = shape.merge_with(list(initializer.shape))
        partitions = None
        if not reuse or partitioner:
            partitions = call_partitioner(partitioner, shape, as_dtype(dtype))
        existing = store._partitioned_vars.get(name)
        if existing is not None:
            if reuse is False:
                raise ValueError(f"Partitioned variable with name {name} already exists. Did you mean to set "
                                 "reuse=True or reuse=tf.AUTO_REUSE in VarScope?")
            if not shape.is_compatible_with(existing.get_shape()):
                raise ValueError(f"Trying to reuse partitioned variable {name}, but specified shape {shape} and "
                                 f"found shape {existing.get_shape()}.")
            if not as_dtype(dtype).is_compatible_with(existing.dtype):
                raise ValueError(f"Trying to reuse partitioned variable {name}, but specified dtype "
                                 f"{as_dtype(dtype).name} and found dtype {existing.dtype.name}.")
            if partitions is not None and existing._get_partitions() != partitions:
                raise ValueError(f"Trying to reuse partitioned variable {name}, but specified partitions "
                                 f"{partitions} and found partitions {existing._get_partitions()}.")
            return existing
        if reuse is True:
            raise ValueError(f"PartitionedVariable {name} does not exist, or was not created with "
                             "tf.get_variable(). Did you mean to set reuse=False or reuse=tf.AUTO_REUSE in VarScope?")
        slice_dim, num_slices = slice_dim_and_num_slices(partitions)  # type: ignore[arg-type]
        if "%s/part_0" % name in store._vars:
            if "%s/part_%d" % (name, num_slices - 1) not in store._vars:
                raise ValueError(
                    "Partitioner returned a different partitioning than what was already found.  Partitioner "
                    f"returned {num_slices} shards, and shard {name}/part_0 was found, but "
                    f"{name}/part_{num_slices - 1} was not.")
            if "%s/part_%d" % (name, num_slices) in store._vars:
                raise ValueError(
                    "Partitioner returned a different partitioning than what was already found.  Partitioner "
                    f"returned {num_slices} shards, and shard {name}/part_0 was found, but so was the extra shard "
                    f"{name}/part_{num_slices}.")
        full_shape: list[int] = shape.as_list()  # type: ignore[assignment]  # fully defined (checked above)
        shards = []
        for i, (var_offset, var_shape) in enumerate(iter_slices(full_shape, num_slices, slice_dim)):
            partition_info = PartitionInfo(full_shape=full_shape, var_offset=var_offset)
            shard_name = "%s/part_%d" % (name, i)
            region = tuple(slice(o, o + n) for o, n in zip(var_offset, var_shape))
            if initializer is None:
                init: Any = _default_initializer(name, as_dtype(dtype))
                init_shape: Any = var_shape
            elif callable(initializer):
                init = initializer
                init_shape = var_shape
            elif initializing_from_value:
                init = initializer[region]
                dtype = as_dtype(initializer.dtype)
                init_shape = None
            else:
                from varscope._convert import to_numpy

                init = to_numpy(initializer, as_dtype(dtype))[region]
                init_shape = None
            shard_req = GetRequest(shard_name, init_shape, dtype, init, req.regularizer, reuse, req.trainable,
                                   req.collections, req.caching_device, None, req.validate_shape,
                                   req.use_resource, req.constraint, req.synchronization, req.aggregation)
            variable = store.get_single(shard_req, partition_info)
            variable._set_save_slice_info(SaveSliceInfo(name, full_shape, var_offset, var_shape))
            shards.append(variable)
        partitioned = PartitionedVariable(name=name, shape=shape, dtype=as_dtype(dtype), variable_list=shards,
                                          partitions=partitions)  # type: ignore[arg-type]
        store._partitioned_vars[name] = partitioned
        return partitioned

