"""``tf.summary`` inside ``varscope.compat.jax.transform_with_state`` (the graph-mode checks against TF 2.21 are in
``test_summary.py``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

jax = pytest.importorskip("jax")

from varscope.compat import jax as cj  # noqa: E402
from varscope.compat import v1  # noqa: E402


def test_summary_ops_build_under_jax() -> None:
    """Inside transform_with_state the summaries build on traced inputs and leave the outputs alone."""
    def forward(x: Any) -> Any:
        y = v1.reduce_mean(x * 2.0)
        v1.summary.scalar("y", y)
        v1.summary.histogram("x", x)
        v1.summary.image("img", v1.reshape(x, [1, 2, 2, 1]))
        merged = v1.summary.merge_all()
        assert merged is not None and merged.name == "Merge/MergeSummary:0"
        return y

    f = cj.transform_with_state(forward)
    x = np.arange(4, dtype=np.float32)
    params, state = f.init(0, x)
    out, _ = jax.jit(f.apply)(params, state, x)
    assert float(out) == 3.0
