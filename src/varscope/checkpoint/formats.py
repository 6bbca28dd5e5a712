"""Format dispatch by file suffix: ``.safetensors``, ``.npz``, else a TF checkpoint prefix."""

from __future__ import annotations

import os
import re
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
_TF_SUFFIX = re.compile(r"\.(ckpt(-\d+)?|index|data-\d{5}-of-\d{5})$", re.IGNORECASE)


class TensorSource(Protocol):
    """What every reader offers: names, shapes, dtypes and on-demand tensors."""

    def keys(self) -> list[str]: ...
    def shape(self, name: str) -> tuple[int, ...]: ...
    def dtype(self, name: str) -> np.dtype: ...
    def nbytes_on_disk(self, name: str) -> int: ...
    def get_tensor(self, name: str) -> np.ndarray: ...
    def close(self) -> None: ...


AnyReader = Union[BundleReader, SafetensorsReader, NpzReader]


def detect_format(path: str | os.PathLike[str], format: str | None = None, *, strict: bool = False) -> Format:
    """Returns the format for ``path``: explicit ``format``, else by suffix.

    By default anything that is not ``.safetensors`` or ``.npz`` is a TF checkpoint prefix. With
    ``strict=True`` (what the ``varscope`` command line uses) a TF prefix must look like one: an
    existing directory or ``<path>.index``, a name without a suffix, or one ending in ``.ckpt``,
    ``.ckpt-N``, ``.index`` or ``.data-NNNNN-of-NNNNN``; any other suffix is an error.

    Raises:
        ValueError: for an unknown ``format``, or (``strict``) an unknown suffix.

    Example:
        >>> detect_format("m.safetensors"), detect_format("x/m.npz"), detect_format("ckpt/model.ckpt-3")
        ('safetensors', 'npz', 'tf')
        >>> detect_format("model.pt", strict=True)
        Traceback (most recent call last):
        ...
        ValueError: cannot tell the format of 'model.pt' from its suffix '.pt': expected .safetensors, .npz or a TF checkpoint prefix (no suffix, .ckpt or .ckpt-N); name the format (tf, safetensors, npz) explicitly
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
    if strict:
        original = os.fspath(path)
        suffix = os.path.splitext(os.path.basename(original))[1]
        known = not suffix or _TF_SUFFIX.search(original) is not None
        if not known and not os.path.isdir(original) and not os.path.exists(normalize_prefix(original) + ".index"):
            raise ValueError(
                f"cannot tell the format of {original!r} from its suffix {suffix!r}: expected .safetensors, .npz "
                f"or a TF checkpoint prefix (no suffix, .ckpt or .ckpt-N); name the format ({', '.join(_FORMATS)}) "
                "explicitly"
            )
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


