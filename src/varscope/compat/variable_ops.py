"""Variables' operators under TF 1.x behaviour: ``v * 2``, ``v[0]``, ``-v`` are TF's ops, giving Tensors.

In TF 1.x a variable's operators are the Tensor operators (``v + 1`` is the op ``add``, with TF's dtype rules).
This module installs them on :class:`varscope.Variable` through the core's operator hook while shapes are in TF
1.x behaviour (importing :mod:`varscope.compat`, ``install_as_tensorflow()``, ``disable_v2_behavior()``); under TF
2 behaviour, and for PyTorch variables, the operators keep working on the variable's value as before.

Example:
    >>> from varscope.compat import v1 as tf
    >>> tf.disable_v2_behavior()
    >>> with tf.Graph().as_default():
    ...     v = tf.get_variable("v", initializer=[1, 2])
    ...     t = v * 2
    >>> t.name, t.dtype.name, t.numpy().tolist(), v[0].name
    ('mul:0', 'int32', [2, 4], 'strided_slice:0')
"""

from __future__ import annotations

from typing import Any

from varscope._shape import v2_tensorshape_enabled
from varscope._variables import Variable, set_operator_hook
from varscope.compat import array_ops, math_ops
from varscope.compat._op import convert, result
from varscope.compat._tensor import Tensor

__all__ = ["variable_operator", "assign", "assign_add", "assign_sub"]


def variable_operator(name: str, variable: Variable, other: Any) -> Any:
    """``variable``'s operator ``name`` as TF's op (a Tensor), or NotImplemented under TF 2 behaviour / PyTorch."""
    if v2_tensorshape_enabled() or variable._backend.numpy is None:
        return NotImplemented
    if name == "getitem":
        return array_ops._getitem(variable, other)
    if name == "neg":
        return math_ops.negative(variable)
    if name == "abs":
        return math_ops.abs(variable)
    return getattr(Tensor, f"__{name}__")(variable, other)


def _assign(ref: Any, value: Any, op_type: str, name: Any, validate_shape: Any = None) -> Tensor:
    if not isinstance(ref, Variable):
        raise TypeError(f"{op_type} needs a variable as `ref`, got {type(ref).__name__}: "
                        "tf.assign updates variables (tf.get_variable's), not Tensors.")
    array, dtype = convert(value, ref.dtype.base_dtype)
    if op_type != "Assign":
        array = ref.value() + array if op_type == "AssignAdd" else ref.value() - array
    if validate_shape is False and tuple(array.shape) != tuple(ref.shape.as_list()):
        raise ValueError(f"tf.assign with validate_shape=False to change {ref.op.name}'s shape from "
                         f"{tuple(ref.shape.as_list())} to {tuple(array.shape)} is not supported: variables keep "
                         "their shape in varscope.")
    ref.assign(array)
    return result(ref.value(), op_type, name, dtype=dtype)


def assign(ref: Any, value: Any, validate_shape: Any = None, use_locking: Any = None, name: Any = None) -> Tensor:
    """TF's ``tf.compat.v1.assign``: give ``ref`` (a variable) the value ``value`` now; returns its new value as the
    Tensor ``Assign:0``. ``value`` (a Tensor, array or Python value) is converted to the variable's dtype.

    Example:
        >>> from varscope.compat import v1 as tf
        >>> with tf.Graph().as_default():
        ...     v = tf.get_variable("v", initializer=[1.0, 2.0])
        ...     t = tf.assign(v, v * 2)
        >>> t.name, t.numpy().tolist(), v.numpy().tolist()
        ('Assign:0', [2.0, 4.0], [2.0, 4.0])
    """
    return _assign(ref, value, "Assign", name, validate_shape)


def assign_add(ref: Any, value: Any, use_locking: Any = None, name: Any = None) -> Tensor:
    """TF's ``tf.compat.v1.assign_add``: add ``value`` to ``ref`` now; returns the new value (``AssignAdd:0``)."""
    return _assign(ref, value, "AssignAdd", name)


def assign_sub(ref: Any, value: Any, use_locking: Any = None, name: Any = None) -> Tensor:
    """TF's ``tf.compat.v1.assign_sub``: subtract ``value`` from ``ref`` now; returns the new value
    (``AssignSub:0``)."""
    return _assign(ref, value, "AssignSub", name)


set_operator_hook(variable_operator)
