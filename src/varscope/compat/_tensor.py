"""TF1's ``Tensor`` and ``Operation`` for model code: a backend array with a TF name, dtype and static shape.

A :class:`Tensor` wraps the array an op computed: a ``np.ndarray`` in a plain graph, a ``jax.Array`` (a tracer
under ``jit``) inside :func:`varscope.jax.transform`. It answers what TF1 model code asks of a tensor: ``.shape``
(a :class:`~varscope.TensorShape`), ``.dtype`` (a :class:`~varscope.DType`), ``.name`` (``"model/h0/MatMul:0"``),
``.op.name`` and ``.op.type``. The operators (``+``, ``@``, ``[...]``) are TF's ops; :mod:`varscope.compat.math_ops`
and :mod:`varscope.compat.array_ops` install them, as TF's ``math_ops`` does.

Under JAX a Tensor is a pytree with one leaf (its array), so it crosses ``jax.jit``, ``lax.while_loop`` and
``jax.tree_util`` boundaries; the registration happens when JAX is first met (:func:`register_with_jax`), so
nothing here imports JAX.

Example:
    >>> import numpy as np
    >>> from varscope.compat import v1 as tf
    >>> with tf.Graph().as_default():
    ...     with tf.name_scope("model"):
    ...         t = tf.matmul(np.ones((2, 3), np.float32), np.ones((3, 4), np.float32))
    >>> t.name, t.op.type, t.shape.as_list(), t.dtype
    ('model/MatMul:0', 'MatMul', [2, 4], tf.float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from varscope._dtypes import DType
from varscope._shape import TensorShape
from varscope.compat.errors import OperatorNotAllowedInGraphError

__all__ = ["Operation", "Tensor", "is_compat_tensor", "register_with_jax"]


class Operation:
    """The operation that made a :class:`Tensor`: TF's ``name`` (``"model/MatMul"``), ``type`` and ``graph``."""

    __slots__ = ("name", "type", "graph", "_outputs")

    def __init__(self, name: str, op_type: str, graph: Any) -> None:
        self.name = name
        self.type = op_type
        self.graph = graph
        self._outputs: list[Tensor] = []

    @property
    def outputs(self) -> list[Tensor]:
        """The op's output tensors, in order (``op.outputs[0]`` is ``"<name>:0"``)."""
        return list(self._outputs)

    @property
    def values(self) -> Any:
        """The output tensors as a tuple (TF's ``op.values()`` is a method; this is the same list)."""
        return tuple(self._outputs)

    @property
    def device(self) -> str:
        """Always ``""`` (varscope places nothing)."""
        return ""

    def __repr__(self) -> str:
        return f"<tf.Operation '{self.name}' type={self.type}>"


