"""Graphs: the per-graph variable store, collections and op-name table, and the default-graph stack.

A :class:`Graph` owns everything TensorFlow keeps per graph (spec §0): the variable store (shared by
all threads), collections, the case-insensitive ``names_in_use`` table behind
:meth:`Graph.unique_name`, and, per thread, the name-scope string and the variable-scope state.
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
import sys
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar, Final

from mypy_extensions import mypyc_attr

from varscope._thread_state import FrameGuard, ThreadState

if TYPE_CHECKING:
    from varscope._scope import _ScopeState

__all__ = [
    "Graph", "GraphKeys", "get_default_graph", "reset_default_graph", "get_collection", "get_collection_ref",
    "add_to_collection", "add_to_collections", "global_variables", "trainable_variables", "local_variables",
    "model_variables", "set_random_seed", "enable_eager_execution", "disable_eager_execution",
    "executing_eagerly", "get_name_scope",
]


class GraphKeys:
    """The standard collection names (``tf.compat.v1.GraphKeys``)."""

    GLOBAL_VARIABLES: ClassVar[str] = "variables"
    LOCAL_VARIABLES: ClassVar[str] = "local_variables"
    METRIC_VARIABLES: ClassVar[str] = "metric_variables"
    MODEL_VARIABLES: ClassVar[str] = "model_variables"
    TRAINABLE_VARIABLES: ClassVar[str] = "trainable_variables"
    SUMMARIES: ClassVar[str] = "summaries"
    QUEUE_RUNNERS: ClassVar[str] = "queue_runners"
    TABLE_INITIALIZERS: ClassVar[str] = "table_initializer"
    ASSET_FILEPATHS: ClassVar[str] = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES: ClassVar[str] = "moving_average_variables"
    REGULARIZATION_LOSSES: ClassVar[str] = "regularization_losses"
    CONCATENATED_VARIABLES: ClassVar[str] = "concatenated_variables"
    SAVERS: ClassVar[str] = "savers"
    WEIGHTS: ClassVar[str] = "weights"
    BIASES: ClassVar[str] = "biases"
    ACTIVATIONS: ClassVar[str] = "activations"
    UPDATE_OPS: ClassVar[str] = "update_ops"
    LOSSES: ClassVar[str] = "losses"
    SAVEABLE_OBJECTS: ClassVar[str] = "saveable_objects"
    RESOURCES: ClassVar[str] = "resources"
    LOCAL_RESOURCES: ClassVar[str] = "local_resources"
    TRAINABLE_RESOURCE_VARIABLES: ClassVar[str] = "trainable_resource_variables"
    INIT_OP: ClassVar[str] = "init_op"
    LOCAL_INIT_OP: ClassVar[str] = "local_init_op"
    READY_OP: ClassVar[str] = "ready_op"
    READY_FOR_LOCAL_INIT_OP: ClassVar[str] = "ready_for_local_init_op"
    SUMMARY_OP: ClassVar[str] = "summary_op"
    GLOBAL_STEP: ClassVar[str] = "global_step"
    EVAL_STEP: ClassVar[str] = "eval_step"
    TRAIN_OP: ClassVar[str] = "train_op"
    COND_CONTEXT: ClassVar[str] = "cond_context"
    WHILE_CONTEXT: ClassVar[str] = "while_context"
    VARIABLES: ClassVar[str] = GLOBAL_VARIABLES


_VALID_OP_NAME: Final = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$")
_VALID_SCOPE_NAME: Final = re.compile(r"^[A-Za-z0-9_.\\/>-]*$")
# Names already found valid, per pattern: scopes are entered again and again under the same names, and a set
# lookup costs a fraction of a regex match. Cleared when full, so memory stays bounded.
_valid_op_names: Final[set[str]] = set()
_valid_scope_names: Final[set[str]] = set()
_VALID_NAMES_LIMIT: Final = 1 << 16


def _matches(pattern: re.Pattern[str], known: set[str], name: Any) -> bool:
    """``pattern`` matches ``name``, remembered in ``known``; a non-string raises the regex's TypeError, as in TF."""
    if type(name) is str and name in known:
        return True
    if pattern.match(name) is None:
        return False
    if len(known) >= _VALID_NAMES_LIMIT:
        known.clear()
    known.add(name)
    return True


