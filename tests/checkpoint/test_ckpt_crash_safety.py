"""A failed or killed save never damages the previous checkpoint."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from varscope.checkpoint import BundleReader, load_tensors, save_tensors, write_bundle

SRC = str(Path(__file__).resolve().parents[2] / "src")


class Exploding:
    """An array-like whose conversion fails, after earlier tensors were already written."""

    def __array__(self, dtype: object = None, copy: object = None) -> np.ndarray:
        raise RuntimeError("disk on fire")


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_exception_mid_save_keeps_previous_checkpoint(tmp_path: Path) -> None:
    old = {"a": np.arange(1000, dtype=np.float32), "b": np.ones(3)}
    write_bundle(tmp_path / "model.ckpt", old)
    before = _snapshot(tmp_path)
    new = {"a": np.zeros(1000, np.float32), "b": np.zeros(3), "c": Exploding()}
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_bundle(tmp_path / "model.ckpt", new)
    assert _snapshot(tmp_path) == before  # no temp files, nothing replaced
    with BundleReader(tmp_path / "model.ckpt") as reader:
        assert np.array_equal(reader.get_tensor("a"), old["a"])


@pytest.mark.parametrize("name", ["m.safetensors", "m.npz"])
def test_exception_mid_save_other_formats(name: str, tmp_path: Path) -> None:
    save_tensors(tmp_path / name, {"a": np.ones(2)})
    before = _snapshot(tmp_path)
    with pytest.raises((RuntimeError, TypeError, ValueError)):
        save_tensors(tmp_path / name, {"a": np.zeros(2), "z": Exploding()})
    assert _snapshot(tmp_path) == before


def test_process_killed_mid_save_keeps_previous_checkpoint(tmp_path: Path) -> None:
    write_bundle(tmp_path / "model.ckpt", {"a": np.arange(10.0), "z": np.ones(2)})
    before = _snapshot(tmp_path)
    script = textwrap.dedent(f"""
        import os, numpy as np
        from varscope.checkpoint import write_bundle
        class Die:
            def __array__(self, dtype=None, copy=None):
                os._exit(9)  # hard crash: no cleanup, no finally blocks
        write_bundle({str(tmp_path / 'model.ckpt')!r}, {{"a": np.zeros(10**6), "z": Die()}})
    """)
    result = subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": SRC})
    assert result.returncode == 9
    after = _snapshot(tmp_path)
    leftovers = set(after) - set(before)
    assert all(".tempstate" in name for name in leftovers) and leftovers  # only temp data remains
    assert {k: after[k] for k in before} == before
    assert load_tensors(tmp_path / "model.ckpt")["a"].tolist() == list(np.arange(10.0))
