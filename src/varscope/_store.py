"""``get_variable``'s decision logic: create or reuse, check, initialize, register (spec §5, §8, §10).

A call is resolved once into a :class:`GetRequest` (the scope's defaults filled in) and handed
through the custom-getter chain to the *true getter*, which picks the plain or the partitioned
path. The store of each graph is shared by all threads; a lock makes check-and-create atomic, so
concurrent ``AUTO_REUSE`` calls for one name create exactly one variable.

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

import functools
import inspect
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

import numpy as np

from varscope import _random
from varscope import initializers as _initializers
from varscope._dtypes import DType, as_dtype, float32, string
from varscope._graph import (_VALID_OP_NAME, Graph, GraphKeys, _check_scope_name, _GraphCore, current_state,
                             get_default_graph)
from varscope._scope import AUTO_REUSE, VariableScope, _ScopeMark
from varscope._shape import TensorShape, as_shape
from varscope._variables import (
    _PACKAGE_DIR,
    Variable,
    VariableAggregation,
    VariableSynchronization,
    creation_traceback,
    validate_synchronization_aggregation_trainable,
)

__all__ = ["GetRequest", "VariableStore", "default_store", "get_variable", "get_local_variable"]

_GLOBAL: Final = GraphKeys.GLOBAL_VARIABLES
_TRAINABLE: Final = GraphKeys.TRAINABLE_VARIABLES
_MISSING: Final = object()
_SYNC_AUTO: Final = VariableSynchronization.AUTO
_AGG_NONE: Final = VariableAggregation.NONE


class GetRequest:
    """One resolved ``get_variable`` call: what the getter chain passes along."""

    __slots__ = ("name", "shape", "dtype", "initializer", "regularizer", "reuse", "trainable", "collections",
                 "caching_device", "partitioner", "validate_shape", "use_resource", "constraint", "synchronization",
                 "aggregation")

    def __init__(self, name: Any, shape: Any, dtype: Any, initializer: Any, regularizer: Any, reuse: Any,
                 trainable: Any, collections: Any, caching_device: Any, partitioner: Any, validate_shape: Any,
                 use_resource: Any, constraint: Any, synchronization: Any, aggregation: Any) -> None:
        self.name = name
        self.shape = shape
        self.dtype = dtype
        self.initializer = initializer
        self.regularizer = regularizer
        self.reuse = reuse
        self.trainable = trainable
        self.collections = collections
        self.caching_device = caching_device
        self.partitioner = partitioner
        self.validate_shape = validate_shape
        self.use_resource = use_resource
        self.constraint = constraint
        self.synchronization = synchronization
        self.aggregation = aggregation

    def kwargs(self) -> dict[str, Any]:
        """The request as the keyword arguments a custom getter receives (without ``constraint``)."""
        return {"name": self.name, "shape": self.shape, "dtype": self.dtype, "initializer": self.initializer,
                "regularizer": self.regularizer, "reuse": self.reuse, "trainable": self.trainable,
                "collections": self.collections, "caching_device": self.caching_device,
                "partitioner": self.partitioner, "validate_shape": self.validate_shape,
                "use_resource": self.use_resource, "synchronization": self.synchronization,
                "aggregation": self.aggregation}


# -- inspection of user callables (cached per code object or class) ------------------------------------
_arg_cache: Final[dict[Any, tuple[tuple[str, ...], int, bool]]] = {}


def _argspec(fn: Any) -> tuple[tuple[str, ...], int, bool]:
    """(positional arg names, number of defaults, has **kwargs), as TF's ``getargspec`` sees them.

    Like TF, the names include ``self`` for callable objects and bound methods.
    """
    if inspect.isfunction(fn):
        key: Any = (fn.__code__, len(fn.__defaults__ or ()))
    elif isinstance(fn, (functools.partial, type)) or inspect.ismethod(fn):
        key = None
    else:
        key = type(fn)
    if key is not None:
        cached = _arg_cache.get(key)
        if cached is not None:
            return cached
    spec = inspect.getfullargspec(fn)
    result = (tuple(spec.args), len(spec.defaults or ()), spec.varkw is not None)
    if key is not None:
        _arg_cache[key] = result
    return result


def _accepts_partition_info(fn: Any) -> bool:
    return "partition_info" in _argspec(fn)[0]


def _needs_no_arguments(fn: Any) -> bool:
    args, n_defaults, _ = _argspec(fn)
    n_args = len(args)
    if not inspect.isfunction(fn) and not isinstance(fn, functools.partial):
        n_args -= 1  # getargspec counts ``self`` of callable objects
    return n_args == n_defaults


def _getter_takes_constraint(fn: Any) -> bool:
    args, _, varkw = _argspec(fn)
    if varkw:
        return True
    try:
        return "constraint" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


# TF's defaults by dtype (shared: initializers are stateless).
_DEFAULT_FLOAT_INIT: Final = _initializers.glorot_uniform_initializer()
_DEFAULT_OTHER_INIT: Final = _initializers.zeros_initializer()


_create_variable: Final = Variable._create  # (bound once: compiled code then calls it without a lookup)
# id(dtype) -> (dtype, its default); ids avoid DType.__hash__
_default_by_dtype: Final[dict[int, tuple[DType, Any]]] = {}


def _default_initializer(name: Any, dtype: DType) -> Any:
    """TF's default by dtype: glorot-uniform for floats, zeros for ints/bool/strings."""
    if dtype is float32:  # the usual case, without the table
        return _DEFAULT_FLOAT_INIT
    entry = _default_by_dtype.get(id(dtype))
    if entry is not None and entry[0] is dtype:
        return entry[1]
    init: Any
    if dtype.is_floating:
        init = _DEFAULT_FLOAT_INIT
    elif dtype.is_integer or dtype.is_unsigned or dtype.is_bool or dtype == string:
        init = _DEFAULT_OTHER_INIT
    else:
        raise ValueError(f"An initializer for variable {name} of {dtype.base_dtype} is required")
    _default_by_dtype[id(dtype)] = (dtype, init)
    return init


