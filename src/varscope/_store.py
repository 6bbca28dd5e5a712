"""The variable store: ``get_variable``'s decisions, create or reuse, check, initialize, register (spec §5, §10).

One ``get_variable`` call becomes one :class:`VariableSpec` (the scope's defaults resolved), which
the custom-getter chain hands on and the *true getter* decides on: the partitioned or the plain
path, reuse checks with TF's errors, or a new variable. The store of a graph is shared by all
threads: the graph's lock makes check-and-create atomic, so concurrent ``AUTO_REUSE`` calls for one
name create exactly one variable (TensorFlow itself is not safe here).

Example:
    >>> import varscope as tf1
    >>> with tf1.Graph().as_default():
    ...     with tf1.variable_scope("s", reuse=tf1.AUTO_REUSE):
    ...         a = tf1.get_variable("v", [2])
    ...         b = tf1.get_variable("v", [2])
    >>> a is b
    True
"""

from __future__ import annotations

import collections.abc
import enum
import functools
import inspect
import traceback
from typing import Any, NamedTuple

import numpy as np

from varscope._convert import is_tensor, to_numpy
from varscope._dtypes import DType, as_dtype, float32, string
from varscope._graph import Graph, GraphKeys
from varscope._shape import TensorShape, as_shape
from varscope._variables import _PACKAGE_DIR, Variable, VariableAggregation, VariableSynchronization, new_variable
from varscope.errors import (DTypeMismatchError, PartitioningError, ShapeMismatchError, VariableExistsError,
                             VariableNotFoundError)
from varscope import initializers
from varscope.initializers import glorot_uniform_initializer, zeros_initializer
from varscope.partitioned import PartitionedVariable, SaveSliceInfo
from varscope.partitioners import PartitionInfo, call_partitioner, iter_slices, slice_dim_and_num_slices
from varscope.regularizers import make_regularization_loss

__all__ = ["AUTO_REUSE", "VariableSpec", "VariableStore", "store_for"]


class _ReuseMode(enum.Enum):
    """Mode for variable access within a variable scope."""

    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE
"""Create variables that do not exist and return those that do."""


class VariableSpec(NamedTuple):
    """One resolved ``get_variable`` request, as the getter chain hands it on.

    The fields and their defaults are the parameters of TF's true getter, in its order, so a custom
    getter's ``getter(name, *args, **kwargs)`` call makes one with ``VariableSpec(name, *args, **kwargs)``.
    """

    name: Any
    shape: Any = None
    dtype: Any = float32
    initializer: Any = None
    regularizer: Any = None
    reuse: Any = None
    trainable: Any = None
    collections: Any = None
    caching_device: Any = None
    partitioner: Any = None
    validate_shape: Any = True
    use_resource: Any = None
    constraint: Any = None
    synchronization: Any = VariableSynchronization.AUTO
    aggregation: Any = VariableAggregation.NONE


def _default_initializer(name: Any, dtype: DType) -> Any:
    """TF's default by dtype: glorot-uniform for floats, zeros for ints, bool and strings."""
    if dtype.is_floating:
        return glorot_uniform_initializer()
    if dtype.is_integer or dtype.is_unsigned or dtype.is_bool or dtype == string:
        return zeros_initializer()
    raise ValueError(f"An initializer for variable {name} of {dtype.base_dtype} is required")


# ``inspect.getfullargspec`` costs about 40 µs per call, and every created variable asks it about its
# initializer: without this cache, creating a variable took 60 µs instead of 40 µs in
# benchmarks/bench_scoping.py. Keyed by what decides the answer: a function's code and number of
# defaults, a callable object's class (its ``__call__``); partials and bound methods are not cached.
_argspecs: dict[Any, tuple[list[str], int]] = {}


def _argspec(fn: Any) -> tuple[list[str], int]:
    """(positional parameter names, number of defaults), as TF's ``getargspec`` sees them (``self``
    included for callable objects)."""
    if inspect.isfunction(fn):
        key: Any = (fn.__code__, len(fn.__defaults__ or ()))
    elif isinstance(fn, (functools.partial, type)) or inspect.ismethod(fn):
        key = None
    else:
        key = type(fn)
    found = _argspecs.get(key) if key is not None else None
    if found is None:
        spec = inspect.getfullargspec(fn)
        found = (spec.args, len(spec.defaults or ()))
        if key is not None:
            if len(_argspecs) > 1024:
                _argspecs.clear()
            _argspecs[key] = found
    return found


