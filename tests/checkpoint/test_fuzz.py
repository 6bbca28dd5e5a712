"""Fuzzing: mutated or truncated real checkpoint files yield data or CheckpointError, nothing else.

Every reader path runs under ``tracemalloc`` (NumPy reports its buffers to it), checking
that no input makes the reader allocate far more than the files justify. Seeded and bounded:
hypothesis runs derandomized, the structural cases come from fixed seeds. A bigger campaign:
``python -m tests.checkpoint.fuzz_campaign --runs 5000`` (see that module).
"""

from __future__ import annotations

import random
import shutil
import tempfile
import tracemalloc
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from varscope.checkpoint import (
    BundleReader,
    CheckpointError,
    get_checkpoint_state,
    load_npz,
    load_safetensors,
    save_npz,
    save_safetensors,
)

from .fuzzing import check_names_file, exercise, make_case
from .helpers import FIXTURES, bundle_files

ALLOC_LIMIT = 64 * 1024 * 1024
SOURCES = ["dtypes/model.ckpt", "partitioned/model.ckpt-7", "sharded/model.ckpt", "rawslices/model.ckpt",
           "tf2/ckpt"]

mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 1 << 20), st.integers(1, 255)),
    st.tuples(st.just("truncate"), st.integers(0, 1 << 20), st.just(0)),
    st.tuples(st.just("set"), st.integers(0, 1 << 20), st.integers(0, 255)),
    st.tuples(st.just("insert"), st.integers(0, 1 << 20), st.integers(0, 255)),
)


def _mutate(raw: bytes, ops: list[tuple[str, int, int]]) -> bytes:
    data = bytearray(raw)
    for op, pos, value in ops:
        if not data:
            break
        pos %= len(data)
        if op == "flip":
            data[pos] ^= value
        elif op == "set":
            data[pos] = value
        elif op == "insert":
            data.insert(pos, value)
        else:
            del data[pos:]
    return bytes(data)


def _exercise_bundle(prefix: Path) -> None:
    reader = BundleReader(prefix)
    try:
        for name in reader.keys():
            reader.shape(name)
            try:
                reader.dtype(name)
                value = reader.get_tensor(name)
            except CheckpointError:
                continue
            if value.ndim:
                reader.get_slice(name, (0,) * value.ndim, value.shape)
    finally:
        reader.close()


def _run_bounded(fn: object, *args: object) -> None:
    tracemalloc.start()
    try:
        fn(*args)  # type: ignore[operator]
    except CheckpointError as err:
        if fn is not get_checkpoint_state:
            check_names_file(err)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < ALLOC_LIMIT, f"reader allocated {peak} bytes"


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.sampled_from(SOURCES), target=st.integers(0, 3), ops=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_bundles(source: str, target: int, ops: list[tuple[str, int, int]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = bundle_files(FIXTURES / source)
        for path in files:
            shutil.copy(path, Path(tmp) / path.name)
        victim = Path(tmp) / files[target % len(files)].name
        victim.write_bytes(_mutate(victim.read_bytes(), ops))
        _run_bounded(_exercise_bundle, Path(tmp) / Path(source).name)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(ops=st.lists(mutation, min_size=1, max_size=3))
def test_mutated_multiblock_index(ops: list[tuple[str, int, int]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for path in bundle_files(FIXTURES / "manykeys/model.ckpt"):
            shutil.copy(path, Path(tmp) / path.name)
        index = Path(tmp) / "model.ckpt.index"
        index.write_bytes(_mutate(index.read_bytes(), ops))
        _run_bounded(_exercise_bundle, Path(tmp) / "model.ckpt")


def test_structurally_mutated_bundles() -> None:
    """Index entries with extreme fields behind valid CRCs, and files of the wrong kind (seeded)."""
    for seed in range(300):
        rng = random.Random(seed)
        with tempfile.TemporaryDirectory() as tmp:
            prefix, what = make_case(Path(tmp), rng)
            try:
                _run_bounded(exercise, prefix, rng)
            except AssertionError as err:
                raise AssertionError(f"seed {seed} ({what}): {err}") from None


@settings(max_examples=150, deadline=None, derandomize=True)  # seeded: the same 150 archives in every run
@given(kind=st.sampled_from(["safetensors", "npz"]), ops=st.lists(mutation, min_size=1, max_size=3))
def test_mutated_safetensors_and_npz(kind: str, ops: list[tuple[str, int, int]]) -> None:
    tensors = {"w": np.arange(12, dtype=np.float32).reshape(3, 4), "b": np.ones(3, np.int64), "s": np.array(2.0)}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"m.{kind}"
        (save_safetensors if kind == "safetensors" else save_npz)(path, tensors)
        path.write_bytes(_mutate(path.read_bytes(), ops))
        _run_bounded(load_safetensors if kind == "safetensors" else load_npz, path)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(text=st.text(max_size=200))
def test_arbitrary_state_files(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "checkpoint").write_text(text, encoding="utf-8", errors="surrogatepass")
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                get_checkpoint_state(tmp)
            except CheckpointError:
                pass
