"""``name_scope``: TF1's public name-scope context manager (graph mode).

Name scopes prefix op names (``Graph.unique_name``) but not ``get_variable`` names. Entering
``name_scope("foo")`` twice gives ``foo/`` then ``foo_1/``; a name ending in ``/`` re-enters that
absolute scope; ``None`` or ``""`` go to the root. The graph does the work
(:meth:`varscope.Graph.name_scope`); this wrapper adds ``default_name`` and picks the graph from
``values``.

Example:
    >>> import varscope as tf1
    >>> with tf1.Graph().as_default():
    ...     with tf1.name_scope("foo") as a: pass
    ...     with tf1.name_scope("foo") as b: pass
    ...     with tf1.name_scope(None, default_name="bar") as c: pass
    >>> a, b, c
    ('foo/', 'foo_1/', 'bar/')
"""

from __future__ import annotations

from typing import Any

from varscope._graph import get_default_graph
from varscope._variables import graph_from_inputs

__all__ = ["name_scope"]


class name_scope:  # noqa: N801 - TF's name
    """Enter a name scope of the default graph (or of the graph of ``values``).

    Args:
        name: The scope name; ``None`` uses ``default_name``.
        default_name: Used when ``name`` is None.
        values: Variables whose graph to use (all must share one graph).

    Raises:
        ValueError: When ``name`` and ``default_name`` are both None while ``values`` is given, or for
            names TF rejects.
    """

    __slots__ = ("_name", "_default_name", "_values", "_inner", "_graph_cm")

    def __init__(self, name: Any, default_name: Any = None, values: Any = None) -> None:
        self._name = default_name if name is None else name
        self._default_name = default_name
        self._values = values

    def __enter__(self) -> str:
        if self._name is None and self._values is not None:
            raise ValueError(f"At least one of name ({self._name}) and default_name ({self._default_name}) must "
                             "be provided.")
        graph = get_default_graph()
        self._graph_cm = None
        if self._values:
            found = graph_from_inputs(self._values)
            if found is not graph:
                graph = found
                self._graph_cm = graph.as_default()
                self._graph_cm.__enter__()
        self._inner = graph.name_scope(self._name)
        try:
            return self._inner.__enter__()
        except BaseException:
            if self._graph_cm is not None:
                self._graph_cm.__exit__(None, None, None)
            raise

    def __exit__(self, *exc: object) -> None:
        try:
            self._inner.__exit__(*exc)
        finally:
            if self._graph_cm is not None:
                self._graph_cm.__exit__(None, None, None)
