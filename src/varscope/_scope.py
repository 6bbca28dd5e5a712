"""Variable scopes and ``get_variable``: ``VariableScope``, ``variable_scope``, ``get_variable_scope``.

Each graph keeps, per thread, the current :class:`VariableScope` and the counters that number
``default_name`` scopes (:class:`varscope._context.ScopeState`). Entering a scope is TF's algorithm
(spec §2): a name scope first (uniquified), then a new VariableScope that inherits from the current
one (string names) or copies a captured scope (VariableScope objects). ``get_variable`` resolves the
current scope's defaults into one :class:`~varscope._store.VariableSpec` and runs it through the
custom getters to the store, at the root name scope.

Example:
    >>> import varscope as tf1
    >>> with tf1.Graph().as_default():
    ...     with tf1.variable_scope("tower") as scope:
    ...         w = tf1.get_variable("w", [2])
    ...     with tf1.variable_scope(scope, reuse=True):
    ...         w2 = tf1.get_variable("w", [2])
    ...     names = []
    ...     for _ in range(2):
    ...         with tf1.variable_scope(None, default_name="layer") as layer:
    ...             names.append(layer.name)
    >>> w is w2, w.name, names
    (True, 'tower/w:0', ['layer', 'layer_1'])
"""

from __future__ import annotations

import logging
from typing import Any

from varscope._context import ScopeState
from varscope._convert import infer_dtype
from varscope._dtypes import float32
from varscope._getters import run_getters, wrap_custom_getter
from varscope._graph import Graph, GraphKeys, get_default_graph
from varscope._store import AUTO_REUSE, VariableSpec, store_for
from varscope._variables import VariableAggregation, VariableSynchronization, graph_from_inputs
from varscope._variables import validate_synchronization_aggregation_trainable as _validate_sync
from varscope.errors import ReuseError

__all__ = ["AUTO_REUSE", "VariableScope", "variable_scope", "variable_op_scope", "get_variable_scope",
           "get_variable", "get_local_variable"]

_PRIVATE_PARTITIONED = (
    "Private access to _get_partitioned_variable is not allowed when a custom getter is set.  Current custom "
    "getter: %s.  It is likely that you're using create_partitioned_variables.  If so, consider instead using "
    "get_variable with a non-empty partitioner parameter instead."
)