def _variable_op_name(graph: Graph, name: Any) -> str:
    """The op name TF gives a variable created under the root name scope with ``name_scope(name)``."""
    if name is None:
        name = "Variable"
    elif not name:
        return ""
    elif isinstance(name, bytes):
        name = name.decode("utf-8")
    _check_scope_name(name, nested=False)  # (a non-string raises TF's TypeError: "expected string or bytes-like")
    if name[-1] == "/":
        return name[:-1]
    return graph._unique(name)


class VariableStore:
    """The variables of one graph, by full name (TF's ``_VariableStore``)."""

    __slots__ = ("_graph", "_vars", "_partitioned_vars", "_lock", "_acquire", "_release", "_eager")

    def __init__(self, graph: Graph) -> None:
        self._graph = graph
        self._vars = graph._vars
        self._partitioned_vars = graph._partitioned_vars
        self._lock = graph._lock
        self._acquire: Callable[[], Any] = graph._lock.acquire
        self._release: Callable[[], Any] = graph._lock.release
        self._eager = graph._eager

    # -- entry point --------------------------------------------------------------------------------
    def get_variable(self, request: GetRequest, custom_getter: Any = None) -> Any:
        """Run ``request`` through ``custom_getter`` (if any) and the true getter."""
        if custom_getter is not None and not callable(custom_getter):
            raise ValueError(f"Passed a custom_getter which is not callable: {custom_getter}")
        if self._eager:
            request.use_resource = True
            request.reuse = AUTO_REUSE
        dtype = request.dtype
        if type(dtype) is not DType:
            request.dtype = getattr(dtype, "base_dtype", dtype)
        sync, agg, trainable = request.synchronization, request.aggregation, request.trainable
        if sync is _SYNC_AUTO and agg is _AGG_NONE:  # the defaults: trainable unless told otherwise
            if trainable is None:
                request.trainable = True
        elif type(sync) is not VariableSynchronization or type(agg) is not VariableAggregation or trainable is None:
            request.synchronization, request.aggregation, request.trainable = (
                validate_synchronization_aggregation_trainable(sync, agg, trainable, request.name))
        if custom_getter is None:
            return self.true_get(request)
        kwargs = request.kwargs()
        kwargs["getter"] = self._true_getter
        if _getter_takes_constraint(custom_getter):
            kwargs["constraint"] = request.constraint
        return custom_getter(**kwargs)

    def _true_getter(self, name: Any, shape: Any = None, dtype: Any = float32, initializer: Any = None,
                     regularizer: Any = None, reuse: Any = None, trainable: Any = None, collections: Any = None,
                     caching_device: Any = None, partitioner: Any = None, validate_shape: bool = True,
                     use_resource: Any = None, constraint: Any = None,
                     synchronization: Any = VariableSynchronization.AUTO,
                     aggregation: Any = VariableAggregation.NONE) -> Any:
        return self.true_get(GetRequest(name, shape, dtype, initializer, regularizer, reuse, trainable, collections,
                                        caching_device, partitioner, validate_shape, use_resource, constraint,
                                        synchronization, aggregation))

    def true_get(self, req: GetRequest) -> Any:
        """TF's ``_true_getter``: dispatch to the partitioned or the plain path."""
        shape = req.shape
        if shape is None:
            is_scalar = False
        elif type(shape) is list or type(shape) is tuple:
            is_scalar = not shape
        else:
            is_scalar = isinstance(shape, Sequence) and not shape
        name = req.name
        if req.partitioner is not None and not is_scalar:
            if not callable(req.partitioner):
                raise ValueError(f"Partitioner must be callable, but received: {req.partitioner}")
            return self.get_partitioned(req)
        if req.reuse is True and req.partitioner is None and name in self._partitioned_vars:
            return self.get_partitioned(req)
        if name in self._graph._part0_bases:
            raise ValueError(
                f"No partitioner was provided, but a partitioned version of the variable was found: {name}/part_0. "
                "Perhaps a variable of the same name was already created with partitioning?"
            )
        return self.get_single(req, None)

    # -- plain variables ----------------------------------------------------------------------------
    def get_single(self, req: GetRequest, partition_info: Any) -> Variable:
        """TF's ``_get_single_variable``: reuse checks, or initialize and register a new variable."""
        name = req.name
        shape = req.shape
        initializer = req.initializer
        initializing_from_value = initializer is not None and not callable(initializer)
        if shape is not None and initializing_from_value:
            raise ValueError("If initializer is a constant, do not specify shape.")
        dtype = req.dtype
        if type(dtype) is not DType:
            dtype = as_dtype(dtype)
        if shape is not None and type(shape) is not TensorShape:
            shape = as_shape(shape)
        reuse = req.reuse
        self._acquire()  # (the graph's lock: bound methods, fewer calls than `with` when compiled)
        try:
            found = self._vars.get(name, _MISSING)
            if found is not _MISSING:
                if reuse is False:
                    message = (f"Variable {name} already exists, disallowed. Did you mean to set reuse=True or "
                               "reuse=tf.AUTO_REUSE in VarScope?")
                    if found._is_resource:
                        raise ValueError(message)
                    # TF lists up to 5 creation frames, innermost first, without its own.
                    frames = [f for f in reversed(found.op.traceback) if not f[0].startswith(_PACKAGE_DIR)][:5]
                    import traceback

                    raise ValueError(f"{message} Originally defined at:\n\n" + "".join(
                        traceback.format_list([(f[0], f[1], f[2], None) for f in frames])))
                if shape is not None and shape._dims != found._shape._dims \
                        and not shape.is_compatible_with(found._shape):
                    raise ValueError(f"Trying to share variable {name}, but specified shape {shape} and found shape "
                                     f"{found._shape}.")
                if dtype is not found._dtype and not dtype.is_compatible_with(found.dtype):
                    raise ValueError(f"Trying to share variable {name}, but specified dtype {dtype.name} and found "
                                     f"dtype {found.dtype.name}.")
                return found
            if reuse is True:
                raise ValueError(f"Variable {name} does not exist, or was not created with tf.get_variable(). Did "
                                 "you mean to set reuse=tf.AUTO_REUSE in VarScope?")
            if initializer is None:
                if shape is None:
                    raise ValueError(f"Variable {name} did not get an initializer, so its `shape` argument must be "
                                     "specified.")
                initializer = _default_initializer(name, dtype)
            if initializing_from_value:
                make_value = None
                variable_dtype = None
            else:
                if initializer is not _DEFAULT_FLOAT_INIT and isinstance(initializer, type):
                    initializer = initializer()
                if shape is not None and shape.is_fully_defined():
                    make_value = initializer
                    variable_dtype = dtype
                elif _needs_no_arguments(initializer):
                    make_value = None
                    variable_dtype = None
                else:
                    raise ValueError(
                        "The initializer passed is not valid. It should be a callable with no arguments and the "
                        "shape should not be provided or an instance of `tf.keras.initializers.*' and `shape` "
                        "should be fully defined.")
            variable = _new_variable(self._graph, name, initializer, make_value, shape, variable_dtype,
                                     partition_info, req)
            self._vars[name] = variable
            if type(name) is str and name.endswith("/part_0"):
                self._graph._part0_bases.add(name[:-7])
        finally:
            self._release()
        regularizer = req.regularizer
        if regularizer:
            _add_regularization_loss(self._graph, name, variable, regularizer)
        return variable

    # -- partitioned variables ------------------------------------------------------------------------
    def get_partitioned(self, req: GetRequest) -> Any:
        """TF's ``_get_partitioned_variable`` (spec §10.1)."""
        from varscope._partitioned_store import get_partitioned

        return get_partitioned(self, req)


