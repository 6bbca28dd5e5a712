"""Templates: functions that create their variables on the first call and reuse them afterwards.

``make_template(name_, func_)`` wraps ``func_`` so that every call runs it inside one captured
variable scope: the first call creates the variables (``reuse`` inherited), every later call
re-enters the scope with ``reuse=True`` and so gets the same variables back (spec §12, T1-T14).

Example:
    >>> import varscope as tf1
    >>> def dense(n):
    ...     return tf1.get_variable("w", [n])
    >>> with tf1.Graph().as_default():
    ...     layer = tf1.make_template("dense", dense, n=3)
    ...     w1, w2 = layer(), layer()
    >>> w1 is w2, w1.name, layer.variable_scope_name
    (True, 'dense/w:0', 'dense/')
"""

from __future__ import annotations

import functools
import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from varscope._dtypes import float32
from varscope._graph import Graph, GraphKeys, get_default_graph
from varscope._scope import (AUTO_REUSE, VariableScope, _get_unique_variable_scope, _pure_variable_scope, _state,
                             variable_scope)

__all__ = ["make_template", "Template", "EagerTemplate"]

_log = logging.getLogger("varscope")

_warned_var_scope = False

_NEW_TRAINABLE = ("Trainable variable created when calling a template after the first time, perhaps you used "
                  "tf.Variable when you meant tf.get_variable: %s")
_NEW_VARIABLES = ("New variables created when calling a template after the first time, perhaps you used "
                  "tf.Variable when you meant tf.get_variable: %s")


def make_template(name_: str, func_: Callable[..., Any], create_scope_now_: bool = False,
                  unique_name_: str | None = None, custom_getter_: Callable[..., Any] | None = None,
                  **kwargs: Any) -> Template:
    """Wrap ``func_`` so that it shares its variables across calls (``tf.compat.v1.make_template``).

    The first call creates the variables in a fresh variable scope (``name_``, made unique like a
    ``default_name``); every later call re-enters that scope with ``reuse=True``.

    Args:
        name_: Name of the template's variable scope (uniquified: ``name_``, ``name__1``...).
        func_: The function to wrap. It should create variables with ``get_variable``.
        create_scope_now_: Capture the variable scope now instead of at the first call. The
            scope is then entered without a name scope (``original_name_scope`` is the bare name)
            and with dtype float32.
        unique_name_: Use this scope name verbatim instead of uniquifying ``name_``
            (graph mode only).
        custom_getter_: A custom getter installed on the template's scope; it runs on every call.
        **kwargs: Keyword arguments bound into ``func_`` with ``functools.partial``.

    Returns:
        A :class:`Template` (an :class:`EagerTemplate` when the default graph is eager).

    Raises:
        ValueError: ``name_`` is None, or ``unique_name_`` is given in eager mode.

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     t1 = tf1.make_template("s1", lambda: tf1.get_variable("dummy", [1]))
        ...     t2 = tf1.make_template("s1", lambda: tf1.get_variable("dummy", [1]))
        ...     names = [t1().name, t2().name, t1().name]
        >>> names
        ['s1/dummy:0', 's1_1/dummy:0', 's1/dummy:0']
    """
    if kwargs:
        func_ = functools.partial(func_, **kwargs)
    if get_default_graph()._eager:
        if unique_name_ is not None:
            raise ValueError("unique_name_ cannot be used when eager execution is enabled.")
        return EagerTemplate(name_, func_, create_scope_now=create_scope_now_, custom_getter=custom_getter_)
    return Template(name_, func_, create_scope_now=create_scope_now_, unique_name=unique_name_,
                    custom_getter=custom_getter_)


def _skip_common_stack_elements(stacktrace: list[str], base_case: list[str]) -> list[str]:
    """The frames of ``stacktrace`` after the prefix it shares with ``base_case`` (at least the last one)."""
    for i, (trace, base) in enumerate(zip(stacktrace, base_case)):
        if trace != base:
            return stacktrace[i:]
    return stacktrace[-1:]


