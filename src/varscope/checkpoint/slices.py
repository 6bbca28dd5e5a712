"""Slices of partitioned tensors: TF's ``"10 3 4,3:0,3"`` spec strings and tiling checks."""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from .errors import CheckpointError
from .proto import Extent

__all__ = [
    "SliceData",
    "extents_for",
    "format_slice_spec",
    "parse_slice_spec",
    "resolve_extents",
]


class SliceData(NamedTuple):
    """One saved part of a partitioned tensor.

    Attributes:
        full_shape: shape of the whole (unpartitioned) tensor.
        offsets: where this part starts in each dimension.
        array: the part's values; its shape is the part's extent.

    Example:
        >>> part = SliceData((10, 3), (4, 0), np.zeros((3, 3), np.float32))
        >>> format_slice_spec(part.full_shape, part.offsets, part.array.shape)
        '10 3 4,3:0,3'
    """

    full_shape: tuple[int, ...]
    offsets: tuple[int, ...]
    array: np.ndarray


def format_slice_spec(full_shape: Sequence[int], offsets: Sequence[int], shape: Sequence[int]) -> str:
    """Formats TF's ``SaveSliceInfo.spec`` string.

    Example:
        >>> format_slice_spec((10, 3), (0, 0), (4, 3))
        '10 3 0,4:0,3'
    """
    dims = " ".join(str(int(d)) for d in full_shape)
    parts = ":".join(f"{int(o)},{int(n)}" for o, n in zip(offsets, shape))
    return f"{dims} {parts}".strip() if dims else parts