def accepts_partition_info(fn: Any) -> bool:
    """Whether TF passes ``partition_info`` to the initializer ``fn``."""
    return "partition_info" in _argspec(fn)[0]


def _needs_no_arguments(fn: Any) -> bool:
    """TF's ``_needs_no_arguments``: every positional parameter has a default (``self`` not counted)."""
    args, n_defaults = _argspec(fn)
    n_args = len(args)
    if not inspect.isfunction(fn) and not isinstance(fn, functools.partial):
        n_args -= 1
    return n_args == n_defaults


# Initial values of at least this many elements are computed on first read, not at creation (see
# ``new_variable``'s ``lazy``): in benchmarks/bench_load.py building GPT-2 774M took 20.2 s of initial
# values that Saver.restore then replaced. Smaller ones cost less to compute than to defer.
LAZY_MIN_ELEMENTS = 1 << 16
# The built-in initializers (exact types: a subclass may do anything) whose errors depend only on
# their arguments and the dtype, not on the dimensions, and which touch no graph state.
_LAZY_TYPES = frozenset({initializers.Zeros, initializers.Ones, initializers.RandomUniform, initializers.RandomNormal,
                         initializers.TruncatedNormal, initializers.UniformUnitScaling, initializers.VarianceScaling,
                         initializers.GlorotUniform, initializers.GlorotNormal})


def _lazy(initializer: Any, shape: TensorShape) -> bool:
    """Whether the value of ``initializer`` for ``shape`` (fully defined) is computed on first read."""
    kind = type(initializer)
    if kind is initializers.Constant:  # a scalar fill only (a list or array must fit the shape)
        if initializer._verify_shape or np.ndim(initializer.value) != 0:
            return False
    elif kind not in _LAZY_TYPES:
        return False
    return shape.num_elements() >= LAZY_MIN_ELEMENTS  # type: ignore[operator]


