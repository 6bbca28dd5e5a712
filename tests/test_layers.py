"""The scoping core is layered: each module imports only from the layers below it, at module level.

``LAYERS`` is the architecture of docs/core.md, bottom first. A module may import from its own layer's
earlier modules and from any lower layer; a function-local import of a varscope module (the usual way to hide
an import cycle) fails the test, and so does any cycle among the modules listed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "varscope"

LAYERS: list[list[str]] = [
    ["errors"],
    ["_dtypes", "_shape", "_random", "backends"],
    ["_names"],
    ["_context"],
    ["_graph"],
    ["_convert"],
    ["_variables"],
    ["initializers", "regularizers", "partitioners", "partitioned"],
    ["_store"],
    ["_getters"],
    ["_scope"],
    ["_name_scope", "template", "partitioned_variables", "losses"],
]
CORE = [m for layer in LAYERS for m in layer]
RANK = {m: i for i, layer in enumerate(LAYERS) for m in layer}


def _path(module: str) -> Path:
    package = SRC / module / "__init__.py"
    return package if package.exists() else SRC / f"{module}.py"


def _imports(module: str) -> tuple[set[str], list[str]]:
    """(varscope modules imported at module level, function-local varscope imports as 'line: text')."""
    tree = ast.parse(_path(module).read_text(encoding="utf-8"))
    top: set[str] = set()
    local: list[str] = []

    def targets(node: ast.AST) -> list[str]:
        found = []
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "varscope":
                found += [alias.name for alias in node.names]
            elif node.module.startswith("varscope."):
                found.append(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found += [a.name.split(".")[1] for a in node.names if a.name.startswith("varscope.")]
        return found

    for node in tree.body:
        if isinstance(node, ast.If):  # ``if TYPE_CHECKING:`` blocks import nothing at run time
            continue
        top.update(targets(node))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                for name in targets(inner):
                    local.append(f"{inner.lineno}: {name}")
    return top, local


@pytest.mark.parametrize("module", CORE)
def test_module_imports_only_from_lower_layers(module: str) -> None:
    top, local = _imports(module)
    assert not local, f"function-local varscope imports in {module}: {local}"
    order = CORE.index(module)
    wrong = sorted(m for m in top if m in RANK and (RANK[m] > RANK[module] or (RANK[m] == RANK[module]
                                                                               and CORE.index(m) >= order)))
    assert not wrong, f"{module} imports from its own or higher layers: {wrong}"
    unknown = sorted(m for m in top if m not in RANK)
    assert not unknown, f"{module} imports modules outside the core's layers: {unknown}"


def _assert_acyclic(graph: dict[str, set[str]]) -> None:
    """Depth-first: raise naming the cycle when a module imports (through others) itself."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(m: str, path: list[str]) -> None:
        if state.get(m) == 1:
            raise AssertionError("import cycle: " + " -> ".join(path + [m]))
        if state.get(m) == 2:
            return
        state[m] = 1
        for t in sorted(graph[m]):
            visit(t, path + [m])
        state[m] = 2

    for m in sorted(graph):
        visit(m, [])


def test_core_import_graph_has_no_cycle() -> None:
    _assert_acyclic({m: {t for t in _imports(m)[0] if t in RANK} for m in CORE})


# -- varscope.compat: on top of the core, in its own layers, never importing a framework at import time ------
COMPAT_LAYERS: list[list[str]] = [
    ["errors", "_conv_math", "_nn_math", "_random_math"],
    ["_tensor", "arg_scope", "hparams"],
    ["_op"],
    ["array_ops", "random_ops"],
    ["math_ops", "session", "nn_ops"],
    ["control_flow_ops", "variable_ops", "conv_ops", "embedding_ops", "random", "nn_impl", "summary"],
    ["nn"],
    ["layers"],  # a package: tf.layers
    ["slim"],  # a package: tf_slim / tf.contrib.layers
    ["v1"],
    ["_install"],
    ["jax"],
]
COMPAT = [m for layer in COMPAT_LAYERS for m in layer]
COMPAT_RANK = {m: i for i, layer in enumerate(COMPAT_LAYERS) for m in layer}
COMPAT_DIR = SRC / "compat"


def _compat_files(module: str) -> list[Path]:
    """The file of compat ``module``, or every file of the package ``module``."""
    package = COMPAT_DIR / module
    return sorted(package.glob("*.py")) if package.is_dir() else [COMPAT_DIR / f"{module}.py"]


