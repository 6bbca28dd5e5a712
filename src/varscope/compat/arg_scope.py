"""``arg_scope`` / ``add_arg_scope`` (``tf.contrib.framework``, ``tf_slim``): default keyword arguments for
decorated functions inside a ``with`` block.

A function decorated with :func:`add_arg_scope` takes, for each keyword it is not given, the value set by the
innermost enclosing ``arg_scope`` that lists it; explicit arguments win. Scopes nest (inner values override
outer ones) and are per thread.

Example:
    >>> @add_arg_scope
    ... def dense(x, units=1, activation=None):
    ...     return units, activation
    >>> with arg_scope([dense], units=4, activation="relu"):
    ...     with arg_scope([dense], units=8):
    ...         dense(0), dense(0, units=2)
    ((8, 'relu'), (2, 'relu'))
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["arg_scope", "add_arg_scope", "current_arg_scope", "has_arg_scope", "arg_scoped_arguments"]


class _Stack(threading.local):
    def __init__(self) -> None:
        self.scopes: list[dict[str, dict[str, Any]]] = []


_stack = _Stack()


def _key(op: Any) -> str:
    return getattr(op, "_key_op", str(op))


def _name(op: Any) -> tuple[str, str]:
    return (op.__module__, op.__name__)


def current_arg_scope() -> dict[str, dict[str, Any]]:
    """The innermost scope: ``{op key: {argument: value}}`` (empty outside any ``arg_scope``)."""
    return _stack.scopes[-1] if _stack.scopes else {}


@contextmanager
def arg_scope(list_ops_or_scope: Any, **kwargs: Any) -> Iterator[dict[str, dict[str, Any]]]:
    """Set default ``kwargs`` for each decorated op of ``list_ops_or_scope`` inside the block.

    ``list_ops_or_scope`` is a list or tuple of ops, or a scope dict a previous ``arg_scope`` yielded (re-entered
    as it was; then no ``kwargs`` may be given).

    Raises:
        ValueError: For a dict with ``kwargs``, or an op not decorated with ``@add_arg_scope``.
        TypeError: When ``list_ops_or_scope`` is neither a list/tuple nor a dict.
    """
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError("When attempting to re-use a scope by suppling a dictionary, kwargs must be empty.")
        new = dict(list_ops_or_scope)
    else:
        if not isinstance(list_ops_or_scope, (list, tuple)):
            raise TypeError("list_ops_or_scope must either be a list/tuple or reused scope (i.e. dict)")
        new = dict(current_arg_scope())
        for op in list_ops_or_scope:
            if not has_arg_scope(op):
                raise ValueError(f"{_name(op)} is not decorated with @add_arg_scope")
            key = _key(op)
            merged = dict(new.get(key, {}))
            merged.update(kwargs)
            new[key] = merged
    _stack.scopes.append(new)
    try:
        yield new
    finally:
        _stack.scopes.pop()


def add_arg_scope(func: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate ``func`` so that :func:`arg_scope` can set its keyword arguments."""

    @functools.wraps(func)
    def func_with_args(*args: Any, **kwargs: Any) -> Any:
        defaults = current_arg_scope().get(_key(func))
        if defaults:
            kwargs = {**defaults, **kwargs}
        return func(*args, **kwargs)

    func_with_args._key_op = _key(func)  # type: ignore[attr-defined]
    func_with_args._varscope_arg_scope = True  # type: ignore[attr-defined]
    return func_with_args


def has_arg_scope(func: Any) -> bool:
    """True for a function decorated with :func:`add_arg_scope`."""
    return bool(getattr(func, "_varscope_arg_scope", False))


def arg_scoped_arguments(func: Any) -> list[str]:
    """The argument names of the decorated ``func``."""
    return list(inspect.signature(func).parameters)
