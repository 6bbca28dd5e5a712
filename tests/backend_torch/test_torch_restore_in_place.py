"""Restoring a checkpoint into a torch graph: the buffer read is the parameter's memory (no copy)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import varscope as tf1  # noqa: E402
from varscope.backends import torch_backend  # noqa: E402
from varscope.checkpoint import write_bundle  # noqa: E402
from varscope.train import Saver  # noqa: E402


def peak_bytes(fn: Callable[[], Any]) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_torch_restore_takes_the_read_buffer_without_copying(tmp_path: Path) -> None:
    a = np.arange(6, dtype=np.float32)
    assert np.shares_memory(torch_backend.BACKEND.adopt(a).numpy(), a)
    readonly = a.copy()
    readonly.flags.writeable = False
    assert not np.shares_memory(torch_backend.BACKEND.adopt(readonly).numpy(), readonly)
    prefix = str(tmp_path / "m")
    write_bundle(prefix, {"w": np.full((1024, 1024), 5.0, np.float32)})
    holder: list[Any] = []

    def build_and_restore() -> None:
        with tf1.Graph(backend="torch").as_default():
            holder.append(tf1.get_variable("w", [1024, 1024]))
            Saver().restore(None, prefix)

    assert peak_bytes(build_and_restore) < 5 << 20  # the 4 MB read, adopted; no copy, no initializer
    assert float(holder[0].value().sum()) == 5.0 * 1024 * 1024