def _check_variable_args(collections: Any, constraint: Any, is_resource: bool) -> Any:
    """The Variable constructor's checks, in TF's order; returns the collections (default: GLOBAL)."""
    if collections is None:
        collections = [_GLOBAL]
    elif not isinstance(collections, (list, tuple, set)):
        raise ValueError("collections argument to Variable constructor must be a list, tuple, or set. Got "
                         f"{collections} of type {type(collections)}")
    if constraint is not None and not callable(constraint):
        if is_resource:
            raise ValueError(f"Argument `constraint` must be None or a callable. a callable. Got a "
                             f"{type(constraint)}:  {constraint}")
        raise ValueError("The `constraint` argument must be a callable.")
    return collections


def _new_variable(graph: Graph, name: Any, initializer: Any, make_value: Any, shape: TensorShape | None,
                  dtype: DType | None, partition_info: Any, req: GetRequest) -> Variable:
    """Validate the Variable-constructor arguments, name the op, compute the initial value, register."""
    trainable = req.trainable
    constraint = req.constraint
    is_resource = req.use_resource is None or bool(req.use_resource)
    collections = _check_variable_args(req.collections, constraint, is_resource)
    core = graph._core
    op_name = core.unique_op_name(name, is_resource) if type(name) is str else None  # the common case
    if op_name is None:
        # (The regex directly: full variable names rarely repeat, so _op_name_ok's memo would not help.)
        if type(name) is str and name and name[-1] != "/" and _VALID_OP_NAME.match(name) is not None:
            op_name = core.unique(name, True, is_resource)  # the next most common case of _variable_op_name
        else:
            op_name = _variable_op_name(graph, name)
            graph._mark_variable(op_name, is_resource)
    provider = graph.value_provider
    value: Any = None
    if make_value is _DEFAULT_FLOAT_INIT and provider is None and partition_info is None:
        # The default initializer, keyed directly (the common case; same values as calling it below).
        raw = _initializers.default_float_values(shape, dtype, graph.seed or 0,  # type: ignore
                                                 op_name if name is None else name)
        if raw is not None and core.numpy_values:
            value = raw  # a NumPy array of the variable's shape and dtype already: nothing to check
    else:
        raw = None
    if value is None:
        value, shape, dtype = _initial_value(graph, name, op_name, raw, initializer, make_value, shape, dtype,
                                             partition_info, req)
    variable = _create_variable(graph, op_name, value, shape, dtype, trainable, constraint,  # type: ignore[arg-type]
                                req.caching_device, req.synchronization, req.aggregation, is_resource, name)
    if not is_resource:
        variable.op.traceback = creation_traceback()
    _add_to_collections(core, variable, req.collections if core.eager else collections, trainable)
    return variable


