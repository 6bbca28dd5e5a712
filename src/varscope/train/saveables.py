"""Which checkpoint key each variable is saved under, following TF's ``Saver`` (spec §12).

* A variable in a list is keyed by its op name (``"scope/w"``).
* A partition shard (``scope/emb/part_1``, which has a ``_save_slice_info``) is grouped with
  its siblings under ``save_slice_info.full_name`` (``"scope/emb"``) and saved as a slice;
  the ``part_N`` names never reach the checkpoint. A ``PartitionedVariable`` is keyed by its name.
* A dict maps keys to a variable, a ``PartitionedVariable`` or a list of shards.

Each key becomes a :class:`SaveTarget`, which knows how to produce its value for saving (slices,
or the merged tensor for formats without slices) and how to check and restore itself from a
:class:`~varscope.train.CheckpointReader`, whatever partitioning the checkpoint has.

Example:
    >>> import varscope as tf1
    >>> with tf1.Graph().as_default():
    ...     w = tf1.get_variable("m/w", [2])
    ...     emb = tf1.get_variable("m/emb", [5, 2], partitioner=tf1.fixed_size_partitioner(2))
    ...     targets = targets_for(tf1.global_variables())
    >>> [(t.key, t.is_sliced) for t in targets]
    [('m/emb', True), ('m/w', False)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from varscope._graph import GraphKeys, get_default_graph
from varscope._variables import Variable
from varscope.checkpoint import SliceData
from varscope.partitioned import PartitionedVariable

__all__ = ["SaveTarget", "op_list_to_dict", "targets_for", "variables_of_graph"]


def _flatten(items: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, (list, tuple)):
            out.extend(_flatten(item))
        else:
            out.append(item)
    return out


def _slice_info(var: Any) -> Any:
    return getattr(var, "_save_slice_info", None)


def variables_of_graph(graph: Any = None) -> list[Any]:
    """TF's default ``Saver`` var_list: global variables plus ``SAVEABLE_OBJECTS`` of ``graph``.

    Args:
        graph: a :class:`varscope.Graph`; the default graph when ``None``.

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default() as g:
        ...     v = tf1.get_variable("v", [1])
        >>> variables_of_graph(g) == [v]
        True
    """
    graph = get_default_graph() if graph is None else graph
    return graph.get_collection(GraphKeys.GLOBAL_VARIABLES) + graph.get_collection(GraphKeys.SAVEABLE_OBJECTS)


def op_list_to_dict(op_list: Any) -> dict[str, Any]:
    """TF's ``saveable_object_util.op_list_to_dict``: ``{key: variable | PartitionedVariable | [shards]}``.

    The same object listed twice is kept once (TF raises for that; varscope treats a tied
    variable as one variable). Two *different* variables with one name are an error.

    Raises:
        TypeError: if ``op_list`` is not a list/tuple/set, or holds something that is not a variable.
        ValueError: for two variables with the same name, or slices and non-slices with one name.

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     v = tf1.get_variable("a/v", [1])
        >>> list(op_list_to_dict([v, v]))
        ['a/v']
    """
    if not isinstance(op_list, (list, tuple, set)):
        raise TypeError(f"Variables to save should be passed in a dict or a list. Got {op_list}")
    flat = sorted(_flatten(list(op_list)), key=lambda x: str(getattr(x, "name", "")))
    names_to_saveables: dict[str, Any] = {}
    for var in flat:
        if isinstance(var, PartitionedVariable):
            existing = names_to_saveables.get(var.name)
            if existing is var:
                continue
            if existing is not None:
                raise ValueError(f"At least two variables have the same name: {var.name}")
            names_to_saveables[var.name] = var
        elif isinstance(var, Variable) and _slice_info(var):
            name = _slice_info(var).full_name
            existing = names_to_saveables.get(name)
            if existing is None:
                names_to_saveables[name] = [var]
            elif not isinstance(existing, list):
                raise ValueError(f"Mixing slices and non-slices with the same name: {name}")
            elif not any(v is var for v in existing):
                existing.append(var)
        elif isinstance(var, Variable):
            name = var.op.name
            existing = names_to_saveables.get(name)
            if existing is var:
                continue
            if existing is not None:
                raise ValueError(f"At least two variables have the same name: {name}")
            names_to_saveables[name] = var
        else:
            raise TypeError(f"Variable to save is not a Variable: {var}")
    return names_to_saveables


def _shape_of(var: Variable) -> tuple[int, ...]:
    if var.shape.is_fully_defined():  # (reading the value would compute a pending initial value)
        return tuple(int(d or 0) for d in var.shape.as_list())
    return tuple(int(d) for d in var.value().shape)


def _dtype_name(dtype: Any) -> str:
    base = getattr(dtype, "base_dtype", dtype)
    return str(getattr(base, "name", base))


class SaveTarget:
    """One checkpoint key and the variable(s) saved under it.

    Attributes:
        key: the checkpoint key.
        variables: the whole variable, or the shards (each with a ``_save_slice_info``).
        is_sliced: True when ``variables`` are shards saved as slices of ``full_shape``.
        full_shape: the shape of the tensor in the checkpoint.
        dtype: the varscope DType.
    """

    def __init__(self, key: str, variables: Sequence[Variable], is_sliced: bool) -> None:
        self.key = key
        self.variables = list(variables)
        self.is_sliced = is_sliced
        first = self.variables[0]
        self.dtype = first.dtype.base_dtype
        if is_sliced:
            info = _slice_info(first)
            self.full_shape = tuple(int(d) for d in info.full_shape)
        else:
            self.full_shape = _shape_of(first)

    @property
    def name(self) -> str:
        """The model-side name: the variable's op name, or the shards' ``full_name``."""
        first = self.variables[0]
        return str(_slice_info(first).full_name) if self.is_sliced else first.op.name

    @property
    def identity(self) -> tuple[int, ...]:
        """Ids of the variables (equal for two keys that name the same variables)."""
        return tuple(sorted(id(v) for v in self.variables))

    def describe(self) -> str:
        """``variable 'scope/w'`` or ``partitioned variable 'scope/emb' (3 shards)``."""
        if self.is_sliced:
            return f"partitioned variable {self.name!r} ({len(self.variables)} shards)"
        return f"variable {self.name!r}"

    # -- saving -----------------------------------------------------------------------------------
    def slices(self) -> list[SliceData]:
        """The shards as :class:`~varscope.checkpoint.SliceData` (for TF bundles)."""
        out = []
        for var in self.variables:
            info = _slice_info(var)
            out.append(SliceData(self.full_shape, tuple(int(o) for o in info.var_offset), var.numpy()))
        return out

    def value(self) -> np.ndarray:
        """The full tensor (shards merged).

        Raises:
            ValueError: if the shards do not cover the full shape.
        """
        if not self.is_sliced:
            return self.variables[0].numpy()
        parts = self.slices()
        out = np.empty(self.full_shape, dtype=parts[0].array.dtype)
        covered = 0
        for part in parts:
            region = tuple(slice(o, o + n) for o, n in zip(part.offsets, part.array.shape))
            out[region] = part.array
            covered += part.array.size
        if covered != out.size:
            raise ValueError(f"the shards of {self.describe()} do not cover its shape {list(self.full_shape)}")
        return out

    # -- restoring --------------------------------------------------------------------------------
    def problems(self, reader: Any, ckpt_key: str, *, reshape: bool = False) -> list[str]:
        """Shape and dtype conflicts between this target and ``ckpt_key`` (empty when it fits)."""
        where = f"checkpoint key {ckpt_key!r} in {reader.path}"
        found = _dtype_name(reader.dtype(ckpt_key))
        out = []
        if found != self.dtype.name:
            out.append(f"{self.describe()}: dtype {self.dtype.name} but {where} has dtype {found}")
        shape = tuple(reader.shape(ckpt_key))
        if self.is_sliced:
            if shape != self.full_shape:
                out.append(f"{self.describe()}: full shape {list(self.full_shape)} but {where} "
                           f"has shape {list(shape)}")
        else:
            var = self.variables[0]
            fits = var.shape.is_compatible_with(list(shape)) and (
                not var.shape.is_fully_defined() or tuple(var.shape.as_list()) == shape)
            if not fits and not (reshape and int(np.prod(shape)) == int(np.prod(self.full_shape))):
                out.append(f"{self.describe()}: shape {list(self.full_shape)} but {where} has shape {list(shape)}")
        return out

    def restore(self, reader: Any, ckpt_key: str, *, reshape: bool = False) -> None:
        """Assigns the checkpoint's values (call :meth:`problems` first)."""
        if not self.is_sliced:
            var = self.variables[0]
            value = reader.get_tensor(ckpt_key)
            if reshape and var.shape.is_fully_defined() and tuple(value.shape) != tuple(var.shape.as_list()):
                value = value.reshape(var.shape.as_list())
            _assign_read(var, value)
            return
        for var in self.variables:
            info = _slice_info(var)
            offsets = [int(o) for o in info.var_offset]
            shape = [int(n) for n in info.var_shape]
            _assign_read(var, reader.get_slice(ckpt_key, offsets, shape))


