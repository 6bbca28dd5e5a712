"""Loads ``tests/fixtures/tf_initializers.json`` (recorded by tools/record_tf_initializers.py)."""

from __future__ import annotations

import json
import pathlib
from functools import lru_cache
from typing import Any

import numpy as np

PATH = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "tf_initializers.json"


def dec(x: Any) -> Any:
    """Decodes the tagged JSON values (ndarrays, bytes, complex numbers)."""
    if isinstance(x, dict):
        if "__ndarray__" in x:
            return np.array(dec(x["__ndarray__"]), dtype=x["dtype"])
        if "__bytes__" in x:
            return x["__bytes__"].encode("latin-1")
        if "__complex__" in x:
            return complex(*x["__complex__"])
        if "__npscalar__" in x:
            return np.dtype(x["dtype"]).type(dec(x["__npscalar__"]))
        if "__float__" in x:
            return float(x["__float__"])
        return {k: dec(v) for k, v in x.items()}
    if isinstance(x, list):
        return [dec(v) for v in x]
    return x


@lru_cache(maxsize=1)
def load() -> dict[str, Any]:
    return json.loads(PATH.read_text())