def _initial_value(graph: Graph, name: Any, op_name: str, raw: Any, initializer: Any, make_value: Any,
                   shape: TensorShape | None, dtype: DType | None, partition_info: Any,
                   req: GetRequest) -> tuple[Any, TensorShape, DType]:
    """The new variable's value as an array of the graph's backend, checked against ``shape``, with the
    shape and dtype it settles (``raw``: the initializer's result, when already computed)."""
    provider = graph.value_provider
    if raw is None:
        random_state = _random._local
        old_key = random_state.key
        random_state.key = (graph.seed or 0, op_name if name is None else name)
        try:
            if provider is not None:  # e.g. varscope.jax: hand out an existing array instead of initializing
                raw = provider(name, shape, dtype, partition_info, req)
            elif make_value is None:
                raw = initializer() if callable(initializer) else initializer
            elif partition_info is not None and _accepts_partition_info(make_value):
                raw = make_value(shape.as_list(), dtype=dtype,  # type: ignore[union-attr]
                                 partition_info=partition_info)
            else:
                raw = make_value(shape.as_list(), dtype=dtype)  # type: ignore[union-attr]
        finally:
            random_state.key = old_key
    backend = graph._backend
    if dtype is None:
        from varscope._convert import infer_dtype

        dtype = infer_dtype(raw)
    np_dtype = dtype.as_numpy_dtype
    if backend.is_array(raw) and raw.dtype == np_dtype:
        value = raw.copy() if raw is initializer and isinstance(raw, np.ndarray) else raw
    else:
        from varscope._convert import to_numpy

        value = backend.asarray(to_numpy(raw, dtype), np_dtype)
    value_shape = value.shape
    if shape is None:
        shape = TensorShape(list(value_shape))
    elif shape._dims != value_shape and req.validate_shape and not shape.is_compatible_with(value_shape):
        raise ValueError(f"Shapes {shape} and {TensorShape(list(value_shape))} are incompatible")
    return value, shape, dtype


