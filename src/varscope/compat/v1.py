"""``varscope.compat.v1``: the ``tf.compat.v1`` surface that TF 1.x model-building code uses.

Everything ``import varscope as tf1`` has (scopes, ``get_variable``, initializers, graphs, collections), plus
TF's ops computing on the active backend (NumPy in a plain graph; JAX inside :func:`varscope.jax.transform`),
TF 1.x Tensors, placeholders that build, and the TF 1.x behaviour switches. Use it as
``from varscope.compat import v1 as tf``, or register it as ``tensorflow`` with
:func:`varscope.compat.install_as_tensorflow`.

Example:
    >>> from varscope.compat import v1 as tf
    >>> with tf.Graph().as_default():
    ...     with tf.variable_scope("model"):
    ...         w = tf.get_variable("w", [3, 2], initializer=tf.ones_initializer())
    ...         y = tf.matmul(tf.ones([4, 3]), w)
    >>> y.name, y.shape[-1].value, w.shape[0].value
    ('model/MatMul:0', 2, 3)
"""

from __future__ import annotations

import builtins
import sys
import types
from typing import Any

from varscope import *  # noqa: F403 - the scoping core, as ``import varscope as tf1`` has it
from varscope._shape import Dimension, TensorShape, dimension_at_index, dimension_value  # noqa: F401
from varscope._shape import disable_v2_tensorshape, enable_v2_tensorshape  # noqa: F401
from varscope.compat import errors  # type: ignore[no-redef]  # noqa: F401 - tf.errors (TF's, not the core's)
from varscope.compat import _op
from varscope.compat._tensor import Operation, Tensor  # noqa: F401
from varscope.compat.array_ops import *  # noqa: F403
from varscope.compat import math_ops as _math_ops
from varscope.compat.math_ops import *  # noqa: F403
from varscope.compat import control_flow_ops as _control_flow_ops
from varscope.compat.control_flow_ops import *  # noqa: F403
from varscope.compat import variable_ops as _variable_ops  # noqa: F401 - variables' TF 1.x operators
from varscope.compat.variable_ops import assign, assign_add, assign_sub  # noqa: F401
from varscope import train  # noqa: F401 - tf.train (Saver, optimizers, global step, init_from_checkpoint)
from varscope.compat import layers, nn, random  # noqa: F401 - tf.layers, tf.nn, tf.random
from varscope.compat import summary  # noqa: F401 - tf.summary (ops that build, record nothing)
from varscope.compat.random_ops import (  # noqa: F401
    multinomial,
    random_normal,
    random_shuffle,
    random_uniform,
    truncated_normal,
)
from varscope.compat.session import InteractiveSession, Session, placeholder, placeholder_with_default  # noqa: F401


def convert_to_tensor(value: Any, dtype: Any = None, name: Any = None,  # type: ignore[no-redef]
                      preferred_dtype: Any = None, dtype_hint: Any = None) -> Tensor:
    """``value`` as a Tensor: a Tensor itself; a variable's value as TF reads it (``v/read:0`` for a ``use_resource=False``
    variable, a new ``ReadVariableOp`` for a resource variable); anything else a ``Const``."""
    if isinstance(value, Tensor):
        if dtype is not None and as_dtype(dtype).base_dtype != value.dtype:  # noqa: F405
            want = as_dtype(dtype).name  # noqa: F405
            raise ValueError(f"Tensor conversion requested dtype {want} for Tensor with dtype {value.dtype.name}: "
                             f"{value!r}")
        return value
    if isinstance(value, Variable):  # noqa: F405
        dtype_ = value.dtype.base_dtype
        if value._is_resource:
            return _op.result(value.value(), "ReadVariableOp", None, dtype=dtype_)
        read = Operation(value.op.name + "/read", "Identity", value.graph)
        return Tensor(value.value(), dtype_, read, 0)
    if isinstance(value, TensorShape):  # TF's conversion function: a Const named ``shape_as_tensor``
        arr, dtype_ = _op.convert(value, dtype)
        return _op.result(arr, "Const", name, "shape_as_tensor", dtype=dtype_)
    hint = dtype_hint if dtype_hint is not None else preferred_dtype
    if dtype is None and hint is not None:
        try:
            return constant(value, hint, name=name or "Const")  # noqa: F405
        except (TypeError, ValueError):
            pass
    return constant(value, dtype, name=name or "Const")  # noqa: F405


def disable_v2_behavior() -> None:
    """TF 1.x behaviour, what TF's ``disable_v2_behavior`` does for model code: shapes give ``Dimension`` s,
    ``get_variable`` makes ref variables (``VariableV2``), graph mode is on, and variables' operators are TF's ops."""
    disable_v2_tensorshape()
    disable_resource_variables()  # noqa: F405
    disable_eager_execution()  # noqa: F405


def enable_v2_behavior() -> None:
    """TF 2's ``compat.v1`` behaviour: shapes give ints, ``get_variable`` makes resource variables."""
    enable_v2_tensorshape()
    enable_resource_variables()  # noqa: F405


def is_tensor(x: Any) -> builtins.bool:
    """True for Tensors and variables (TF's ``tf.is_tensor``)."""
    return isinstance(x, (Tensor, Variable))  # noqa: F405


# ``tf.math``: the math ops under their TF 2 namespace too (``tf.math.top_k``, ``tf.math.is_finite``).
math = types.ModuleType("varscope.compat.v1.math", "tf.math: varscope.compat's math ops.")
math.__dict__.update({n: getattr(_math_ops, n) for n in _math_ops.__all__})

# ``tf.debugging``: the assert ops under their TF 2 namespace too.
debugging = types.ModuleType("varscope.compat.v1.debugging", "tf.debugging: varscope.compat's assert ops.")
debugging.__dict__.update({n: getattr(_control_flow_ops, n) for n in _control_flow_ops.__all__ if n.startswith(
    ("assert_", "Assert"))})

# ``tf.compat.v1`` inside this namespace is this namespace (``tf.compat.v1.get_variable`` in TF 1.x code).
compat = types.ModuleType("varscope.compat.v1.compat", "tf.compat: v1 is varscope.compat.v1.")
compat.v1 = sys.modules[__name__]  # type: ignore[attr-defined]
