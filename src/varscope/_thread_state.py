"""Per-thread helpers that stay interpreted in the compiled build (mypyc, see ``setup.py``).

``ThreadState`` is a ``threading.local`` subclass (mypyc cannot compile those): each graph's scope
state per thread. ``FrameGuard`` needs ``__del__``: it lives in a thread's locals and marks that
thread's frame (``varscope._graph._Frame``: its default-graph stack and caches) dead when the thread
ends. Compiled code reads their attributes like any Python object's.
"""

from __future__ import annotations

import threading
from typing import Any

__all__ = ["ThreadState", "FrameGuard"]


class ThreadState(threading.local):
    """What a graph keeps per thread: one ``varscope._scope._ScopeState`` (made on first use), which holds
    the name-scope string, the current variable scope and the scope counters. Reading a ``threading.local``
    costs more than reading a compiled object's field, so the hot paths read this once per call."""

    def __init__(self) -> None:
        self.state: Any = None


class FrameGuard:
    """Kept in a thread's ``threading.local`` beside its ``varscope._graph._Frame``. When the thread ends,
    CPython clears its thread-locals (before the thread's id can be given to a new thread), and the guard
    marks the frame dead, so code that kept the frame never takes it for the frame of a new thread with
    the same ``threading.get_ident()``."""

    __slots__ = ("frame",)

    def __init__(self, frame: Any) -> None:
        self.frame = frame

    def __del__(self) -> None:
        frame = self.frame
        frame.ident = -1
        frame.graph = frame.state = None  # (nothing the frame holds may outlive the thread)
        frame.stack.clear()
