"""``tests/fixtures/tf_initializers.json``: its tagged-JSON codec (also used by tools/record_tf_initializers.py,
which records it) and its loader."""

from __future__ import annotations

import json
import pathlib
from functools import lru_cache
from typing import Any

import numpy as np

PATH = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "tf_initializers.json"


def enc(x: Any) -> Any:
    """JSON encoding of spec values: ndarrays and bytes are tagged."""
    if isinstance(x, np.ndarray):
        return {"__ndarray__": enc(x.tolist()), "dtype": str(x.dtype)}
    if isinstance(x, (bytes, np.bytes_)):
        return {"__bytes__": bytes(x).decode("latin-1")}
    if isinstance(x, (list, tuple)):
        return [enc(v) for v in x]
    if isinstance(x, dict):
        return {k: enc(v) for k, v in x.items()}
    if isinstance(x, np.generic):
        return {"__npscalar__": enc(x.item()), "dtype": str(x.dtype)}
    if isinstance(x, complex):
        return {"__complex__": [x.real, x.imag]}
    if isinstance(x, float) and (np.isnan(x) or np.isinf(x)):
        return {"__float__": repr(x)}
    return x


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
