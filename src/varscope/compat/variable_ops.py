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
from varscope.compat._tensor import Tensor

__all__ = ["variable_operator"]


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


set_operator_hook(variable_operator)
