"""The package object itself: heavier submodules load on first use, through a PEP 562 ``__getattr__``."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

import varscope as tf1


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, check=True)
    return out.stdout.strip()


def test_heavy_submodules_are_imported_on_first_use() -> None:
    out = _run("""
        import sys, varscope as tf1
        names = ("train", "checkpoint", "cli", "demo", "jax")
        print([n for n in names if f"varscope.{n}" in sys.modules])
        print(callable(tf1.train.Saver), tf1.train is sys.modules["varscope.train"], type(tf1.train).__name__)
        print("varscope.checkpoint" in sys.modules, "train" in vars(tf1))
        print([n for n in names if n in dir(tf1)])  # introspection does not import them
    """)
    assert out.splitlines() == [
        "[]",
        "True True module",
        "True True",  # train imports checkpoint; the import set tf1.train, so the next read is a plain one
        "['train', 'checkpoint']",
    ]


def test_light_submodules_and_their_names_are_there_at_import() -> None:
    for name in ("regularizers", "losses", "backends", "template", "partitioned_variables", "partitioners",
                 "partitioned", "initializers"):
        assert isinstance(vars(tf1)[name], types.ModuleType), name
    assert tf1.make_template is tf1.template.make_template
    assert tf1.Template is tf1.template.Template
    assert tf1.no_regularizer is tf1.regularizers.no_regularizer
    assert tf1.create_partitioned_variables is tf1.partitioned_variables.create_partitioned_variables


def test_unknown_attribute_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'varscope' has no attribute 'no_such_name'"):
        tf1.no_such_name  # noqa: B018
    assert not hasattr(tf1, "no_such_name")


def test_failed_import_raises_every_time_and_names_the_missing_package() -> None:
    out = _run("""
        import sys
        sys.modules["jax"] = None  # as if JAX were not installed
        import varscope as tf1
        for _ in range(2):
            try:
                tf1.jax
            except ImportError as err:
                print(type(err).__name__, "jax" in str(err))
        print("varscope.jax" in sys.modules)
    """)
    assert out.splitlines() == ["ModuleNotFoundError True", "ModuleNotFoundError True", "False"]


def test_concurrent_first_use_gives_every_thread_the_one_module() -> None:
    out = _run("""
        import sys, threading, varscope as tf1
        barrier = threading.Barrier(8)
        seen = []
        def use():
            barrier.wait()
            seen.append(tf1.train)
        threads = [threading.Thread(target=use) for _ in range(8)]
        for t in threads: t.start()
        for t in threads: t.join()
        print(len(seen), all(m is sys.modules["varscope.train"] for m in seen))
    """)
    assert out == "8 True"


def test_fixture_checkpoint_state_files_hold_relative_paths() -> None:
    """A recorded ``checkpoint`` state file naming an absolute path works only on the recording machine."""
    fixtures = Path(__file__).parent / "fixtures"
    states = list(fixtures.rglob("checkpoint"))
    assert states
    for state in states:
        for line in state.read_text().splitlines():
            path = line.split(":", 1)[1].strip().strip('"')
            assert not os.path.isabs(path), f"{state}: {line}"