def _add_to_collections(core: _GraphCore, variable: Variable, collections: Any, trainable: Any) -> None:
    table = core.collections
    unique: Iterable[str]
    if core.eager:
        names = list(collections) if collections else [_GLOBAL]
        if trainable:
            names.append(_TRAINABLE)
        unique = set(names)
    elif type(collections) is list and len(collections) == 1 and collections[0] == _GLOBAL:
        # The usual case: GLOBAL_VARIABLES, and TRAINABLE_VARIABLES when trainable.
        # (The caller holds graph._lock: variables are created under the store's lock.)
        bucket = table.get(_GLOBAL)
        if bucket is None:
            bucket = table[_GLOBAL] = []
        bucket.append(variable)
        if trainable:
            bucket = table.get(_TRAINABLE)
            if bucket is None:
                bucket = table[_TRAINABLE] = []
            bucket.append(variable)
        return
    else:
        names = list(collections)
        if trainable and _TRAINABLE not in names:
            names.append(_TRAINABLE)
        unique = set(names)
    for key in unique:  # (the caller holds graph._lock: variables are created under the store's lock)
        bucket = table.get(key)
        if bucket is None:
            bucket = table[key] = []
        bucket.append(variable)


def _add_regularization_loss(graph: Graph, name: Any, variable: Variable, regularizer: Any) -> None:
    """TF calls the regularizer twice: once at the root name scope (its ops stay there), then again
    under ``<name>/Regularizer/`` to build the loss that goes to ``REGULARIZATION_LOSSES``."""
    from varscope.regularizers import make_regularization_loss

    with graph.name_scope(None):
        first = regularizer(variable)
    if first is not None:
        with graph.name_scope(name + "/Regularizer/"):
            loss = make_regularization_loss(name, variable, regularizer)
        if loss is not None:
            graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)


