"""Per-thread state: the default-graph stack and each graph's name-scope string and scope state.

These ``threading.local`` subclasses live in their own module because the compiled build
(mypyc, see ``setup.py``) cannot compile ``threading.local`` subclasses; this module always stays
interpreted, and compiled code reads their attributes like any Python object's.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from varscope._graph import Graph

__all__ = ["ThreadState", "DefaultStack"]


class ThreadState(threading.local):
    """What a graph keeps per thread: one ``varscope._scope._ScopeState`` (made on first use), which holds
    the name-scope string, the current variable scope and the scope counters. Reading a ``threading.local``
    costs more than reading a compiled object's field, so the hot paths read this once per call."""

    def __init__(self) -> None:
        self.state: Any = None


class DefaultStack(threading.local):
    """This thread's stack of graphs entered with ``Graph.as_default()``."""

    def __init__(self) -> None:
        self.stack: list[Graph] = []