class VariableScope:
    """A variable scope: a name prefix plus defaults for the variables created inside it.

    Usually obtained from ``with variable_scope(...) as scope`` or ``get_variable_scope()``, and
    re-entered with ``variable_scope(scope)``. The ``reuse`` argument is required, as in TF.

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     with tf1.variable_scope("foo", dtype=tf1.float16) as scope:
        ...         pass
        >>> scope.name, scope.original_name_scope, scope.reuse, scope.dtype.name
        ('foo', 'foo/', False, 'float16')
    """

    def __init__(self, reuse: Any, name: Any = "", initializer: Any = None, regularizer: Any = None,
                 caching_device: Any = None, partitioner: Any = None, custom_getter: Any = None,
                 name_scope: Any = "", dtype: Any = float32, use_resource: Any = None,
                 constraint: Any = None) -> None:
        self._name = name
        self._initializer = initializer
        self._regularizer = regularizer
        self._reuse = reuse
        self._caching_device = caching_device
        self._partitioner = partitioner
        self._custom_getter = custom_getter
        self._name_scope = name_scope
        self._dtype = dtype
        self._use_resource = use_resource
        self._constraint = constraint
        self._eager = get_default_graph()._eager
        if self._eager:
            if caching_device is not None:
                raise NotImplementedError("Caching devices is not yet supported when eager execution is enabled.")
            self._reuse = AUTO_REUSE
            self._use_resource = True

    @property
    def name(self) -> Any:
        """The full scope name (``"a/b"``); variables are named ``name + "/" + var``."""
        return self._name

    @property
    def original_name_scope(self) -> Any:
        """The name scope entered when the scope was created (``"a/b/"``)."""
        return self._name_scope

    @property
    def reuse(self) -> Any:
        """``False``, ``True`` or ``AUTO_REUSE``."""
        return self._reuse

    @property
    def initializer(self) -> Any:
        """Default initializer of variables created in the scope."""
        return self._initializer

    @property
    def dtype(self) -> Any:
        """Default dtype of variables created in the scope (float32 unless set)."""
        return self._dtype

    @property
    def use_resource(self) -> Any:
        """Whether variables are resource variables (None: the default, resource)."""
        return self._use_resource

    @property
    def regularizer(self) -> Any:
        """Default regularizer of variables created in the scope."""
        return self._regularizer

    @property
    def caching_device(self) -> Any:
        """Default caching device of variables created in the scope."""
        return self._caching_device

    @property
    def partitioner(self) -> Any:
        """Default partitioner of variables created in the scope."""
        return self._partitioner

    @property
    def custom_getter(self) -> Any:
        """The custom getter (chain) applied to ``get_variable`` calls in the scope."""
        return self._custom_getter

    @property
    def constraint(self) -> Any:
        """The constraint of variables created directly in the scope (it is not inherited)."""
        return self._constraint

    def reuse_variables(self) -> None:
        """Switch the scope to reuse mode (``reuse=True``); there is no way back."""
        self._reuse = True

    def set_initializer(self, initializer: Any) -> None:
        """Set the default initializer."""
        self._initializer = initializer

    def set_dtype(self, dtype: Any) -> None:
        """Set the default dtype."""
        self._dtype = dtype

    def set_use_resource(self, use_resource: Any) -> None:
        """Set whether variables are resource variables."""
        if self._eager and not use_resource:
            raise ValueError("When eager execution is enabled, use_resource cannot be set to false.")
        self._use_resource = use_resource

    def set_regularizer(self, regularizer: Any) -> None:
        """Set the default regularizer."""
        self._regularizer = regularizer

    def set_caching_device(self, caching_device: Any) -> None:
        """Set the default caching device."""
        if self._eager:
            raise NotImplementedError("Caching devices are not yet supported when eager execution is enabled.")
        self._caching_device = caching_device

    def set_partitioner(self, partitioner: Any) -> None:
        """Set the default partitioner."""
        self._partitioner = partitioner

    def set_custom_getter(self, custom_getter: Any) -> None:
        """Set the custom getter (no chaining with the current one)."""
        self._custom_getter = custom_getter

    def get_collection(self, name: Any) -> list[Any]:
        """Items of collection ``name`` whose names match this scope's ``name + "/"`` (a regex)."""
        scope = self._name + "/" if self._name else None
        return get_default_graph().get_collection(name, scope)

    def trainable_variables(self) -> list[Any]:
        """Trainable variables in this scope."""
        return self.get_collection(GraphKeys.TRAINABLE_VARIABLES)

    def global_variables(self) -> list[Any]:
        """Global variables in this scope."""
        return self.get_collection(GraphKeys.GLOBAL_VARIABLES)

    def local_variables(self) -> list[Any]:
        """Local variables in this scope."""
        return self.get_collection(GraphKeys.LOCAL_VARIABLES)

    def get_variable(self, var_store: Any, name: Any, **kwargs: Any) -> Any:
        """Get or create ``name`` in this scope (TF's internal entry point; ``get_variable``'s keywords,
        plus ``reuse``). ``var_store`` None: the default graph's store."""
        custom_getter = kwargs.pop("custom_getter", None)
        return self._get_variable(var_store, VariableSpec(name, **kwargs)._replace(dtype=kwargs.get("dtype")),
                                  custom_getter)

    def _get_variable(self, var_store: Any, spec: VariableSpec, custom_getter: Any) -> Any:
        """TF's ``VariableScope.get_variable`` for the request ``spec`` (``spec.dtype`` None: not given):
        this scope's defaults filled in, then the getter chain, at the root name scope (so the names
        of whatever the getters and initializers make start at the root, as in TF)."""
        graph = get_default_graph()
        store = var_store if var_store is not None else (graph._store or store_for(graph))
        if custom_getter is None:
            custom_getter = self._custom_getter
        reuse: Any
        if self._eager:
            reuse, use_resource = False, True
        else:
            reuse = self._reuse if spec.reuse is None else spec.reuse
            use_resource = self._use_resource if spec.use_resource is None else spec.use_resource
        full_name = self._name + "/" + spec.name if self._name else spec.name
        name_stack = graph._threads.state.name_stack
        if name_stack:  # TF's name_scope(None) around the rest
            graph._set_name_stack("")
        try:
            dtype, initializer = spec.dtype, spec.initializer
            if dtype is not None and initializer is not None and not callable(initializer):
                init_dtype = infer_dtype(initializer).base_dtype
                if init_dtype != dtype:
                    raise ValueError(f"Initializer type '{init_dtype}' and explicit dtype '{dtype}' don't match.")
            if custom_getter is not None and not callable(custom_getter):
                raise ValueError(f"Passed a custom_getter which is not callable: {custom_getter}")
            if graph._eager:  # TF eager inside an EagerVariableStore
                reuse, use_resource = AUTO_REUSE, True
            if dtype is None:
                dtype = self._dtype
            synchronization, aggregation, trainable = _validate_sync(spec.synchronization, spec.aggregation,
                                                                     spec.trainable, full_name)
            resolved = VariableSpec(
                full_name, spec.shape, getattr(dtype, "base_dtype", dtype),
                self._initializer if initializer is None else initializer,
                self._regularizer if spec.regularizer is None else spec.regularizer, reuse, trainable,
                spec.collections, self._caching_device if spec.caching_device is None else spec.caching_device,
                self._partitioner if spec.partitioner is None else spec.partitioner, spec.validate_shape,
                use_resource, self._constraint if spec.constraint is None else spec.constraint,
                synchronization, aggregation)
            return run_getters(store, resolved, custom_getter)
        finally:
            if name_stack:
                graph._set_name_stack(name_stack)

    def _get_partitioned_variable(self, var_store: Any, name: Any, shape: Any = None, dtype: Any = None,
                                  initializer: Any = None, regularizer: Any = None, trainable: Any = None,
                                  collections: Any = None, caching_device: Any = None, partitioner: Any = None,
                                  validate_shape: Any = True, use_resource: Any = None, constraint: Any = None,
                                  synchronization: Any = VariableSynchronization.AUTO,
                                  aggregation: Any = VariableAggregation.NONE) -> Any:
        """TF's private entry for ``create_partitioned_variables`` (no custom getters)."""
        graph = get_default_graph()
        store = var_store if var_store is not None else store_for(graph)
        if self._custom_getter is not None:
            raise ValueError(_PRIVATE_PARTITIONED % self._custom_getter)
        partitioner = self._partitioner if partitioner is None else partitioner
        if partitioner is None:
            raise ValueError("No partitioner was specified")
        full_name = "/".join([part for part in (self._name, name) if part])
        synchronization, aggregation, trainable = _validate_sync(synchronization, aggregation, trainable, full_name)
        spec = VariableSpec(
            full_name, shape, self._dtype if dtype is None else dtype,
            self._initializer if initializer is None else initializer,
            self._regularizer if regularizer is None else regularizer, self._reuse, trainable, collections,
            self._caching_device if caching_device is None else caching_device, partitioner, validate_shape,
            self._use_resource if use_resource is None else use_resource,
            self._constraint if constraint is None else constraint, synchronization, aggregation)
        with graph.name_scope(None):
            return store._get_partitioned(spec)

    def __repr__(self) -> str:
        return f"<varscope.VariableScope name={self._name!r} reuse={self._reuse!r}>"


