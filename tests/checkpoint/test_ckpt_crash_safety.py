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
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if not p.is_dir()}


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
    assert _snapshot(tmp_path) == before  # the checkpoint's files untouched
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name not in before)
    assert len(leftovers) == 1 and leftovers[0].startswith(".model.ckpt.gen-")  # the dead writer's generation
    assert (tmp_path / leftovers[0] / "model.ckpt.data-00000-of-00001").stat().st_size > 0
    assert load_tensors(tmp_path / "model.ckpt")["a"].tolist() == list(np.arange(10.0))
    write_bundle(tmp_path / "other", {"x": np.ones(1)})  # the next save in the directory removes it
    assert not (tmp_path / leftovers[0]).exists()
    assert load_tensors(tmp_path / "model.ckpt")["a"].tolist() == list(np.arange(10.0))


def test_stale_files_of_live_or_foreign_writers_are_kept(tmp_path: Path) -> None:
    from varscope.checkpoint.publish import HOST

    live = tmp_path / f"m.index.tempstate-{HOST}-{os.getppid()}-{'a' * 16}"  # our parent: alive
    foreign = tmp_path / f".m.gen-{'0' * 8}-1-{'b' * 16}"  # another host: cannot tell
    dead_pid = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True).stdout.strip()
    dead = tmp_path / f"checkpoint.tempstate-{HOST}-{dead_pid}-{'c' * 16}"
    live.write_bytes(b"x")
    foreign.mkdir()
    dead.write_bytes(b"x" * 1000)
    write_bundle(tmp_path / "m", {"x": np.ones(1)})
    assert live.exists() and foreign.exists() and not dead.exists()


def test_max_to_keep_collects_checkpoints_of_a_killed_process(tmp_path: Path) -> None:
    import varscope as tf1
    from varscope.train import Saver

    with tf1.Graph().as_default():
        tf1.get_variable("v", [2])
        Saver(max_to_keep=2).save(tmp_path / "model.ckpt", global_step=1)
        first = Saver(max_to_keep=2)  # a process that dies after these saves
        for step in (2, 3):
            first.save(tmp_path / "model.ckpt", global_step=step)
        # ... and one killed between its bundle and the state file: complete, but not listed
        Saver(max_to_keep=2).save(tmp_path / "model.ckpt", global_step=4, write_state=False)
        os.utime(tmp_path / "model.ckpt-4.index", (os.path.getmtime(tmp_path / "model.ckpt-3.index") + 1,) * 2)
        second = Saver(max_to_keep=2)  # the restarted process
        second.save(tmp_path / "model.ckpt", global_step=5)
    names = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".index"))
    assert names == ["model.ckpt-4.index", "model.ckpt-5.index"]  # was: 1 (an earlier saver's), 2, 3, 4 and 5
    assert [os.path.basename(p) for p in second.last_checkpoints] == ["model.ckpt-4", "model.ckpt-5"]


def test_max_to_keep_respects_an_explicit_history(tmp_path: Path) -> None:
    import varscope as tf1
    from varscope.train import Saver

    with tf1.Graph().as_default():
        tf1.get_variable("v", [2])
        for step in (1, 2, 3):
            Saver().save(tmp_path / "model.ckpt", global_step=step)
        saver = Saver(max_to_keep=1)
        saver.set_last_checkpoints([])  # told: nothing earlier to manage
        saver.save(tmp_path / "model.ckpt", global_step=4)
    assert len(list(tmp_path.glob("*.index"))) == 4


