"""Variables an optimizer or a moving average keeps per graph, without keeping the graph alive.

Inside ``varscope.jax.transform`` every call runs in a new graph, and an optimizer made once
outside the function sees all of them. TF keys its slots by ``(graph, op name)``; here each graph's
entries are held weakly (the graph holds its variables), so a finished graph and its arrays (tracers
under ``jit``) are freed.

Example:
    >>> import varscope as tf1
    >>> table = PerGraph()
    >>> with tf1.Graph().as_default() as g:
    ...     v = tf1.get_variable("v", [1])
    ...     table.set(g, ("m", "v"), v)
    ...     found = table.get(g, ("m", "v"))
    >>> found is v, table.get(tf1.Graph(), ("m", "v"))
    (True, None)
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable
from typing import Any

__all__ = ["PerGraph"]


class PerGraph:
    """A table ``(graph, key) -> variable``: weak in the graph and in the variable."""

    def __init__(self) -> None:
        self._graphs: weakref.WeakKeyDictionary[Any, dict[Hashable, weakref.ref[Any]]] = weakref.WeakKeyDictionary()
        self._names: weakref.WeakKeyDictionary[Any, dict[Hashable, str]] = weakref.WeakKeyDictionary()

    def get(self, graph: Any, key: Hashable) -> Any:
        """The variable stored for ``key`` in ``graph``, or None."""
        entries = self._graphs.get(graph)
        ref = None if entries is None else entries.get(key)
        return None if ref is None else ref()

    def set(self, graph: Any, key: Hashable, variable: Any) -> None:
        """Store ``variable`` for ``key`` in ``graph``."""
        entries = self._graphs.get(graph)
        if entries is None:
            entries = self._graphs[graph] = {}
        entries[key] = weakref.ref(variable)

    def get_name(self, graph: Any, key: Hashable) -> str | None:
        """The name stored for ``key`` in ``graph`` by :meth:`set_name`, or None."""
        return self._names.get(graph, {}).get(key)

    def set_name(self, graph: Any, key: Hashable, name: str) -> None:
        """Store a name (held plainly: it keeps nothing alive) for ``key`` in ``graph``."""
        names = self._names.get(graph)
        if names is None:
            names = self._names[graph] = {}
        names[key] = name

    def values(self, graph: Any) -> list[Any]:
        """The live variables stored in ``graph``, in insertion order."""
        entries = self._graphs.get(graph) or {}
        return [v for v in (ref() for ref in entries.values()) if v is not None]

    def keys(self) -> list[Hashable]:
        """Every key stored, over all live graphs."""
        return [k for entries in list(self._graphs.values()) for k in entries]