def _op_name_ok(name: Any) -> bool:
    """True when ``name`` is a valid op (root scope) name."""
    return _matches(_VALID_OP_NAME, _valid_op_names, name)


def _scope_name_ok(name: Any) -> bool:
    """True when ``name`` is a valid (nested) scope name."""
    return _matches(_VALID_SCOPE_NAME, _valid_scope_names, name)


def _check_scope_name(name: Any, nested: bool) -> None:
    """TF's check of a name scope's name: a valid scope name inside another scope, a valid op name at the root.

    Raises:
        ValueError: With TF's message.
    """
    if nested:
        if not _scope_name_ok(name):
            raise ValueError(f"'{name}' is not a valid scope name. A scope name has to match the following pattern: "
                             f"{_VALID_SCOPE_NAME.pattern}")
    elif not _op_name_ok(name):
        raise ValueError(f"'{name}' is not a valid root scope name. A root scope name has to match the following "
                         f"pattern: {_VALID_OP_NAME.pattern}")


_VAR_OP_TAILS: Final = frozenset(("initializer", "isinitialized", "assign", "read"))


@mypyc_attr(acyclic=True)  # compiled: nodes only hold nodes (a tree), so the GC need not track them
class _NameNode:
    """One name of a graph's names-in-use table (TF's ``_names_in_use``), which is kept as a tree of
    the lowercased ``/``-separated parts of each name: ``_names_in_use[key]`` is the ``count`` of the
    node at ``key`` (0: not in use). A name scope keeps its node, so numbering a name inside it looks
    only at that node's children, a small dict, instead of one table of every name in the graph."""

    __slots__ = ("count", "first_key", "first", "children", "var_op", "materialized")

    def __init__(self) -> None:
        self.count = 0
        # The first child is kept inline (most names have one child at most: a variable's op name under
        # its scope), the others in a dict made when a second one comes.
        self.first_key: str | None = None
        self.first: _NameNode | None = None
        self.children: dict[str, _NameNode] | None = None
        self.var_op: bool | None = None  # a variable op has this name: True (resource variable), False (ref); None: no
        self.materialized = False  # the name of an op TF builds beside a variable op, counted as used


