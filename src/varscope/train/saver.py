"""``Saver``: TF1's ``tf.compat.v1.train.Saver`` without sessions, writing TF's own checkpoint files.

Keys are TF's (op names; partition shards as slices of their full variable), the files are
TF 2.x tensor bundles plus the ``checkpoint`` state file, so TensorFlow restores what varscope
saves and vice versa. ``save``/``restore`` accept TF's ``(sess, save_path, ...)`` call form (the
session is ignored) as well as ``save(save_path, ...)``.

Example:
    >>> import os, tempfile, numpy as np, varscope as tf1
    >>> d = tempfile.mkdtemp()
    >>> with tf1.Graph().as_default():
    ...     w = tf1.get_variable("w", initializer=np.arange(3, dtype=np.float32))
    ...     saver = Saver(max_to_keep=2)
    ...     paths = [saver.save(None, os.path.join(d, "model.ckpt"), global_step=s) for s in (1, 2, 3)]
    ...     _ = w.assign(np.zeros(3, np.float32))
    ...     saver.restore(paths[-1])
    >>> [os.path.basename(p) for p in saver.last_checkpoints], w.numpy().tolist()
    (['model.ckpt-2', 'model.ckpt-3'], [0.0, 1.0, 2.0])
"""

from __future__ import annotations

import glob
import logging
import operator
import os
import re
import shutil
import time
from typing import Any

import numpy as np

from varscope._graph import get_default_graph
from varscope.checkpoint import detect_format, update_checkpoint_state
from varscope.checkpoint.publish import current_link
from varscope.checkpoint.state import get_checkpoint_state
from varscope.checkpoint.paths import normalize_prefix

from .errors import NotFoundError
from .loading import check_and_restore, write_targets
from .reader import CheckpointReader, checkpoint_exists
from .saveables import SaveTarget, targets_for, variables_of_graph

__all__ = ["Saver", "remove_checkpoint"]

_log = logging.getLogger("varscope.train")
PathLike = str | os.PathLike[str]


def _is_path(value: Any) -> bool:
    return isinstance(value, (str, bytes, os.PathLike))


def _as_str(value: Any) -> str:
    value = os.fspath(value)
    return value.decode("utf-8") if isinstance(value, bytes) else value


def remove_checkpoint(checkpoint_prefix: PathLike, meta_graph_suffix: str = "meta") -> None:
    """Deletes a checkpoint's files: ``.index``, ``.data-*`` and ``.meta`` (or the ``.safetensors``/``.npz`` file).

    Example:
        >>> import tempfile, os, numpy as np
        >>> from varscope.checkpoint import write_bundle
        >>> d = tempfile.mkdtemp(); write_bundle(d + "/m", {"x": np.zeros(1)})
        >>> remove_checkpoint(d + "/m"); os.listdir(d)
        []
    """
    path = _as_str(checkpoint_prefix)
    generations: list[str] = []
    if detect_format(path) != "tf":
        candidates = [path]
    else:
        prefix = normalize_prefix(path)
        escaped = glob.escape(prefix)
        # The index first: the checkpoint is gone at once, never half there. An overwritten
        # prefix's files are links into generation directories (see varscope.checkpoint.publish).
        candidates = [prefix + ".index", f"{prefix}.{meta_graph_suffix}", *glob.glob(escaped + ".data-?????-of-?????"),
                      current_link(prefix)]
        directory, base = os.path.split(prefix)
        generations = glob.glob(os.path.join(glob.escape(directory), "." + glob.escape(base) + ".gen-*"))
    for candidate in candidates:
        try:
            os.remove(candidate)
        except FileNotFoundError:
            pass
    for generation in generations:
        shutil.rmtree(generation, ignore_errors=True)


def _step_value(global_step: Any) -> int:
    if hasattr(global_step, "numpy"):
        global_step = global_step.numpy()
    try:
        return operator.index(global_step)
    except TypeError:
        return int(np.asarray(global_step).item())


