"""Format dispatch by file suffix: ``.safetensors``, ``.npz``, else a TF checkpoint prefix."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Literal, Protocol, Union

import numpy as np

from .bundle_reader import BundleReader
from .bundle_writer import write_bundle
from .npz_io import NpzReader, save_npz
from .paths import normalize_prefix
from .safetensors_io import SafetensorsReader, save_safetensors
from .state import latest_checkpoint

__all__ = ["Format", "TensorSource", "detect_format", "load_tensors", "open_tensors", "save_tensors"]

Format = Literal["tf", "safetensors", "npz"]
_FORMATS = ("tf", "safetensors", "npz")


class TensorSource(Protocol):
    """What every reader offers: names, shapes, dtypes and on-demand tensors."""

    def keys(self) -> list[str]: ...
    def shape(self, name: str) -> tuple[int, ...]: ...
    def dtype(self, name: str) -> np.dtype: ...
    def nbytes_on_disk(self, name: str) -> int: ...
    def get_tensor(self, name: str) -> np.ndarray: ...
    def close(self) -> None: ...


AnyReader = Union[BundleReader, SafetensorsReader, NpzReader]


def detect_format(path: str | os.PathLike[str], format: str | None = None) -> Format:
    """Returns the format for ``path``: explicit ``format``, else by suffix.

    Example:
        >>> detect_format("m.safetensors"), detect_format("x/m.npz"), detect_format("ckpt/model.ckpt-3")
        ('safetensors', 'npz', 'tf')
    """
    if format is not None:
        fmt = format.lower()
        if fmt in ("tensorflow", "bundle", "ckpt", "checkpoint"):
            fmt = "tf"
        if fmt not in _FORMATS:
            raise ValueError(f"unknown checkpoint format {format!r}; expected one of {_FORMATS}")
        return fmt  # type: ignore[return-value]
    text = os.fspath(path).lower()
    if text.endswith(".safetensors"):
        return "safetensors"
    if text.endswith(".npz"):
        return "npz"
    return "tf"


def _resolve_tf(path: str | os.PathLike[str]) -> str:
    text = os.fspath(path)
    if os.path.isdir(text):
        prefix = latest_checkpoint(text)
        if prefix is None:
            raise FileNotFoundError(f"no checkpoint found in directory {text}")
        return prefix
    return normalize_prefix(text)


def open_tensors(path: str | os.PathLike[str], format: str | None = None) -> AnyReader:
    """Opens a lazy reader for any supported format (a TF directory means its latest checkpoint).

    Example:
        >>> import tempfile, numpy as np
        >>> path = tempfile.mkdtemp() + "/m.npz"
        >>> save_tensors(path, {"x": np.zeros(2)})
        >>> reader = open_tensors(path); reader.keys(), reader.shape("x")
        (['x'], (2,))
    """
    fmt = detect_format(path, format)
    if fmt == "safetensors":
        return SafetensorsReader(path)
    if fmt == "npz":
        return NpzReader(path)
    return BundleReader(_resolve_tf(path))


def save_tensors(path: str | os.PathLike[str], tensors: Mapping[str, Any], format: str | None = None) -> None:
    """Saves ``{name: array}`` as safetensors, ``.npz`` or a TF checkpoint (by suffix).

    Raises:
        CheckpointError: if a tensor cannot be stored in the chosen format (e.g. strings in
            safetensors).

    Example:
        >>> import tempfile, numpy as np
        >>> d = tempfile.mkdtemp()
        >>> save_tensors(d + "/m.safetensors", {"w": np.ones(3, np.float16)})
        >>> load_tensors(d + "/m.safetensors")["w"].dtype
        dtype('float16')
    """
    fmt = detect_format(path, format)
    if fmt == "safetensors":
        save_safetensors(path, tensors)
    elif fmt == "npz":
        save_npz(path, tensors)
    else:
        write_bundle(normalize_prefix(path), tensors)


def load_tensors(path: str | os.PathLike[str], format: str | None = None) -> dict[str, np.ndarray]:
    """Loads every tensor of a file in any supported format (partitioned tensors merged)."""
    reader = open_tensors(path, format)
    try:
        return {name: reader.get_tensor(name) for name in reader.keys()}
    finally:
        reader.close()


