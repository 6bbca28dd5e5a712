"""TensorFlow checkpoint (tensor bundle), safetensors and ``.npz`` I/O on plain NumPy arrays.

Byte-compatible with TensorFlow's ``Saver``/``tf.train.Checkpoint`` files and independent of
the rest of varscope. The main entry points:

* :func:`write_bundle` / :class:`BundleWriter` write ``prefix.index`` + ``prefix.data-*``.
* :class:`BundleReader` reads them lazily, verifying checksums and merging partitions.
* :func:`get_checkpoint_state`, :func:`latest_checkpoint`, :func:`update_checkpoint_state`
  handle the ``checkpoint`` state file.
* :func:`save_tensors` / :func:`load_tensors` / :func:`open_tensors` pick the format by suffix.

Every malformed input raises :class:`CheckpointError` (a ``ValueError``).

Example:
    >>> import tempfile, numpy as np
    >>> from varscope.checkpoint import save_tensors, load_tensors
    >>> d = tempfile.mkdtemp()
    >>> save_tensors(d + "/model.ckpt", {"w": np.arange(3, dtype=np.int32)})
    >>> load_tensors(d + "/model.ckpt")["w"].tolist()
    [0, 1, 2]
"""

from __future__ import annotations

from .bundle_reader import BundleReader
from .bundle_writer import BundleWriter, write_bundle
from .errors import CheckpointError
from .formats import TensorSource, detect_format, load_tensors, open_tensors, save_tensors
from .npz_io import NpzReader, NpzWriter, load_npz, save_npz
from .paths import normalize_prefix
from .safetensors_io import SafetensorsReader, SafetensorsWriter, load_safetensors, save_safetensors
from .slices import SliceData, format_slice_spec, parse_slice_spec
from .state import (
    CheckpointState,
    get_checkpoint_state,
    latest_checkpoint,
    read_checkpoint_state,
    update_checkpoint_state,
)

__all__ = [
    "BundleReader",
    "BundleWriter",
    "CheckpointError",
    "CheckpointState",
    "NpzReader",
    "NpzWriter",
    "SafetensorsReader",
    "SafetensorsWriter",
    "SliceData",
    "TensorSource",
    "detect_format",
    "format_slice_spec",
    "get_checkpoint_state",
    "latest_checkpoint",
    "load_npz",
    "load_safetensors",
    "load_tensors",
    "normalize_prefix",
    "open_tensors",
    "parse_slice_spec",
    "read_checkpoint_state",
    "save_npz",
    "save_safetensors",
    "save_tensors",
    "update_checkpoint_state",
    "write_bundle",
]