class VariableStore:
    """The variables of one graph, by full name (TF's ``_VariableStore``); see :func:`store_for`."""

    def __init__(self, graph: Graph) -> None:
        self._graph = graph
        self._vars = graph._vars
        self._partitioned_vars = graph._partitioned_vars
        self._lock = graph._lock

    def true_getter(self, *args: Any, **kwargs: Any) -> Any:
        """TF's ``_true_getter(name, shape=None, dtype=float32, ...)``: what the last custom getter calls."""
        return self.get(VariableSpec(*args, **kwargs))

    def get(self, spec: VariableSpec) -> Any:
        """The true getter's dispatch: the partitioned or the plain path (spec §5.3)."""
        shape = spec.shape
        if spec.partitioner is not None and not (  # (a scalar shape is never partitioned)
                shape is not None and isinstance(shape, collections.abc.Sequence) and not shape):
            if not callable(spec.partitioner):
                raise ValueError(f"Partitioner must be callable, but received: {spec.partitioner}")
            with self._graph.name_scope(None):
                return self._get_partitioned(spec)
        if spec.reuse is True and spec.partitioner is None and spec.name in self._partitioned_vars:
            return self._get_partitioned(spec)
        if f"{spec.name}/part_0" in self._vars:
            raise PartitioningError(
                f"No partitioner was provided, but a partitioned version of the variable was found: {spec.name}/part_0. "
                "Perhaps a variable of the same name was already created with partitioning?")
        return self._get_single(spec, None)

    # -- one variable -------------------------------------------------------------------------------
    def _get_single(self, spec: VariableSpec, partition_info: PartitionInfo | None) -> Variable:
        """TF's ``_get_single_variable``: reuse checks, or initialize and register a new variable."""
        name, shape, initializer, reuse = spec.name, spec.shape, spec.initializer, spec.reuse
        from_value = initializer is not None and not callable(initializer)
        if shape is not None and from_value:
            raise ValueError("If initializer is a constant, do not specify shape.")
        dtype = spec.dtype if type(spec.dtype) is DType else as_dtype(spec.dtype)
        if shape is not None and not isinstance(shape, TensorShape):
            shape = TensorShape(shape)
        with self._lock:
            found = self._vars.get(name)
            if found is not None:
                return self._reuse(found, name, shape, dtype, reuse)
            if reuse is True:
                raise VariableNotFoundError(f"Variable {name} does not exist, or was not created with "
                                            "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope?")
            variable = self._create(spec, name, shape, dtype, initializer, from_value, partition_info)
            self._vars[name] = variable
        if spec.regularizer:
            self._add_regularization_loss(name, variable, spec.regularizer)
        return variable

    @staticmethod
    def _reuse(found: Variable, name: Any, shape: TensorShape | None, dtype: DType, reuse: Any) -> Variable:
        if reuse is False:
            message = (f"Variable {name} already exists, disallowed. Did you mean to set reuse=True or "
                       "reuse=tf.AUTO_REUSE in VarScope?")
            if found._is_resource:
                raise VariableExistsError(message)
            # TF lists up to 5 creation frames, innermost first, without its own.
            frames = [f for f in reversed(found.op.traceback) if not f[0].startswith(_PACKAGE_DIR)][:5]
            raise VariableExistsError(f"{message} Originally defined at:\n\n" + "".join(
                traceback.format_list([(f[0], f[1], f[2], None) for f in frames])))
        if shape is not None and not shape.is_compatible_with(found._shape):
            raise ShapeMismatchError(f"Trying to share variable {name}, but specified shape {shape} and found shape "
                                     f"{found.shape}.")
        if not dtype.is_compatible_with(found._dtype):  # (the base dtype: a ref dtype is compatible with it)
            raise DTypeMismatchError(f"Trying to share variable {name}, but specified dtype {dtype.name} and found "
                                     f"dtype {found.dtype.name}.")
        return found

    def _create(self, spec: VariableSpec, name: Any, shape: TensorShape | None, dtype: DType, initializer: Any,
                from_value: bool, partition_info: PartitionInfo | None) -> Variable:
        """A new variable ``name`` (the caller holds the lock and has checked that the name is free)."""
        graph = self._graph
        if initializer is None:
            if shape is None:
                raise ValueError(f"Variable {name} did not get an initializer, so its `shape` argument must be "
                                 "specified.")
            initializer = _default_initializer(name, dtype)
        variable_dtype: DType | None
        lazy = False
        if from_value:
            init_val: Any = initializer
            variable_dtype = None
        else:
            if inspect.isclass(initializer):
                initializer = initializer()
            if shape is not None and shape.is_fully_defined():
                if accepts_partition_info(initializer):
                    init_val = functools.partial(initializer, shape.as_list(), dtype=dtype,
                                                 partition_info=partition_info)
                else:
                    init_val = functools.partial(initializer, shape.as_list(), dtype=dtype)
                variable_dtype = dtype.base_dtype
                lazy = _lazy(initializer, shape)
            elif _needs_no_arguments(initializer):
                init_val = initializer
                variable_dtype = None
            else:
                raise ValueError(
                    "The initializer passed is not valid. It should be a callable with no arguments and the "
                    "shape should not be provided or an instance of `tf.keras.initializers.*' and `shape` "
                    "should be fully defined.")
        provider = graph.value_provider
        if provider is not None:  # e.g. varscope.jax: an existing array instead of the initializer's
            init_val = functools.partial(provider, name, shape, variable_dtype, partition_info, spec)
            lazy = False
        variable = new_variable(
            graph, name, init_val, dtype=variable_dtype, shape=shape, validate_shape=spec.validate_shape,
            trainable=spec.trainable, collections=spec.collections, caching_device=spec.caching_device,
            constraint=spec.constraint, use_resource=spec.use_resource, synchronization=spec.synchronization,
            aggregation=spec.aggregation, store_key=name, lazy=lazy)
        if graph.eager:  # TF's EagerVariableStore adds what graph-mode variables add themselves
            graph.add_to_collections(list(spec.collections) if spec.collections else [GraphKeys.GLOBAL_VARIABLES],
                                     variable)
            if variable.trainable:
                graph.add_to_collection(GraphKeys.TRAINABLE_VARIABLES, variable)
        return variable

    def _add_regularization_loss(self, name: Any, variable: Variable, regularizer: Any) -> None:
        """TF calls the regularizer twice: once at the root name scope (its ops stay there), then again
        under ``<name>/Regularizer/`` to build the loss that goes to ``REGULARIZATION_LOSSES``."""
        graph = self._graph
        with graph.name_scope(None):
            first = regularizer(variable)
        if first is not None:
            with graph.name_scope(name + "/Regularizer/"):
                loss = make_regularization_loss(name, variable, regularizer)
            if loss is not None:
                graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)

    # -- partitioned variables ------------------------------------------------------------------------
    def _get_partitioned(self, spec: VariableSpec) -> PartitionedVariable:
        """TF's ``_get_partitioned_variable`` (spec §10.1)."""
        name, initializer, reuse, partitioner = spec.name, spec.initializer, spec.reuse, spec.partitioner
        dtype = as_dtype(spec.dtype)
        from_tensor = initializer is not None and is_tensor(initializer)
        with self._lock:
            if name in self._vars:
                raise PartitioningError(
                    f"A partitioner was provided, but an unpartitioned version of the variable was found: {name}.  "
                    "Perhaps a variable of the same name was already created without partitioning?")
            shape = as_shape(spec.shape)
            if from_tensor:
                shape = shape.merge_with(list(initializer.shape))
            partitions = None
            if not reuse or partitioner:
                partitions = call_partitioner(partitioner, shape, dtype)
            existing = self._partitioned_vars.get(name)
            if existing is not None:
                return self._reuse_partitioned(existing, name, shape, dtype, partitions, reuse)
            if reuse is True:
                raise VariableNotFoundError(
                    f"PartitionedVariable {name} does not exist, or was not created with tf.get_variable(). Did you "
                    "mean to set reuse=False or reuse=tf.AUTO_REUSE in VarScope?")
            assert partitions is not None
            slice_dim, num_slices = slice_dim_and_num_slices(partitions)
            self._check_shards_found(name, num_slices)
            full_shape: list[int] = shape.as_list()  # type: ignore[assignment]  # fully defined (checked above)
            shards = []
            for i, (var_offset, var_shape) in enumerate(iter_slices(full_shape, num_slices, slice_dim)):
                shard_name = f"{name}/part_{i}"
                with self._graph.name_scope(shard_name + "/PartitionedInitializer"):
                    if initializer is None:
                        init: Any = _default_initializer(name, dtype)
                        init_shape: Any = var_shape
                    elif callable(initializer):
                        init, init_shape = initializer, var_shape
                    else:
                        region = tuple(slice(o, o + n) for o, n in zip(var_offset, var_shape))
                        if from_tensor:
                            init = initializer[region]
                            dtype = as_dtype(initializer.dtype)
                        else:
                            init = to_numpy(initializer, dtype)[region]
                        init_shape = None
                with self._graph.name_scope(None):
                    shard = self._get_single(spec._replace(name=shard_name, shape=init_shape, dtype=dtype,
                                                           initializer=init, partitioner=None),
                                             PartitionInfo(full_shape=full_shape, var_offset=var_offset))
                shard._set_save_slice_info(SaveSliceInfo(name, full_shape, var_offset, var_shape))
                shards.append(shard)
            partitioned = PartitionedVariable(name=name, shape=shape, dtype=dtype, variable_list=shards,
                                              partitions=partitions)
            self._partitioned_vars[name] = partitioned
            return partitioned

    @staticmethod
    def _reuse_partitioned(existing: PartitionedVariable, name: Any, shape: TensorShape, dtype: DType,
                           partitions: Any, reuse: Any) -> PartitionedVariable:
        if reuse is False:
            raise VariableExistsError(f"Partitioned variable with name {name} already exists. Did you mean to set "
                                      "reuse=True or reuse=tf.AUTO_REUSE in VarScope?")
        if not shape.is_compatible_with(existing.get_shape()):
            raise ShapeMismatchError(f"Trying to reuse partitioned variable {name}, but specified shape {shape} and "
                                     f"found shape {existing.get_shape()}.")
        if not dtype.is_compatible_with(existing.dtype):
            raise DTypeMismatchError(f"Trying to reuse partitioned variable {name}, but specified dtype {dtype.name} "
                                     f"and found dtype {existing.dtype.name}.")
        if partitions is not None and existing._get_partitions() != partitions:
            raise PartitioningError(f"Trying to reuse partitioned variable {name}, but specified partitions "
                                    f"{partitions} and found partitions {existing._get_partitions()}.")
        return existing

    def _check_shards_found(self, name: Any, num_slices: int) -> None:
        if f"{name}/part_0" not in self._vars:
            return
        if f"{name}/part_{num_slices - 1}" not in self._vars:
            raise PartitioningError(
                "Partitioner returned a different partitioning than what was already found.  Partitioner returned "
                f"{num_slices} shards, and shard {name}/part_0 was found, but {name}/part_{num_slices - 1} was not.")
        if f"{name}/part_{num_slices}" in self._vars:
            raise PartitioningError(
                "Partitioner returned a different partitioning than what was already found.  Partitioner returned "
                f"{num_slices} shards, and shard {name}/part_0 was found, but so was the extra shard "
                f"{name}/part_{num_slices}.")


def store_for(graph: Graph) -> VariableStore:
    """The variable store of ``graph`` (one per graph, made on first use)."""
    store: VariableStore | None = graph._store
    if store is None:
        with graph._lock:
            store = graph._store
            if store is None:
                store = graph._store = VariableStore(graph)
    return store
