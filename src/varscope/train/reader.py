"""Reading checkpoints by name: ``load_checkpoint``, ``load_variable``, ``list_variables``.

:class:`CheckpointReader` offers TensorFlow's ``CheckpointReader`` methods (``get_tensor``,
``has_tensor``, ``get_variable_to_shape_map``, ``get_variable_to_dtype_map``) over any format
varscope reads: a TF checkpoint (tensor bundle), ``.safetensors`` or ``.npz``. A directory means
its latest checkpoint (from the ``checkpoint`` state file), as in TF.

Example:
    >>> import tempfile, numpy as np
    >>> from varscope.checkpoint import write_bundle
    >>> prefix = tempfile.mkdtemp() + "/model.ckpt"
    >>> write_bundle(prefix, {"scope/w": np.ones((2, 3), np.float32)})
    >>> list_variables(prefix)
    [('scope/w', [2, 3])]
    >>> load_variable(prefix, "scope/w:0").sum()
    np.float32(6.0)
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from types import TracebackType
from typing import Any

import numpy as np

from varscope._dtypes import DType, as_dtype
from varscope.checkpoint import BundleReader, NpzReader, SafetensorsReader, detect_format
from varscope.checkpoint.paths import normalize_prefix
from varscope.checkpoint.state import get_checkpoint_state as _get_state
from varscope.checkpoint.state import latest_checkpoint as _latest

from .errors import NotFoundError

__all__ = [
    "CheckpointReader",
    "NewCheckpointReader",
    "checkpoint_exists",
    "get_checkpoint_state",
    "latest_checkpoint",
    "list_variables",
    "load_checkpoint",
    "load_variable",
    "resolve_checkpoint",
]

PathLike = str | os.PathLike[str]


def latest_checkpoint(checkpoint_dir: PathLike, latest_filename: str | None = None) -> str | None:
    """The latest checkpoint prefix recorded in ``checkpoint_dir``, or ``None`` (``tf.train.latest_checkpoint``).

    As in TF, the state file's relative paths are joined onto the directory, and a prefix is only
    returned if its files exist.

    Example:
        >>> import tempfile
        >>> latest_checkpoint(tempfile.mkdtemp()) is None
        True
    """
    return _latest(checkpoint_dir, latest_filename)


def get_checkpoint_state(checkpoint_dir: PathLike, latest_filename: str | None = None) -> Any:
    """The parsed ``checkpoint`` state file of ``checkpoint_dir``, or ``None`` (``tf.train.get_checkpoint_state``).

    Returns:
        A :class:`varscope.checkpoint.CheckpointState` with ``model_checkpoint_path`` and
        ``all_model_checkpoint_paths`` (relative paths joined onto ``checkpoint_dir``), or
        ``None`` when there is no (parsable) state file.

    Example:
        >>> import tempfile
        >>> get_checkpoint_state(tempfile.mkdtemp()) is None
        True
    """
    return _get_state(checkpoint_dir, latest_filename)


def checkpoint_exists(path: PathLike) -> bool:
    """True if ``path`` names a readable checkpoint (``prefix.index``, or a ``.safetensors``/``.npz`` file).

    Example:
        >>> checkpoint_exists("/nonexistent/model.ckpt")
        False
    """
    text = os.fspath(path)
    if detect_format(text) != "tf":
        return os.path.isfile(text)
    return os.path.isfile(normalize_prefix(text) + ".index")


def resolve_checkpoint(ckpt_dir_or_file: PathLike, latest_filename: str | None = None) -> str:
    """The checkpoint path meant by ``ckpt_dir_or_file``: a directory's latest checkpoint, else the path itself.

    Raises:
        ValueError: if a directory holds no checkpoint (TF's message).

    Example:
        >>> resolve_checkpoint("ckpt/model.ckpt-7.index")
        'ckpt/model.ckpt-7'
    """
    text = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(text):
        prefix = _latest(text, latest_filename)
        if prefix is None:
            raise ValueError("Couldn't find 'checkpoint' file or checkpoints in given directory %s" % text)
        return prefix
    return normalize_prefix(text) if detect_format(text) == "tf" else text


def _varscope_dtype(name: str, np_dtype: np.dtype) -> DType | np.dtype:
    for candidate in (name, np_dtype):
        try:
            return as_dtype(candidate)
        except (TypeError, ValueError):
            continue
    return np_dtype


class CheckpointReader:
    """TensorFlow's ``CheckpointReader`` over a TF checkpoint, ``.safetensors`` or ``.npz`` file.

    Partitioned tensors appear once, under their full name, and are merged on read. Use
    :func:`load_checkpoint` to open one.

    Args:
        path: a checkpoint prefix (``dir/model.ckpt-7``), a ``.safetensors``/``.npz`` file, or a
            directory (its latest checkpoint).
        format: ``"tf"``, ``"safetensors"`` or ``"npz"``; by default chosen by suffix.

    Raises:
        ValueError: if a directory has no checkpoint.
        FileNotFoundError: if the checkpoint files do not exist.
        varscope.checkpoint.CheckpointError: if they are malformed.

    Example:
        >>> import tempfile, numpy as np
        >>> from varscope.checkpoint import save_tensors
        >>> path = tempfile.mkdtemp() + "/m.safetensors"
        >>> save_tensors(path, {"w": np.zeros((2, 2), np.float16)})
        >>> with CheckpointReader(path) as reader:
        ...     reader.get_variable_to_shape_map(), reader.get_variable_to_dtype_map()
        ({'w': [2, 2]}, {'w': tf.float16})
    """

    def __init__(self, path: PathLike, format: str | None = None) -> None:
        self.path = resolve_checkpoint(path)
        self.format = detect_format(self.path, format)
        try:
            if self.format == "safetensors":
                self._reader: BundleReader | SafetensorsReader | NpzReader = SafetensorsReader(self.path)
            elif self.format == "npz":
                self._reader = NpzReader(self.path)
            else:
                self._reader = BundleReader(self.path)
        except FileNotFoundError:
            raise FileNotFoundError(
                "Unsuccessful TensorSliceReader constructor: Failed to find any matching files for %s" % self.path
            ) from None

    # -- TF's CheckpointReader API --------------------------------------------------------------
    def has_tensor(self, name: str) -> bool:
        """True if the checkpoint holds tensor ``name``."""
        return bool(self._reader.has_tensor(name))

    def get_tensor(self, name: str) -> np.ndarray:
        """The value of tensor ``name`` as a NumPy array (strings as an object array of bytes).

        Raises:
            NotFoundError: if there is no such tensor (``"Key <name> not found in checkpoint"``).
        """
        self._require(name)
        return self._reader.get_tensor(name)

    def get_variable_to_shape_map(self) -> dict[str, list[int]]:
        """``{name: shape as a list of ints}`` for every tensor (partitioned ones under their full name)."""
        return {name: list(self._reader.shape(name)) for name in self._reader.keys()}

    def get_variable_to_dtype_map(self) -> dict[str, Any]:
        """``{name: varscope DType}`` for every tensor (a NumPy dtype where varscope has no DType)."""
        return {name: self.dtype(name) for name in self._reader.keys()}

    def debug_string(self) -> bytes:
        """One ``name (dtype) [shape]`` line per tensor, like TF's ``debug_string``."""
        lines = [f"{n} ({self._dtype_name(n)}) {list(self._reader.shape(n))}\n" for n in self._reader.keys()]
        return "".join(lines).encode()

    # -- extensions -------------------------------------------------------------------------------
    def keys(self) -> list[str]:
        """Sorted tensor names."""
        return sorted(self._reader.keys())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.has_tensor(name)

    def shape(self, name: str) -> tuple[int, ...]:
        """The full shape of ``name``."""
        self._require(name)
        return tuple(self._reader.shape(name))

    def dtype(self, name: str) -> Any:
        """The varscope DType of ``name`` (a NumPy dtype for types varscope has no DType for)."""
        self._require(name)
        return _varscope_dtype(self._dtype_name(name), self._reader.dtype(name))

    def _dtype_name(self, name: str) -> str:
        if isinstance(self._reader, BundleReader):
            return self._reader.dtype_name(name)
        np_dtype = self._reader.dtype(name)
        return "string" if np_dtype.kind in "OSU" else np_dtype.name

    def get_slice(self, name: str, offsets: Sequence[int], shape: Sequence[int]) -> np.ndarray:
        """The region ``[offsets, offsets + shape)`` of ``name``, whatever partitioning was saved.

        Raises:
            NotFoundError: if there is no such tensor.
            ValueError: if the region lies outside the tensor.
        """
        self._require(name)
        if isinstance(self._reader, (BundleReader, SafetensorsReader)):  # both read only the region
            return self._reader.get_slice(name, tuple(offsets), tuple(shape))
        full = self._reader.shape(name)
        if len(offsets) != len(full) or len(shape) != len(full) or any(
            o < 0 or n < 0 or o + n > d for o, n, d in zip(offsets, shape, full)
        ):
            raise ValueError(f"slice {tuple(offsets)}+{tuple(shape)} is outside tensor {name!r} of shape {full}")
        region = tuple(slice(o, o + n) for o, n in zip(offsets, shape))
        return np.array(self._reader.get_tensor(name)[region], copy=True)

    def _require(self, name: str) -> None:
        if not self._reader.has_tensor(name):
            raise NotFoundError(f"Key {name} not found in checkpoint")

    def close(self) -> None:
        """Releases open files (the reader reopens them on demand)."""
        self._reader.close()

    def __enter__(self) -> CheckpointReader:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<CheckpointReader {self.format} {self.path!r}>"


def load_checkpoint(ckpt_dir_or_file: PathLike) -> CheckpointReader:
    """Opens the checkpoint found at ``ckpt_dir_or_file`` (``tf.train.load_checkpoint``).

    Args:
        ckpt_dir_or_file: a directory (its latest checkpoint), a checkpoint prefix, or a
            ``.safetensors`` / ``.npz`` file.

    Raises:
        ValueError: if a directory has no checkpoint.
        FileNotFoundError: if the files do not exist.

    Example:
        >>> import tempfile, numpy as np
        >>> from varscope.checkpoint import write_bundle
        >>> prefix = tempfile.mkdtemp() + "/model.ckpt"
        >>> write_bundle(prefix, {"b": np.arange(3, dtype=np.int64)})
        >>> reader = load_checkpoint(prefix)
        >>> reader.has_tensor("b"), reader.get_tensor("b").tolist(), reader.get_variable_to_dtype_map()
        (True, [0, 1, 2], {'b': tf.int64})
    """
    return CheckpointReader(ckpt_dir_or_file)


def NewCheckpointReader(filepattern: PathLike) -> CheckpointReader:  # noqa: N802 (TF's name)
    """Opens a checkpoint, as ``tf.compat.v1.train.NewCheckpointReader`` does: a :class:`CheckpointReader`.

    Args:
        filepattern: a checkpoint prefix (``dir/model.ckpt-7``), or a ``.safetensors`` / ``.npz``
            file (a directory means its latest checkpoint, as for :func:`load_checkpoint`).

    Raises:
        FileNotFoundError: if the files do not exist (TF's message).

    Example:
        >>> import tempfile, numpy as np
        >>> from varscope.checkpoint import write_bundle
        >>> prefix = tempfile.mkdtemp() + "/model.ckpt"
        >>> write_bundle(prefix, {"w": np.ones(2, np.float32)})
        >>> reader = NewCheckpointReader(prefix)
        >>> reader.get_tensor("w").tolist(), reader.get_variable_to_shape_map()
        ([1.0, 1.0], {'w': [2]})
    """
    return CheckpointReader(filepattern)


def load_variable(ckpt_dir_or_file: PathLike, name: str) -> np.ndarray:
    """The value of tensor ``name`` in a checkpoint (``tf.train.load_variable``); a ``:0`` suffix is dropped.

    Raises:
        NotFoundError: if the checkpoint has no such tensor.

    Example:
        >>> import tempfile, numpy as np
        >>> from varscope.checkpoint import write_bundle
        >>> prefix = tempfile.mkdtemp() + "/model.ckpt"
        >>> write_bundle(prefix, {"v": np.float32(2.5)})
        >>> float(load_variable(prefix, "v:0"))
        2.5
    """
    if name.endswith(":0"):
        name = name[:-2]
    with load_checkpoint(ckpt_dir_or_file) as reader:
        return reader.get_tensor(name)


def list_variables(ckpt_dir_or_file: PathLike) -> list[tuple[str, list[int]]]:
    """``[(name, shape)]`` of every tensor, sorted by name (``tf.train.list_variables``).

    Example:
        >>> import tempfile, numpy as np
        >>> from varscope.checkpoint import write_bundle
        >>> prefix = tempfile.mkdtemp() + "/model.ckpt"
        >>> write_bundle(prefix, {"b": np.zeros(2), "a": np.zeros((1, 3))})
        >>> list_variables(prefix)
        [('a', [1, 3]), ('b', [2])]
    """
    with load_checkpoint(ckpt_dir_or_file) as reader:
        shapes = reader.get_variable_to_shape_map()
    return [(name, shapes[name]) for name in sorted(shapes)]
