"""Variable scopes: ``VariableScope``, ``variable_scope``, ``get_variable_scope`` and ``AUTO_REUSE``.

Each graph keeps, per thread, the current :class:`VariableScope` and the counters that number
``default_name`` scopes (spec §2). Entering a scope is the algorithm of spec §2: a name scope first
(uniquified), then a new VariableScope that inherits from the current one (string names) or copies
a captured scope (VariableScope objects).

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

import enum
import logging
from typing import TYPE_CHECKING, Any, Final

from mypy_extensions import mypyc_attr

from varscope._dtypes import float32
from varscope._getters import wrap_custom_getter
from varscope._graph import (Graph, _check_scope_name, _Frame, _GraphCore, _GraphNameScope, _NameNode,
                             _thread_frame, current_state, get_default_graph, get_ident)
from varscope._variables import Variable

if TYPE_CHECKING:
    from varscope._store import VariableStore

__all__ = ["AUTO_REUSE", "VariableScope", "variable_scope", "variable_op_scope", "get_variable_scope"]


class _ReuseMode(enum.Enum):
    """Mode for variable access within a variable scope."""

    AUTO_REUSE = 1


AUTO_REUSE: Final = _ReuseMode.AUTO_REUSE
"""Create variables that do not exist and return those that do."""

_MISSING: Final[Any] = object()


def _read_only(name: str) -> None:
    """The error of assigning to a read-only ``VariableScope`` property (CPython's text, in every build)."""
    raise AttributeError(f"property '{name}' of 'VariableScope' object has no setter")


# Compiled, but like a Python class in copy, pickle and subclassing.
@mypyc_attr(allow_interpreted_subclasses=True, serializable=True)
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

    __slots__ = ("_name", "_initializer", "_regularizer", "_reuse", "_caching_device", "_partitioner",
                 "_custom_getter", "_name_scope", "_dtype", "_use_resource", "_constraint", "_eager", "_slash")

    def __init__(self, reuse: Any = _MISSING, name: Any = "", initializer: Any = None, regularizer: Any = None,
                 caching_device: Any = None, partitioner: Any = None, custom_getter: Any = None,
                 name_scope: Any = "", dtype: Any = float32, use_resource: Any = None, constraint: Any = None, *,
                 _eager: Any = None) -> None:
        if reuse is _MISSING:  # raised here, not by the interpreter, so compiled and interpreted builds agree
            raise TypeError("VariableScope.__init__() missing 1 required positional argument: 'reuse'")
        self._name = name
        self._initializer = initializer
        self._regularizer = regularizer
        self._reuse = reuse
        self._caching_device = caching_device
        self._partitioner = partitioner
        self._custom_getter = custom_getter
        self._name_scope = name_scope
        self._slash = False  # True: _name_scope is a name stack, and original_name_scope adds the "/" when read
        self._dtype = dtype
        self._use_resource = use_resource
        self._constraint = constraint
        # ``_eager`` (private): the caller knows the default graph's mode, skip looking it up.
        eager = self._eager = get_default_graph()._eager if _eager is None else _eager
        if eager:
            if caching_device is not None:
                raise NotImplementedError("Caching devices is not yet supported when eager execution is enabled.")
            self._reuse = AUTO_REUSE
            self._use_resource = True

    @property
    def name(self) -> str:
        """The full scope name (``"a/b"``); variables are named ``name + "/" + var``."""
        return self._name

    @name.setter
    def name(self, value: Any) -> None:
        _read_only("name")

    @property
    def original_name_scope(self) -> str:
        """The name scope entered when the scope was created (``"a/b/"``)."""
        if self._slash:  # made on first use: most scopes are never asked
            self._name_scope = self._name_scope + "/"
            self._slash = False
        return self._name_scope

    @original_name_scope.setter
    def original_name_scope(self, value: Any) -> None:
        _read_only("original_name_scope")

    @property
    def reuse(self) -> Any:
        """``False``, ``True`` or ``AUTO_REUSE``."""
        return self._reuse

    @reuse.setter
    def reuse(self, value: Any) -> None:
        _read_only("reuse")

    @property
    def initializer(self) -> Any:
        """Default initializer of variables created in the scope."""
        return self._initializer

    @initializer.setter
    def initializer(self, value: Any) -> None:
        _read_only("initializer")

    @property
    def dtype(self) -> Any:
        """Default dtype of variables created in the scope (float32 unless set)."""
        return self._dtype

    @dtype.setter
    def dtype(self, value: Any) -> None:
        _read_only("dtype")

    @property
    def use_resource(self) -> Any:
        """Whether variables are resource variables (None: the default, resource)."""
        return self._use_resource

    @use_resource.setter
    def use_resource(self, value: Any) -> None:
        _read_only("use_resource")

    @property
    def regularizer(self) -> Any:
        """Default regularizer of variables created in the scope."""
        return self._regularizer

    @regularizer.setter
    def regularizer(self, value: Any) -> None:
        _read_only("regularizer")

    @property
    def caching_device(self) -> Any:
        """Default caching device of variables created in the scope."""
        return self._caching_device

    @caching_device.setter
    def caching_device(self, value: Any) -> None:
        _read_only("caching_device")

    @property
    def partitioner(self) -> Any:
        """Default partitioner of variables created in the scope."""
        return self._partitioner

    @partitioner.setter
    def partitioner(self, value: Any) -> None:
        _read_only("partitioner")

    @property
    def custom_getter(self) -> Any:
        """The custom getter (chain) applied to ``get_variable`` calls in the scope."""
        return self._custom_getter

    @custom_getter.setter
    def custom_getter(self, value: Any) -> None:
        _read_only("custom_getter")

    @property
    def constraint(self) -> Any:
        """The constraint of variables created directly in the scope (it is not inherited)."""
        return self._constraint

    @constraint.setter
    def constraint(self, value: Any) -> None:
        _read_only("constraint")

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

    def get_collection(self, name: str) -> list[Any]:
        """Items of collection ``name`` whose names match this scope's ``name + "/"`` (a regex)."""
        scope = self._name + "/" if self._name else None
        return get_default_graph().get_collection(name, scope)

    def trainable_variables(self) -> list[Any]:
        """Trainable variables in this scope."""
        return self.get_collection("trainable_variables")

    def global_variables(self) -> list[Any]:
        """Global variables in this scope."""
        return self.get_collection("variables")

    def local_variables(self) -> list[Any]:
        """Local variables in this scope."""
        return self.get_collection("local_variables")

    def get_variable(self, var_store: VariableStore | None, name: Any, shape: Any = None, dtype: Any = None,
                     initializer: Any = None, regularizer: Any = None, reuse: Any = None, trainable: Any = None,
                     collections: Any = None, caching_device: Any = None, partitioner: Any = None,
                     validate_shape: bool = True, use_resource: Any = None, custom_getter: Any = None,
                     constraint: Any = None, synchronization: Any = None, aggregation: Any = None) -> Any:
        """Get or create ``name`` in this scope with the scope's defaults (TF's internal entry point)."""
        store = var_store if var_store is not None else default_store()
        if regularizer is None:
            regularizer = self._regularizer
        if caching_device is None:
            caching_device = self._caching_device
        if partitioner is None:
            partitioner = self._partitioner
        if custom_getter is None:
            custom_getter = self._custom_getter
        if self._eager:
            reuse = False
            use_resource = True
        else:
            if reuse is None:
                reuse = self._reuse
            if use_resource is None:
                use_resource = self._use_resource
        scope_name = self._name
        if not scope_name:
            full_name = name
        elif type(scope_name) is str and type(name) is str:
            full_name = f"{scope_name}/{name}"  # (one allocation when compiled)
        else:
            full_name = scope_name + "/" + name  # (a non-string name: TF's TypeError)
        if dtype is not None and initializer is not None and not callable(initializer):
            _check_initializer_dtype(initializer, dtype)
        if initializer is None:
            initializer = self._initializer
        if constraint is None:
            constraint = self._constraint
        if dtype is None:
            dtype = self._dtype
        return store.get_variable(GetRequest(
            full_name, shape, dtype, initializer, regularizer, reuse, trainable, collections, caching_device,
            partitioner, validate_shape, use_resource, constraint, synchronization, aggregation), custom_getter)

    def _get_partitioned_variable(self, var_store: VariableStore | None, name: Any, shape: Any = None,
                                  dtype: Any = None, initializer: Any = None, regularizer: Any = None,
                                  trainable: Any = None, collections: Any = None, caching_device: Any = None,
                                  partitioner: Any = None, validate_shape: bool = True, use_resource: Any = None,
                                  constraint: Any = None, synchronization: Any = None,
                                  aggregation: Any = None) -> Any:
        store = var_store if var_store is not None else default_store()
        if initializer is None:
            initializer = self._initializer
        if regularizer is None:
            regularizer = self._regularizer
        if constraint is None:
            constraint = self._constraint
        if caching_device is None:
            caching_device = self._caching_device
        if partitioner is None:
            partitioner = self._partitioner
        if dtype is None:
            dtype = self._dtype
        if use_resource is None:
            use_resource = self._use_resource
        if self._custom_getter is not None:
            raise ValueError(_PRIVATE_PARTITIONED % self._custom_getter)
        if partitioner is None:
            raise ValueError("No partitioner was specified")
        full_name = "/".join([part for part in (self._name, name) if part])
        from varscope._variables import validate_synchronization_aggregation_trainable

        synchronization, aggregation, trainable = validate_synchronization_aggregation_trainable(
            synchronization, aggregation, trainable, full_name)
        request = GetRequest(full_name, shape, dtype, initializer, regularizer, self._reuse, trainable, collections,
                             caching_device, partitioner, validate_shape, use_resource, constraint, synchronization,
                             aggregation)
        return store.get_partitioned(request)

    def __repr__(self) -> str:
        return f"<varscope.VariableScope name={self._name!r} reuse={self._reuse!r}>"


_PRIVATE_PARTITIONED: Final = (
    "Private access to _get_partitioned_variable is not allowed when a custom getter is set.  Current custom "
    "getter: %s.  It is likely that you're using create_partitioned_variables.  If so, consider instead using "
    "get_variable with a non-empty partitioner parameter instead."
)


def _check_initializer_dtype(initializer: Any, dtype: Any) -> None:
    from varscope._convert import infer_dtype

    init_dtype = infer_dtype(initializer)
    if init_dtype != dtype:
        raise ValueError(f"Initializer type '{init_dtype}' and explicit dtype '{dtype}' don't match.")


# -- per-thread scope state ------------------------------------------------------------------------
class _ScopeMark:
    """When one variable scope name was last opened and last closed, as ticks of its ``_ScopeState``
    (0: never), and the last two variables ``get_variable`` got in the scope (a layer's kernel and bias),
    by the name it was given, with their dtype and dimensions (which never change)."""

    __slots__ = ("opened", "closed", "nested_checked", "name0", "variable0", "dtype0", "dims0", "name1", "variable1",
                 "dtype1", "dims1")

    def __init__(self) -> None:
        self.opened = 0
        self.closed = 0
        self.nested_checked = 0  # the length of the longest name checked when entering this scope nested
        self.name0 = self.name1 = ""  # ("": nothing remembered)
        self.variable0: Any = None
        self.dtype0: Any = None
        self.dims0: Any = None
        self.variable1: Any = None
        self.dtype1: Any = None
        self.dims1: Any = None

    def recall(self, name: str) -> tuple[Any, Any, Any]:
        """The variable remembered for ``name``, its dtype and its dimensions; Nones when there is none."""
        if self.name0 == name:
            return self.variable0, self.dtype0, self.dims0
        if self.name1 == name:
            return self.variable1, self.dtype1, self.dims1
        return None, None, None

    def remember(self, name: str, variable: Any) -> None:
        """Remember ``variable`` as what ``name`` gets in this scope (the newest two names)."""
        if self.name0 != name and self.name1 != name:
            self.name1, self.variable1, self.dtype1, self.dims1 = self.name0, self.variable0, self.dtype0, self.dims0
            self.name0, self.variable0, self.dtype0, self.dims0 = name, variable, variable._dtype, variable._shape._dims


class _ScopeState:
    """One thread's scope state in one graph: the name-scope string, the current variable scope and the
    scope counters.

    TF counts how often each variable scope name was opened, to number ``default_name`` scopes; it zeroes
    every counter under a string scope when that scope exits, and snapshots/restores all of them around a
    captured-scope entry. TF only ever asks whether a counter is zero, so this keeps one mark per name: the
    *tick* of its last opening and of its last exit (*close*). A counter is non-zero when the name was opened
    after every enclosing name's last close. Opening is one dict lookup, closing none (the entry keeps the
    mark), independent of the number of scopes; captured-scope entries keep an undo log instead of a copy.
    """

    __slots__ = ("core", "name_stack", "name_node", "current", "current_mark", "_marks", "_tick", "_log",
                 "_logging")

    def __init__(self, graph: Graph) -> None:
        self.core: _GraphCore = graph._core
        # The name scope ("a/b") and its node in the graph's names tree (None: not looked up yet);
        # both written through _GraphCore.set_name_stack.
        self.name_stack = ""
        self.name_node: _NameNode | None = self.core.names
        with graph.as_default():
            self.current = VariableScope(False)
        self.current_mark: _ScopeMark | None = None  # the mark of ``current`` (None: not known)
        self._marks: dict[str, _ScopeMark] = {}
        self._tick = 0
        self._log: list[tuple[_ScopeMark, int, int]] = []  # (mark, opened, closed) before a change
        self._logging = 0

    def counted(self, name: str) -> bool:
        """TF's ``variable_scope_count(name) > 0``."""
        marks = self._marks
        mark = marks.get(name)
        if mark is None or not mark.opened:
            return False
        opened = mark.opened
        i = name.rfind("/")  # nearest ancestor first: usually the one closed last
        while i >= 0:
            enclosing = marks.get(name[:i])
            if enclosing is not None and enclosing.closed > opened:
                return False
            i = name.rfind("/", 0, i)
        return True

    def mark(self, name: str) -> _ScopeMark:
        """The mark of scope ``name`` (made if missing: an unopened mark counts as never opened)."""
        mark = self._marks.get(name)
        if mark is None:
            mark = self._marks[name] = _ScopeMark()
        return mark

    def open(self, name: str) -> _ScopeMark:
        """Count an opening of scope ``name``; returns its mark, for ``close``."""
        return self.open_mark(self.mark(name))

    def open_mark(self, mark: _ScopeMark) -> _ScopeMark:
        """Count an opening of the scope whose mark is ``mark``; returns it."""
        tick = self._tick = self._tick + 1
        if self._logging:
            self._log.append((mark, mark.opened, mark.closed))
        mark.opened = tick
        return mark

    def close(self, mark: _ScopeMark) -> None:
        """TF's ``close_variable_subscopes`` of the scope whose mark ``open`` returned (zeroes the counters
        under it)."""
        tick = self._tick = self._tick + 1
        if self._logging:
            self._log.append((mark, mark.opened, mark.closed))
        mark.closed = tick

    def close_subscopes(self, name: str) -> None:
        """TF's ``close_variable_subscopes(name)``."""
        self.close(self.mark(name))

    def snapshot(self) -> int:
        self._logging += 1
        return len(self._log)

    def restore(self, mark: int) -> None:
        log = self._log
        while len(log) > mark:
            scope_mark, opened, closed = log.pop()
            scope_mark.opened = opened
            scope_mark.closed = closed
        self._logging -= 1

    def unique_scope_name(self, prefix: str) -> str:
        """TF's ``_get_unique_variable_scope``: ``prefix`` or ``prefix_N``, unique in the current scope."""
        cur = self.current._name
        name = cur + "/" + prefix if cur else prefix
        if not self.counted(name):
            return prefix
        idx = 1
        while self.counted(name + "_%d" % idx):
            idx += 1
        return prefix + "_%d" % idx


def get_variable_scope() -> VariableScope:
    """The current thread's current :class:`VariableScope` in the default graph.

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     with tf1.variable_scope("a") as a:
        ...         tf1.get_variable_scope() is a
        True
    """
    return current_state().current


class _PureScope:
    """The variable-scope half of a scope entry (TF's ``_pure_variable_scope``), cached for re-entry.

    ``overrides`` is None or the tuple ``(initializer, regularizer, caching_device, partitioner,
    custom_getter, dtype, use_resource)`` of arguments passed to ``variable_scope`` (None entries are
    not applied).
    """

    __slots__ = ("_name_or_scope", "_reuse", "_overrides", "_old_name_scope", "_constraint", "_state", "_new_name",
                 "_copy", "_old", "_old_mark", "_last", "_mark", "_scope_mark")

    def __init__(self, state: _ScopeState, name_or_scope: Any, reuse: Any, overrides: tuple[Any, ...] | None,
                 old_name_scope: Any, constraint: Any) -> None:
        self._name_or_scope = name_or_scope
        self._reuse = reuse
        self._overrides = overrides
        self._old_name_scope = old_name_scope
        self._constraint = constraint
        self._state = state
        self._last: VariableScope | None = None
        if isinstance(name_or_scope, VariableScope):
            self._new_name = name_or_scope._name
            s = name_or_scope
            new = VariableScope(s._reuse if not reuse else reuse, name=s._name, initializer=s._initializer,
                                regularizer=s._regularizer, caching_device=s._caching_device,
                                partitioner=s._partitioner, dtype=s._dtype, custom_getter=s._custom_getter,
                                name_scope=s.original_name_scope, use_resource=s._use_resource,
                                constraint=constraint)
            if overrides is not None:
                _apply_overrides(new, overrides, s._custom_getter)
            self._copy: VariableScope | None = new
        else:
            self._copy = None

    def __enter__(self) -> VariableScope:
        state = self._state
        old = self._old = state.current
        self._old_mark = state.current_mark
        new = self._copy
        if new is not None:
            state.open(self._new_name)
            self._mark = state.snapshot()
        else:
            name = self._name_or_scope
            old_name = old._name
            new_name = self._new_name = old_name + "/" + name if old_name else name
            reuse = self._reuse = self._reuse or old._reuse  # sticky on re-entry, as in TF
            name_scope = name if self._old_name_scope is None else self._old_name_scope
            new = _inherit(old, reuse, new_name, name_scope, self._constraint)
            if self._overrides is not None:
                _apply_overrides(new, self._overrides, old._custom_getter)
            self._scope_mark = state.open(new_name)
        state.current = new
        state.current_mark = None
        self._last = new
        return new

    def __exit__(self, exc_type: Any = None, exc: Any = None, tb: Any = None) -> None:
        state = self._state
        if state.current is not self._last:
            raise RuntimeError("Improper nesting of variable_scope.")
        if self._copy is not None:
            state.restore(self._mark)
        else:
            state.close(self._scope_mark)
        state.current = self._old
        state.current_mark = self._old_mark


def _inherit(old: VariableScope, reuse: Any, name: str, name_scope: Any, constraint: Any) -> VariableScope:
    """A scope named ``name`` inside ``old``, with ``old``'s defaults (the constraint is not inherited)."""
    return VariableScope(reuse, name, old._initializer, old._regularizer, old._caching_device, old._partitioner,
                         old._custom_getter, name_scope, old._dtype, old._use_resource, constraint, _eager=old._eager)


def _apply_overrides(new: VariableScope, overrides: tuple[Any, ...], parent_getter: Any) -> None:
    initializer, regularizer, caching_device, partitioner, custom_getter, dtype, use_resource = overrides
    if initializer is not None:
        new.set_initializer(initializer)
    if regularizer is not None:
        new.set_regularizer(regularizer)
    if caching_device is not None:
        new.set_caching_device(caching_device)
    if partitioner is not None:
        new.set_partitioner(partitioner)
    if custom_getter is not None:
        new.set_custom_getter(wrap_custom_getter(custom_getter, parent_getter))
    if dtype is not None:
        new.set_dtype(dtype)
    if use_resource is not None:
        new.set_use_resource(use_resource)


@mypyc_attr(free_list_len=1)  # compiled: one freed instance is kept for the next one (scopes come and go in loops)
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

    __slots__ = ("_name_or_scope", "_default_name", "_overrides", "_reuse", "_constraint", "_auxiliary_name_scope",
                 "_graph", "_frame", "_cached_pure", "_current_name_scope", "_graph_cm", "_simple",
                 "_state", "_old", "_old_mark", "_new", "_old_name_stack", "_old_name_node", "_scope_mark")

    def __init__(self, name_or_scope: Any, default_name: Any = None, values: Any = None, initializer: Any = None,
                 regularizer: Any = None, caching_device: Any = None, partitioner: Any = None,
                 custom_getter: Any = None, reuse: Any = None, dtype: Any = None, use_resource: Any = None,
                 constraint: Any = None, auxiliary_name_scope: Any = True) -> None:
        self._name_or_scope = name_or_scope
        self._default_name = default_name
        if (initializer is None and regularizer is None and caching_device is None and partitioner is None
                and custom_getter is None and dtype is None and use_resource is None):
            self._overrides: tuple[Any, ...] | None = None
        else:
            self._overrides = (initializer, regularizer, caching_device, partitioner, custom_getter, dtype,
                               use_resource)
        self._constraint = constraint
        if default_name is None and name_or_scope is None:
            raise TypeError("If default_name is None then name_or_scope is required")
        if reuse is False:
            reuse = None
        if not (reuse is True or reuse is None or reuse is AUTO_REUSE):
            raise ValueError("The reuse parameter must be True or False or None.")
        self._reuse = reuse
        frame: _Frame | None = None
        if values:
            self._graph = _graph_from_inputs(values)
        else:  # the default graph now, as in TF (entering the scope enters this graph)
            frame = _thread_frame()
            stack = frame.stack
            self._graph = stack[-1] if stack else get_default_graph()
        self._frame = frame  # kept for __enter__, in the same thread
        self._cached_pure: _PureScope | None = None
        self._current_name_scope: _GraphNameScope | None = None
        if auxiliary_name_scope is not True and auxiliary_name_scope is not False:
            raise TypeError(f"The auxiliary_name_scope must be `True` or `False`, while get {auxiliary_name_scope}")
        self._auxiliary_name_scope = auxiliary_name_scope
        # The common entry, a relative string name with no overrides, takes _enter_simple (no helper objects).
        self._simple = (type(name_or_scope) is str and name_or_scope != "" and name_or_scope[-1] != "/"
                        and self._overrides is None and auxiliary_name_scope is True)
        self._new: VariableScope | None = None

    def __enter__(self) -> VariableScope:
        graph = self._graph
        frame = self._frame
        if frame is None or frame.ident != get_ident():
            frame = self._frame = _thread_frame()
        state = frame.current_state()
        graph_cm: Any = None
        if state.core.graph is not graph:
            graph_cm = graph.as_default()
            graph_cm.__enter__()
            state = frame.current_state()
        self._graph_cm = graph_cm
        try:
            if self._simple and self._new is None and not state.core.eager:
                return self._enter_simple(state)
            if self._new is not None and self._cached_pure is None:
                self._convert_simple_entry(graph)
            pure = self._cached_pure
            if pure is not None:
                # Re-entering the same context manager: TF keeps the first entry's state.
                if self._current_name_scope is not None:
                    self._current_name_scope.__enter__()
                return pure.__enter__()
            return self._enter_uncached(graph)
        except BaseException:  # whatever failed, the graph entered above is left again
            if graph_cm is not None:
                graph_cm.__exit__(None, None, None)
            raise

    def _enter_simple(self, state: _ScopeState) -> VariableScope:
        """The algorithm of ``_enter_uncached`` for a relative string name, without helper objects."""
        # Typed locals: compiled code reads the fields of typed objects directly.
        core = state.core
        name: str = self._name_or_scope
        old_name_stack = state.name_stack
        old: VariableScope = state.current
        old_name = old._name
        new_name = f"{old_name}/{name}" if old_name else name  # f-strings: one allocation
        mark = state.mark(new_name)
        # ``name`` is a suffix of ``new_name``, and any suffix of a valid nested scope name is one too, so a
        # mark remembers the longest name checked when entering it nested, and shorter ones skip the check.
        if old_name_stack == "":
            _check_scope_name(name, nested=False)
        elif len(name) > mark.nested_checked:
            _check_scope_name(name, nested=True)
            mark.nested_checked = len(name)
        parent = core.name_node(state)
        unique, node = core.unique_under(parent, name)
        name_stack = f"{old_name_stack}/{unique}" if old_name_stack else unique
        core.set_name_stack(state, name_stack, node)
        reuse = self._reuse or old._reuse
        new = _inherit(old, reuse, new_name, name_stack, self._constraint)
        new._slash = True  # original_name_scope: name_stack + "/"
        self._scope_mark = state.open_mark(mark)
        self._old_mark = state.current_mark
        state.current = new
        state.current_mark = mark
        self._state = state
        self._old = old
        self._new = new
        self._old_name_stack = old_name_stack
        self._old_name_node = parent
        self._reuse = reuse  # sticky on re-entry, as in TF
        return new

    def _convert_simple_entry(self, graph: Graph) -> None:
        """Before a second entry of a context manager first entered by ``_enter_simple``: the helper
        objects ``_enter_uncached`` would have kept, in the state the first entry left them."""
        name = self._name_or_scope
        first: VariableScope = self._new  # type: ignore[assignment]
        self._current_name_scope = _GraphNameScope(graph, name)
        self._cached_pure = _PureScope(self._state, name, self._reuse, None, first.original_name_scope,
                                       self._constraint)

    def _enter_uncached(self, graph: Graph) -> VariableScope:
        state = graph._local.state or graph._scope_state()
        if self._auxiliary_name_scope:
            current_name_scope = None
        else:
            ns = state.name_stack
            current_name_scope = _GraphNameScope(graph, ns + "/" if ns else ns)
        name_or_scope = self._name_or_scope
        if name_or_scope is None:
            if self._reuse:
                raise ValueError("reuse=True cannot be used without a name_or_scope")
            current_name_scope = current_name_scope or _GraphNameScope(graph, self._default_name)
            old_name_scope = current_name_scope.__enter__()
            self._current_name_scope = current_name_scope
            name_or_scope = state.unique_scope_name(self._default_name)
            reuse = None
        else:
            is_string = type(name_or_scope) is str or isinstance(name_or_scope, str)
            if is_string:
                name_scope = name_or_scope
            elif isinstance(name_or_scope, VariableScope):
                name_scope = name_or_scope._name.split("/")[-1]
            else:
                raise TypeError("VariableScope: name_or_scope must be a string or VariableScope.")
            reuse = self._reuse
            if name_scope or current_name_scope:
                current_name_scope = current_name_scope or _GraphNameScope(graph, name_scope)
                entered_name_scope = current_name_scope.__enter__()
                self._current_name_scope = current_name_scope
                old_name_scope = entered_name_scope if is_string else name_or_scope.original_name_scope
            else:  # entering the root scope (or ""): no name scope
                self._current_name_scope = None
                old_name_scope = None
        # If the variable-scope part fails, TF leaves the name scope entered (spec §14 E5).
        pure = _PureScope(state, name_or_scope, reuse, self._overrides, old_name_scope, self._constraint)
        try:
            entered = pure.__enter__()
        except BaseException:
            pure.__exit__(None, None, None)
            raise
        self._cached_pure = pure
        return entered

    def __exit__(self, exc_type: Any = None, exc: Any = None, tb: Any = None) -> None:
        if self._cached_pure is None and self._new is not None:  # entered by _enter_simple
            state = self._state
            try:
                if state.current is not self._new:
                    raise RuntimeError("Improper nesting of variable_scope.")
                state.close(self._scope_mark)
                state.current = self._old
                state.current_mark = self._old_mark
            finally:
                state.core.set_name_stack(state, self._old_name_stack, self._old_name_node)
                if self._graph_cm is not None:
                    self._graph_cm.__exit__(None, None, None)
            return
        try:
            self._cached_pure.__exit__(exc_type, exc, tb)  # type: ignore[union-attr]
        finally:
            try:
                if self._current_name_scope is not None:
                    self._current_name_scope.__exit__(exc_type, exc, tb)
            finally:
                if self._graph_cm is not None:
                    self._graph_cm.__exit__(None, None, None)


def _graph_from_inputs(values: Any) -> Graph:
    """TF's ``_get_graph_from_inputs``: the graph of the variables in ``values``, else the default graph."""
    graph: Graph | None = None
    first: Any = None
    for value in values:
        g = value._graph if isinstance(value, Variable) else None
        if g is None:
            continue
        if graph is None:
            graph, first = g, value
        elif g is not graph:
            raise ValueError(f"{value!r} must be from the same graph as {first!r} (graphs are {g!r} and {graph!r}).")
    return graph if graph is not None else get_default_graph()


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


# At the end: varscope._store imports this module (the package imports this one first).
from varscope._store import GetRequest, default_store  # noqa: E402
