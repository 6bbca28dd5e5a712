"""``init_from_checkpoint``: load variables from a checkpoint by TF's ``assignment_map`` rules.

TF replaces the variables' initializers so the values load when the initializer runs; varscope
has no session, so the values are assigned immediately. The rules (``checkpoint_utils.py``):

* ``'ckpt/name': 'scope/var'`` or ``'ckpt/name': variable`` (or a list of partition shards, or
  a ``PartitionedVariable``): a 1:1 mapping. Names are looked up in the default graph's
  variable store, also as ``scope/var/part_0..N``.
* ``'old_scope/': 'new_scope/'``: every store variable under ``new_scope/`` loads from
  ``old_scope/<rest>``; ``'/': 'new_scope/'`` maps the checkpoint root, ``'old/': '/'`` the
  whole store.

Partitioned variables load from any saved partitioning, or none.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from varscope._graph import get_default_graph
from varscope._variables import Variable
from varscope.partitioned import PartitionedVariable

from .errors import CheckpointMismatchError
from .reader import CheckpointReader
from .saveables import SaveTarget

__all__ = ["init_from_checkpoint"]


def _is_variable(x: Any) -> bool:
    return isinstance(x, Variable)


def _collect_partitioned_variable(name: str, all_vars: Mapping[str, Any]) -> list[Any] | None:
    if name + "/part_0" in all_vars:
        var = []
        i = 0
        while name + "/part_%d" % i in all_vars:
            var.append(all_vars[name + "/part_%d" % i])
            i += 1
        return var
    return None


def _store_vars() -> dict[str, Any]:
    return get_default_graph()._vars


def _assign(reader: CheckpointReader, var: Any, tensor_name: str) -> None:
    """TF's ``_set_variable_or_list_initializer``, assigning at once (checked first)."""
    if isinstance(var, (list, tuple)):
        slice_name = None
        for v in var:
            info = v._save_slice_info
            if slice_name is None:
                slice_name = info.full_name
            elif slice_name != info.full_name:
                raise ValueError("Slices must all be from the same tensor: %s != %s" % (slice_name, info.full_name))
        target = SaveTarget(tensor_name, list(var), is_sliced=True)
    else:
        target = SaveTarget(tensor_name, [var], is_sliced=False)
    problems = target.problems(reader, tensor_name)
    if problems:
        raise CheckpointMismatchError(reader.path, mismatches=problems)
    target.restore(reader, tensor_name)


def init_from_checkpoint(ckpt_dir_or_file: str | os.PathLike[str],
                         assignment_map: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> None:
    """Loads variables from a checkpoint as ``tf.compat.v1.train.init_from_checkpoint`` does.

    The values are assigned immediately (TF defers them to the initializer run). Pairs are
    processed sorted by checkpoint name; a list of pairs may load one tensor into several
    variables. Inside a function transformed by ``varscope.jax.transform``, ``init`` returns the
    checkpoint's values and ``apply``, whose variables are its ``params``, reads nothing.

    Args:
        ckpt_dir_or_file: a checkpoint prefix, a directory (its latest checkpoint), or a
            ``.safetensors``/``.npz`` file.
        assignment_map: dict or list of ``(checkpoint name, current)`` pairs where ``current`` is
            a variable, a list of partition shards, a ``PartitionedVariable``, a variable name
            (``"scope/var"``) or a scope (``"scope/"``, ``"/"``).

    Raises:
        ValueError: with TF's messages for a tensor missing from the checkpoint, a
            scope-to-variable mapping, or a single variable of incompatible shape;
            :class:`~varscope.train.CheckpointMismatchError` for dtype or partition-shape
            conflicts (TF fails later, when the initializer runs).

    Example:
        >>> import tempfile, numpy as np, varscope as tf1
        >>> from varscope.checkpoint import write_bundle
        >>> prefix = tempfile.mkdtemp() + "/model.ckpt"
        >>> write_bundle(prefix, {"old/w": np.full(2, 3.0, np.float32), "old/b": np.ones(1, np.float32)})
        >>> with tf1.Graph().as_default():
        ...     with tf1.variable_scope("new"):
        ...         w = tf1.get_variable("w", [2]); b = tf1.get_variable("b", [1])
        ...     init_from_checkpoint(prefix, {"old/": "new/"})
        >>> w.numpy().tolist(), b.numpy().tolist()
        ([3.0, 3.0], [1.0])
    """
    if get_default_graph().fixed_values:  # (varscope.jax's apply: the variables are params, no initializer runs)
        return
    with CheckpointReader(ckpt_dir_or_file) as reader:
        variable_map = reader.get_variable_to_shape_map()
        items = list(assignment_map.items()) if isinstance(assignment_map, Mapping) else list(assignment_map)
        for tensor_name_in_ckpt, current_var_or_name in sorted(items, key=lambda pair: pair[0]):
            if isinstance(current_var_or_name, PartitionedVariable):
                current_var_or_name = list(current_var_or_name)
            var: Any = None
            store_vars = _store_vars()
            if _is_variable(current_var_or_name) or (
                isinstance(current_var_or_name, list) and all(_is_variable(v) for v in current_var_or_name)
            ):
                var = current_var_or_name
            else:
                var = store_vars.get(current_var_or_name, None)
                if var is None:
                    var = _collect_partitioned_variable(current_var_or_name, store_vars)
            if var is not None:
                if tensor_name_in_ckpt not in variable_map:
                    raise ValueError("Tensor %s is not found in %s checkpoint %s"
                                     % (tensor_name_in_ckpt, os.fspath(ckpt_dir_or_file), variable_map))
                if _is_variable(var) and not var.get_shape().is_compatible_with(variable_map[tensor_name_in_ckpt]):
                    raise ValueError(
                        "Shape of variable %s (%s) doesn't match with shape of tensor %s (%s) from checkpoint "
                        "reader." % (var.name, str(var.get_shape()), tensor_name_in_ckpt,
                                     str(variable_map[tensor_name_in_ckpt])))
                _assign(reader, var, tensor_name_in_ckpt)
                continue
            scopes = ""
            if "/" in current_var_or_name:
                scopes = current_var_or_name[: current_var_or_name.rindex("/")]
            if not tensor_name_in_ckpt.endswith("/"):
                raise ValueError(
                    "Assignment map with scope only name {} should map to scope only {}. Should be 'scope/': "
                    "'other_scope/'.".format(scopes, tensor_name_in_ckpt))
            scope_variables = set()
            for var_name in store_vars:
                if not scopes or var_name.startswith(scopes + "/"):
                    if "/part_" in var_name:
                        var_name = var_name[: var_name.index("/part_")]
                    scope_variables.add(var_name)
            for var_name in sorted(scope_variables):
                full_tensor_name = var_name[len(scopes):]
                if current_var_or_name != "/":
                    full_tensor_name = full_tensor_name[1:]
                if tensor_name_in_ckpt != "/":
                    full_tensor_name = tensor_name_in_ckpt + full_tensor_name
                if full_tensor_name.endswith("/"):
                    full_tensor_name = full_tensor_name[:-1]
                if full_tensor_name not in variable_map:
                    raise ValueError("Tensor %s (%s in %s) is not found in %s checkpoint"
                                     % (full_tensor_name, var_name[len(scopes) + 1:], tensor_name_in_ckpt,
                                        os.fspath(ckpt_dir_or_file)))
                found = store_vars.get(var_name, None)
                if found is None:
                    found = _collect_partitioned_variable(var_name, store_vars)
                _assign(reader, found, full_tensor_name)