# -- this thread's scope in the default graph -------------------------------------------------------
def _state(graph: Graph) -> ScopeState:
    """This thread's scope state in ``graph``, with its root variable scope made on first use."""
    state: ScopeState = graph._threads.state
    if state.var_scope is None:
        with graph.as_default():  # (the root scope reads the graph's eager mode)
            state.var_scope = VariableScope(False)
    return state


def get_variable_scope() -> VariableScope:
    """The current thread's current :class:`VariableScope` in the default graph.

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     with tf1.variable_scope("a") as a:
        ...         tf1.get_variable_scope() is a
        True
    """
    return _state(get_default_graph()).var_scope  # type: ignore[no-any-return]


def _get_unique_variable_scope(prefix: str) -> str:
    """TF's ``_get_unique_variable_scope``: ``prefix`` or ``prefix_N``, unique in the current scope."""
    state = _state(get_default_graph())
    current = state.var_scope.name
    name = current + "/" + prefix if current else prefix
    if not state.counts.counted(name):
        return prefix
    i = 1
    while state.counts.counted(name + "_%d" % i):
        i += 1
    return prefix + "_%d" % i


class _pure_variable_scope:  # noqa: N801 - TF's name
    """The variable-scope half of a scope entry (TF's ``_pure_variable_scope``), without a name scope.

    ``name_or_scope`` is a string (a scope inside the current one) or a captured :class:`VariableScope`
    (re-entered by its full name, its counters restored on exit). Arguments that are not None
    override the inherited defaults; a custom getter wraps the inherited one.
    """

    def __init__(self, name_or_scope: Any, reuse: Any = None, initializer: Any = None, regularizer: Any = None,
                 caching_device: Any = None, partitioner: Any = None, custom_getter: Any = None,
                 old_name_scope: Any = None, dtype: Any = float32, use_resource: Any = None,
                 constraint: Any = None) -> None:
        self._name_or_scope = name_or_scope
        self._reuse = reuse
        self._overrides = (initializer, regularizer, caching_device, partitioner, custom_getter, dtype, use_resource)
        self._overridden_any = not (initializer is None and regularizer is None and caching_device is None
                                    and partitioner is None and custom_getter is None and dtype is None
                                    and use_resource is None)
        self._old_name_scope = old_name_scope
        self._constraint = constraint
        self._state = _state(get_default_graph())
        self._last: VariableScope | None = None
        self._copy: VariableScope | None = None
        if isinstance(name_or_scope, VariableScope):
            s = name_or_scope
            self._new_name = s.name
            self._copy = self._overridden(VariableScope(
                s.reuse if not reuse else reuse, name=s.name, initializer=s.initializer, regularizer=s.regularizer,
                caching_device=s.caching_device, partitioner=s.partitioner, dtype=s.dtype,
                custom_getter=s.custom_getter, name_scope=s.original_name_scope, use_resource=s.use_resource,
                constraint=constraint), s.custom_getter)

    def _overridden(self, scope: VariableScope, parent_getter: Any) -> VariableScope:
        if not self._overridden_any:
            return scope
        initializer, regularizer, caching_device, partitioner, custom_getter, dtype, use_resource = self._overrides
        if initializer is not None:
            scope.set_initializer(initializer)
        if regularizer is not None:
            scope.set_regularizer(regularizer)
        if caching_device is not None:
            scope.set_caching_device(caching_device)
        if partitioner is not None:
            scope.set_partitioner(partitioner)
        if custom_getter is not None:
            scope.set_custom_getter(wrap_custom_getter(custom_getter, parent_getter))
        if dtype is not None:
            scope.set_dtype(dtype)
        if use_resource is not None:
            scope.set_use_resource(use_resource)
        return scope

    def __enter__(self) -> VariableScope:
        state = self._state
        old = self._old = state.var_scope
        if self._copy is not None:
            state.counts.open(self._new_name)
            self._mark = state.counts.snapshot()
            new = self._copy
        else:
            name = self._name_or_scope
            new_name = self._new_name = old._name + "/" + name if old._name else name
            reuse = self._reuse = self._reuse or old._reuse  # sticky on re-entry, as in TF
            new = VariableScope(
                reuse, new_name, old._initializer, old._regularizer, old._caching_device, old._partitioner,
                old._custom_getter, name if self._old_name_scope is None else self._old_name_scope, old._dtype,
                old._use_resource, self._constraint)
            if self._overridden_any:
                new = self._overridden(new, old._custom_getter)
            state.counts.open(new_name)
        state.var_scope = self._last = new
        return new

    def __exit__(self, *exc: object) -> None:
        state = self._state
        if state.var_scope is not self._last:
            raise RuntimeError("Improper nesting of variable_scope.")
        if self._copy is not None:
            state.counts.restore(self._mark)
        else:
            state.counts.close_subscopes(self._new_name)
        state.var_scope = self._old


