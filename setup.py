"""Build hook: compile varscope's scoping core with mypyc, so ``get_variable`` stays a thin layer.

The modules named in ``COMPILED_MODULES`` (``src/varscope/_build.py``) are ordinary typed Python;
mypyc turns them into C extensions when a C compiler is present (pip installs mypyc from
``[build-system] requires``). Everything else, and the whole package when compiling is impossible
or switched off with ``VARSCOPE_PURE_PYTHON=1``, runs as plain Python with identical behaviour:
the test suite runs against both builds (``tests/test_builds.py``).

Editable installs (``pip install -e .``) put the compiled modules next to their sources, and Python
prefers them. After editing one of them, reinstall, or delete ``src/varscope/*.so`` and
``src/varscope__mypyc*.so`` to run the sources (``import varscope`` warns when a source is newer).
"""

from __future__ import annotations

import ast
import os

from setuptools import setup


def _compiled_modules() -> list[str]:
    """``COMPILED_MODULES`` of src/varscope/_build.py (the one list of compiled modules)."""
    with open(os.path.join("src", "varscope", "_build.py"), encoding="utf-8") as f:
        for node in ast.parse(f.read()).body:
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "COMPILED_MODULES":
                return list(ast.literal_eval(node.value))
    raise RuntimeError("COMPILED_MODULES not found in src/varscope/_build.py")


def _extensions() -> list:
    if os.environ.get("VARSCOPE_PURE_PYTHON"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:  # built without build isolation and without mypy: pure Python
        return []
    # numpy and ml_dtypes are not in the build environment: mypy treats them as Any, which is how the
    # compiled code handles arrays anyway.
    paths = ["--ignore-missing-imports"] + [f"src/varscope/{name}.py" for name in _compiled_modules()]
    extensions = mypycify(paths, opt_level="3", group_name="varscope")
    for extension in extensions:
        extension.optional = True  # no C compiler: install the pure-Python package instead of failing
    return extensions


setup(ext_modules=_extensions())
