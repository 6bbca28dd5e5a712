"""The package object itself: attribute reads on ``varscope`` stay fast, heavier submodules load on first use."""

from __future__ import annotations

import dis
import subprocess
import sys
import textwrap
import threading
import types
from pathlib import Path

import pytest

import varscope as tf1
from varscope._lazy import LazySubmodule


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, check=True)
    return out.stdout.strip()


def test_package_is_a_plain_module_without_getattr() -> None:
    assert type(tf1) is types.ModuleType
    assert "__getattr__" not in vars(tf1)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="adaptive bytecode is new in Python 3.11")
def test_interpreter_specialises_reads_of_package_attributes() -> None:
    # A module with __getattr__ is never specialised (LOAD_ATTR stays generic, about 3x slower per read).
    def reads() -> object:
        return tf1.variable_scope, tf1.get_variable

    for _ in range(100):
        reads()
    ops = {ins.opname for ins in dis.get_instructions(reads, adaptive=True)}  # type: ignore[call-arg]
    assert "LOAD_ATTR_MODULE" in ops, sorted(ops)


def test_heavy_submodules_are_imported_on_first_use() -> None:
    out = _run("""
        import sys, varscope as tf1
        names = ("train", "checkpoint", "cli", "demo", "jax")
        print([n for n in names if f"varscope.{n}" in sys.modules])
        print(repr(tf1.train))
        print(callable(tf1.train.Saver), tf1.train is sys.modules["varscope.train"], type(tf1.train).__name__)
        print("varscope.checkpoint" in sys.modules)
    """)
    assert out.splitlines() == [
        "[]",
        "<module 'varscope.train' (imported on first use)>",
        "True True module",
        "True",  # train imports checkpoint
    ]


def test_light_submodules_and_their_names_are_there_at_import() -> None:
    for name in ("regularizers", "losses", "backends", "template", "partitioned_variables", "partitioners",
                 "partitioned", "initializers"):
        assert isinstance(getattr(tf1, name), types.ModuleType), name
        assert not isinstance(getattr(tf1, name), LazySubmodule), name
    assert tf1.make_template is tf1.template.make_template
    assert tf1.Template is tf1.template.Template
    assert tf1.no_regularizer is tf1.regularizers.no_regularizer
    assert tf1.create_partitioned_variables is tf1.partitioned_variables.create_partitioned_variables


def test_unknown_attribute_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'varscope' has no attribute 'no_such_name'"):
        tf1.no_such_name  # noqa: B018


def test_placeholder_forwards_dunders_and_writes_to_the_real_module() -> None:
    out = _run("""
        import sys, varscope as tf1
        lazy = tf1.cli
        print(lazy.__doc__.splitlines()[0] == sys.modules["varscope.cli"].__doc__.splitlines()[0])
        print(lazy.__spec__.name, lazy.__file__.endswith("cli.py"))
        lazy.extra = 1
        print(sys.modules["varscope.cli"].extra, "extra" in dir(lazy))
        del lazy.extra
        print(hasattr(sys.modules["varscope.cli"], "extra"), repr(lazy).startswith("<module 'varscope.cli' from"))
    """)
    assert out.splitlines() == ["True", "varscope.cli True", "1 True", "False True"]


def test_failed_import_raises_every_time() -> None:
    missing = LazySubmodule("varscope_no_such_module_xyz")
    for _ in range(2):
        with pytest.raises(ModuleNotFoundError, match="varscope_no_such_module_xyz"):
            missing.anything  # noqa: B018
    assert "varscope_no_such_module_xyz" not in sys.modules


def test_concurrent_first_use_runs_the_module_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "varscope_lazy_probe.py").write_text(
        "import time\nimport builtins\n"
        "builtins.varscope_lazy_runs = getattr(builtins, 'varscope_lazy_runs', 0) + 1\n"
        "time.sleep(0.2)\nvalue = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import builtins

    lazy = LazySubmodule("varscope_lazy_probe")
    barrier = threading.Barrier(8)
    results: list[int] = []

    def use() -> None:
        barrier.wait()
        results.append(lazy.value)

    threads = [threading.Thread(target=use) for _ in range(8)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == [42] * 8
        assert builtins.varscope_lazy_runs == 1  # type: ignore[attr-defined]
    finally:
        sys.modules.pop("varscope_lazy_probe", None)
        if hasattr(builtins, "varscope_lazy_runs"):
            del builtins.varscope_lazy_runs  # type: ignore[attr-defined]