def _assign_read(var: Variable, value: np.ndarray) -> None:
    """Assigns ``value``, an array just read that nothing else holds: a backend with an ``adopt`` hook
    (torch) takes its memory instead of copying it; a NumPy variable holds it as it is."""
    adopt = getattr(var._backend, "adopt", None)
    if adopt is not None and isinstance(value, np.ndarray) and value.dtype == var._dtype.as_numpy_dtype:
        var.assign(adopt(value))
    else:
        var.assign(value)


def _target(name: Any, op: Any) -> SaveTarget:
    if not isinstance(name, str):
        raise TypeError("names_to_saveables must be a dict mapping string names to trackable operations. "
                        f"Name is not a string: {name}")
    if isinstance(op, (list, tuple, PartitionedVariable)):
        shards = list(op)
        if not shards:
            raise ValueError(f"no slices given for {name!r}")
        slice_name = None
        for var in shards:
            if not isinstance(var, Variable):
                raise ValueError(f"Slices must all be Variables: {var}")
            info = _slice_info(var)
            if not info:
                raise ValueError(f"Slices must all be slices: {var}")
            if slice_name is None:
                slice_name = info.full_name
            elif slice_name != info.full_name:
                raise ValueError(f"Slices must all be from the same tensor: {slice_name} != {info.full_name}")
        return SaveTarget(name, shards, is_sliced=True)
    if isinstance(op, Variable):
        return SaveTarget(name, [op], is_sliced=False)
    raise TypeError(f"Variable to save is not a Variable: {op}")


