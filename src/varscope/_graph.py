"""Graphs: the variable store's tables, collections and names in use, and the default graph.

A :class:`Graph` owns everything TensorFlow keeps per graph (spec §0): the variables (shared by all
threads), collections, the case-insensitive names in use behind :meth:`Graph.unique_name`, and, per
thread, the name-scope string and the variable-scope state (:class:`varscope._context.ScopeState`).
There are no operations: ``unique_name`` answers what an op of that name would be called.

Example:
    >>> import varscope as tf1
    >>> g = tf1.Graph()
    >>> with g.as_default():
    ...     with tf1.name_scope("foo"):
    ...         g.unique_name("add"), g.unique_name("add")
    ('foo/add', 'foo/add_1')
"""

from __future__ import annotations

import re
import threading
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from typing import Any

from varscope._context import ScopeState, graph_stack, thread_context
from varscope._names import NamesInUse, check_scope_name
from varscope.backends import get_backend

__all__ = [
    "Graph", "GraphKeys", "get_default_graph", "reset_default_graph", "get_collection", "get_collection_ref",
    "add_to_collection", "add_to_collections", "global_variables",
    "trainable_variables", "local_variables", "model_variables", "set_random_seed", "enable_eager_execution",
    "disable_eager_execution", "executing_eagerly", "get_name_scope",
]


class GraphKeys:
    """The standard collection names (``tf.compat.v1.GraphKeys``)."""

    GLOBAL_VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    SAVEABLE_OBJECTS = "saveable_objects"
    RESOURCES = "resources"
    LOCAL_RESOURCES = "local_resources"
    TRAINABLE_RESOURCE_VARIABLES = "trainable_resource_variables"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"
    GLOBAL_STEP = "global_step"
    EVAL_STEP = "eval_step"
    TRAIN_OP = "train_op"
    COND_CONTEXT = "cond_context"
    WHILE_CONTEXT = "while_context"
    VARIABLES = GLOBAL_VARIABLES


class _ThreadStates(threading.local):
    def __init__(self) -> None:  # (run once per thread, on its first read)
        self.state = ScopeState()


