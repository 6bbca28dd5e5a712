"""``tf.placeholder`` and ``tf.Session``: model code that makes them still builds; using them says what to do.

varscope runs model code directly (NumPy) or as pure JAX functions (:func:`varscope.jax.transform`); there is
no graph to feed. A placeholder is a Tensor with a shape and dtype but no value: building code that only
reads ``.shape`` / ``.dtype`` works, and any op that needs its value raises
:class:`~varscope.compat.errors.NoSessionError` naming the placeholder and the fix (pass the value as an
argument of the model function). ``tf.Session()`` raises the same error.

Example:
    >>> from varscope.compat import v1 as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [None, 3], name="x")
    ...     x.name, x.shape.as_list(), x.dtype.name
    ('x:0', [None, 3], 'float32')
"""

from __future__ import annotations

from typing import Any

from varscope._dtypes import as_dtype
from varscope._graph import get_default_graph
from varscope._shape import TensorShape
from varscope.compat._op import convert, op_name, result
from varscope.compat._tensor import Operation, Tensor
from varscope.compat.errors import NoSessionError

__all__ = ["placeholder", "placeholder_with_default", "Session", "InteractiveSession"]

_SESSION_ERROR = (
    "varscope has no tf.Session: model code runs directly. Call the model function with the values you would "
    "feed (arguments instead of placeholders), and for JAX wrap it in varscope.jax.transform: "
    "params = model.init(rng, x); out = model.apply(params, x); gradients with jax.grad of apply instead of "
    "tf.gradients. See docs/porting.md, 'Sessions and placeholders'.")


def placeholder(dtype: Any, shape: Any = None, name: Any = None) -> Tensor:
    """A Tensor with ``dtype`` and ``shape`` but no value (op type ``Placeholder``).

    Reading ``.shape``, ``.dtype``, ``.name`` works; using its value raises ``NoSessionError``.
    """
    t = Tensor(None, as_dtype(dtype).base_dtype, Operation(op_name(name, "Placeholder"), "Placeholder",
                                                           get_default_graph()), 0, TensorShape(shape))
    t.op._outputs = [t]
    return t


def placeholder_with_default(input: Any, shape: Any, name: Any = None) -> Tensor:  # noqa: A002
    """``input`` itself as an op of type ``PlaceholderWithDefault`` (nothing is ever fed in varscope).

    Raises:
        ValueError: When ``shape`` is not compatible with ``input``'s.
    """
    arr, dtype = convert(input)
    if not TensorShape(shape).is_compatible_with(list(arr.shape)):
        raise ValueError(f"Shapes {TensorShape(list(arr.shape))} and {TensorShape(shape)} are incompatible")
    return result(arr, "PlaceholderWithDefault", name, dtype=dtype)


class Session:
    """``tf.Session``: raises :class:`NoSessionError`, which says how to run the model instead."""

    def __init__(self, target: str = "", graph: Any = None, config: Any = None) -> None:
        raise NoSessionError(_SESSION_ERROR)


class InteractiveSession(Session):
    """``tf.InteractiveSession``: raises :class:`NoSessionError` as :class:`Session`."""
