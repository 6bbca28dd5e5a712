"""Submodules of ``varscope`` that are imported on first use (``tf1.train.Saver`` after ``import varscope``).

The package has no module-level ``__getattr__`` on purpose: CPython (3.11) does not specialise attribute
reads on a module that defines one, so every ``tf1.variable_scope`` and ``tf1.get_variable`` in user code
would take the slow generic lookup (27 ns instead of 8 ns per read on the benchmark machine).
Instead the heavier submodules (``train``, ``checkpoint``, ``jax``, ``cli``, ``demo``) are attributes
holding a :class:`LazySubmodule` until first used.

``importlib.util.LazyLoader`` would do the same in the standard library, but in Python 3.11 two threads can
run the module twice, and after a failed import (``varscope.jax`` without JAX installed) the half-run
module stays in ``sys.modules``, so the next use reports a missing attribute instead of the missing package.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

# Set by ModuleType.__init__; removed from the placeholder, so reading them imports the real module.
_FORWARDED = ("__doc__", "__package__", "__loader__", "__spec__")


class _ModuleDoc:
    """``__doc__``: the class's own on the class, the real module's on a placeholder."""

    def __init__(self, doc: str) -> None:
        self.doc = doc

    def __get__(self, obj: LazySubmodule | None, objtype: type | None = None) -> str | None:
        return self.doc if obj is None else obj._load().__doc__


class LazySubmodule(types.ModuleType):
    """Stands for the submodule ``name`` until an attribute is read from it.

    The first read imports the module (under the import system's lock, so once across threads); the
    import system then replaces the parent package's attribute with the real module, and the read is
    forwarded. A failed import raises every time, as ``import`` would.

    Example:
        >>> import varscope as tf1
        >>> callable(tf1.train.latest_checkpoint)
        True
    """

    __doc__ = _ModuleDoc(__doc__)  # type: ignore[assignment]

    def __init__(self, name: str) -> None:
        super().__init__(name)
        for attr in _FORWARDED:
            del self.__dict__[attr]

    def _load(self) -> types.ModuleType:
        return importlib.import_module(self.__name__)

    def __getattr__(self, attr: str) -> Any:
        try:
            module = self._load()
        except ImportError as err:
            if attr.startswith("__") and attr.endswith("__"):
                # Introspection (doctest, inspect.unwrap, pydoc) probes dunders with hasattr, which lets only
                # AttributeError through: a submodule whose optional dependency is missing has none of them.
                raise AttributeError(f"{attr}: {self.__name__} cannot be imported ({err})") from err
            raise
        return getattr(module, attr)

    def __setattr__(self, attr: str, value: Any) -> None:
        setattr(self._load(), attr, value)

    def __delattr__(self, attr: str) -> None:
        delattr(self._load(), attr)

    def __dir__(self) -> list[str]:
        return dir(self._load())

    def __repr__(self) -> str:
        module = sys.modules.get(self.__name__)
        if module is not None:
            return repr(module)
        return f"<module {self.__name__!r} (imported on first use)>"


def lazy_submodule(name: str) -> types.ModuleType:
    """The submodule ``varscope.<name>`` if it is already imported, else a placeholder that imports it
    when first used."""
    full_name = f"varscope.{name}"
    module = sys.modules.get(full_name)
    return module if module is not None else LazySubmodule(full_name)
