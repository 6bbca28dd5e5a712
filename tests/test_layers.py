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


def test_core_import_graph_has_no_cycle() -> None:
    graph = {m: {t for t in _imports(m)[0] if t in RANK} for m in CORE}
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        if state.get(m) == 1:
            raise AssertionError("import cycle: " + " -> ".join(path + [m]))
        if state.get(m) == 2:
            return
        state[m] = 1
        for t in sorted(graph[m]):
            visit(t, path + [m])
        state[m] = 2

    for m in CORE:
        visit(m, [])
