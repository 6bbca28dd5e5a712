"""Saving and loading ``params`` / ``state`` dicts as TF checkpoints, safetensors or ``.npz``.

Keys are the variables' TF names, so a checkpoint written by TensorFlow for the same TF1 model
code loads straight into ``params`` and back. A partitioned variable is one (possibly sharded)
array in ``params`` and, in a TF checkpoint, TensorFlow's slices of it (``save_slice_info`` specs
of ``v/part_N``) when its :class:`~varscope.jax.transform.VarInfo` is given; a sliced TF entry is
merged back into one array when loading.

Example:
    >>> import tempfile, jax.numpy as jnp
    >>> path = tempfile.mkdtemp() + "/model.ckpt"
    >>> save_params(path, {"dense/w": jnp.ones((2, 2))})
    >>> load_params(path)["dense/w"].shape
    (2, 2)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import jax
import numpy as np

from varscope.checkpoint import detect_format, normalize_prefix, open_tensors, save_tensors, write_bundle
from varscope.jax.sharding import sharding_for_key
from varscope.jax.transform import VarInfo

__all__ = ["save_params", "load_params"]


def _to_numpy(value: Any) -> np.ndarray:
    return np.asarray(jax.device_get(value))


def _declared(arr: np.ndarray, info: VarInfo | None) -> np.ndarray:
    """``arr`` in its variable's declared dtype when JAX holds it narrower (a 64-bit variable without
    ``jax_enable_x64`` is a 32-bit array): TensorFlow restores a variable only from its own dtype."""
    if info is None or arr.dtype == info.dtype or arr.dtype != jax.dtypes.canonicalize_dtype(info.dtype):
        return arr
    return arr.astype(info.dtype)


def save_params(path: str | os.PathLike[str], params: Mapping[str, Any], format: str | None = None,
                var_info: Mapping[str, VarInfo] | None = None) -> None:
    """Save a params (or state, or merged) dict.

    Args:
        path: A TF checkpoint prefix (``"ckpt/model.ckpt-100"``), or a ``.safetensors`` / ``.npz`` file.
        params: ``{key: array}`` (``jax.Array``, sharded or not, or NumPy).
        format: ``"tf"``, ``"safetensors"`` or ``"npz"`` (default: by suffix, TF otherwise).
        var_info: ``Transformed.var_info``: each array is written in its variable's dtype (a 64-bit
            variable, which JAX holds as a 32-bit array without ``jax_enable_x64``, is written 64-bit,
            as TensorFlow needs to restore it), and partitioned variables are written to TF
            checkpoints as TF's slices (exactly what TensorFlow's Saver writes for ``v/part_N``;
            safetensors and npz hold whole arrays).

    Example:
        >>> import tempfile, numpy as np
        >>> from varscope.jax.transform import VarInfo
        >>> info = {"emb": VarInfo("emb", (4, 2), np.dtype("float32"), True, (2, 1),
        ...                        (("emb/part_0", (0, 0), (2, 2)), ("emb/part_1", (2, 0), (2, 2))))}
        >>> prefix = tempfile.mkdtemp() + "/m.ckpt"
        >>> save_params(prefix, {"emb": np.arange(8, dtype=np.float32).reshape(4, 2)}, var_info=info)
        >>> from varscope.checkpoint import BundleReader
        >>> BundleReader(prefix).get_tensor("emb")[3].tolist()
        [6.0, 7.0]
    """
    arrays = {key: _declared(_to_numpy(value), var_info.get(key) if var_info else None)
              for key, value in params.items()}
    if detect_format(path, format) != "tf":
        save_tensors(path, arrays, format)
        return
    whole: dict[str, np.ndarray] = {}
    slices: dict[str, list[tuple[list[int], list[int], np.ndarray]]] = {}
    for key, arr in arrays.items():
        info = var_info.get(key) if var_info else None
        if info is None or info.partitions is None or not info.shards:
            whole[key] = arr
            continue
        if tuple(arr.shape) != info.shape:
            raise ValueError(f"Variable {key}: array of shape {arr.shape} does not match its partitioned shape "
                             f"{info.shape}.")
        parts = []
        for _, offset, shape in info.shards:
            region = tuple(slice(o, o + n) for o, n in zip(offset, shape))
            parts.append((list(info.shape), list(offset), np.ascontiguousarray(arr[region])))
        slices[key] = parts
    write_bundle(normalize_prefix(path), whole, slices=slices or None)


def load_params(path: str | os.PathLike[str], format: str | None = None, *,
                var_info: Mapping[str, VarInfo] | None = None, mesh: Any = None,
                mesh_axis: str | None = None, keys: Any = None) -> dict[str, Any]:
    """Load a checkpoint into a dict of ``jax.Array`` (TF slices merged into whole arrays).

    Args:
        path: A TF checkpoint prefix or directory (its latest checkpoint), ``.safetensors`` or ``.npz``.
        format: Overrides the format detected from ``path``.
        var_info: ``Transformed.var_info``: with ``mesh``, partitioned variables are placed sharded.
        mesh: Optional ``jax.sharding.Mesh`` to place the arrays on (others replicated).
        mesh_axis: The mesh axis to shard along (default: its first).
        keys: Only load these keys (e.g. ``model.var_info`` to skip optimizer slots); all by default.

    Returns:
        ``{key: jax.Array}``.

    Raises:
        KeyError: When one of ``keys`` is not in the checkpoint.
    """
    reader = open_tensors(path, format)
    try:
        names = reader.keys()
        if keys is not None:
            missing = [k for k in keys if not reader.has_tensor(k)]
            if missing:
                raise KeyError(f"Not found in checkpoint {os.fspath(path)}: {missing}")
            names = list(keys)
        if mesh is not None:
            axis = mesh_axis or mesh.axis_names[0]
        out: dict[str, Any] = {}
        # One tensor at a time: read (into a fresh 64-byte-aligned buffer for TF bundles), then one
        # transfer (on CPU, none: XLA uses the aligned buffer in place), so at most one tensor is
        # held twice.
        for key in names:
            value = reader.get_tensor(key)
            if mesh is None:
                out[key] = jax.device_put(value)
            else:
                out[key] = jax.device_put(value, sharding_for_key(key, var_info or {}, mesh, axis))
            del value
        return out
    finally:
        reader.close()