class Graph:
    """A TensorFlow graph without operations: variables, collections and names.

    Args:
        eager: Make this graph behave like TensorFlow eager execution inside an
            ``EagerVariableStore``: every scope reuses with ``AUTO_REUSE``, variables are kept, and
            name scopes are not uniquified.
        backend: The array backend of the variables created in this graph (``"numpy"`` by default,
            or ``"jax"`` / ``"torch"`` when installed).

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default() as g:
        ...     v = tf1.get_variable("v", [2])
        >>> v.graph is g, g.get_collection("variables") == [v]
        (True, True)
    """

    def __init__(self, eager: Any = None, backend: str | None = None) -> None:
        self._eager = _eager_default if eager is None else bool(eager)
        self._backend = get_backend(backend)
        # One lock for the store's check-and-create and the collections (re-entrant: an initializer may
        # create variables or read collections while its variable is being created).
        self._lock = threading.RLock()
        self._names = NamesInUse()
        self._collections: dict[Hashable, Any] = {}
        self._vars: dict[str, Any] = {}  # the variable store: full name -> Variable
        self._partitioned_vars: dict[str, Any] = {}  # full name -> PartitionedVariable
        self._store: Any = None  # the graph's VariableStore (varscope._store.store_for)
        self._threads = _ThreadStates()  # .state: this thread's ScopeState
        self.seed: int | None = None
        # The value-provider hook: when set, ``get_variable`` calls
        # ``value_provider(store_key, shape, dtype, partition_info, spec)`` for each variable it
        # creates and uses the returned array (of this graph's backend) as the initial value instead of
        # running the initializer. ``store_key`` is the full name (``"tower/dense/w"``, or
        # ``"emb/part_0"`` for a shard, with ``partition_info`` set); ``shape`` (TensorShape) and
        # ``dtype`` (DType) are None when the initializer is a value. All scoping rules, reuse errors
        # and shape checks still apply. varscope.jax uses it to feed ``params`` into ``apply``.
        self.value_provider: Any = None
        # True while the value provider hands out values nothing may replace (varscope.jax's apply hands
        # out params): ``train.init_from_checkpoint``, which TF implements by replacing the variables'
        # initializers, then does nothing.
        self.fixed_values = False
        # When set, called with the new name-scope string ("a/b", "" at the root) after every change,
        # in the changing thread. varscope.jax mirrors it into jax.named_scope.
        self.name_stack_hook: Any = None
        # The random-source hook: when set, random ops (``varscope.compat``'s ``random_normal``,
        # ``dropout``, ...) call ``random_source(op_name, op_seed)`` and draw from what it returns (a JAX
        # key inside ``varscope.jax.transform``; it raises when no rng was given). When None they draw
        # from NumPy generators keyed by (graph seed, op name, op seed) (``varscope._random``).
        self.random_source: Any = None
        # True while ``varscope.jax.transform`` runs ``init``: variables are created, but training updates
        # (an optimizer's ``apply_gradients``, a moving average's ``apply``, batch norm's moving statistics)
        # do not run, as TF's initializers run none.
        self.initializing = False

    @property
    def eager(self) -> bool:
        """True for an eager-mode graph (see the class docstring)."""
        return self._eager

    @property
    def backend(self) -> Any:
        """The array backend of this graph's variables."""
        return self._backend

    @contextmanager
    def as_default(self) -> Iterator[Graph]:
        """Make this graph the default graph of the current thread inside the block."""
        stack = graph_stack()
        stack.append(self)
        try:
            yield self
        finally:
            if stack and stack[-1] is self:
                stack.pop()
            elif self in stack:  # (exits out of order: TF tolerates them too)
                stack.remove(self)

    # -- this thread's scopes ---------------------------------------------------------------------
    def _set_name_stack(self, name_stack: str) -> None:
        self._threads.state.name_stack = name_stack
        if self.name_stack_hook is not None:
            self.name_stack_hook(name_stack)

    def _enter_name_scope(self, name: Any) -> tuple[str, str]:
        """TF's ``Graph.name_scope(name)`` entry for this thread (see :meth:`name_scope`): returns the
        name-scope string to restore on exit and the scope string the block receives (``"a/b/"``)."""
        old = self._threads.state.name_stack
        if not name:
            new = returned = ""
        else:
            if isinstance(name, bytes):
                name = name.decode("utf-8")
            check_scope_name(name, nested=bool(old))
            if name[-1] == "/":
                new, returned = name[:-1], name
            else:
                if old:
                    name = old + "/" + name
                new = name if self._eager else self._names.unique(name)
                returned = new + "/"
        self._set_name_stack(new)
        return old, returned

    # -- names ------------------------------------------------------------------------------------
    def unique_name(self, name: Any, mark_as_used: bool = True) -> Any:
        """The name an op called ``name`` would get in the current name scope (TF's numbering).

        Names are compared case-insensitively: after ``foo``, ``FOO`` becomes ``FOO_1``.

        Example:
            >>> import varscope as tf1
            >>> g = tf1.Graph()
            >>> g.unique_name("Foo"), g.unique_name("foo"), g.unique_name("foo", mark_as_used=False)
            ('Foo', 'foo_1', 'foo_2')
        """
        stack = self._threads.state.name_stack
        if stack:
            name = stack + "/" + name
        return self._names.unique(name, mark_as_used)

    def get_name_scope(self) -> str:
        """The current name scope of this thread (``"a/b"``; ``""`` at the root)."""
        return self._threads.state.name_stack

    def name_scope(self, name: Any) -> _GraphNameScope:
        """Enter name scope ``name`` of this graph (TF's ``Graph.name_scope``).

        ``None`` or ``""`` go to the root; a name ending in ``/`` re-enters that absolute scope;
        anything else is uniquified (in an eager graph, only prefixed). The block receives the scope
        string with a trailing ``/``.

        Example:
            >>> import varscope as tf1
            >>> g = tf1.Graph()
            >>> with g.name_scope("a") as a, g.name_scope("b") as b:
            ...     pass
            >>> with g.name_scope("a") as a1, g.name_scope("a/b/") as again:
            ...     pass
            >>> a, b, a1, again
            ('a/', 'a/b/', 'a_1/', 'a/b/')
        """
        return _GraphNameScope(self, name)

    # -- collections ------------------------------------------------------------------------------
    def add_to_collection(self, name: Hashable, value: Any) -> None:
        """Append ``value`` to collection ``name`` (any hashable key)."""
        with self._lock:
            self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names: Any, value: Any) -> None:
        """Append ``value`` to each collection in ``names`` (a name or an iterable of names)."""
        names = (names,) if isinstance(names, str) else set(names)
        with self._lock:
            for name in names:
                self._collections.setdefault(name, []).append(value)

    def get_collection_ref(self, name: Hashable) -> list[Any]:
        """The list behind collection ``name`` itself (created empty if missing)."""
        with self._lock:
            return self._collections.setdefault(name, [])  # type: ignore[no-any-return]

    def get_collection(self, name: Hashable, scope: Any = None) -> list[Any]:
        """A copy of collection ``name``, filtered to items whose ``name`` matches regex ``scope``.

        As in TF, ``scope`` is matched with ``re.match`` (anchored at the start only) and items
        without a ``name`` are skipped.
        """
        with self._lock:
            collection = self._collections.get(name)
            if collection is None:
                return []
            if scope is None:
                return list(collection)
            match = re.compile(scope).match
            result = []
            for item in collection:
                try:
                    if match(item.name):
                        result.append(item)
                except AttributeError:
                    pass
            return result

    def get_all_collection_keys(self) -> list[str]:
        """The names of the collections, the string keys only (as TF)."""
        with self._lock:
            return [key for key in self._collections if isinstance(key, str)]

    def clear_collection(self, name: Hashable) -> None:
        """Remove collection ``name``."""
        with self._lock:
            self._collections.pop(name, None)

    def __repr__(self) -> str:
        return f"<varscope.Graph object at {id(self):#x}>"