# An ordinary Python class even in the compiled build (its methods are still compiled), so graphs can be
# weakly referenced: weakref.WeakKeyDictionary(graph -> ...) is common in TF1 code. (Subclassing Graph needs
# the pure-Python build: compiled methods accept Graph instances only.)
@mypyc_attr(native_class=False)
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

    def __init__(self, eager: bool | None = None, backend: str | None = None) -> None:
        from varscope.backends import get_backend

        self._eager = _eager_default if eager is None else bool(eager)
        self._backend = get_backend(backend)
        self._lock = threading.RLock()
        # What scope entry and get_variable read on every call lives in a compiled object; the graph
        # keeps the same containers under its own names for everything else.
        core = self._core = _GraphCore(self, self._eager)
        core.numpy_values = self._backend.name == "numpy"
        self._collections = core.collections
        self._vars = core.vars
        self._partitioned_vars: dict[Any, Any] = {}
        self._part0_bases = core.part0_bases  # names N with a variable "N/part_0" in _vars
        self._local = core.local
        self.seed: int | None = None
        self.building_function = False
        # The value-provider hook: when set, ``get_variable`` calls
        # ``value_provider(store_key, shape, dtype, partition_info, request)`` for each variable it
        # creates and uses the returned array (of this graph's backend) as the initial value instead of
        # running the initializer. ``store_key`` is the full name (``"tower/dense/w"``, or
        # ``"emb/part_0"`` for a shard, with ``partition_info`` set); ``shape`` (TensorShape) and
        # ``dtype`` (DType) are None when the initializer is a value. All scoping rules, reuse errors
        # and shape checks still apply. varscope.jax uses it to feed ``params`` into ``apply``.
        self.value_provider: Any = None

    # -- identity and defaults -------------------------------------------------------------------
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
        frame = _thread_frame()
        stack = frame.stack
        stack.append(self)
        try:
            yield self
        finally:
            if stack and stack[-1] is self:
                stack.pop()
            else:  # pragma: no cover - mirrors TF's tolerance of odd exits
                try:
                    stack.remove(self)
                except ValueError:
                    pass
            if frame.graph is self and not (stack and stack[-1] is self):
                frame.graph = frame.state = None  # the cache must not keep a graph alive after its block

    # -- names ------------------------------------------------------------------------------------
    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        """The name an op called ``name`` would get in the current name scope (TF's numbering).

        Names are compared case-insensitively: after ``foo``, ``FOO`` becomes ``FOO_1``.

        Example:
            >>> import varscope as tf1
            >>> g = tf1.Graph()
            >>> g.unique_name("Foo"), g.unique_name("foo"), g.unique_name("foo", mark_as_used=False)
            ('Foo', 'foo_1', 'foo_2')
        """
        stack = self._scope_state().name_stack
        if stack:
            name = stack + "/" + name
        return self._unique(name, mark_as_used)

    def _unique(self, name: str, mark_as_used: bool = True, var_op: bool | None = None) -> str:
        """TF's ``unique_name`` of an absolute ``name`` (see :meth:`_GraphCore.unique`)."""
        return self._core.unique(name, mark_as_used, var_op)

    def _mark_variable(self, op_name: str, is_resource: bool) -> None:
        """Record that a variable op ``op_name`` exists, so the names of the ops TF builds beside it
        (``v/Initializer``, ``v/IsInitialized``, ``v/Assign``, ``v/Read``) count as used.

        The marks are applied lazily, the first time :meth:`unique_name` meets such a name, to keep
        variable creation cheap.
        """
        if op_name:
            self._core.node_for(op_name).var_op = is_resource

    def get_name_scope(self) -> str:
        """The current name scope of this thread (``"a/b"``; ``""`` at the root)."""
        return self._scope_state().name_stack

    def name_scope(self, name: Any) -> _GraphNameScope:
        """A context manager entering name scope ``name`` of this graph (TF's ``Graph.name_scope``).

        ``None`` or ``""`` go to the root; a name ending in ``/`` re-enters that absolute scope;
        anything else is uniquified. The block receives the scope string with a trailing ``/``.
        """
        return _GraphNameScope(self, name)

    # -- collections -----------------------------------------------------------------------------
    def add_to_collection(self, name: str, value: Any) -> None:
        """Append ``value`` to collection ``name``."""
        with self._lock:
            self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names: Any, value: Any) -> None:
        """Append ``value`` to each collection in ``names`` (a name or an iterable of names)."""
        names = (names,) if isinstance(names, str) else set(names)
        for name in names:
            self.add_to_collection(name, value)

    def get_collection_ref(self, name: str) -> list[Any]:
        """The list behind collection ``name`` itself (created empty if missing)."""
        with self._lock:
            return self._collections.setdefault(name, [])

    def get_collection(self, name: str, scope: str | None = None) -> list[Any]:
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
        """The names of the collections that hold a list."""
        with self._lock:
            return [k for k, v in self._collections.items() if isinstance(v, list)]

    def clear_collection(self, name: str) -> None:
        """Remove collection ``name``."""
        with self._lock:
            self._collections.pop(name, None)

    # -- thread-local scope state (used by the scope module) ------------------------------------------
    def _scope_state(self) -> _ScopeState:
        """This thread's name-scope string, variable scope and scope counters in this graph."""
        return self._core.scope_state()

    def __repr__(self) -> str:
        return f"<varscope.Graph object at {id(self):#x}>"


