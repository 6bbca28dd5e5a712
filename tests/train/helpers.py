"""Shared helpers for the ``varscope.train`` tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ml_dtypes
import numpy as np

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "tf_checkpoints"
EXPECTED: dict[str, dict[str, dict[str, Any]]] = json.loads((FIXTURES / "expected.json").read_text())["checkpoints"]


def expected_array(prefix: str, name: str) -> np.ndarray:
    """The value TF recorded for tensor ``name`` of fixture ``prefix`` (numeric tensors only)."""
    entry = EXPECTED[prefix][name]
    dtype = np.dtype(getattr(ml_dtypes, entry["dtype"], None) or entry["dtype"])
    return np.frombuffer(bytes.fromhex(entry["bytes_hex"]), dtype=dtype.newbyteorder("<")).reshape(entry["shape"])