class _GraphNameScope:
    """What ``Graph.name_scope(name)`` returns: TF's algorithm on entry, the old scope back on exit."""

    def __init__(self, graph: Graph, name: Any) -> None:
        self._graph = graph
        self._name = name

    def __enter__(self) -> str:
        self._old, returned = self._graph._enter_name_scope(self._name)
        return returned

    def __exit__(self, *exc: object) -> None:
        self._graph._set_name_stack(self._old)


# -- the default graph ------------------------------------------------------------------------------
_eager_default = False
_thread = thread_context()  # (a threading.local: each thread reads its own attributes through it)


def get_default_graph() -> Graph:
    """The innermost graph entered with ``as_default()`` in this thread, else this thread's global default
    graph (each thread has its own, as in TF).

    Example:
        >>> import varscope as tf1
        >>> g = tf1.Graph()
        >>> with g.as_default():
        ...     tf1.get_default_graph() is g
        True
    """
    stack = _thread.graph_stack
    if stack:
        return stack[-1]  # type: ignore[no-any-return]
    if _thread.global_graph is None:
        _thread.global_graph = Graph()
    return _thread.global_graph  # type: ignore[no-any-return]


def _replace_global_default() -> None:
    _thread.global_graph = Graph()


def reset_default_graph() -> None:
    """Replace this thread's global default graph with a fresh one (not allowed inside ``as_default()``).

    Raises:
        AssertionError: When called inside a ``with graph.as_default():`` block, as TF does.
    """
    if graph_stack():
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared graph, exit the "
            "nesting and create a new graph."
        )
    _replace_global_default()


def get_name_scope() -> str:
    """The current name scope of the default graph (``"a/b"``)."""
    return get_default_graph().get_name_scope()


def add_to_collection(name: Hashable, value: Any) -> None:
    """``get_default_graph().add_to_collection(name, value)``."""
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names: Any, value: Any) -> None:
    """``get_default_graph().add_to_collections(names, value)``."""
    get_default_graph().add_to_collections(names, value)


def get_collection(key: Hashable, scope: Any = None) -> list[Any]:
    """``get_default_graph().get_collection(key, scope)`` (``scope`` is a regex matched at the start).

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     _ = tf1.get_variable("a/v", [1]); _ = tf1.get_variable("b/v", [1])
        ...     [v.name for v in tf1.get_collection(tf1.GraphKeys.GLOBAL_VARIABLES, "a")]
        ['a/v:0']
    """
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key: Hashable) -> list[Any]:
    """``get_default_graph().get_collection_ref(key)``."""
    return get_default_graph().get_collection_ref(key)


def global_variables(scope: Any = None) -> list[Any]:
    """The ``GLOBAL_VARIABLES`` collection of the default graph."""
    return get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


def trainable_variables(scope: Any = None) -> list[Any]:
    """The ``TRAINABLE_VARIABLES`` collection of the default graph."""
    return get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope: Any = None) -> list[Any]:
    """The ``LOCAL_VARIABLES`` collection of the default graph."""
    return get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope: Any = None) -> list[Any]:
    """The ``MODEL_VARIABLES`` collection of the default graph."""
    return get_collection(GraphKeys.MODEL_VARIABLES, scope)


def set_random_seed(seed: Any) -> None:
    """Set the graph-level seed of the default graph (initial values are keyed by it and the name)."""
    get_default_graph().seed = seed


def enable_eager_execution(config: Any = None, device_policy: Any = None, execution_mode: Any = None) -> None:
    """Switch to eager semantics: new graphs (and a fresh global default graph) are eager.

    varscope's eager mode behaves like TF eager inside an ``EagerVariableStore``: reuse is always
    ``AUTO_REUSE`` and variables are kept between calls. The arguments are accepted and ignored.
    """
    global _eager_default
    _eager_default = True
    if not graph_stack():
        _replace_global_default()


def disable_eager_execution() -> None:
    """Back to graph mode (the default): new graphs, and a fresh global default graph, are not eager."""
    global _eager_default
    _eager_default = False
    if not graph_stack():
        _replace_global_default()


def executing_eagerly() -> bool:
    """True when the default graph is eager."""
    return get_default_graph()._eager