class _GraphCore:
    """The parts of a graph that scope entry and ``get_variable`` read on every call.

    A compiled object in the compiled build, so these reads are plain field reads; ``Graph`` itself
    stays an ordinary Python class. Shared by all threads, except ``local``, the per-thread state.
    """

    def __init__(self, graph: Graph, eager: bool) -> None:
        self.graph = graph
        self.eager = eager
        names_lock = threading.Lock()
        # The bound methods, kept: compiled code calls them without looking the method up every time.
        self.lock_names: Callable[[], Any] = names_lock.acquire
        self.unlock_names: Callable[[], Any] = names_lock.release
        self.names = _NameNode()  # the root of the names-in-use tree
        self.vars: dict[Any, Any] = {}  # the variable store: full name -> Variable
        self.part0_bases: set[Any] = set()  # names N with a variable "N/part_0" in vars
        self.store: Any = None  # the graph's VariableStore, made on first use (varscope._store)
        self.collections: dict[str, list[Any]] = {}  # the graph's collections
        self.numpy_values = False  # the graph's backend is NumPy (set by Graph)
        self.local = ThreadState()
        # When set, called with the new absolute name-scope string ("a/b", "" at the root) after every
        # change, in the changing thread. varscope.jax mirrors it into jax.named_scope.
        self.name_stack_hook: Any = None

    def scope_state(self) -> _ScopeState:
        """This thread's name-scope string, variable scope and scope counters in the graph."""
        state = self.local.state
        if state is None:
            from varscope._scope import _ScopeState

            state = self.local.state = _ScopeState(self.graph)
        return state  # type: ignore[no-any-return]

    def set_name_stack(self, state: _ScopeState, name_stack: str, node: _NameNode | None = None) -> None:
        """Set this thread's name-scope string (``state`` is ``scope_state()``) and its node in the
        names tree (None: not known yet, see ``name_node``), and tell the hook, if any."""
        state.name_stack = name_stack
        state.name_node = node
        hook = self.name_stack_hook
        if hook is not None:
            hook(name_stack)

    def name_node(self, state: _ScopeState) -> _NameNode:
        """The node of this thread's current name scope (``state`` is ``scope_state()``)."""
        node = state.name_node
        if node is None:
            node = state.name_node = self.node_for(state.name_stack)
        return node

    def node_for(self, path: str) -> _NameNode:
        """The node of the absolute name ``path`` (``""``: the root), made if missing (not marked used)."""
        node = self.names
        if path:
            for part in path.lower().split("/"):
                node = self._child(node, part)
        return node

    def _child(self, node: _NameNode, key: str) -> _NameNode:
        """The child ``key`` of ``node``, made if missing: one step, safe against other threads on its own."""
        if not _ATOMIC:
            self.lock_names()
            try:
                return _get_or_make_child(node, key)
            finally:
                self.unlock_names()
        return _get_or_make_child(node, key)

    def unique(self, name: str, mark_as_used: bool = True, var_op: bool | None = None) -> str:
        """TF's ``unique_name`` of an absolute ``name``. With ``var_op`` (the variable is a resource
        variable or not), the name is also recorded as a variable op, as ``Graph._mark_variable`` does."""
        slash = name.rfind("/")
        node = self._in_name_scope(name, slash) if slash > 0 else None
        if node is not None:
            return self._unique_leaf(node, name, slash, mark_as_used, var_op)
        return self.unique_under(self.names, name, mark_as_used, var_op)[0]

    def unique_op_name(self, name: str, var_op: bool) -> str | None:
        """``unique(name, True, var_op)`` for a variable op name right inside this thread's name scope,
        whose last part is a valid scope name: every name scope was checked when entered, so the name is a
        valid op name without matching it whole. None otherwise (the caller checks the name itself)."""
        slash = name.rfind("/")
        node = self._in_name_scope(name, slash) if slash > 0 else None
        if node is None or slash == len(name) - 1 or not _scope_name_ok(name[slash + 1:]):
            return None
        return self._unique_leaf(node, name, slash, True, var_op)

    def _in_name_scope(self, name: str, slash: int) -> _NameNode | None:
        """The node of this thread's current name scope when ``name[:slash]`` is that scope, else None.
        (Variables are usually created right inside the name scope of their variable scope.)"""
        state = _thread_frame().state
        if state is not None and state.core is self:
            node = state.name_node
            path = state.name_stack
            if node is not None and len(path) == slash and name.startswith(path):
                return node
        return None

    def _unique_leaf(self, node: _NameNode, name: str, slash: int, mark_as_used: bool, var_op: bool | None) -> str:
        leaf = name[slash + 1:]
        unique = self.unique_under(node, leaf, mark_as_used, var_op)[0]
        return name if unique is leaf else name[:slash + 1] + unique

    def unique_under(self, parent: _NameNode, name: str, mark_as_used: bool = True,
                     var_op: bool | None = None) -> tuple[str, _NameNode]:
        """TF's ``unique_name`` of ``name`` inside the name whose node is ``parent``: ``name`` or
        ``name_N``, and the node of that name."""
        key = name.lower()
        slash = key.rfind("/")
        if slash >= 0:
            for part in key[:slash].split("/"):
                parent = self._child(parent, part)
            key = key[slash + 1:]
        while True:
            if _ATOMIC:
                suffix, node = _number(parent, key, mark_as_used, var_op)
            else:
                self.lock_names()
                try:
                    suffix, node = _number(parent, key, mark_as_used, var_op)
                finally:
                    self.unlock_names()
            if node is not None:
                return (name if suffix == 0 else "%s_%d" % (name, suffix)), node
            _add_children_dict(parent)  # (outside _number: see there), then numbered again


