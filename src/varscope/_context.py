"""Per-thread context: the default-graph stack, and each thread's scopes in a graph.

TensorFlow keeps these per thread (spec §0, §13): a thread starts with an empty default-graph stack
(so it sees a global default graph of its own, as in TF), at the root name scope, at the root variable scope, and with
its own counters of variable scope openings. What threads share (variables, collections, names in
use) lives on the graph.

Example:
    >>> counts = ScopeCounts()
    >>> counts.open("a/layer"); counts.counted("a/layer")
    True
    >>> counts.close_subscopes("a"); counts.counted("a/layer")
    False
"""

from __future__ import annotations

import threading
from typing import Any

__all__ = ["graph_stack", "thread_context", "ScopeState", "ScopeCounts"]


class _Thread(threading.local):
    def __init__(self) -> None:
        self.graph_stack: list[Any] = []
        self.global_graph: Any = None  # this thread's global default graph (made on first use)


_thread = _Thread()


def graph_stack() -> list[Any]:
    """This thread's stack of graphs entered with ``Graph.as_default()`` (innermost last)."""
    return _thread.graph_stack


def thread_context() -> _Thread:
    """This thread's context: ``graph_stack`` and ``global_graph`` (TF's default-graph stack, whose
    global default graph is per thread too: a new thread gets a graph of its own)."""
    return _thread


class ScopeCounts:
    """TF's ``variable_scopes_count`` of one thread in one graph: how often each variable scope name
    was opened, zeroed under a string scope when it exits, and restored around a captured-scope entry.

    TF only asks whether a count is zero (to number ``default_name`` scopes), and zeroing by scanning
    every name on every exit would make building a model quadratic. So each name keeps the *tick* of
    its last opening, and each scope the tick of its last exit: a name counts when it was opened after
    every enclosing scope last closed. Opening and closing are one dict write; asking looks at the
    name's enclosing scopes. While a captured scope is entered, writes are logged, and its exit
    undoes them (TF restores a copy of the whole table).
    """

    def __init__(self) -> None:
        self._opened: dict[str, int] = {}
        self._closed: dict[str, int] = {}
        self._tick = 0
        self._log: list[tuple[dict[str, int], str, int | None]] = []
        self._snapshots = 0

    def _write(self, table: dict[str, int], key: str) -> None:
        self._tick += 1
        if self._snapshots:
            self._log.append((table, key, table.get(key)))
        table[key] = self._tick

    def open(self, name: str) -> None:
        """Count an opening of the variable scope ``name``."""
        self._write(self._opened, name)

    def close_subscopes(self, name: str) -> None:
        """TF's ``close_variable_subscopes(name)``: zero the counts of the scopes inside ``name`` (``name/...``)."""
        self._write(self._closed, name)

    def counted(self, name: str) -> bool:
        """TF's ``variable_scope_count(name) > 0``."""
        opened = self._opened.get(name, 0)
        if not opened:
            return False
        i = name.find("/")
        while i >= 0:
            if self._closed.get(name[:i], 0) > opened:
                return False
            i = name.find("/", i + 1)
        return True

    def snapshot(self) -> int:
        """Start logging writes; :meth:`restore` with the returned mark undoes those made since."""
        self._snapshots += 1
        return len(self._log)

    def restore(self, mark: int) -> None:
        """Undo the writes made since :meth:`snapshot` returned ``mark``."""
        log = self._log
        while len(log) > mark:
            table, key, old = log.pop()
            if old is None:
                del table[key]
            else:
                table[key] = old
        self._snapshots -= 1


class ScopeState:
    """One thread's scopes in one graph: the name-scope string (``"a/b"``, ``""`` at the root), the
    current variable scope (set by ``varscope._scope`` on first use) and the scope counters."""

    __slots__ = ("name_stack", "var_scope", "counts")

    def __init__(self) -> None:
        self.name_stack = ""
        self.var_scope: Any = None
        self.counts = ScopeCounts()