class Tensor:
    """A TF1 tensor: the array an op computed, with TF's name, dtype and shape.

    Args:
        value: The backend array (``np.ndarray``, ``jax.Array`` or tracer); None for a placeholder.
        dtype: The TF dtype (``int64`` may hold an int32 array under JAX without x64).
        op: The :class:`Operation` that made it.
        index: Its output index in ``op`` (the ``:N`` of the name).
        shape: The static shape, when it is not the array's (placeholders).
    """

    __slots__ = ("_value", "_dtype", "_op", "_index", "_shape", "__weakref__")
    __array_priority__ = 100  # NumPy defers ``ndarray + Tensor`` to Tensor.__radd__ (TF's rules)
    _varscope_tensor = True  # how varscope.jax recognises a Tensor without importing this module

    def __init__(self, value: Any, dtype: DType, op: Operation, index: int = 0, shape: TensorShape | None = None
                 ) -> None:
        self._value = value
        self._dtype = dtype
        self._op = op
        self._index = index
        self._shape = shape

    # -- TF attributes -----------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """``"<op name>:<index>"``."""
        return f"{self._op.name}:{self._index}"

    @property
    def op(self) -> Operation:
        """The :class:`Operation` that made this tensor."""
        return self._op

    @property
    def value_index(self) -> int:
        """The output index of this tensor in its op."""
        return self._index

    @property
    def graph(self) -> Any:
        """The graph the op was made in."""
        return self._op.graph

    @property
    def device(self) -> str:
        """Always ``""``."""
        return ""

    @property
    def dtype(self) -> DType:
        """The TF dtype."""
        return self._dtype

    @property
    def shape(self) -> TensorShape:
        """The static shape (its entries are ``Dimension`` s under TF 1.x behaviour)."""
        shape = self._shape
        return shape if shape is not None else TensorShape(list(self._value.shape))

    def get_shape(self) -> TensorShape:
        """Alias of :attr:`shape`."""
        return self.shape

    def set_shape(self, shape: Any) -> None:
        """Check that ``shape`` is compatible with the static shape (shapes here are always known).

        Raises:
            ValueError: When it is not, with TF's message.
        """
        new = TensorShape(shape)
        if not self.shape.is_compatible_with(new):
            raise ValueError(f"Tensor's shape {self.shape} is not compatible with supplied shape {new}.")

    @property
    def ndim(self) -> int:
        """The rank (for NumPy/JAX code that reads ``.ndim``)."""
        return len(self.shape)

    # -- values ------------------------------------------------------------------------------------
    def numpy(self) -> np.ndarray:
        """The value as a NumPy array (fails for a tracer, as it must)."""
        return np.asarray(self._value)

    def eval(self, feed_dict: Any = None, session: Any = None) -> np.ndarray:
        """The value as a NumPy array (there is no session: the value is computed already)."""
        return self.numpy()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        arr = np.asarray(self._value)
        return arr if dtype is None else arr.astype(dtype)

    def __jax_array__(self) -> Any:
        return self._value

    def __repr__(self) -> str:
        return f"<tf.Tensor '{self.name}' shape={self.shape} dtype={self._dtype.name}>"

    # -- Python protocols, as TF1 graph tensors ---------------------------------------------------------
    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:  # TF 1.x: identity (TF 2's elementwise == is off)
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __len__(self) -> int:
        raise TypeError(f"len is not well defined for a symbolic Tensor ({self.name}). Please call `x.shape` rather "
                        "than `len(x)` for shape information.")

    def __iter__(self) -> Any:
        raise _not_allowed("Iterating over a symbolic `tf.Tensor`")

    def __bool__(self) -> bool:
        raise _not_allowed("Using a symbolic `tf.Tensor` as a Python `bool`")

    def __index__(self) -> int:
        raise TypeError(f"{self!r} cannot be used as an index: it is a Tensor, not a Python int.")


def _not_allowed(what: str) -> Exception:
    return OperatorNotAllowedInGraphError(
        f"{what} is not allowed. You can attempt the following resolutions to the problem: If you are running in "
        "Graph mode, use Eager execution mode or decorate this function with @tf.function. If you are using "
        "AutoGraph, you can try decorating this function with @tf.function. If that does not work, then you may be "
        "using an unsupported feature or your source code may not be visible to AutoGraph. See "
        "https://github.com/tensorflow/tensorflow/blob/master/tensorflow/python/autograph/g3doc/reference/"
        "limitations.md#access-to-source-code for more information.")


def is_compat_tensor(value: Any) -> bool:
    """True for a :class:`Tensor`."""
    return isinstance(value, Tensor)


_registered = False


def register_with_jax(jax_backend: Any) -> None:
    """Make :class:`Tensor` a JAX pytree (one leaf: the array), through the JAX backend; once, when JAX is met."""
    global _registered
    if _registered:
        return
    _registered = True

    def flatten(t: Tensor) -> tuple[tuple[Any], tuple[Any, ...]]:
        return (t._value,), (t._dtype, t._op.name, t._op.type, t._index)

    def unflatten(aux: tuple[Any, ...], children: Any) -> Tensor:
        dtype, name, op_type, index = aux
        return Tensor(children[0], dtype, Operation(name, op_type, None), index)

    jax_backend.register_pytree_node(Tensor, flatten, unflatten)
