"""What a newcomer meets: the distribution's name, install lines, links that exist in a clone, a light
``import varscope``, and a test tree that collects without the optional extras."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DIST = "varscope-tf1"  # "varscope" on PyPI is an unrelated package; the import name stays varscope

# Files the other branch of issue 16 rewrites; the marker goes once their lines are fixed there (strict:
# the test then passes and the marker fails the run until it is removed).
_PENDING = {"docs/core.md": "docs/core.md is rewritten on another branch (its install lines and ../shared/ link)"}


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout.strip()


def _user_facing_files() -> list[str]:
    paths = [ROOT / "README.md", ROOT / ".ci" / "run", *sorted((ROOT / "docs").glob("*.md"))]
    for folder in ("src/varscope", "examples", "benchmarks", "tools"):
        paths += sorted((ROOT / folder).rglob("*.py"))
    return [p.relative_to(ROOT).as_posix() for p in paths if p.is_file()]


def _params(files: list[str]) -> list[object]:
    return [pytest.param(f, marks=pytest.mark.xfail(strict=True, reason=_PENDING[f])) if f in _PENDING else f
            for f in files]


# -- the distribution name -------------------------------------------------------------------------------
def test_pyproject_names_the_distribution_varscope_tf1() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^name = "varscope-tf1"', text, re.M), "pyproject.toml: [project] name must be varscope-tf1"


def test_installed_distribution_is_varscope_tf1_and_provides_varscope() -> None:
    try:
        dist = importlib.metadata.distribution(DIST)
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - a stale install
        pytest.fail(f"no {DIST} distribution installed: reinstall (pip install -e .)")
    assert dist.metadata["Name"] == DIST
    assert DIST in importlib.metadata.packages_distributions().get("varscope", [])
    extras = set(dist.metadata.get_all("Provides-Extra") or [])
    assert {"jax", "torch", "cli"} <= extras, extras


_WITHOUT_EXTRAS = """
    import importlib.abc, importlib.machinery, sys

    class HideInstalled(importlib.abc.MetaPathFinder):
        # As if the extras were not installed: these names resolve only outside site-packages.
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] not in ("jax", "jaxlib", "torch", "optax"):
                return None
            where = path if path is not None else [p for p in sys.path if "-packages" not in p]
            spec = importlib.machinery.PathFinder.find_spec(name, where)
            if spec is None:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return spec

    sys.meta_path.insert(0, HideInstalled())
"""


def test_missing_extras_say_which_distribution_extra_to_install() -> None:
    out = _run(textwrap.dedent(_WITHOUT_EXTRAS) + textwrap.dedent("""
        import varscope as tf1
        for backend in ("jax", "torch"):
            try:
                tf1.Graph(backend=backend)
            except ModuleNotFoundError as err:
                print(err.name, err)
        try:
            import varscope.jax
        except ModuleNotFoundError as err:
            print(err.name, err)
    """))
    assert out.splitlines() == [
        'jax The jax backend needs jax, which is not installed: pip install "varscope-tf1[jax]"',
        'torch The torch backend needs torch, which is not installed: pip install "varscope-tf1[torch]"',
        'jax varscope.jax needs JAX, which is not installed: pip install "varscope-tf1[jax]"',
    ]


_WRONG_INSTALL = re.compile(
    r"""pip\s+install\s+(?:-\S+\s+)*["']?varscope(?!-tf1)(?=[\s\["'`]|$)"""  # pip install varscope[...] / varscope
    r"""|(?<![\w-])varscope\[""")  # an extra of the wrong name: varscope[jax]


@pytest.mark.parametrize("path", _params(_user_facing_files()))
def test_install_lines_name_varscope_tf1(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    wrong = [f"{path}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)!r}" for m in _WRONG_INSTALL.finditer(text)]
    assert not wrong, f"install lines must name {DIST}: " + "; ".join(wrong)


def test_the_install_line_check_catches_the_old_name() -> None:
    for bad in ("pip install varscope[jax]", 'pip install "varscope[torch]"', "pip install -q varscope\n",
                "arrays with `varscope[jax]`"):
        assert _WRONG_INSTALL.search(bad), bad
    for good in ('pip install "varscope-tf1[jax]"', "pip install varscope-tf1", "pip install -e .",
                 "import varscope", "varscope-tf1[cli]"):
        assert not _WRONG_INSTALL.search(good), good


# -- docs of a clone -------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", _params(["README.md", *(f"docs/{p.name}" for p in sorted((ROOT / "docs").glob("*.md")))]))
def test_docs_refer_only_to_files_a_clone_has(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    assert "../shared/" not in text, f"{path} points outside the repository (../shared/)"


# -- the test tree without the extras --------------------------------------------------------------------
# pytest puts tests/ (the rootdir conftest's folder) and each test folder without __init__.py on sys.path, so
# a folder there named like a package shadows it when that package is not installed (tests/jax did: 3
# collection errors instead of skips on a clone without the jax extra).
_DEPENDENCY_NAMES = {"jax", "jaxlib", "torch", "numpy", "ml_dtypes", "rich", "safetensors", "google", "hypothesis",
                     "optax", "tensorflow", "mypy", "pytest", "varscope", "flax", "haiku", "_pytest"}


def test_no_test_folder_shadows_a_dependency() -> None:
    tests = ROOT / "tests"
    on_path = [tests] + [d for d in tests.rglob("*") if d.is_dir() and not (d / "__init__.py").exists()
                         and any(d.glob("test_*.py"))]
    clashes = [str(child.relative_to(ROOT)) for folder in on_path for child in folder.iterdir()
               if child.name.removesuffix(".py") in _DEPENDENCY_NAMES]
    assert not clashes, clashes


_HIDE_EXTRAS = _WITHOUT_EXTRAS + """
    import pytest
    sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", "-o", "addopts=-rs", *sys.argv[1:]]))
"""


def test_tests_of_the_extras_skip_cleanly_without_them() -> None:
    # Every test module that skips without jax/torch/optax (this one aside), run as if they were not installed.
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").rglob("test_*.py")
                   if p.name != Path(__file__).name and "importorskip" in (text := p.read_text(encoding="utf-8"))
                   and re.search(r"\b(jax|torch|optax)\b", text))
    assert len(files) >= 4, files
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(_HIDE_EXTRAS), *files], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"=* ?\d+ skipped in [\d.]+s ?=*", summary), result.stdout
