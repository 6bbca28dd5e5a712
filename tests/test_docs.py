"""Every ```python block of README.md and docs/*.md runs.

Conventions the docs follow (a block that breaks them fails here):

* **Self-contained.** Each block runs in a fresh namespace (``__name__ == "__main__"``), with a fresh
  default graph, in an empty temporary working directory. It imports what it uses and makes the
  files it reads; paths it writes are relative (they land in that directory).
* **Continuation.** A block whose first line is exactly ``# continues the previous block`` runs after
  the block before it in the same file, in that block's namespace and directory (the whole chain is
  run, from the first block that does not continue). Use it for a page that builds one example
  across several blocks.
* **Errors are shown, not raised.** A block that demonstrates an error catches it and checks the
  message, e.g.::

      try:
          tf1.get_variable("w", [8, 4])
      except ValueError as e:
          assert "already exists, disallowed" in str(e)

  Any exception escaping a block is a failure.
* **Optional backends.** A block (or a block it continues) that imports ``jax`` or ``torch`` at top
  level is skipped when that package is not installed; so is ``varscope.jax`` without jax, and
  ``varscope.backends.torch_backend`` without torch.

Other fenced blocks (shell, text, untagged) are not run.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CONTINUES = "# continues the previous block"
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$")
_PYTHON_TAGS = {"python", "py", "python3"}
# top-level import root -> the package it needs
_OPTIONAL = {"jax": "jax", "torch": "torch"}
_OPTIONAL_SUBMODULES = {"varscope.jax": "jax", "varscope.backends.torch_backend": "torch"}


@dataclass(frozen=True)
class Block:
    path: Path
    index: int  # 1-based among the file's python blocks
    line: int  # 1-based line of the opening fence
    source: str

    @property
    def continues(self) -> bool:
        return self.source.split("\n", 1)[0].strip() == CONTINUES

    @property
    def where(self) -> str:
        return self.path.relative_to(ROOT).as_posix() if self.path.is_relative_to(ROOT) else self.path.name

    @property
    def id(self) -> str:
        return f"{self.where}#{self.index}"


def extract_blocks(path: Path) -> list[Block]:
    """The python fenced blocks of a Markdown file, dedented by their fence's indent."""
    lines = path.read_text(encoding="utf-8").split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, ticks = m["indent"], m["ticks"]
        lang = m["info"].strip().split(" ")[0].lower() if m["info"].strip() else ""
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines):
            close = _FENCE.match(lines[i])
            if close and close["ticks"][0] == ticks[0] and len(close["ticks"]) >= len(ticks) and not close["info"].strip():
                break
            line = lines[i]
            body.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
            i += 1
        else:
            raise AssertionError(f"{path.name}:{start + 1}: unclosed code fence")
        i += 1
        if lang in _PYTHON_TAGS:
            blocks.append(Block(path, len(blocks) + 1, start + 1, "\n".join(body) + "\n"))
    return blocks


ALL_BLOCKS = [b for p in DOC_FILES for b in extract_blocks(p)]


def _chain(block: Block) -> list[Block]:
    """The blocks to run for ``block``: the ones it continues, then itself."""
    same_file = [b for b in ALL_BLOCKS if b.path == block.path]
    k = block.index - 1
    chain = [same_file[k]]
    while chain[0].continues:
        k -= 1
        assert k >= 0, f"{block.id}: the first python block of a file cannot continue a previous one"
        chain.insert(0, same_file[k])
    return chain


def _needed_packages(source: str) -> set[str]:
    needed: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        else:
            continue
        for name in names:
            if name.split(".")[0] in _OPTIONAL:
                needed.add(_OPTIONAL[name.split(".")[0]])
            for sub, pkg in _OPTIONAL_SUBMODULES.items():
                if name == sub or name.startswith(sub + "."):
                    needed.add(pkg)
    return needed


def run_chain(chain: list[Block]) -> dict:
    """Run the blocks in one fresh namespace and default graph (in the current directory)."""
    import varscope as tf1

    tf1.reset_default_graph()
    namespace: dict = {"__name__": "__main__"}
    for b in chain:
        code = compile(b.source, f"{b.where} (python block {b.index}, line {b.line})", "exec")
        exec(code, namespace)
    tf1.reset_default_graph()
    return namespace


def test_the_docs_have_python_blocks() -> None:
    assert len(ALL_BLOCKS) >= 19
    for p in DOC_FILES:
        for b in extract_blocks(p):
            ast.parse(b.source, filename=b.id)  # a syntax error is reported by block, not at collection


@pytest.mark.parametrize("block", ALL_BLOCKS, ids=[b.id for b in ALL_BLOCKS])
def test_doc_block_runs(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chain = _chain(block)
    for pkg in sorted(set().union(*(_needed_packages(b.source) for b in chain))):
        if importlib.util.find_spec(pkg) is None:
            pytest.skip(f"{block.id} needs {pkg}")
    monkeypatch.chdir(tmp_path)
    run_chain(chain)


# -- the checker itself --------------------------------------------------------------------------
def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "page.md"
    p.write_text(text, encoding="utf-8")
    return p


def test_extraction_takes_only_python_blocks_and_dedents_list_items(tmp_path: Path) -> None:
    p = _write(tmp_path, "x\n```\nnot run\n```\n```python\na = 1\n```\n* item\n\n  ```python\n  b = 2\n  ```\n"
                         "```sh\nls\n```\n```python\n# continues the previous block\nc = a + b\n```\n")
    blocks = extract_blocks(p)
    assert [b.source for b in blocks] == ["a = 1\n", "b = 2\n", f"{CONTINUES}\nc = a + b\n"]
    assert [b.continues for b in blocks] == [False, False, True]
    assert [b.line for b in blocks] == [5, 10, 16]


def test_a_broken_block_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = _write(tmp_path, "```python\nimport varscope as tf1\nwith tf1.variable_scope('a'):\n    tf1.get_variable('v', [1])\n"
                         "with tf1.variable_scope('a'):\n    tf1.get_variable('v', [1])\n```\n"
                         "```python\nprint(undefined_name)\n```\n")
    raising, undefined = extract_blocks(p)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="already exists, disallowed"):
        run_chain([raising])
    with pytest.raises(NameError, match="undefined_name"):
        run_chain([undefined])


def test_a_continued_block_sees_the_previous_namespace_and_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = _write(tmp_path, "```python\nopen('f.txt', 'w').write('hi')\nx = 1\n```\n"
                         f"```python\n{CONTINUES}\nassert x == 1 and open('f.txt').read() == 'hi'\n```\n")
    monkeypatch.chdir(tmp_path)
    first, second = extract_blocks(p)
    run_chain([first, second])
    with pytest.raises(NameError):
        run_chain([second])


def test_optional_backends_are_detected_from_top_level_imports() -> None:
    assert _needed_packages("import jax, jax.numpy as jnp, varscope as tf1\n") == {"jax"}
    assert _needed_packages("import torch, varscope as tf1\n") == {"torch"}
    assert _needed_packages("from varscope.backends import torch_backend as tb\n") == {"torch"}
    assert _needed_packages("import varscope.jax as vj\n") == {"jax"}
    assert _needed_packages("import numpy as np\nimport varscope as tf1\n") == set()
