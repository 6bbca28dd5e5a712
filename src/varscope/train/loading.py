"""Saving and loading variables beyond TF's ``Saver``: any format, key remapping, strict checks.

* :func:`save_variables` writes variables to a TF checkpoint, ``.safetensors`` or ``.npz``
  (chosen by suffix). Keys follow TF's ``Saver``; a variable reachable under several keys
  (tied weights) is written once; partitioned variables are slices in TF checkpoints and
  merged tensors in safetensors/npz.
* :func:`load_variables` loads a checkpoint into variables, renaming checkpoint keys on the way
  (``strip_prefix``, ``prefix_map``, ``rename`` regexes, ``add_prefix``, a ``key_fn``). Strict
  mode reports missing **and** unexpected keys together; shape or dtype mismatches are always
  refused with the variable, the checkpoint key and the file named (TF would silently
  reshape). Nothing is assigned unless everything fits.

Example:
    >>> import tempfile, numpy as np, varscope as tf1
    >>> d = tempfile.mkdtemp()
    >>> with tf1.Graph().as_default():
    ...     w = tf1.get_variable("old/w", initializer=np.ones(2, np.float32))
    ...     _ = save_variables(d + "/m.safetensors")
    >>> with tf1.Graph().as_default():
    ...     w2 = tf1.get_variable("new/w", [2])
    ...     result = load_variables(d + "/m.safetensors", prefix_map={"old/": "new/"})
    >>> result.loaded, w2.numpy().tolist()
    ({'new/w': 'old/w'}, [1.0, 1.0])
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from varscope._graph import Graph
from varscope.checkpoint import detect_format, save_npz, save_safetensors, write_bundle
from varscope.checkpoint.paths import normalize_prefix

from .errors import CheckpointMismatchError
from .reader import CheckpointReader
from .saveables import SaveTarget, targets_for, variables_of_graph

__all__ = ["LoadResult", "load_variables", "save_variables"]

PathLike = str | os.PathLike[str]


def _collect(variables: Any) -> list[SaveTarget]:
    if variables is None or isinstance(variables, Graph):
        variables = variables_of_graph(variables)
    return targets_for(variables, allow_aliases=True)


def write_targets(path: str, targets: Sequence[SaveTarget], format: str | None = None) -> str:
    """Writes ``targets`` (each variable once) to ``path`` in the format its suffix (or ``format``) names.

    Returns:
        The path written (a TF checkpoint prefix, or the file).
    """
    fmt = detect_format(path, format)
    written: set[tuple[int, ...]] = set()
    unique = []
    for target in targets:
        if target.identity not in written:
            written.add(target.identity)
            unique.append(target)
    if fmt == "tf":
        prefix = normalize_prefix(path)
        tensors = {t.key: t.value() for t in unique if not t.is_sliced}
        slices = {t.key: t.slices() for t in unique if t.is_sliced}
        write_bundle(prefix, tensors, slices=slices)
        return prefix
    tensors = {t.key: t.value() for t in unique}
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    if fmt == "safetensors":
        parts = {t.key: [[list(map(int, v._save_slice_info.var_offset)), list(map(int, v._save_slice_info.var_shape))]
                         for v in t.variables] for t in unique if t.is_sliced}
        save_safetensors(path, tensors, metadata={"varscope_partitions": json.dumps(parts, sort_keys=True)}
                         if parts else None)
    else:
        save_npz(path, tensors)
    return path


def check_and_restore(reader: CheckpointReader, pairs: Sequence[tuple[SaveTarget, str]], *,
                      reshape: bool = False, missing: Sequence[str] = (), unexpected: Sequence[str] = ()) -> None:
    """Validates every ``(target, checkpoint key)`` pair, then assigns them all (all or nothing).

    Raises:
        CheckpointMismatchError: listing ``missing``/``unexpected`` keys and every shape/dtype conflict.
    """
    mismatches = [p for target, key in pairs for p in target.problems(reader, key, reshape=reshape)]
    if missing or unexpected or mismatches:
        raise CheckpointMismatchError(reader.path, missing_keys=missing, unexpected_keys=unexpected,
                                      mismatches=mismatches)
    for target, key in pairs:
        target.restore(reader, key, reshape=reshape)


def save_variables(path: PathLike, variables: Any = None, *, format: str | None = None) -> str:
    """Saves variables to a TF checkpoint, ``.safetensors`` or ``.npz`` file.

    Args:
        path: a checkpoint prefix (``ckpt/model.ckpt``) or a ``.safetensors``/``.npz`` file.
        variables: a list of variables (keyed by op name, shards grouped under their full name),
            a dict key -> variable / ``PartitionedVariable`` / list of shards (the same variable
            may appear under several keys; it is saved once, under the first key in sorted
            order), a :class:`varscope.Graph`, or ``None`` for the default graph's global
            variables and saveable objects.
        format: ``"tf"``, ``"safetensors"`` or ``"npz"``; by default chosen by the suffix.

    Returns:
        The prefix or file written.

    Raises:
        ValueError: for an empty variable list or duplicated names.
        varscope.checkpoint.CheckpointError: for values the format cannot hold (strings in safetensors).

    Example:
        >>> import tempfile, varscope as tf1
        >>> from varscope.train import list_variables
        >>> with tf1.Graph().as_default():
        ...     emb = tf1.get_variable("emb", [4, 2], partitioner=tf1.fixed_size_partitioner(2))
        ...     path = save_variables(tempfile.mkdtemp() + "/m.npz")
        >>> list_variables(path)
        [('emb', [4, 2])]
    """
    targets = _collect(variables)
    if not targets:
        raise ValueError("No variables to save")
    return write_targets(os.fspath(path), targets, format)


def _strip(key: str, prefixes: str | Sequence[str] | None) -> str:
    if prefixes is None:
        return key
    for prefix in [prefixes] if isinstance(prefixes, str) else prefixes:
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


def _apply_prefix_map(key: str, prefix_map: Mapping[str, str] | None) -> str:
    if not prefix_map:
        return key
    best = max((p for p in prefix_map if key.startswith(p)), key=len, default=None)
    return key if best is None else prefix_map[best] + key[len(best):]


def _rules(rename: Mapping[str, str] | Iterable[tuple[str, str]] | None) -> list[tuple[re.Pattern[str], str]]:
    if rename is None:
        return []
    items = rename.items() if isinstance(rename, Mapping) else rename
    return [(re.compile(pattern), repl) for pattern, repl in items]


@dataclass
class LoadResult:
    """What :func:`load_variables` did.

    Attributes:
        path: the checkpoint read (a directory resolves to its latest checkpoint).
        loaded: ``{model key: checkpoint key}`` for every variable assigned.
        missing_keys: model keys with no checkpoint tensor (only non-empty when ``strict=False``).
        unexpected_keys: checkpoint keys that matched no variable (only when ``strict=False``).
        skipped_keys: checkpoint keys that ``key_fn`` mapped to ``None``.
    """

    path: str
    loaded: dict[str, str] = field(default_factory=dict)
    missing_keys: list[str] = field(default_factory=list)
    unexpected_keys: list[str] = field(default_factory=list)
    skipped_keys: list[str] = field(default_factory=list)


def load_variables(
    path: PathLike,
    variables: Any = None,
    *,
    strict: bool = True,
    strip_prefix: str | Sequence[str] | None = None,
    prefix_map: Mapping[str, str] | None = None,
    rename: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    add_prefix: str | None = None,
    key_fn: Callable[[str], str | None] | None = None,
    format: str | None = None,
) -> LoadResult:
    """Loads a checkpoint into variables, renaming checkpoint keys to model keys first.

    Every checkpoint key goes through these steps, in order, to become a model key:
    ``strip_prefix`` (the first listed prefix it starts with is removed), ``prefix_map``
    (the longest matching old prefix is replaced: ``{"old/": "new/"}``), ``rename``
    (``re.sub(pattern, repl, key)`` for each pair in order), ``add_prefix`` (prepended), and
    ``key_fn`` (any callable; returning ``None`` skips the key). Model keys are what
    :func:`save_variables` / ``Saver`` would write: op names, partitioned variables under
    their full name, or the keys of a dict.

    A variable reachable under several keys (tied weights) is loaded once, from the first of
    its keys found. Partitioned variables load from any partitioning, or none.

    Args:
        path: a checkpoint prefix, a directory (its latest checkpoint), or a
            ``.safetensors``/``.npz`` file.
        variables: as for :func:`save_variables` (``None``: the default graph's variables).
        strict: raise if any model key is missing or any checkpoint key is unexpected (both
            reported together). With ``strict=False`` they are returned in the result instead.
        strip_prefix: prefix(es) removed from checkpoint keys.
        prefix_map: ``{checkpoint prefix: model prefix}``.
        rename: regex substitutions ``{pattern: replacement}`` or ``[(pattern, replacement)]``.
        add_prefix: prefix prepended to checkpoint keys.
        key_fn: final ``checkpoint key -> model key`` mapping (``None`` skips the key).
        format: ``"tf"``, ``"safetensors"`` or ``"npz"``; by default chosen by suffix.

    Returns:
        A :class:`LoadResult`.

    Raises:
        CheckpointMismatchError: in strict mode for missing/unexpected keys, and always for
            shape or dtype mismatches (naming variable, checkpoint key and file). Nothing is
            assigned when it is raised.
        ValueError: if two checkpoint keys map to the same model key.

    Example:
        >>> import tempfile, numpy as np, varscope as tf1
        >>> from varscope.checkpoint import save_tensors
        >>> path = tempfile.mkdtemp() + "/m.npz"
        >>> save_tensors(path, {"module/w": np.zeros(3, np.float32), "extra": np.zeros(1)})
        >>> with tf1.Graph().as_default():
        ...     w = tf1.get_variable("w", [3]); b = tf1.get_variable("b", [1])
        ...     try:
        ...         load_variables(path, strip_prefix="module/")
        ...     except CheckpointMismatchError as err:
        ...         print(err.missing_keys, err.unexpected_keys)
        ...     r = load_variables(path, strip_prefix="module/", strict=False)
        ['b'] ['extra']
        >>> r.loaded, r.missing_keys, r.unexpected_keys
        ({'w': 'module/w'}, ['b'], ['extra'])
    """
    targets = _collect(variables)
    rules = _rules(rename)
    with CheckpointReader(path, format) as reader:
        by_key = {t.key: t for t in targets}
        source: dict[str, str] = {}
        unexpected: list[str] = []
        skipped: list[str] = []
        for ckpt_key in reader.keys():
            key: str = _apply_prefix_map(_strip(ckpt_key, strip_prefix), prefix_map)
            for pattern, repl in rules:
                key = pattern.sub(repl, key)
            if add_prefix:
                key = add_prefix + key
            if key_fn is not None:
                mapped = key_fn(key)
                if mapped is None:
                    skipped.append(ckpt_key)
                    continue
                key = mapped
            if key not in by_key:
                unexpected.append(ckpt_key)
            elif key in source:
                raise ValueError(f"checkpoint keys {source[key]!r} and {ckpt_key!r} of {reader.path} both map "
                                 f"to model key {key!r}")
            else:
                source[key] = ckpt_key
        groups: dict[tuple[int, ...], list[SaveTarget]] = {}
        for target in targets:
            groups.setdefault(target.identity, []).append(target)
        pairs: list[tuple[SaveTarget, str]] = []
        missing: list[str] = []
        for group in groups.values():
            found = [t for t in group if t.key in source]
            if found:
                pairs.append((found[0], source[found[0].key]))
            else:
                missing.extend(t.key for t in group)
        if strict:
            check_and_restore(reader, pairs, missing=sorted(missing), unexpected=sorted(unexpected))
        else:
            check_and_restore(reader, pairs)
        loaded = {target.key: key for target, key in pairs}
        return LoadResult(reader.path, dict(sorted(loaded.items())), sorted(missing), sorted(unexpected), skipped)
