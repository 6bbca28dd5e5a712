"""``vj.load_params`` from a TF checkpoint: one tensor at a time, into buffers JAX's CPU client uses in place."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pytest

jax = pytest.importorskip("jax")

import varscope.jax as vj  # noqa: E402
from varscope.checkpoint import BundleReader, write_bundle  # noqa: E402


def many_tensors(count: int, largest: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    tensors = {f"layer_{i:03d}/w": rng.standard_normal(1 << 14, dtype=np.float32) for i in range(count)}
    tensors["big/w"] = rng.standard_normal(largest, dtype=np.float32)
    return tensors


def test_jax_load_params_uses_the_read_buffers_in_place_on_cpu(tmp_path: Path) -> None:
    if jax.default_backend() != "cpu":
        pytest.skip("in-place use of host buffers is a CPU property (other devices get one transfer)")
    prefix = str(tmp_path / "m")
    write_bundle(prefix, many_tensors(count=8, largest=1 << 20))
    with BundleReader(prefix) as reader:
        arr = reader.get_tensor("big/w")
        assert jax.device_put(arr).unsafe_buffer_pointer() == arr.ctypes.data  # the same buffer
    total = sum(t.nbytes for t in many_tensors(count=8, largest=1 << 20).values())
    tracemalloc.start()
    try:
        params = vj.load_params(prefix)
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The arrays JAX holds are the buffers the reader allocated (still traced, nothing freed), and
    # nothing else was: no second copy of any tensor.
    assert current >= 0.95 * total and peak < total + (1 << 20)
    np.testing.assert_array_equal(np.asarray(params["big/w"]), many_tensors(count=8, largest=1 << 20)["big/w"])
