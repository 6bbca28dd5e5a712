"""Custom getters (spec §9): chaining them, and running one ``get_variable`` request through the chain.

A scope's custom getter wraps the enclosing scope's, so the innermost getter runs first and its
``getter`` argument leads to the next outer one; the outermost calls the store's true getter.

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
import inspect
from typing import Any

from varscope._store import VariableSpec, VariableStore

__all__ = ["wrap_custom_getter", "run_getters"]


def wrap_custom_getter(custom_getter: Any, old_getter: Any) -> Any:
    """``custom_getter`` calling ``old_getter`` as its ``getter`` (``custom_getter`` alone if no old one)."""
    if old_getter is None:
        return custom_getter

    def wrapped_custom_getter(getter: Any, *args: Any, **kwargs: Any) -> Any:
        return custom_getter(functools.partial(old_getter, getter), *args, **kwargs)

    return wrapped_custom_getter


def _takes_constraint(fn: Any) -> bool:
    """TF passes ``constraint`` to a getter that names it or takes ``**kwargs``."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == "constraint" or p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)


def run_getters(store: VariableStore, spec: VariableSpec, custom_getter: Any) -> Any:
    """The end of TF's ``_VariableStore.get_variable``, for a request already resolved and normalised
    (``VariableScope._get_variable``): call ``custom_getter`` (if any) with the request as keyword
    arguments and the true getter as ``getter``, or the true getter itself."""
    if custom_getter is None:
        return store.get(spec)
    kwargs: dict[str, Any] = {"getter": store.true_getter, **spec._asdict()}
    constraint = kwargs.pop("constraint")
    if _takes_constraint(custom_getter):
        kwargs["constraint"] = constraint
    return custom_getter(**kwargs)