def _scope_name_with_slash(scope: VariableScope | None) -> str | None:
    if scope is None:
        return None
    name = scope.name
    return name if not name or name[-1] == "/" else name + "/"


class Template:
    """A function wrapped so that it creates its variables once and reuses them (TF's ``Template``).

    Built by :func:`make_template`. Calling it calls the wrapped function inside the template's
    variable scope; the scope is captured at construction (``create_scope_now=True``) or at the
    first call. Exceptions escaping a call get ``"\\n\\noriginally defined at:\\n"`` and the
    construction-site stack appended to their first argument.

    Args:
        name: Name of the template's variable scope; must not be None.
        func: The function to wrap.
        create_scope_now: Capture the variable scope in the constructor.
        unique_name: A verbatim scope name that overrides ``name`` (not uniquified).
        custom_getter: Custom getter of the template's scope.

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     t = tf1.Template("lin", lambda: tf1.get_variable("w", [2]), create_scope_now=True)
        ...     scope_name = t.variable_scope.name
        ...     w = t()
        ...     t.trainable_variables == [w], t() is w
        (True, True)
        >>> scope_name, w.name
        ('lin', 'lin/w:0')
    """

    def __init__(self, name: str, func: Callable[..., Any], create_scope_now: bool = False,
                 unique_name: str | None = None, custom_getter: Callable[..., Any] | None = None) -> None:
        self._func = func
        # Drop this frame and the one that built us (make_template, as in TF).
        self._stacktrace: list[str] = traceback.format_stack()[:-2]
        self._name = name
        self._unique_name = unique_name
        self._custom_getter = custom_getter
        if name is None:
            raise ValueError("name cannot be None.")
        self._variable_scope: VariableScope | None = None
        if create_scope_now:
            self._variable_scope = _capture_scope_now(unique_name, name, custom_getter)
        self._variables_created = False
        self._first_call = True
        # Held by the first call, so concurrent first calls wait for it and then reuse its variables
        # (re-entrant: the wrapped function may call its own template).
        self._first_call_lock = threading.RLock()

    # -- calling ----------------------------------------------------------------------------------
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the wrapped function in the template's scope (``reuse=True`` after the first call).

        Safe from many threads: one call creates the variables, the others wait for it and reuse them.
        """
        if not self._variables_created:
            with self._first_call_lock:
                if not self._variables_created:
                    return self._call(args, kwargs)
        return self._call(args, kwargs)

    def _call(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if self._variable_scope is not None:
            with variable_scope(self._variable_scope, reuse=not self._first_call):
                return self._call_func(args, kwargs)
        with variable_scope(self._unique_name, self._name, custom_getter=self._custom_getter) as vs:
            self._variable_scope = vs
            return self._call_func(args, kwargs)

    def _call_func(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        try:
            if self._variables_created:
                graph = get_default_graph()
                global_vars = graph.get_collection_ref(GraphKeys.GLOBAL_VARIABLES)
                trainable_vars = graph.get_collection_ref(GraphKeys.TRAINABLE_VARIABLES)
                vars_at_start, trainable_at_start = len(global_vars), len(trainable_vars)
                result = self._func(*args, **kwargs)
                # Only this thread's new variables count: other threads may create theirs meanwhile.
                new_trainable = _made_here(trainable_vars[trainable_at_start:])
                if new_trainable:
                    raise ValueError(_NEW_TRAINABLE % (new_trainable,))
                new_global = _made_here(global_vars[vars_at_start:])
                if new_global:
                    _log.info(_NEW_VARIABLES, new_global)
            elif self._first_call:
                self._first_call = False
                try:
                    result = self._func(*args, **kwargs)
                except BaseException:
                    self._first_call = True
                    raise
                self._variables_created = True
            else:  # a call from inside the first call (the wrapped function calls its template)
                result = self._func(*args, **kwargs)
            return result
        except Exception as exc:
            self._extend_message(exc)
            raise

    def _extend_message(self, exc: Exception) -> None:
        """Append the construction-site stack to ``exc.args[0]`` (T7)."""
        args = exc.args
        arg0 = args[0] if args else ""
        trace = "".join(_skip_common_stack_elements(self._stacktrace, traceback.format_stack()))
        exc.args = ("%s\n\noriginally defined at:\n%s" % (arg0, trace), *args[1:])

    # -- properties -------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The name given to the template (``name_``, before uniquification)."""
        return self._name

    @property
    def func(self) -> Callable[..., Any]:
        """The wrapped function (with the ``make_template`` kwargs bound)."""
        return self._func

    @property
    def variable_scope(self) -> VariableScope | None:
        """The captured :class:`VariableScope`, or None before it is captured."""
        return self._variable_scope

    @property
    def variable_scope_name(self) -> str | None:
        """The captured scope's name plus ``"/"`` (``""`` at the root; None before capture)."""
        return _scope_name_with_slash(self._variable_scope)

    @property
    def variables(self) -> list[Any]:
        """Global plus local variables of the template."""
        return self.global_variables + self.local_variables

    @property
    def trainable_variables(self) -> list[Any]:
        """``TRAINABLE_VARIABLES`` matching :attr:`variable_scope_name` (a regex); [] before a first call."""
        return self._collection(GraphKeys.TRAINABLE_VARIABLES)

    @property
    def non_trainable_variables(self) -> list[Any]:
        """Global variables that are not trainable."""
        trainable = set(self.trainable_variables)
        return [v for v in self.global_variables if v not in trainable]

    @property
    def global_variables(self) -> list[Any]:
        """``GLOBAL_VARIABLES`` matching :attr:`variable_scope_name` (a regex); [] before a first call."""
        return self._collection(GraphKeys.GLOBAL_VARIABLES)

    @property
    def local_variables(self) -> list[Any]:
        """``LOCAL_VARIABLES`` matching :attr:`variable_scope_name` (a regex); [] before a first call."""
        return self._collection(GraphKeys.LOCAL_VARIABLES)

    @property
    def weights(self) -> list[Any]:
        """Alias of :attr:`variables`."""
        return self.variables

    @property
    def trainable_weights(self) -> list[Any]:
        """Alias of :attr:`trainable_variables`."""
        return self.trainable_variables

    @property
    def non_trainable_weights(self) -> list[Any]:
        """Alias of :attr:`non_trainable_variables`."""
        return self.non_trainable_variables

    @property
    def var_scope(self) -> VariableScope | None:
        """Deprecated alias of :attr:`variable_scope` (warns once per process, like TF)."""
        global _warned_var_scope
        if not _warned_var_scope:
            _warned_var_scope = True
            _log.warning("The .var_scope property is deprecated. Please change your code to use the "
                         ".variable_scope property")
        return self._variable_scope

    def _collection(self, key: str) -> list[Any]:
        if not self._variables_created:
            return []
        return get_default_graph().get_collection(key, self.variable_scope_name)

    def __repr__(self) -> str:
        return f"<varscope.Template name={self._name!r} scope={self.variable_scope_name!r}>"