def build_variable(variable: Variable, initial_value: Any, *, trainable: Any, collections: Any,
                   validate_shape: bool, caching_device: Any, name: Any, dtype: Any, constraint: Any,
                   use_resource: Any, synchronization: Any, aggregation: Any, shape: Any) -> None:
    """Fill in ``variable`` for ``tf.compat.v1.Variable(...)``: named by the current name scope."""
    graph = get_default_graph()
    synchronization, aggregation, trainable = validate_synchronization_aggregation_trainable(
        synchronization, aggregation, trainable, name)
    is_resource = use_resource is None or bool(use_resource)
    collections = _check_variable_args(collections, constraint, is_resource)
    with graph.name_scope(name if name is not None else "Variable") as scope_name:
        op_name = scope_name[:-1] if scope_name.endswith("/") else scope_name
    old_key = _random.set_key(graph.seed, op_name)
    try:
        raw = initial_value() if callable(initial_value) else initial_value
    finally:
        _random.reset_key(old_key)
    from varscope._convert import to_numpy

    dt = as_dtype(dtype) if dtype is not None else None
    arr = to_numpy(raw, dt)
    dt = dt if dt is not None else as_dtype(arr.dtype)
    value = graph._backend.asarray(arr, dt.as_numpy_dtype)
    static = as_shape(shape) if shape is not None else (
        TensorShape(list(value.shape)) if validate_shape else TensorShape(None))
    fresh = Variable._create(graph, op_name, value, static, dt, trainable, constraint, caching_device,
                             synchronization, aggregation, is_resource, None)
    for slot in Variable.__slots__:
        if slot != "__weakref__":
            object.__setattr__(variable, slot, getattr(fresh, slot))
    if not is_resource:
        variable.op.traceback = creation_traceback()
    names = list(collections)
    if trainable and _TRAINABLE not in names:
        names.append(_TRAINABLE)
    if not graph._eager:
        graph.add_to_collections(names, variable)


def default_store() -> VariableStore:
    """The variable store of the default graph."""
    core = get_default_graph()._core
    store = core.store
    if store is None:
        store = core.store = VariableStore(core.graph)
    return store  # type: ignore[no-any-return]


def get_variable(name: Any, shape: Any = None, dtype: Any = None, initializer: Any = None, regularizer: Any = None,
                 trainable: Any = None, collections: Any = None, caching_device: Any = None,
                 partitioner: Any = None, validate_shape: bool = True, use_resource: Any = None,
                 custom_getter: Any = None, constraint: Any = None,
                 synchronization: Any = VariableSynchronization.AUTO,
                 aggregation: Any = VariableAggregation.NONE) -> Any:
    """Gets an existing variable with these parameters or creates a new one (``tf.compat.v1.get_variable``).

    The variable is named ``<current variable scope>/<name>``; whether it is created or reused
    follows the scope's ``reuse`` (spec §5). Errors are TensorFlow's, word for word.

    Args:
        name: The variable's name inside the current variable scope.
        shape: Its shape (required unless the initializer is a value or a zero-argument callable).
        dtype: Its dtype (default: the scope's, float32).
        initializer: An initializer object/callable, or a value (then ``shape`` must be None).
        regularizer: Called on the new variable; a non-None result is added to
            ``GraphKeys.REGULARIZATION_LOSSES``.
        trainable: Add to ``TRAINABLE_VARIABLES`` (default True unless synchronization is ON_READ).
        collections: Collections to add the variable to (default ``[GLOBAL_VARIABLES]``).
        caching_device: Recorded only.
        partitioner: Split the variable into shards (returns a ``PartitionedVariable``).
        validate_shape: Check the initial value against ``shape``.
        use_resource: False makes a "RefVariable" (only error texts differ).
        custom_getter: Replaces the scope's getter chain for this call.
        constraint: Projection applied by ``assign``.
        synchronization: A ``VariableSynchronization``.
        aggregation: A ``VariableAggregation``.

    Returns:
        The created or existing :class:`Variable` (or ``PartitionedVariable``).

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     with tf1.variable_scope("foo"):
        ...         v = tf1.get_variable("v", [1], initializer=tf1.zeros_initializer())
        ...     with tf1.variable_scope("foo", reuse=True):
        ...         same = tf1.get_variable("v", [1])
        >>> v.name, same is v, v.numpy().tolist()
        ('foo/v:0', True, [0.0])
    """
    state = current_state()
    core = state.core
    scope: VariableScope = state.current
    plain = (type(name) is str and custom_getter is None and partitioner is None and scope._custom_getter is None
             and scope._partitioner is None and not scope._eager and synchronization is _SYNC_AUTO
             and aggregation is _AGG_NONE)
    mark = state.current_mark if plain else None
    if plain and scope._reuse is not False:
        found = _reused(core, scope, mark, name, shape, dtype, initializer)
        if found is not None:
            return found
    store = core.store
    if store is None:
        store = core.store = VariableStore(core.graph)
    result = scope.get_variable(
        store, name, shape, dtype, initializer, regularizer, None, trainable, collections, caching_device,
        partitioner, validate_shape, use_resource, custom_getter, constraint, synchronization, aggregation)
    if mark is not None and type(result) is Variable:
        mark.remember(name, result)  # the store's variable for this scope and name, from now on
    return result