# -- numbering, without a lock in the compiled build -------------------------------------------------
# In the compiled build under a GIL, compiled code runs without a thread switch until it calls Python
# code or allocates an object the garbage collector tracks (CPython 3.11 may collect inside such an
# allocation, and a collection runs finalizers: Python code, where the interpreter may switch threads).
# So ``_number`` and ``_get_or_make_child`` read and write the names tree without a lock there: between
# their first read and their last write they call no Python code, and allocate only strings and name
# nodes (neither tracked by the GC). A dict for a node's children is the one tracked allocation they
# need; they ask their caller to make it instead (tests/test_core.py runs a collection, and in it
# another numbering, at every tracked allocation). The pure-Python build, and Python without a GIL,
# take ``_GraphCore``'s lock around them instead (``_ATOMIC`` below).

def _get_or_make_child(node: _NameNode, key: str) -> _NameNode:
    """The child ``key`` of ``node``, made if missing."""
    while True:
        child = _find(node, key)
        if child is not None:
            return child
        if node.first is None or node.children is not None:  # room for it
            child = _NameNode()
            _link(node, key, child)
            return child
        _add_children_dict(node)  # then the tree is read again


def _add_children_dict(node: _NameNode) -> None:
    """Give ``node`` a dict for its children, unless another thread did first. The dict is a tracked
    allocation, which may run the GC and with it other threads: callers read the tree again after it."""
    made: dict[str, _NameNode] = {}
    if node.children is None:
        node.children = made


def _number(parent: _NameNode, key: str, mark_as_used: bool, var_op: bool | None) -> tuple[int, _NameNode | None]:
    """Number the lowercased name ``key`` inside ``parent`` as TF's ``unique_name`` does: ``(N, node)``
    for ``key_N`` (0: ``key`` itself) and its node, or ``(0, None)``, having changed nothing, when a
    new child of ``parent`` needs a children dict that ``parent`` does not have yet."""
    # Read: which node the name gets, and whether it is new.
    node = _find(parent, key)
    count = 0 if node is None else node.count
    # TF builds ops named "<variable>/Initializer", ".../IsInitialized" (resource variables only),
    # ".../Assign" and ".../Read" beside each variable op; they count as used from the first time
    # such a name is asked for.
    owner = parent.var_op
    materialize = owner is not None and (node is None or not node.materialized) and key in _VAR_OP_TAILS \
        and (owner or key != "isinitialized")
    if materialize:
        count += 1
    target = node
    target_key = key
    suffix = 0
    if count > 0:  # in use: the first key_N (N = count, count + 1, ...) not in use
        suffix = count
        target_key = f"{key}_{suffix}"
        target = _find(parent, target_key)
        while target is not None and target.count > 0:
            suffix += 1
            target_key = f"{key}_{suffix}"
            target = _find(parent, target_key)
    links = 1 if node is None else 0  # new children of parent: room inline for one, if free, else a dict
    if suffix > 0 and target is None:
        links += 1
    if links > (1 if parent.first is None else 0) and parent.children is None:
        return 0, None
    # Write.
    if node is None:
        node = _NameNode()
        _link(parent, key, node)
    if mark_as_used:
        node.count = count + 1
    elif materialize:
        node.count = count
    if materialize:
        node.materialized = True
    result = node
    if suffix > 0:
        if target is None:
            target = _NameNode()
            _link(parent, target_key, target)
        if mark_as_used:
            target.count = 1
        result = target
    if var_op is not None:
        result.var_op = var_op
    return suffix, result