def test_overwriting_a_prefix_in_place(tmp_path: Path) -> None:
    prefix = tmp_path / "model.ckpt"
    write_bundle(prefix, {"a": np.zeros(2)})
    assert not os.path.islink(f"{prefix}.index")  # a new prefix: plain files, as TF writes them
    plain = (tmp_path / "model.ckpt.index").read_bytes()
    for shards in (2, 1, 3):
        write_bundle(prefix, {"a": np.full(2, shards), "b": np.ones(3)}, num_shards=shards)
        with BundleReader(prefix) as reader:
            assert reader.get_tensor("a").tolist() == [shards, shards]
        data = sorted(p.name for p in tmp_path.iterdir() if ".data-" in p.name)
        assert data == [f"model.ckpt.data-{s:05d}-of-{shards:05d}" for s in range(shards)]
        assert len([p for p in tmp_path.iterdir() if ".gen-" in p.name]) == 1
    write_bundle(tmp_path / "fresh", {"a": np.zeros(2)})
    assert (tmp_path / "fresh.index").read_bytes() == plain  # same bytes either way
    reader = BundleReader(prefix)  # holds its generation: a save meanwhile does not mix in
    write_bundle(prefix, {"a": np.full(2, 9.0), "b": np.ones(3)})
    assert reader.get_tensor("a").tolist() == [3, 3]
    assert BundleReader(prefix).get_tensor("a").tolist() == [9, 9]
    from varscope.train import remove_checkpoint

    remove_checkpoint(prefix)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.data-00000-of-00001", "fresh.index"]


def test_state_file_written_atomically_with_a_pid_tag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from varscope.checkpoint import update_checkpoint_state
    from varscope.checkpoint import state as state_module

    update_checkpoint_state(tmp_path, str(tmp_path / "m-1"))
    before = (tmp_path / "checkpoint").read_bytes()
    seen = []
    real = os.replace

    def failing(src: str, dst: str) -> None:
        seen.append(os.path.basename(src))
        raise OSError("disk full")

    monkeypatch.setattr(state_module.os, "replace", failing)
    with pytest.raises(OSError):
        update_checkpoint_state(tmp_path, str(tmp_path / "m-2"))
    monkeypatch.setattr(state_module.os, "replace", real)
    assert (tmp_path / "checkpoint").read_bytes() == before
    assert seen and f".tempstate-" in seen[0] and f"-{os.getpid()}-" in seen[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkpoint"]


HARNESS = str(Path(__file__).resolve().parent / "kill_harness.py")


def _harness(*args: str) -> dict[str, int]:
    import json

    result = subprocess.run([sys.executable, HARNESS, *args], env={**os.environ, "PYTHONPATH": SRC},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def test_kill_9_at_random_points_keeps_a_complete_checkpoint(tmp_path: Path) -> None:
    # Savers overwriting one prefix (the Saver with its state file; write_bundle with 1-3
    # shards), SIGKILLed after a seeded random delay: the prefix always restores to the
    # previous save or one the child made, every tensor from the same save, and the next save
    # removes what the dead one left (was: 10 of 30 kills left new data next to the old index).
    counts = _harness("random", str(tmp_path), "--kills", "30", "--seed", "0")
    assert counts["kills"] == 30
    assert counts["restored_previous"] + counts["restored_new"] == 30
    assert counts["restored_previous"] > 0 and counts["restored_new"] > 0  # both sides of the switch were hit


def test_death_before_every_file_system_step(tmp_path: Path) -> None:
    # The child dies just before its n-th link/rename/symlink/mkdir/remove, for every n, saving
    # to a new prefix, over a plain checkpoint (converted to links) and over a linked one.
    counts = _harness("steps", str(tmp_path))
    assert counts["saves_finished"] == 6  # 2 savers x 3 scenarios ran to the end
    assert counts["kills"] > 40


def test_tensorflow_reads_an_overwritten_prefix(tmp_path: Path, tf_python: str) -> None:
    prefix = tmp_path / "model.ckpt"
    write_bundle(prefix, {"a": np.zeros(3, np.float32)})
    write_bundle(prefix, {"a": np.ones(3, np.float32), "b": np.arange(4)}, num_shards=2)
    assert os.path.islink(f"{prefix}.index")  # published through .model.ckpt.current
    script = (f"import tensorflow as tf; r = tf.train.load_checkpoint({str(prefix)!r}); "
              "print(r.get_tensor('a').tolist(), r.get_tensor('b').tolist())")
    result = subprocess.run([tf_python, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split("\n")[-2] == "[1.0, 1.0, 1.0] [0, 1, 2, 3]"
