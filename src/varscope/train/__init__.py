"""``varscope.train``: TF1's checkpoint API (``tf.compat.v1.train``) on TensorFlow's own file format.

TF-compatible names: :class:`Saver`, :func:`list_variables`, :func:`load_variable`,
:func:`load_checkpoint` and :func:`NewCheckpointReader` (a :class:`CheckpointReader`), :func:`latest_checkpoint`,
:func:`get_checkpoint_state`, :func:`init_from_checkpoint`. There is no session: ``save`` and
``restore`` also accept TF's ``(sess, save_path, ...)`` call form and ignore the session.

Beyond TF: :func:`save_variables` / :func:`load_variables` (safetensors / npz / TF format by
suffix, key remapping, strict missing+unexpected reporting, shape and dtype checks).

Example:
    >>> import os, tempfile, numpy as np, varscope as tf1
    >>> from varscope import train
    >>> d = tempfile.mkdtemp()
    >>> with tf1.Graph().as_default():
    ...     with tf1.variable_scope("model"):
    ...         w = tf1.get_variable("w", initializer=np.ones((2, 2), np.float32))
    ...     prefix = train.Saver().save(None, os.path.join(d, "model.ckpt"), global_step=1)
    >>> train.latest_checkpoint(d) == prefix, train.list_variables(d)
    (True, [('model/w', [2, 2])])
"""

from __future__ import annotations

from .errors import CheckpointMismatchError, NotFoundError
from .init_from_checkpoint import init_from_checkpoint
from .loading import LoadResult, load_variables, save_variables
from .reader import (
    CheckpointReader,
    NewCheckpointReader,
    checkpoint_exists,
    get_checkpoint_state,
    latest_checkpoint,
    list_variables,
    load_checkpoint,
    load_variable,
)
from .saver import Saver, remove_checkpoint

__all__ = [
    "CheckpointMismatchError",
    "CheckpointReader",
    "LoadResult",
    "NewCheckpointReader",
    "NotFoundError",
    "Saver",
    "checkpoint_exists",
    "get_checkpoint_state",
    "init_from_checkpoint",
    "latest_checkpoint",
    "list_variables",
    "load_checkpoint",
    "load_variable",
    "load_variables",
    "remove_checkpoint",
    "save_variables",
]