def _link(parent: _NameNode, key: str, child: _NameNode) -> None:
    """Make ``child`` the child ``key`` of ``parent``, which has no such child and room for it (no
    children yet, or a children dict)."""
    if parent.first is None:
        parent.first_key = key
        parent.first = child
    else:
        children = parent.children
        assert children is not None
        children[key] = child


def _find(node: _NameNode, key: str) -> _NameNode | None:
    """The child ``key`` of ``node``, if any."""
    if node.first_key == key:
        return node.first
    children = node.children
    return children.get(key) if children is not None else None


# Whether _number and _get_or_make_child run without the names lock: compiled (a compiled function is
# not a Python function object), with a GIL (free-threaded Python 3.13+ has sys._is_gil_enabled()).
_ATOMIC: Final[bool] = not isinstance(_find, types.FunctionType) \
    and bool(getattr(sys, "_is_gil_enabled", lambda: True)())


class _GraphNameScope:
    """``Graph.name_scope(name)`` as a small reusable context manager."""

    __slots__ = ("_graph", "_name", "_old", "_old_node", "_state")

    def __init__(self, graph: Graph, name: Any) -> None:
        self._graph = graph
        self._name = name

    def __enter__(self) -> str:
        graph = self._graph
        core = graph._core
        state: _ScopeState = core.local.state or core.scope_state()
        self._state = state
        name = self._name
        old = state.name_stack
        if name:
            if isinstance(name, bytes):
                name = name.decode("utf-8")
            _check_scope_name(name, nested=bool(old))
        self._old = old
        self._old_node = state.name_node
        node: _NameNode | None = None
        if not name:
            new_stack = returned = ""
            node = core.names
        elif name[-1] == "/":
            new_stack = name[:-1]
            returned = name
        elif graph._eager:
            new_stack = old + "/" + name if old else name
            returned = new_stack + "/"
        else:
            unique, node = core.unique_under(core.name_node(state), name)
            new_stack = old + "/" + unique if old else unique
            returned = new_stack + "/"
        core.set_name_stack(state, new_stack, node)
        return returned

    def __exit__(self, exc_type: Any = None, exc: Any = None, tb: Any = None) -> None:
        self._graph._core.set_name_stack(self._state, self._old, self._old_node)


# -- the default graph ------------------------------------------------------------------------------
_eager_default = False
_global_default_graph: Graph | None = None
_global_lock: Final = threading.Lock()


class _Frame:
    """One thread's default-graph stack, plus a cache for the hot paths: the current default graph and
    this thread's scope state in it (``current_state()`` refreshes it when the default graph changed),
    so one lookup serves a whole ``variable_scope`` entry or ``get_variable`` call.
    ``ident`` is the thread's (-1 once the thread has ended): whoever keeps a frame checks it against
    ``get_ident()`` before using the frame again."""

    def __init__(self) -> None:
        self.stack: list[Graph] = []
        self.graph: Graph | None = None
        self.state: _ScopeState | None = None  # this thread's scope state in self.graph
        self.ident = get_ident()

    def current_state(self) -> _ScopeState:
        """This thread's scope state in the current default graph."""
        stack = self.stack
        graph = stack[-1] if stack else _global_default_graph
        state = self.state
        if state is not None and graph is self.graph and graph is not None:
            return state
        return self.refresh(graph)

    def refresh(self, graph: Graph | None) -> _ScopeState:
        """The scope state of ``graph`` (the current default graph; None: the global one, made if needed)."""
        if graph is None:
            graph = get_default_graph()
        core = graph._core
        state: _ScopeState = core.local.state or core.scope_state()  # (may enter and leave as_default)
        self.graph = graph
        self.state = state
        return state


class _LastFrame:
    """The frame ``_thread_frame`` returned last, whichever thread asked: in one thread, or in a thread
    running for a while, the next call is from the same thread, and checking its id costs less than
    reading a ``threading.local``."""

    def __init__(self) -> None:
        self.frame: _Frame | None = None


_thread_local: Final = threading.local()  # .frame: this thread's _Frame, .guard: its FrameGuard
_last: Final = _LastFrame()
get_ident: Final = threading.get_ident