class variable_scope:  # noqa: N801 - TF's name
    """A context manager for defining ops that create variables (TF's ``variable_scope``).

    Enters a name scope and a variable scope. ``name_or_scope`` is a string (relative to the current
    scope) or a captured :class:`VariableScope` (re-entered by its full name); with
    ``name_or_scope=None``, ``default_name`` is made unique (``layer``, ``layer_1``, ...).
    ``reuse`` is ``True``, ``None``/``False`` (inherit) or ``AUTO_REUSE``.

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     with tf1.variable_scope("foo"):
        ...         with tf1.variable_scope("bar"):
        ...             v = tf1.get_variable("v", [1])
        ...     with tf1.variable_scope("foo", reuse=True):
        ...         v1 = tf1.get_variable("bar/v", [1])
        >>> v.name, v1 is v
        ('foo/bar/v:0', True)
    """

    def __init__(self, name_or_scope: Any, default_name: Any = None, values: Any = None, initializer: Any = None,
                 regularizer: Any = None, caching_device: Any = None, partitioner: Any = None,
                 custom_getter: Any = None, reuse: Any = None, dtype: Any = None, use_resource: Any = None,
                 constraint: Any = None, auxiliary_name_scope: Any = True) -> None:
        self._name_or_scope = name_or_scope
        self._default_name = default_name
        # What the variable-scope half of the entry gets.
        self._initializer, self._regularizer, self._caching_device = initializer, regularizer, caching_device
        self._partitioner, self._custom_getter, self._dtype = partitioner, custom_getter, dtype
        self._use_resource, self._constraint = use_resource, constraint
        if default_name is None and name_or_scope is None:
            raise TypeError("If default_name is None then name_or_scope is required")
        if reuse is False:  # we don't allow non-inheriting scopes, False = None here
            reuse = None
        if not (reuse is True or reuse is None or reuse is AUTO_REUSE):
            raise ReuseError("The reuse parameter must be True or False or None.")
        self._reuse = reuse
        # The graph is the default one now (or that of the variables in ``values``); entering enters it.
        self._graph = graph_from_inputs(values) if values else get_default_graph()
        if not isinstance(auxiliary_name_scope, bool):
            raise TypeError(f"The auxiliary_name_scope must be `True` or `False`, while get {auxiliary_name_scope}")
        self._auxiliary_name_scope = auxiliary_name_scope
        self._cached_pure: _pure_variable_scope | None = None
        self._name_scope: Any = None  # the name scope entered with the scope (None: none), and the one to restore
        self._old_name_stack = ""
        self._graph_cm: Any = None

    def __enter__(self) -> VariableScope:
        # Entering the scope makes its graph the default (only when it is not already: no change to see).
        self._graph_cm = None if get_default_graph() is self._graph else self._graph.as_default()
        if self._graph_cm is not None:
            self._graph_cm.__enter__()
        try:
            if self._cached_pure is not None:  # re-entering this object: TF keeps the first entry's state
                if self._name_scope is not None:
                    self._old_name_stack = self._graph._enter_name_scope(self._name_scope)[0]
                return self._cached_pure.__enter__()
            return self._enter_uncached()
        except BaseException:
            if self._graph_cm is not None:
                self._graph_cm.__exit__(None, None, None)
            raise

    def _enter_uncached(self) -> VariableScope:
        graph = self._graph
        name_scope: Any = None
        if not self._auxiliary_name_scope:  # re-enter the current name scope
            current = graph._threads.state.name_stack
            name_scope = current + "/" if current else current
        name_or_scope = self._name_or_scope
        if name_or_scope is not None:
            is_string = isinstance(name_or_scope, str)
            if not is_string and not isinstance(name_or_scope, VariableScope):
                raise TypeError("VariableScope: name_or_scope must be a string or VariableScope.")
            own_name_scope = name_or_scope if is_string else name_or_scope.name.split("/")[-1]
            old_name_scope: Any = None
            if own_name_scope or name_scope is not None:
                if name_scope is None:
                    name_scope = own_name_scope
                self._old_name_stack, entered = graph._enter_name_scope(name_scope)
                self._name_scope = name_scope
                old_name_scope = entered if is_string else name_or_scope.original_name_scope
            # (else: entering the root scope, no name scope)
            reuse = self._reuse
        else:  # a default name, made unique
            if self._reuse:
                raise ReuseError("reuse=True cannot be used without a name_or_scope")
            if name_scope is None:
                name_scope = self._default_name
            self._old_name_stack, old_name_scope = graph._enter_name_scope(name_scope)
            self._name_scope = name_scope
            name_or_scope = _get_unique_variable_scope(self._default_name)
            reuse = None
        pure = _pure_variable_scope(name_or_scope, reuse, self._initializer, self._regularizer, self._caching_device,
                                    self._partitioner, self._custom_getter, old_name_scope, self._dtype,
                                    self._use_resource, self._constraint)
        # If the variable-scope part fails, TF leaves the name scope entered (spec §14 E5).
        new = pure.__enter__()
        self._cached_pure = pure
        return new

    def __exit__(self, *exc: Any) -> None:
        try:
            self._cached_pure.__exit__(*exc)  # type: ignore[union-attr]
        finally:
            try:
                if self._name_scope is not None:
                    self._graph._set_name_stack(self._old_name_stack)
            finally:
                if self._graph_cm is not None:
                    self._graph_cm.__exit__(None, None, None)


