"""The backend seam: how variables hold their arrays.

Scoping code talks to arrays only through a :class:`Backend` (array creation, conversion,
concatenation); random numbers come from :mod:`varscope._random` as NumPy values and are converted by
the backend, so every backend starts from the same initial values. NumPy is built in; JAX and
PyTorch load only when asked for, so ``import varscope`` never imports them.

Example:
    >>> from varscope.backends import get_backend
    >>> be = get_backend("numpy")
    >>> be.name, be.to_numpy(be.asarray([1, 2], "int32")).tolist()
    ('numpy', [1, 2])
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from typing import Any, Protocol

import numpy as np

__all__ = ["Backend", "get_backend", "set_default_backend", "default_backend_name", "array_backend"]


class Backend(Protocol):
    """What a backend provides. Arrays are whatever the backend's framework calls an array."""

    name: str
    numpy: Any  # the array module ops compute with: ``numpy`` or ``jax.numpy`` (None for PyTorch)

    def asarray(self, value: Any, dtype: Any = None) -> Any:
        """Convert ``value`` (NumPy array, scalar, list or backend array) to a backend array of ``dtype``."""

    def to_numpy(self, value: Any) -> np.ndarray:
        """A NumPy array with the values of backend array ``value``."""

    def is_array(self, value: Any) -> bool:
        """True for an array of this backend."""

    def concatenate(self, arrays: list[Any], axis: int) -> Any:
        """Concatenate backend arrays along ``axis``."""

    # Optional: ``update(old, new) -> array``, called by ``Variable.assign`` to store ``new`` in place of
    # ``old`` (the PyTorch backend copies into the existing tensor so optimizers keep their parameters).


_MODULES = {"numpy": "varscope.backends.numpy_backend", "jax": "varscope.backends.jax_backend",
            "torch": "varscope.backends.torch_backend"}
_cache: dict[str, Backend] = {}
_default = "numpy"


def get_backend(name: str | None = None) -> Backend:
    """The backend called ``name`` (``None``: the default backend, NumPy unless changed).

    Raises:
        ValueError: For an unknown backend name.
        ImportError: When the backend's framework is not installed (with the pip extra to install).
    """
    name = name or _default
    backend = _cache.get(name)
    if backend is None:
        try:
            module = _MODULES[name]
        except KeyError:
            raise ValueError(f"Unknown backend {name!r}; choose one of {sorted(_MODULES)}.") from None
        try:
            backend = _cache[name] = importlib.import_module(module).BACKEND
        except ModuleNotFoundError as err:
            if name == "numpy" or (err.name or "").partition(".")[0] != name:
                raise
            raise ModuleNotFoundError(f"The {name} backend needs {name}, which is not installed: "
                                      f'pip install "varscope-tf1[{name}]"', name=err.name) from err
    return backend


def set_default_backend(name: str) -> None:
    """Make ``name`` the backend of graphs created from now on (``"numpy"``, ``"jax"``, ``"torch"``)."""
    global _default
    get_backend(name)
    _default = name


def default_backend_name() -> str:
    """The name of the backend new graphs get."""
    return _default


def array_backend(values: Iterable[Any]) -> Backend:
    """The backend that computes on ``values``: JAX when one of them is a ``jax.Array`` or tracer, else NumPy.

    JAX is only asked when it is imported already (no value can be a JAX array otherwise), so this never
    imports a framework. ``varscope.compat``'s ops pick their array module (``backend.numpy``) with it.

    Example:
        >>> import numpy as np
        >>> array_backend([np.ones(2), 3.0]).name
        'numpy'
    """
    if "jax" in sys.modules:
        jax_backend = get_backend("jax")
        for value in values:
            if jax_backend.is_array(value):
                return jax_backend
    return get_backend("numpy")
