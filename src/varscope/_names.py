"""Names: TensorFlow's rules for valid scope names, and a graph's table of names in use.

TensorFlow gives every op and name scope a unique name by counting, case-insensitively, how often
each name was asked for (``Graph._names_in_use``); ``foo`` taken makes the next ``foo`` into
``foo_1``. :class:`NamesInUse` is that table, with TF's algorithm, under a lock so that threads
sharing a graph never get the same name.

Example:
    >>> names = NamesInUse()
    >>> names.unique("foo"), names.unique("FOO"), names.unique("foo", mark_as_used=False)
    ('foo', 'FOO_1', 'foo_2')
"""

from __future__ import annotations

import re
import threading
from typing import Any

from varscope.errors import ScopeNameError

__all__ = ["VALID_OP_NAME", "VALID_SCOPE_NAME", "check_scope_name", "NamesInUse"]

VALID_OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$")
VALID_SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\\/>-]*$")


def check_scope_name(name: Any, nested: bool) -> None:
    """TF's check of a name scope's name: a valid scope name inside another scope, a valid op name at the root.

    A name that is not a string raises the regex's own ``TypeError``, as in TF.

    Raises:
        ScopeNameError: With TF's message (a ``ValueError``).
    """
    if nested:
        if not VALID_SCOPE_NAME.match(name):
            raise ScopeNameError(f"'{name}' is not a valid scope name. A scope name has to match the following "
                                 f"pattern: {VALID_SCOPE_NAME.pattern}")
    elif not VALID_OP_NAME.match(name):
        raise ScopeNameError(f"'{name}' is not a valid root scope name. A root scope name has to match the following "
                             f"pattern: {VALID_OP_NAME.pattern}")


class NamesInUse:
    """One graph's names in use, shared by all threads (TF's ``Graph._names_in_use``)."""

    def __init__(self) -> None:
        self._counts: dict[Any, int] = {}
        self._lock = threading.Lock()

    def unique(self, name: Any, mark_as_used: bool = True) -> Any:
        """TF's ``Graph.unique_name`` of the absolute ``name``: ``name``, or ``name_N`` when it is taken.

        Keys are lowercased, so ``Foo`` and ``foo`` are the same name. ``bytes`` become their ``str()``
        (``"b'foo'"``), as in TF.
        """
        if isinstance(name, bytes):
            name = str(name)
        key = name.lower()
        with self._lock:
            counts = self._counts
            i = counts.get(key, 0)
            if mark_as_used:
                counts[key] = i + 1
            if i == 0:
                return name
            base = key
            while key in counts:
                key = "%s_%d" % (base, i)
                i += 1
            if mark_as_used:
                counts[key] = 1
        return "%s_%d" % (name, i - 1)