def _compat_imports(module: str) -> tuple[set[str], set[str], list[str]]:
    """(compat modules, other varscope modules, function-local imports) imported by compat ``module`` (a package's
    imports of its own modules left out)."""
    compat: set[str] = set()
    other: set[str] = set()
    local: list[str] = []
    for path in _compat_files(module):
        _file_imports(ast.parse(path.read_text(encoding="utf-8")), compat, other, local)
    compat.discard(module)
    return compat, other, local


def _file_imports(tree: ast.Module, compat: set[str], other: set[str], local: list[str]) -> None:
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "varscope.compat":
                compat.update(a.name for a in node.names)
            elif node.module.startswith("varscope.compat."):
                compat.add(node.module.split(".")[2])
            elif node.module == "varscope":  # ``from varscope import train`` imports varscope.train
                other.update(f"varscope.{a.name}" for a in node.names)
            elif node.module.startswith("varscope"):
                other.add(node.module)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    local.append(f"{inner.lineno}")


@pytest.mark.parametrize("module", COMPAT)
def test_compat_module_imports_only_from_lower_compat_layers_and_the_core(module: str) -> None:
    compat, other, local = _compat_imports(module)
    assert not local, f"function-local imports in compat.{module} at lines {local}"
    wrong = sorted(m for m in compat if m not in COMPAT_RANK or COMPAT_RANK[m] >= COMPAT_RANK[module])
    assert not wrong, f"compat.{module} imports compat modules of its own or higher layers: {wrong}"
    # compat sits on the core, checkpoint and train (tf.train is varscope.train); compat.jax on varscope.jax too
    on_top = ("cli", "demo") + (() if module == "jax" else ("jax",))
    outside = sorted(m for m in other if m.partition(".")[2].split(".")[0] in on_top)
    assert not outside, f"compat.{module} imports {outside}: compat sits on the core, checkpoint and train"


def test_every_compat_module_is_in_a_layer() -> None:
    present = {p.stem for p in COMPAT_DIR.glob("*.py") if p.stem != "__init__"}
    present |= {p.parent.name for p in COMPAT_DIR.glob("*/__init__.py")}
    assert present == set(COMPAT), f"add to COMPAT_LAYERS: {sorted(present - set(COMPAT))}"


def test_train_imports_no_compat() -> None:
    """compat.v1 imports varscope.train (tf.train), so train must never import compat."""
    for path in sorted((SRC / "train").rglob("*.py")):
        compat: set[str] = set()
        other: set[str] = set()
        _file_imports(ast.parse(path.read_text(encoding="utf-8")), compat, other, [])
        assert not compat and not any(m.startswith("varscope.compat") for m in other), path


def test_compat_imports_no_framework() -> None:
    import subprocess
    import sys

    code = ("import sys, varscope.compat, varscope.compat.v1; "
            "bad = [m for m in ('jax', 'torch', 'tensorflow') if m in sys.modules]; assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": str(SRC.parent)})


# -- the whole package: no import cycle, and no function-local import of varscope's own modules ----------------
def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _resolve(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The varscope modules ``node`` (in ``module``) imports: ``from pkg import mod`` names ``pkg.mod``."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == "varscope"]
    if node.level:
        package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    else:
        base = node.module or ""
    if base.split(".")[0] != "varscope":
        return []
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]


def _module_level_imports(module: str) -> set[str]:
    """What importing ``module`` imports of varscope (``if TYPE_CHECKING:`` blocks left out; ``try`` kept)."""
    found: set[str] = set()
    nodes: list[ast.stmt] = list(ast.parse(MODULES[module].read_text(encoding="utf-8")).body)
    while nodes:
        node = nodes.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.update(m for m in _resolve(module, node) if m in MODULES and m != module)
        elif isinstance(node, ast.Try):
            nodes += node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body]
        elif isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.unparse(node.test):
            nodes += node.body + node.orelse
    return found


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_function_local_import_of_varscope_modules(module: str) -> None:
    """A function-local import of varscope's own code is how an import cycle hides; optional third-party
    packages (jax, torch, rich, ml_dtypes, safetensors) may still be imported on first use."""
    local = []
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)) and _resolve(module, inner):
                    local.append(f"line {inner.lineno}: {ast.unparse(inner)}")
    assert not local, f"function-local varscope imports in {module}: {local}"


def test_package_import_graph_has_no_cycle() -> None:
    """Across every module of the package (a package's ``__init__`` re-exporting its modules is no cycle: the
    edge from a module to its parent package that Python adds is not counted)."""
    graph = {m: _module_level_imports(m) for m in MODULES}
    _assert_acyclic(graph)
    assert graph["varscope.jax.transform"] >= {"varscope.jax.sharding", "varscope.jax.var_info"}  # (the walk sees them)
