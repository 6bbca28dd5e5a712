"""Many partitions: overlap checks and slice lookups stay O(n log n) (issue 16, item 4)."""

from __future__ import annotations

import itertools
import random
import time
from pathlib import Path

import numpy as np
import pytest

import varscope as tf1
from varscope.checkpoint import BundleReader, BundleWriter, CheckpointError, write_bundle
from varscope.checkpoint import bundle_writer, slices
from varscope.checkpoint.slices import check_disjoint, intersect
from varscope.train import Saver

Box = tuple[tuple[int, ...], tuple[int, ...]]


def _brute_force_overlap(boxes: list[Box]) -> bool:
    live = [b for b in boxes if all(n > 0 for n in b[1])]
    return any(intersect(*a, *b) is not None for a, b in itertools.combinations(live, 2))


@pytest.mark.parametrize("rank", [1, 2, 3, 4])
def test_check_disjoint_agrees_with_brute_force(rank: int) -> None:
    rng = random.Random(rank)
    for _ in range(400):
        count = rng.randint(0, 12)
        vary = rng.sample(range(rank), rng.randint(1, rank))
        boxes: list[Box] = []
        for _ in range(count):
            off = [0] * rank
            shape = [5] * rank
            for ax in vary:
                off[ax] = rng.randint(0, 8)
                shape[ax] = rng.randint(0, 4)
            boxes.append((tuple(off), tuple(shape)))
        expected = _brute_force_overlap(boxes)
        if expected:
            with pytest.raises(CheckpointError, match="overlapping slices"):
                check_disjoint(boxes, "t")
        else:
            check_disjoint(boxes, "t")


def test_check_disjoint_grids_are_fast() -> None:
    row = [((4 * i,), (4,)) for i in range(20000)]
    grid = [((i, j), (1, 1)) for i in range(150) for j in range(150)]
    cube = [((i, j, k), (1, 1, 1)) for i in range(12) for j in range(12) for k in range(12)]
    start = time.perf_counter()
    for boxes in (row, grid, cube):
        random.Random(0).shuffle(boxes)
        check_disjoint(boxes, "t")
        with pytest.raises(CheckpointError, match="overlapping"):
            check_disjoint(boxes + [boxes[len(boxes) // 2]], "t")
    assert time.perf_counter() - start < 5.0  # pairwise tests: ~6 minutes for the row alone


def test_check_disjoint_bounds_its_work_in_three_axes(monkeypatch: pytest.MonkeyPatch) -> None:
    # Slices varying along 3+ axes are swept with pairwise tests of the boxes crossing the sweep
    # line (about 144 per step here); past the budget the slicing is refused, not checked for ever.
    cube = [((i, j, k), (1, 1, 1)) for i in range(12) for j in range(12) for k in range(12)]
    check_disjoint(cube, "t")
    monkeypatch.setattr(slices, "_MAX_SWEEP_COMPARISONS", 10_000)
    with pytest.raises(CheckpointError, match="1728 slices along 3 axes are too many to check"):
        check_disjoint(cube, "t")


def test_saver_with_400_partitions_is_fast(tmp_path: Path) -> None:
    calls = 0
    real = bundle_writer.check_disjoint

    def counting(boxes: object, what: str) -> None:
        nonlocal calls
        calls += 1
        real(boxes, what)  # type: ignore[arg-type]

    with tf1.Graph().as_default():
        emb = tf1.get_variable("emb", [1600, 8], partitioner=tf1.fixed_size_partitioner(400))
        saver = Saver()
        bundle_writer.check_disjoint = counting  # type: ignore[assignment]
        try:
            start = time.perf_counter()
            path = saver.save(tmp_path / "m.ckpt")
            saved = time.perf_counter() - start
        finally:
            bundle_writer.check_disjoint = real
        before = np.concatenate([v.numpy() for v in emb])
        for v in emb:
            v.assign(np.zeros(v.shape, np.float32))
        start = time.perf_counter()
        saver.restore(path)
        restored = time.perf_counter() - start
        assert np.array_equal(np.concatenate([v.numpy() for v in emb]), before)
    assert calls == 1  # one overlap check per tensor, at finish (was one per add_slice: O(n^3) in all)
    assert saved < 2.0 and restored < 2.0  # were 17 s and 0.5 s; now a few ms


def test_writer_still_refuses_overlaps_at_finish(tmp_path: Path) -> None:
    writer = BundleWriter(tmp_path / "m")
    writer.add_slice("x", (4,), (0,), np.ones(3))
    writer.add_slice("x", (4,), (2,), np.ones(2))
    with pytest.raises(ValueError, match="overlapping slices"):
        writer.finish()
    assert not list(tmp_path.iterdir())


def _crafted_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int, overlap: bool) -> Path:
    """A bundle of one [count] tensor saved as ``count`` one-element slices (one doubled if ``overlap``)."""
    prefix = tmp_path / ("bad" if overlap else "good")
    monkeypatch.setattr(bundle_writer, "check_disjoint", lambda boxes, what: None)
    with BundleWriter(prefix) as writer:
        for i in range(count):
            if overlap and i == count - 1:
                writer.add_slice("x", (count,), (count - 3,), np.array([7.0, 7.0]))  # covers count-3 again
            else:
                writer.add_slice("x", (count,), (i,), np.array([float(i)]))
        if overlap:  # keep the element total right so that only the overlap is wrong
            writer._sliced[b"x"].boxes[-1] = ((count - 1,), (1,))
    monkeypatch.undo()
    return prefix


def test_6000_one_element_slices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = _crafted_index(tmp_path, monkeypatch, 6000, overlap=False)
    bad = _crafted_index(tmp_path, monkeypatch, 6000, overlap=True)
    start = time.perf_counter()
    with BundleReader(good) as reader:
        assert reader.get_tensor("x").tolist() == list(range(6000))
        assert reader.get_slice("x", (2999,), (2,)).tolist() == [2999.0, 3000.0]
    with pytest.raises(CheckpointError, match="overlapping slices") as err:
        BundleReader(bad)
    assert err.value.path == str(bad) + ".index"
    assert time.perf_counter() - start < 3.0  # pairwise: over 20 s to open


def test_get_slice_across_uneven_partitions(tmp_path: Path) -> None:
    full = np.arange(100 * 3, dtype=np.float32).reshape(100, 3)
    cuts = [0, 1, 2, 30, 31, 77, 99, 100]
    parts = [((100, 3), (a, 0), full[a:b]) for a, b in zip(cuts, cuts[1:])]
    write_bundle(tmp_path / "m", {}, slices={"x": parts})
    rng = random.Random(1)
    with BundleReader(tmp_path / "m") as reader:
        for _ in range(300):
            lo = rng.randint(0, 99)
            n = rng.randint(0, 100 - lo)
            c = rng.randint(0, 2)
            assert np.array_equal(reader.get_slice("x", (lo, c), (n, 3 - c)), full[lo : lo + n, c:])