def _thread_frame() -> _Frame:
    """This thread's frame (its cache may be stale: see ``current_state``)."""
    last = _last.frame
    if last is not None and last.ident == get_ident():
        return last
    try:
        frame: _Frame = _thread_local.frame
    except AttributeError:
        frame = _thread_local.frame = _Frame()
        _thread_local.guard = FrameGuard(frame)
    _last.frame = frame
    return frame


def current_state() -> _ScopeState:
    """This thread's scope state in the current default graph: its name stack, variable scope and
    counters, and the graph's core (``state.core``)."""
    return _thread_frame().current_state()


def _default_stack() -> list[Graph]:
    return _thread_frame().stack


def get_default_graph() -> Graph:
    """The innermost graph entered with ``as_default()`` in this thread, else the global default.

    Example:
        >>> import varscope as tf1
        >>> g = tf1.Graph()
        >>> with g.as_default():
        ...     tf1.get_default_graph() is g
        True
    """
    stack = _thread_frame().stack
    if stack:
        return stack[-1]
    graph = _global_default_graph
    if graph is None:
        with _global_lock:
            graph = _global_default_graph
            if graph is None:
                graph = _set_global_default(Graph())
    return graph


def _set_global_default(graph: Graph) -> Graph:
    global _global_default_graph
    _global_default_graph = graph
    return graph


def reset_default_graph() -> None:
    """Replace the global default graph with a fresh one (not allowed inside ``as_default()``).

    Raises:
        AssertionError: When called inside a ``with graph.as_default():`` block, as TF does.
    """
    if _default_stack():
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared graph, exit the "
            "nesting and create a new graph."
        )
    _set_global_default(Graph())


def get_name_scope() -> str:
    """The current name scope of the default graph (``"a/b"``)."""
    return get_default_graph()._scope_state().name_stack


def add_to_collection(name: str, value: Any) -> None:
    """``get_default_graph().add_to_collection(name, value)``."""
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names: Any, value: Any) -> None:
    """``get_default_graph().add_to_collections(names, value)``."""
    get_default_graph().add_to_collections(names, value)


def get_collection(key: str, scope: str | None = None) -> list[Any]:
    """``get_default_graph().get_collection(key, scope)`` (``scope`` is a regex matched at the start).

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     _ = tf1.get_variable("a/v", [1]); _ = tf1.get_variable("b/v", [1])
        ...     [v.name for v in tf1.get_collection(tf1.GraphKeys.GLOBAL_VARIABLES, "a")]
        ['a/v:0']
    """
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key: str) -> list[Any]:
    """``get_default_graph().get_collection_ref(key)``."""
    return get_default_graph().get_collection_ref(key)


def global_variables(scope: str | None = None) -> list[Any]:
    """The ``GLOBAL_VARIABLES`` collection of the default graph."""
    return get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


def trainable_variables(scope: str | None = None) -> list[Any]:
    """The ``TRAINABLE_VARIABLES`` collection of the default graph."""
    return get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope: str | None = None) -> list[Any]:
    """The ``LOCAL_VARIABLES`` collection of the default graph."""
    return get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope: str | None = None) -> list[Any]:
    """The ``MODEL_VARIABLES`` collection of the default graph."""
    return get_collection(GraphKeys.MODEL_VARIABLES, scope)


def set_random_seed(seed: int | None) -> None:
    """Set the graph-level seed of the default graph (initial values are keyed by it and the name)."""
    get_default_graph().seed = seed


def enable_eager_execution() -> None:
    """Switch to eager semantics: new graphs (and a fresh global default graph) are eager.

    varscope's eager mode behaves like TF eager inside an ``EagerVariableStore``: reuse is always
    ``AUTO_REUSE`` and variables are kept between calls.
    """
    global _eager_default
    _eager_default = True
    if not _default_stack():
        _set_global_default(Graph())


def disable_eager_execution() -> None:
    """Back to graph mode (the default): new graphs, and a fresh global default graph, are not eager."""
    global _eager_default
    _eager_default = False
    if not _default_stack():
        _set_global_default(Graph())


def executing_eagerly() -> bool:
    """True when the default graph is eager."""
    return get_default_graph()._eager