def targets_for(var_list: Any, *, allow_aliases: bool = False) -> list[SaveTarget]:
    """The :class:`SaveTarget` of every key of ``var_list`` (a list, or a dict key -> variable), sorted by key.

    Args:
        var_list: variables / ``PartitionedVariable`` s (keyed as TF's Saver keys them), or a dict
            of key to a variable, a ``PartitionedVariable`` or a list of shards.
        allow_aliases: accept the same variable under several dict keys (tied weights). Without
            it, that is TF's ``ValueError``.

    Raises:
        TypeError: for keys that are not strings or values that are not variables.
        ValueError: for duplicated names, a variable under two keys (unless ``allow_aliases``),
            or shards of different tensors under one key.

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     v = tf1.get_variable("v", [1])
        >>> [t.key for t in targets_for({"enc/emb": v, "dec/emb": v}, allow_aliases=True)]
        ['dec/emb', 'enc/emb']
    """
    names_to_saveables = dict(var_list) if isinstance(var_list, Mapping) else op_list_to_dict(var_list)
    targets: list[SaveTarget] = []
    seen: dict[int, tuple[str, tuple[int, ...]]] = {}
    for name in sorted(names_to_saveables, key=lambda n: (not isinstance(n, str), str(n))):
        target = _target(name, names_to_saveables[name])
        for var in target.variables:
            previous = seen.get(id(var))
            if previous is not None and not (allow_aliases and previous[1] == target.identity):
                raise ValueError(f"The same saveable will be restored with two names: {name}")
            seen[id(var)] = (name, target.identity)
        targets.append(target)
    return targets
