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
    """What a graph keeps per thread: the name-scope string and the variable-scope state."""

    def __init__(self) -> None:
        self.name_stack = ""
        self.scopes: Any = None  # a varscope._scope._ScopeState, made on first use


class DefaultStack(threading.local):
    """This thread's stack of graphs entered with ``Graph.as_default()``."""

    def __init__(self) -> None:
        self.stack: list[Graph] = []