def _capture_scope_now(unique_name: str | None, name: str, custom_getter: Any) -> VariableScope:
    """TF's ``_pure_variable_scope(unique_name or _get_unique_variable_scope(name))``, entered and left.

    No name scope is entered, so the scope's ``original_name_scope`` is the bare name, and its
    dtype is float32 whatever the current scope's dtype is (T2).
    """
    pure = _pure_variable_scope(unique_name or _get_unique_variable_scope(name), custom_getter=custom_getter)
    scope = pure.__enter__()
    pure.__exit__(None, None, None)
    return scope


class EagerTemplate(Template):
    """A :class:`Template` for eager graphs (TF's ``EagerTemplate``).

    varscope's eager graphs keep their variables like TF inside an ``EagerVariableStore``, so every
    call re-enters the captured scope with ``AUTO_REUSE`` and gets the same variables. The
    template's variables are the store's variables under its scope, sorted by name.

    Args:
        name: Name of the template's variable scope; must not be None.
        func: The function to wrap.
        create_scope_now: Capture the variable scope in the constructor.
        custom_getter: Custom getter of the template's scope.

    Raises:
        RuntimeError: The default graph is not eager.

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph(eager=True).as_default():
        ...     t = tf1.make_template("e", lambda: tf1.get_variable("w", [2]))
        ...     w = t()
        ...     t() is w, [v.name for v in t.variables]
        (True, ['e/w:0'])
    """

    def __init__(self, name: str, func: Callable[..., Any], create_scope_now: bool = False,
                 custom_getter: Callable[..., Any] | None = None) -> None:
        if not get_default_graph()._eager:
            raise RuntimeError(f"{type(self)} objects can only be used when eager execution is enabled, use "
                               "tf.Template for graph construction")
        super().__init__(name, func, create_scope_now, None, custom_getter)
        self._graph: Graph | None = get_default_graph() if self._variable_scope is not None else None
        self._scope_cm: variable_scope | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the wrapped function in the template's scope (``AUTO_REUSE``)."""
        if self._variable_scope is not None:
            if self._scope_cm is None:
                self._scope_cm = variable_scope(self._variable_scope, reuse=AUTO_REUSE)
            with self._scope_cm:
                return self._call_in_store(args, kwargs)
        with variable_scope(self._unique_name, self._name, custom_getter=self._custom_getter) as vs:
            self._variable_scope = vs
            self._graph = get_default_graph()
            return self._call_in_store(args, kwargs)

    def _call_in_store(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        try:
            return self._call_func(args, kwargs)
        finally:
            # Leaving TF's template store closes the counters of the template's sub-scopes.
            assert self._variable_scope is not None
            _state(get_default_graph()).counts.close_subscopes(self._variable_scope.name)

    def _call_func(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        try:
            vars_at_start = self._store_variables()
            trainable_at_start = [v for v in vars_at_start if v.trainable]
            result = self._func(*args, **kwargs)
            if self._variables_created:
                variables = self._store_variables()
                trainable = [v for v in variables if v.trainable]
                if len(trainable) != len(trainable_at_start):
                    raise ValueError(_NEW_TRAINABLE % (_new_items(trainable, trainable_at_start),))
                if len(variables) != len(vars_at_start):
                    _log.info(_NEW_VARIABLES, _new_items(variables, vars_at_start))
            else:
                self._variables_created = True
            return result
        except Exception as exc:
            self._extend_message(exc)
            raise

    def _store_variables(self) -> list[Any]:
        """The variables of the template's store under its scope, sorted by name."""
        if self._variable_scope is None or self._graph is None:
            raise RuntimeError("A variable scope must be set before variables can be accessed.")
        prefix = self._variable_scope.name + "/"
        found = [v for v in self._graph._vars.values() if v.name.startswith(prefix)]
        return sorted(found, key=lambda v: v.name)

    @property
    def variables(self) -> list[Any]:
        """The template's variables (its store's, under its scope, sorted by name)."""
        return self._store_variables() if self._variables_created else []

    @property
    def trainable_variables(self) -> list[Any]:
        """The template's trainable variables."""
        return [v for v in self.variables if v.trainable]

    @property
    def non_trainable_variables(self) -> list[Any]:
        """The template's non-trainable variables."""
        return [v for v in self.variables if not v.trainable]

    @property
    def global_variables(self) -> list[Any]:
        """Same as :attr:`variables` (eager has no collections)."""
        return self.variables

    @property
    def local_variables(self) -> list[Any]:
        """Always empty in eager mode."""
        return []


def _made_here(variables: list[Any]) -> list[Any]:
    """The variables of ``variables`` that the current thread created."""
    me = threading.get_ident()
    return [v for v in variables if getattr(v, "_creator_thread", me) == me]


def _new_items(now: list[Any], before: list[Any]) -> list[Any]:
    seen = {id(v) for v in before}
    return [v for v in now if id(v) not in seen]