def _reused(core: _GraphCore, scope: VariableScope, mark: _ScopeMark | None, name: str, shape: Any, dtype: Any,
            initializer: Any) -> Variable | None:
    """The variable a reusing ``get_variable`` call returns, when the general path would return it
    without further checks; None whenever that path has anything else to do (create, raise, shard).

    ``mark``, the current scope's mark in this thread when known, remembers the last two variables
    got in the scope by name, with their dtype and dimensions, so fetching one of them again needs
    neither its full name nor the graph-wide table. The caller has checked that the scope reuses, and
    that no getter, partitioner or eager mode is in play.
    """
    found: Variable | None = None
    found_dtype: Any = None
    dims: Any = None
    if mark is not None and not core.part0_bases:
        found, found_dtype, dims = mark.recall(name)
    if found is None:
        scope_name: str = scope._name
        full_name = f"{scope_name}/{name}" if scope_name else name
        found = core.vars.get(full_name)
        if found is None or full_name in core.part0_bases:
            return None
        found_dtype = found._dtype
        dims = found._shape._dims
    if initializer is not None and not callable(initializer):
        return None
    if (dtype if dtype is not None else scope._dtype) is not found_dtype:
        return None
    if shape is not None:
        if type(shape) is not list:
            return None  # tuples, TensorShapes, ...: the general path converts them
        requested: list[Any] = shape
        if dims is None or len(requested) != len(dims):
            return None
        i = 0
        for d in requested:
            if type(d) is not int or d != dims[i]:
                return None
            i += 1
    return found


def get_local_variable(name: Any, shape: Any = None, dtype: Any = None, initializer: Any = None,
                       regularizer: Any = None, trainable: Any = False, collections: Any = None,
                       caching_device: Any = None, partitioner: Any = None, validate_shape: bool = True,
                       use_resource: Any = None, custom_getter: Any = None, constraint: Any = None,
                       synchronization: Any = VariableSynchronization.AUTO,
                       aggregation: Any = VariableAggregation.NONE) -> Any:
    """Like :func:`get_variable`, but in ``LOCAL_VARIABLES`` and never trainable.

    As in TF, a passed ``collections`` list is extended in place with ``"local_variables"``.

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     v = tf1.get_local_variable("count", [], dtype=tf1.int32)
        ...     [x.name for x in tf1.local_variables()], v.trainable
        (['count:0'], False)
    """
    if collections:
        collections += [GraphKeys.LOCAL_VARIABLES]
    else:
        collections = [GraphKeys.LOCAL_VARIABLES]
    return get_variable(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                        trainable=False, collections=collections, caching_device=caching_device,
                        partitioner=partitioner, validate_shape=validate_shape, use_resource=use_resource,
                        synchronization=synchronization, aggregation=aggregation, custom_getter=custom_getter,
                        constraint=constraint)