def parse_slice_spec(spec: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """Parses ``"<full dims> <start>,<len>:..."`` into ``(full_shape, offsets, shape)``.

    A ``-`` extent means the whole dimension.

    Raises:
        CheckpointError: if the spec is malformed or out of bounds.

    Example:
        >>> parse_slice_spec("10 3 4,3:-")
        ((10, 3), (4, 0), (3, 3))
    """
    words = spec.split()
    if not words:
        raise CheckpointError(f"empty slice spec {spec!r}")
    try:
        full = tuple(int(w) for w in words[:-1])
        extents = words[-1].split(":")
        if len(extents) != len(full):
            raise CheckpointError(f"slice spec {spec!r} has {len(extents)} extents for rank {len(full)}")
        offsets: list[int] = []
        shape: list[int] = []
        for ext, dim in zip(extents, full):
            if ext == "-":
                offsets.append(0)
                shape.append(dim)
            else:
                start, length = (int(x) for x in ext.split(","))
                offsets.append(start)
                shape.append(length)
    except ValueError:
        raise CheckpointError(f"malformed slice spec {spec!r}") from None
    result = (full, tuple(offsets), tuple(shape))
    resolve_extents([Extent(o, n) for o, n in zip(result[1], result[2])], full)
    return result


def extents_for(offsets: Sequence[int], shape: Sequence[int]) -> tuple[Extent, ...]:
    """Builds the extents TF's Saver writes: an explicit start and length per dimension."""
    return tuple(Extent(int(o), int(n)) for o, n in zip(offsets, shape))


def resolve_extents(extents: Sequence[Extent], full_shape: Sequence[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Returns ``(offsets, shape)`` of a slice, checking it lies inside ``full_shape``.

    Raises:
        CheckpointError: if the rank differs or an extent leaves the tensor.

    Example:
        >>> resolve_extents([Extent(4, 3), Extent()], (10, 3))
        ((4, 0), (3, 3))
    """
    if len(extents) != len(full_shape):
        raise CheckpointError(f"slice of rank {len(extents)} for a tensor of rank {len(full_shape)}")
    offsets: list[int] = []
    shape: list[int] = []
    for extent, dim in zip(extents, full_shape):
        length = dim if extent.length is None else extent.length
        start = extent.start
        if extent.length is None and start != 0:
            raise CheckpointError(f"full extent with nonzero start {start}")
        if start < 0 or length < 0 or start + length > dim:
            raise CheckpointError(f"slice extent {start},{length} outside dimension of size {dim}")
        offsets.append(start)
        shape.append(length)
    return tuple(offsets), tuple(shape)


def intersect(
    a_off: Sequence[int], a_shape: Sequence[int], b_off: Sequence[int], b_shape: Sequence[int]
) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """Returns ``(offsets, shape)`` of the overlap of two boxes, or ``None`` if they are disjoint."""
    lo = tuple(max(a, b) for a, b in zip(a_off, b_off))
    hi = tuple(min(a + m, b + n) for a, m, b, n in zip(a_off, a_shape, b_off, b_shape))
    if any(h <= l for l, h in zip(lo, hi)):
        return None
    return lo, tuple(h - l for l, h in zip(lo, hi))


# Work allowed to the general sweep (slices varying along three or more axes) before it gives up.
_MAX_SWEEP_COMPARISONS = 2_000_000


def _overlap_error(what: str, a: tuple[int, ...], b: tuple[int, ...]) -> CheckpointError:
    return CheckpointError(f"{what}: overlapping slices at {a} and {b}")


def check_disjoint(boxes: Sequence[tuple[tuple[int, ...], tuple[int, ...]]], what: str) -> None:
    """Raises :class:`CheckpointError` if any two non-empty boxes overlap.

    Runs in O(n log n) for slices that differ along at most two axes (every TF partitioner
    splits one axis): a sweep along one axis, the boxes crossing the sweep line kept sorted
    along the other. Slices differing along three or more axes are swept with pairwise tests
    of the boxes crossing the sweep line, within a fixed budget of comparisons; past it the
    slicing is refused as too complex (no real checkpoint comes near it).

    Example:
        >>> check_disjoint([((0, 0), (2, 3)), ((2, 0), (2, 3))], "x")
        >>> check_disjoint([((0,), (3,)), ((2,), (2,))], "x")
        Traceback (most recent call last):
        ...
        varscope.checkpoint.errors.CheckpointError: x: overlapping slices at (2,) and (0,)
    """
    live = [(tuple(o), tuple(s)) for o, s in boxes if all(n > 0 for n in s)]
    if len(live) < 2:
        return
    rank = len(live[0][0])
    varying = [ax for ax in range(rank) if len({(o[ax], s[ax]) for o, s in live}) > 1]
    if not varying:  # two identical non-empty boxes
        raise _overlap_error(what, live[1][0], live[0][0])
    # Sweep along the varying axis with the most distinct starts (fewest boxes per position).
    varying.sort(key=lambda ax: -len({o[ax] for o, _ in live}))
    a = varying[0]
    order = sorted(range(len(live)), key=lambda i: live[i][0][a])
    if len(varying) == 1:
        # Identical along every other axis: disjoint iff the intervals along ``a`` are.
        end, last = -1, -1
        for i in order:
            off, shape = live[i]
            if off[a] < end:
                raise _overlap_error(what, off, live[last][0])
            if off[a] + shape[a] > end:
                end, last = off[a] + shape[a], i
        return
    heap: list[tuple[int, int]] = []  # (end along a, box) of the boxes crossing the sweep line
    if len(varying) == 2:
        # Boxes crossing the sweep line overlap along ``a`` and agree outside a and b, so they
        # must be disjoint along ``b``: kept sorted by start along b, each new box is tested
        # against its two neighbours only.
        b = varying[1]
        starts: list[int] = []
        ids: list[int] = []
        for i in order:
            off, shape = live[i]
            while heap and heap[0][0] <= off[a]:
                _, j = heapq.heappop(heap)
                k = bisect.bisect_left(starts, live[j][0][b])
                del starts[k], ids[k]
            lo, hi = off[b], off[b] + shape[b]
            k = bisect.bisect_left(starts, lo)
            if k > 0 and live[ids[k - 1]][0][b] + live[ids[k - 1]][1][b] > lo:
                raise _overlap_error(what, off, live[ids[k - 1]][0])
            if k < len(starts) and starts[k] < hi:
                raise _overlap_error(what, off, live[ids[k]][0])
            starts.insert(k, lo)
            ids.insert(k, i)
            heapq.heappush(heap, (off[a] + shape[a], i))
        return
    others = varying[1:]
    budget = _MAX_SWEEP_COMPARISONS
    active: set[int] = set()
    for i in order:
        off, shape = live[i]
        while heap and heap[0][0] <= off[a]:
            active.discard(heapq.heappop(heap)[1])
        budget -= len(active)
        if budget < 0:
            raise CheckpointError(f"{what}: {len(live)} slices along {len(varying)} axes are too many to check")
        for j in active:
            o, s = live[j]
            if all(o[x] < off[x] + shape[x] and off[x] < o[x] + s[x] for x in others):
                raise _overlap_error(what, off, o)
        active.add(i)
        heapq.heappush(heap, (off[a] + shape[a], i))
