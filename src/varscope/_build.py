"""Which build is running: the scoping core compiled by mypyc, or pure Python (see ``setup.py``).

``setup.py`` compiles the modules named in ``COMPILED_MODULES`` when it can; both builds behave
identically. Editable installs keep the compiled modules next to their sources, where they shadow
the sources, so importing varscope warns when a compiled module's source was edited afterwards.

Example:
    >>> from varscope import _build
    >>> _build.is_compiled() in (True, False)
    True
"""

from __future__ import annotations

import os
import sys
import warnings

__all__ = ["COMPILED_MODULES", "is_compiled", "warn_if_stale"]

COMPILED_MODULES = ("_graph", "_scope", "_store", "_shape")


def is_compiled() -> bool:
    """True when the scoping core runs as compiled extension modules."""
    module = sys.modules.get("varscope._scope")
    file = getattr(module, "__file__", None) or ""
    return not file.endswith(".py")


def warn_if_stale() -> None:
    """Warn when a compiled module is older than its ``.py`` source (an editable install after an edit).

    Only a source checkout is checked (``src/varscope`` beside ``setup.py``): an installed wheel writes
    its files in no particular order, so their times say nothing there.
    """
    package = os.path.dirname(os.path.abspath(__file__))
    if not os.path.exists(os.path.join(package, os.pardir, os.pardir, "setup.py")):
        return
    for name in COMPILED_MODULES:
        file = getattr(sys.modules.get(f"varscope.{name}"), "__file__", None) or ""
        if file.endswith(".py"):
            continue
        source = os.path.join(os.path.dirname(file), name + ".py")
        # The module's own extension is a shim; the code is in the shared "varscope__mypyc" library.
        shared = getattr(sys.modules.get("varscope__mypyc"), "__file__", None) or file
        try:
            stale = os.stat(source).st_mtime > max(os.stat(file).st_mtime, os.stat(shared).st_mtime)
        except OSError:
            continue
        if stale:
            warnings.warn(f"varscope: {source} changed after it was compiled, and the compiled module still runs. "
                          "Reinstall (pip install -e .) or delete src/varscope/*.so to run the sources.",
                          RuntimeWarning, stacklevel=3)
