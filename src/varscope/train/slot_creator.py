"""Slots: variables that belong to a primary variable, named ``<primary>/<name>`` as TF's ``slot_creator`` names them.

An optimizer's accumulators (``w/Adam``, ``w/Adam_1``, ``w/Momentum``) and a moving average's
shadows (``w/ExponentialMovingAverage``) are slots. As in TF each is made by
``get_variable("")`` inside ``variable_scope(None, default_name=<primary op name>/<name>)``, so a
second slot of the same name is numbered (``w/Adam_1``), the current variable scope prefixes it,
it is not trainable and it is in ``GLOBAL_VARIABLES``. The scope's partitioner is switched off while
the slot is made, and a slot of a shard of a partitioned variable saves as a slice of
``<full name>/<name>``, as TF's does.

Example:
    >>> import varscope as tf1
    >>> from varscope.train import slot_creator
    >>> with tf1.Graph().as_default():
    ...     w = tf1.get_variable("w", [2])
    ...     m = slot_creator.create_zeros_slot(w, "Adam")
    ...     v = slot_creator.create_zeros_slot(w, "Adam")
    >>> m.name, v.name, m.trainable
    ('w/Adam:0', 'w/Adam_1:0', False)
"""

from __future__ import annotations

from typing import Any

from varscope._scope import get_variable, get_variable_scope, variable_scope
from varscope._shape import TensorShape
from varscope._variables import Variable
from varscope.initializers import zeros_initializer

__all__ = ["create_slot", "create_slot_with_initializer", "create_zeros_slot"]


def _slot_var(primary: Variable, val: Any, shape: TensorShape | None, dtype: Any, validate_shape: bool) -> Variable:
    """TF's ``_create_slot_var``: ``get_variable("")`` with the partitioner off, sliced like ``primary``."""
    scope = get_variable_scope()
    partitioner = scope.partitioner
    scope.set_partitioner(None)
    try:
        slot = get_variable("", initializer=val, trainable=False, use_resource=primary._is_resource,
                            shape=shape, dtype=dtype, validate_shape=validate_shape)
    finally:
        scope.set_partitioner(partitioner)
    info = primary._save_slice_info
    if info is not None:
        slot_name = slot.name[len(primary.op.name + "/"):-2]
        n = slot.shape.ndims
        if n is None or n > 0:
            slot._set_save_slice_info(type(info)(info.full_name + "/" + slot_name, info.full_shape[:n],
                                                 info.var_offset[:n], info.var_shape[:n]))
    return slot  # type: ignore[no-any-return]


def create_slot(primary: Variable, val: Any, name: str, colocate_with_primary: bool = True) -> Variable:
    """A slot for ``primary`` holding ``val`` (a value: its shape and dtype are the slot's)."""
    with variable_scope(None, primary.op.name + "/" + name):
        return _slot_var(primary, val, None, None, True)


def create_slot_with_initializer(primary: Variable, initializer: Any, shape: Any, dtype: Any, name: str,
                                 colocate_with_primary: bool = True) -> Variable:
    """A slot for ``primary`` of ``shape`` and ``dtype``, initialized by ``initializer``."""
    shape = shape if isinstance(shape, TensorShape) else TensorShape(shape)
    with variable_scope(None, primary.op.name + "/" + name):
        return _slot_var(primary, initializer, shape, dtype, shape.is_fully_defined())


def create_zeros_slot(primary: Variable, name: str, dtype: Any = None, colocate_with_primary: bool = True) -> Variable:
    """A slot of zeros shaped like ``primary`` (of ``dtype``, default ``primary``'s)."""
    if dtype is None:
        dtype = primary.dtype.base_dtype
    shape = primary.get_shape()
    if not shape.is_fully_defined():
        raise ValueError(f"Cannot make a slot {name!r} for {primary.op.name}: its shape {shape} is not fully "
                         "defined (give the variable a full shape).")
    return create_slot_with_initializer(primary, zeros_initializer(), shape, dtype, name,
                                        colocate_with_primary=colocate_with_primary)