def variable_op_scope(values: Any, name_or_scope: Any, default_name: Any = None, initializer: Any = None,
                      regularizer: Any = None, caching_device: Any = None, partitioner: Any = None,
                      custom_getter: Any = None, reuse: Any = None, dtype: Any = None, use_resource: Any = None,
                      constraint: Any = None) -> variable_scope:
    """Deprecated alias of ``variable_scope(name_or_scope, default_name, values, ...)``.

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     with tf1.variable_op_scope([], "vo", "dflt") as scope:
        ...         scope.name
        'vo'
    """
    logging.getLogger("varscope").warning("tf.variable_op_scope(values, name, default_name) is deprecated, use "
                                          "tf.variable_scope(name, default_name, values)")
    return variable_scope(name_or_scope, default_name=default_name, values=values, initializer=initializer,
                          regularizer=regularizer, caching_device=caching_device, partitioner=partitioner,
                          custom_getter=custom_getter, reuse=reuse, dtype=dtype, use_resource=use_resource,
                          constraint=constraint)


def get_variable(name: Any, shape: Any = None, dtype: Any = None, initializer: Any = None, regularizer: Any = None,
                 trainable: Any = None, collections: Any = None, caching_device: Any = None,
                 partitioner: Any = None, validate_shape: Any = True, use_resource: Any = None,
                 custom_getter: Any = None, constraint: Any = None,
                 synchronization: Any = VariableSynchronization.AUTO,
                 aggregation: Any = VariableAggregation.NONE) -> Any:
    """Gets an existing variable with these parameters or creates a new one (``tf.compat.v1.get_variable``).

    The variable is named ``<current variable scope>/<name>``; whether it is created or reused
    follows the scope's ``reuse`` (spec §5). Errors are TensorFlow's, word for word, raised as the
    classes of :mod:`varscope.errors` (subclasses of TF's ``ValueError``).

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
    spec = VariableSpec(name, shape, dtype, initializer, regularizer, None, trainable, collections, caching_device,
                        partitioner, validate_shape, use_resource, constraint, synchronization, aggregation)
    return _state(get_default_graph()).var_scope._get_variable(None, spec, custom_getter)


def get_local_variable(name: Any, shape: Any = None, dtype: Any = None, initializer: Any = None,
                       regularizer: Any = None, trainable: Any = False, collections: Any = None,
                       caching_device: Any = None, partitioner: Any = None, validate_shape: Any = True,
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
    spec = VariableSpec(name, shape, dtype, initializer, regularizer, None, False, collections, caching_device,
                        partitioner, validate_shape, use_resource, constraint, synchronization, aggregation)
    return get_variable_scope()._get_variable(None, spec, custom_getter)