class Saver:
    """Saves and restores variables as TF checkpoints (``tf.compat.v1.train.Saver``).

    The arguments are TF's. ``var_list`` is resolved when the saver is built (at construction
    unless ``defer_build``): ``None`` means the default graph's global variables plus its
    ``SAVEABLE_OBJECTS``. In a list, variables are keyed by op name and partition shards are
    saved as slices of their full variable (``scope/emb``), exactly as TF's ``Saver`` does; a
    dict maps keys to variables, ``PartitionedVariable`` s or lists of shards.

    varscope differences: there is no session and no ``.meta`` file; the same variable object
    listed twice is saved once (TF raises); restoring checks shapes and dtypes of every variable
    before assigning any (TF silently reshapes resource variables); a ``save_path`` ending in
    ``.safetensors`` or ``.npz`` writes that format (partitioned variables merged), with the step
    inserted before the suffix (``model-7.safetensors``).

    Args:
        var_list: variables to save (see above).
        reshape: allow restoring a tensor with the same number of elements but another shape.
        sharded: accepted for compatibility; without devices TF writes one shard too.
        max_to_keep: how many recent checkpoints to keep (``None``/0: all).
        keep_checkpoint_every_n_hours: additionally keep one checkpoint per this many hours.
        name: unused (no graph ops are built).
        restore_sequentially: unused.
        saver_def: unsupported; must be ``None``.
        builder: unused.
        defer_build: resolve ``var_list`` at :meth:`build` time instead.
        allow_empty: with no variables, make ``save``/``restore`` no-ops instead of raising.
        write_version: only 2 (``SaverDef.V2``) is supported.
        pad_step_number: write the step as 8 digits (``model.ckpt-00000007``).
        save_relative_paths: write paths relative to the directory in the state file.
        filename: unused.

    Raises:
        ValueError: for ``defer_build`` with a ``var_list``, duplicate names, or no variables.
        RuntimeError: in an eager graph without a ``var_list``.
        TypeError: for entries that are not variables.

    Example:
        >>> import tempfile, numpy as np, varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     emb = tf1.get_variable("emb", [6, 2], partitioner=tf1.fixed_size_partitioner(3))
        ...     prefix = Saver().save(tempfile.mkdtemp() + "/model.ckpt", global_step=7)
        >>> from varscope.train import list_variables
        >>> prefix.endswith("model.ckpt-7"), list_variables(prefix)
        (True, [('emb', [6, 2])])
    """

    def __init__(
        self,
        var_list: Any = None,
        reshape: bool = False,
        sharded: bool = False,
        max_to_keep: int | None = 5,
        keep_checkpoint_every_n_hours: float = 10000.0,
        name: str | None = None,
        restore_sequentially: bool = False,
        saver_def: Any = None,
        builder: Any = None,
        defer_build: bool = False,
        allow_empty: bool = False,
        write_version: int = 2,
        pad_step_number: bool = False,
        save_relative_paths: bool = False,
        filename: str | None = None,
    ) -> None:
        if defer_build and var_list:
            raise ValueError("If `var_list` is provided then build cannot be deferred. "
                             "Either set defer_build=False or var_list=None.")
        if get_default_graph().eager and var_list is None:
            raise RuntimeError("When eager execution is enabled, `var_list` must specify a list or dict of "
                               "variables to save")
        if saver_def is not None:
            raise NotImplementedError("varscope's Saver builds no graph ops; saver_def is not supported")
        if write_version != 2:
            raise ValueError("varscope writes only the V2 checkpoint format (write_version=2)")
        self._var_list = var_list
        self._reshape = reshape
        self._sharded = sharded
        self._max_to_keep = max_to_keep
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._name = name
        self._allow_empty = allow_empty
        self._pad_step_number = pad_step_number
        self._save_relative_paths = save_relative_paths
        self._filename = filename
        self._is_built = False
        self._is_empty: bool | None = None
        self._targets: list[SaveTarget] = []
        self._last_checkpoints: list[tuple[str, float]] = []
        self._checkpoints_to_be_deleted: list[tuple[str, float]] = []
        self._history_known = False  # set by the first save, or by set_/recover_last_checkpoints
        self._next_checkpoint_time = time.time() + keep_checkpoint_every_n_hours * 3600
        if not defer_build:
            self.build()

    # -- building -----------------------------------------------------------------------------------
    def build(self) -> None:
        """Resolves ``var_list`` into checkpoint keys (done by the constructor unless ``defer_build``).

        Raises:
            ValueError: if there are no variables and ``allow_empty`` is False.
        """
        if self._is_built:
            return
        var_list = self._var_list
        if var_list is None:
            var_list = variables_of_graph()
        if not var_list:
            if self._allow_empty:
                self._is_empty = True
                self._is_built = True
                return
            raise ValueError("No variables to save")
        self._targets = targets_for(var_list)
        self._is_empty = False
        self._is_built = True

    @property
    def var_keys(self) -> list[str]:
        """The checkpoint keys this saver writes, sorted."""
        return [t.key for t in self._targets]

    # -- checkpoint bookkeeping (TF's names) ----------------------------------------------------------
    @property
    def last_checkpoints(self) -> list[str]:
        """Checkpoints not yet deleted, oldest first."""
        return [p for p, _ in self._last_checkpoints]

    def set_last_checkpoints(self, last_checkpoints: list[str]) -> None:
        """DEPRECATED in TF: sets the kept checkpoints (never deleted for age)."""
        assert isinstance(last_checkpoints, list)
        self._last_checkpoints = [(s, np.inf) for s in last_checkpoints]
        self._history_known = True

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time: list[tuple[str, float]]) -> None:
        """Sets the kept checkpoints as ``(path, timestamp)`` pairs."""
        assert isinstance(last_checkpoints_with_time, list)
        self._last_checkpoints = last_checkpoints_with_time
        self._history_known = True

    def recover_last_checkpoints(self, checkpoint_paths: list[str]) -> None:
        """Rebuilds the kept-checkpoint list from paths that still exist (timestamps from file mtimes)."""
        self._history_known = True
        found = []
        for path in checkpoint_paths:
            candidate = path if detect_format(path) != "tf" else normalize_prefix(path) + ".index"
            if os.path.exists(candidate):
                found.append((path, os.path.getmtime(candidate)))
        self.set_last_checkpoints_with_time(found)

    def _adopt_earlier_checkpoints(self, save_path: str, latest_filename: str) -> None:
        """Takes over the checkpoints an earlier process left (as TF's session manager does on restore).

        Before its first save a saver that was told nothing of earlier checkpoints (by
        ``set_last_checkpoints*`` or ``recover_last_checkpoints``) adopts those the state file
        lists, and complete ones of its own name (``<save_path>-<step>``) the state file missed
        (a process killed between writing a checkpoint and the state file), oldest first, so
        that ``max_to_keep`` counts and collects them.
        """
        self._history_known = True
        if self._last_checkpoints:
            return
        directory = os.path.dirname(save_path)
        try:
            state = get_checkpoint_state(directory, latest_filename)
        except ValueError:
            state = None
        listed = list(state.all_model_checkpoint_paths) if state is not None else []
        base = os.path.basename(save_path)
        own = re.compile(re.escape(base) + r"-\d+\.index$")
        try:
            names = os.listdir(directory or ".")
        except OSError:
            names = []
        listed_set = {os.path.normpath(p) for p in listed}
        for name in names:
            if own.match(name):
                prefix = os.path.join(directory, name[: -len(".index")])
                if os.path.normpath(prefix) not in listed_set:
                    listed.append(prefix)
        self.recover_last_checkpoints(listed)
        self._last_checkpoints.sort(key=lambda p: p[1])  # by the index files' times

    def _record_last_checkpoint(self, latest_save_path: str) -> None:
        if not self._max_to_keep:
            return
        latest = os.path.abspath(latest_save_path)  # adopted paths may be spelled otherwise
        self._last_checkpoints = [p for p in self._last_checkpoints if os.path.abspath(p[0]) != latest]
        self._last_checkpoints.append((latest_save_path, time.time()))
        while len(self._last_checkpoints) > self._max_to_keep:
            self._checkpoints_to_be_deleted.append(self._last_checkpoints.pop(0))

    def _maybe_delete_old_checkpoints(self, meta_graph_suffix: str) -> None:
        kept = {os.path.abspath(p) for p, _ in self._last_checkpoints}
        while self._checkpoints_to_be_deleted:
            path, stamp = self._checkpoints_to_be_deleted.pop(0)
            if os.path.abspath(path) in kept:
                continue
            if stamp > self._next_checkpoint_time:
                self._next_checkpoint_time += self._keep_checkpoint_every_n_hours * 3600
                continue
            try:
                remove_checkpoint(path, meta_graph_suffix)
            except OSError as err:  # TF logs and carries on
                _log.warning("Ignoring: %s", err)

    # -- saving -----------------------------------------------------------------------------------
    @staticmethod
    def _split_call(first: Any, second: Any, global_step: Any, what: str) -> tuple[str | None, Any]:
        """Accepts ``(sess, path, step)`` and ``(path, step)``; returns ``(path, step)``."""
        if second is None:
            if not _is_path(first):
                return None, global_step
            return _as_str(first), global_step
        if _is_path(second):
            if _is_path(first):
                raise TypeError(f"{what}() got two paths: {first!r} and {second!r}")
            return _as_str(second), global_step
        if _is_path(first):  # save(path, 7): the step given positionally
            if global_step is not None:
                raise TypeError(f"{what}() got two global steps")
            return _as_str(first), second
        raise TypeError(f"{what}() needs a save_path, got {second!r}")

    def save(
        self,
        sess: Any = None,
        save_path: Any = None,
        global_step: Any = None,
        latest_filename: str | None = None,
        meta_graph_suffix: str = "meta",
        write_meta_graph: bool = True,
        write_state: bool = True,
        strip_default_attrs: bool = False,
        save_debug_info: bool = False,
        *,
        format: str | None = None,
    ) -> str | None:
        """Saves the variables; returns the checkpoint prefix (``dir/model.ckpt-7``).

        Call as ``save(sess, save_path, global_step=...)`` (TF; ``sess`` is ignored) or
        ``save(save_path, global_step=...)``. Updates the ``checkpoint`` state file (unless
        ``write_state=False``) and deletes checkpoints beyond ``max_to_keep``. No ``.meta`` is
        written.

        Args:
            sess: ignored (or the save path, in the short call form).
            save_path: checkpoint prefix; a ``.safetensors``/``.npz`` suffix selects that format.
            global_step: appended as ``-<step>`` (an int, or a variable holding one).
            latest_filename: name of the state file (default ``checkpoint``).
            meta_graph_suffix: suffix of ``.meta`` files removed with old checkpoints.
            write_meta_graph: ignored.
            write_state: update the state file and apply ``max_to_keep``.
            strip_default_attrs: ignored.
            save_debug_info: ignored.
            format: ``"tf"``, ``"safetensors"`` or ``"npz"`` instead of the suffix.

        Returns:
            The prefix (or file) written, or ``None`` for an empty saver.

        Raises:
            ValueError: if ``latest_filename`` has directories or collides with ``save_path``.
            RuntimeError: if ``defer_build`` was used and :meth:`build` was not called.

        Example:
            >>> import tempfile, os, varscope as tf1
            >>> d = tempfile.mkdtemp()
            >>> with tf1.Graph().as_default():
            ...     _ = tf1.get_variable("v", [2])
            ...     path = Saver().save(os.path.join(d, "model.ckpt"), global_step=3)
            >>> os.path.basename(path), sorted(os.listdir(d))
            ('model.ckpt-3', ['checkpoint', 'model.ckpt-3.data-00000-of-00001', 'model.ckpt-3.index'])
        """
        del write_meta_graph, strip_default_attrs, save_debug_info
        path, global_step = self._split_call(sess, save_path, global_step, "save")
        if path is None:
            raise ValueError("save() needs a save_path")
        if not self._is_built:
            raise RuntimeError("`build()` should be called before save if defer_build==True")
        if latest_filename is None:
            latest_filename = "checkpoint"
        if os.path.split(latest_filename)[0]:
            raise ValueError("'latest_filename' must not contain path components")
        fmt = detect_format(path, format)
        if global_step is not None:
            step = _step_value(global_step)
            suffix = "{:08d}".format(step) if self._pad_step_number else "%d" % step
            if fmt == "tf":
                checkpoint_file = "%s-%s" % (path, suffix)
            else:
                root, ext = os.path.splitext(path)
                checkpoint_file = "%s-%s%s" % (root, suffix, ext)
        else:
            checkpoint_file = path
            if os.path.basename(path) == latest_filename and not self._sharded:
                raise ValueError("'latest_filename' collides with 'save_path': '%s' and '%s'"
                                 % (latest_filename, path))
        if self._is_empty:
            return None
        if write_state and self._max_to_keep and not self._history_known:
            self._adopt_earlier_checkpoints(path, latest_filename)
        model_checkpoint_path = write_targets(checkpoint_file, self._targets, fmt)
        if write_state:
            self._record_last_checkpoint(model_checkpoint_path)
            update_checkpoint_state(
                os.path.dirname(path),
                model_checkpoint_path,
                self.last_checkpoints,
                latest_filename,
                save_relative_paths=self._save_relative_paths,
            )
            self._maybe_delete_old_checkpoints(meta_graph_suffix)
        return model_checkpoint_path

    # -- restoring --------------------------------------------------------------------------------
    def restore(self, sess: Any = None, save_path: Any = None) -> None:
        """Assigns the saved values to the variables (``restore(sess, path)`` or ``restore(path)``).

        Any saved partitioning restores into any current partitioning (or none). Every key,
        shape and dtype is checked before anything is assigned.

        Raises:
            ValueError: if ``save_path`` is None or not a checkpoint.
            NotFoundError: if keys are missing from the checkpoint (all are listed).
            CheckpointMismatchError: for shape or dtype mismatches (a ``ValueError``).

        Example:
            >>> import tempfile, numpy as np, varscope as tf1
            >>> d = tempfile.mkdtemp()
            >>> with tf1.Graph().as_default():
            ...     v = tf1.get_variable("emb", initializer=tf1.constant(np.arange(6.0, dtype=np.float32).reshape(3, 2)),
            ...                          partitioner=tf1.fixed_size_partitioner(3))
            ...     path = Saver().save(d + "/model.ckpt")
            >>> with tf1.Graph().as_default():
            ...     w = tf1.get_variable("emb", [3, 2])  # not partitioned now
            ...     Saver().restore(None, path)
            >>> w.numpy()[:, 0].tolist()
            [0.0, 2.0, 4.0]
        """
        if _is_path(sess) and save_path is None:
            sess, save_path = None, sess
        if self._is_empty:
            return
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        checkpoint_prefix = _as_str(save_path)
        if not checkpoint_exists(checkpoint_prefix):
            raise ValueError("The passed save_path is not a valid checkpoint: " + checkpoint_prefix)
        _log.info("Restoring parameters from %s", checkpoint_prefix)
        with CheckpointReader(checkpoint_prefix) as reader:
            missing = [t.key for t in self._targets if not reader.has_tensor(t.key)]
            if missing:
                raise NotFoundError(
                    "Restoring from checkpoint failed. This is most likely due to a Variable name or other graph key "
                    "that is missing from the checkpoint. Please ensure that you have not altered the graph expected "
                    "based on the checkpoint. Original error:\n\n"
                    + "\n".join(f"Key {k} not found in checkpoint {reader.path}" for k in missing))
            check_and_restore(reader, [(t, t.key) for t in self._targets], reshape=self._reshape)

    def __repr__(self) -> str:
        return f"<varscope.train.Saver keys={len(self._targets)} max_to_keep={self._max_to_keep}>"
