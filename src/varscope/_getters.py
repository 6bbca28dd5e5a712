"""Chaining of custom getters (spec §9.3): the innermost scope's getter runs first.

This module stays interpreted in the compiled build (see ``setup.py``): the chained getter is
handed to ``get_variable``'s argument inspection, which needs a real Python function.

Example:
    >>> calls = []
    >>> def outer(getter, *args, **kwargs):
    ...     calls.append("outer")
    ...     return getter(*args, **kwargs)
    >>> def inner(getter, *args, **kwargs):
    ...     calls.append("inner")
    ...     return getter(*args, **kwargs)
    >>> wrap_custom_getter(inner, outer)(lambda name: name, "v"), calls
    ('v', ['inner', 'outer'])
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["wrap_custom_getter"]


def wrap_custom_getter(custom_getter: Any, old_getter: Any) -> Any:
    """``custom_getter`` calling ``old_getter`` as its ``getter`` (``custom_getter`` alone if no old one)."""
    if old_getter is None:
        return custom_getter

    def wrapped_custom_getter(getter: Any, *args: Any, **kwargs: Any) -> Any:
        return custom_getter(functools.partial(old_getter, getter), *args, **kwargs)

    return wrapped_custom_getter
