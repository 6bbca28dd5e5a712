"""Weight regularizers with TF1 ``tf.contrib.layers`` semantics, and regularization-loss objects.

A regularizer is any callable ``regularizer(weights)`` returning a scalar (or None for "no
loss"). The built-in ones compute on the NumPy value of the weights in the weights' dtype:

* ``l1_regularizer(scale)(w) == scale * sum(|w|)``
* ``l2_regularizer(scale)(w) == scale * sum(w ** 2) / 2``
* ``l1_l2_regularizer(s1, s2)(w) == l1(s1)(w) + l2(s2)(w)``

A scale of ``0.`` returns a regularizer that returns None; an integer or negative scale is a
ValueError with contrib's message. Each built-in regularizer has an ``op_name``: the name of the
op TensorFlow gives the loss (its ``scope`` argument, else ``"l1_regularizer"`` ...).

:class:`RegularizationLoss` is what ``get_variable`` puts in the ``regularization_losses``
collection: a named, lazily evaluated loss whose value follows the variable's current value.

Example:
    >>> import numpy as np
    >>> w = np.array([1.0, -2.0], np.float32)
    >>> l1_regularizer(0.5)(w), l2_regularizer(0.5)(w)
    (np.float32(1.5), np.float32(1.25))
    >>> l2_regularizer(0.0)(w) is None
    True
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varscope import _graph
from varscope._dtypes import as_dtype
from varscope.initializers import _convert_scalar  # same conversion rules as the initializers

__all__ = [
    "no_regularizer", "l1_regularizer", "l2_regularizer", "l1_l2_regularizer", "sum_regularizer",
    "apply_regularization", "l1", "l2", "l1_l2", "RegularizationLoss", "make_regularization_loss",
    "regularizer_op_name",
]

Regularizer = Callable[[Any], Any]
_OP_NAME_RE = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\-/>]*$")


def no_regularizer(_: Any) -> None:
    """Use this regularizer to switch off an inherited one: it returns None.

    Example:
        >>> no_regularizer([1.0]) is None
        True
    """
    return None


def _weights(weights: Any) -> np.ndarray:
    return np.asarray(weights)


def _scale_as(scale: Any, np_dtype: Any) -> Any:
    """``convert_to_tensor(scale, dtype=weights.dtype)``: Python values must fit the dtype."""
    _convert_scalar(scale, as_dtype(np_dtype))
    return np.asarray(scale).astype(np_dtype)


def _check_scale(scale: Any, l2_style: bool) -> bool:
    """Validates ``scale`` as contrib did; returns True when the regularizer is disabled (scale 0)."""
    if isinstance(scale, numbers.Integral):
        raise ValueError("scale cannot be an integer: %s" % (scale,))
    if isinstance(scale, numbers.Real):
        if scale < 0.0:
            suffix = "." if l2_style else ""
            raise ValueError("Setting a scale less than 0 on a regularizer: %g%s" % (scale, suffix))
        if scale == 0.0:
            return True
    return False


def _name_scope(name: str) -> Any:
    """The name scope contrib's regularizers open, so the names they would use count as used."""
    return _graph.get_default_graph().name_scope(name)


class _Disabled:
    """What a zero scale returns: a regularizer that returns None."""

    op_name = "no_regularizer"

    def __call__(self, _: Any) -> None:
        return None

    def __repr__(self) -> str:
        return "<disabled regularizer>"


class _L1:
    def __init__(self, scale: Any, scope: str | None) -> None:
        self.scale = scale
        self.op_name = scope or "l1_regularizer"

    def __call__(self, weights: Any) -> Any:
        with _name_scope(self.op_name):
            w = _weights(weights)
            return (_scale_as(self.scale, w.dtype) * np.sum(np.abs(w))).astype(w.dtype)[()]

    def __repr__(self) -> str:
        return f"l1_regularizer(scale={self.scale!r})"


class _L2:
    def __init__(self, scale: Any, scope: str | None) -> None:
        self.scale = scale
        self.op_name = scope or "l2_regularizer"

    def __call__(self, weights: Any) -> Any:
        with _name_scope(self.op_name):
            w = _weights(weights)
            l2_loss = np.sum(w * w) / w.dtype.type(2)
            return (_scale_as(self.scale, w.dtype) * l2_loss).astype(w.dtype)[()]

    def __repr__(self) -> str:
        return f"l2_regularizer(scale={self.scale!r})"


class _Sum:
    def __init__(self, regularizers: list[Regularizer], scope: str | None) -> None:
        self.regularizers = regularizers
        self.op_name = scope or "sum_regularizer"

    def __call__(self, weights: Any) -> Any:
        with _name_scope(self.op_name):
            values = [r(weights) for r in self.regularizers]
        values = [v for v in values if v is not None]
        if not values:
            return None
        total = np.asarray(values[0])
        for v in values[1:]:
            total = total + np.asarray(v)
        return np.asarray(total)[()]

    def __repr__(self) -> str:
        return f"sum_regularizer({self.regularizers!r})"


def l1_regularizer(scale: float, scope: str | None = None) -> Regularizer:
    """Returns ``f(w) = scale * sum(|w|)`` (in the weights' dtype).

    Args:
        scale: A non-negative float; ``0.`` disables the regularizer.
        scope: Optional op name (default ``"l1_regularizer"``).

    Raises:
        ValueError: If ``scale`` is an integer or negative.

    Example:
        >>> l1_regularizer(0.1)([[1.0, -3.0]])
        np.float64(0.4)
    """
    if _check_scale(scale, l2_style=False):
        return _Disabled()
    return _L1(scale, scope)


def l2_regularizer(scale: float, scope: str | None = None) -> Regularizer:
    """Returns ``f(w) = scale * sum(w ** 2) / 2`` (in the weights' dtype).

    Args:
        scale: A non-negative float; ``0.`` disables the regularizer.
        scope: Optional op name (default ``"l2_regularizer"``).

    Raises:
        ValueError: If ``scale`` is an integer or negative.

    Example:
        >>> import numpy as np
        >>> l2_regularizer(0.1)(np.array([1.0, 3.0], np.float32))
        np.float32(0.5)
    """
    if _check_scale(scale, l2_style=True):
        return _Disabled()
    return _L2(scale, scope)


def sum_regularizer(regularizer_list: Sequence[Regularizer | None], scope: str | None = None) -> Regularizer | None:
    """Returns a regularizer summing the given ones (None entries are dropped; none left gives None).

    Results of None from the parts are skipped, and a sum of nothing is None.

    Args:
        regularizer_list: The regularizers.
        scope: Optional op name (default ``"sum_regularizer"``).

    Example:
        >>> r = sum_regularizer([l1_regularizer(1.0), None, l2_regularizer(1.0)])
        >>> float(r([2.0]))
        4.0
    """
    regs = [r for r in regularizer_list if r is not None]
    if not regs:
        return None
    return _Sum(regs, scope)


def l1_l2_regularizer(scale_l1: float = 1.0, scale_l2: float = 1.0, scope: str | None = None) -> Regularizer:
    """Returns ``l1_regularizer(scale_l1) + l2_regularizer(scale_l2)``.

    Args:
        scale_l1: Scale of the L1 part.
        scale_l2: Scale of the L2 part.
        scope: Optional op name (default ``"l1_l2_regularizer"``).

    Raises:
        ValueError: If a scale is an integer or negative.

    Example:
        >>> float(l1_l2_regularizer(1.0, 1.0)([2.0]))
        4.0
    """
    reg = sum_regularizer([l1_regularizer(scale_l1), l2_regularizer(scale_l2)], scope=scope or "l1_l2_regularizer")
    assert reg is not None
    return reg


def apply_regularization(regularizer: Regularizer, weights_list: Sequence[Any] | None = None) -> Any:
    """Sums ``regularizer`` over ``weights_list`` and records the sum as a regularization loss.

    ``weights_list`` defaults to the ``weights`` collection. The sum is appended to the
    ``regularization_losses`` collection as a :class:`RegularizationLoss` named
    ``get_regularization_penalty:0`` (uniquified), and its current value is returned.

    Raises:
        ValueError: If there are no weights, or a penalty is not a scalar.

    Example:
        >>> import numpy as np
        >>> float(apply_regularization(l1_regularizer(1.0), [np.ones(3)]))  # doctest: +SKIP
        3.0
    """
    if not weights_list:
        weights_list = _graph.get_collection("weights")
    if not weights_list:
        raise ValueError("No weights to regularize.")
    weights = list(weights_list)

    def penalty(ws: list[Any]) -> Any:
        values = []
        for w in ws:
            p = regularizer(w)
            p = np.asarray(0.0, np.float32) if p is None else np.asarray(p)
            if p.ndim != 0:
                raise ValueError("regularizer must return a scalar Tensor instead of a Tensor with rank %d." % p.ndim)
            values.append(p)
        total = values[0]
        for v in values[1:]:
            total = total + v
        return np.asarray(total)[()]

    value = penalty(weights)
    name = _graph.get_default_graph().unique_name("get_regularization_penalty")
    _graph.add_to_collection("regularization_losses", RegularizationLoss(name + ":0", weights, penalty))
    return value


l1 = l1_regularizer
l2 = l2_regularizer
l1_l2 = l1_l2_regularizer


def regularizer_op_name(regularizer: Any) -> str:
    """The op name a regularization loss gets: ``regularizer.op_name``, else the function's
    ``__name__`` when it is a valid op name (not ``<lambda>``), else ``"Regularizer"``.

    Example:
        >>> regularizer_op_name(l2_regularizer(0.1)), regularizer_op_name(lambda w: w)
        ('l2_regularizer', 'Regularizer')
    """
    op_name = getattr(regularizer, "op_name", None)
    if isinstance(op_name, str) and op_name:
        return op_name
    name = getattr(regularizer, "__name__", None)
    if isinstance(name, str) and _OP_NAME_RE.match(name):
        return name
    return "Regularizer"


class _LossOp:
    """The ``op`` of a regularization loss: only its name."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<op {self.name!r}>"


class RegularizationLoss:
    """A named regularization loss whose value is recomputed from the variable's current value.

    Args:
        name: The tensor name (``"foo/v/Regularizer/l2_regularizer:0"``).
        variable: What the regularizer is applied to (usually a variable).
        regularizer: The regularizer.

    Example:
        >>> import numpy as np
        >>> w = np.array([3.0], np.float32)
        >>> loss = RegularizationLoss("v/Regularizer/l2_regularizer:0", w, l2_regularizer(1.0))
        >>> float(loss)
        4.5
        >>> w[0] = 1.0
        >>> float(loss), loss.op.name
        (0.5, 'v/Regularizer/l2_regularizer')
    """

    def __init__(self, name: str, variable: Any, regularizer: Regularizer) -> None:
        self._name = name
        self._variable = variable
        self._regularizer = regularizer

    @property
    def name(self) -> str:
        """The tensor name, ``<op name>:0``."""
        return self._name

    @property
    def op(self) -> _LossOp:
        """An object whose ``name`` is the op name (the tensor name without ``:0``)."""
        return _LossOp(self._name.rsplit(":", 1)[0])

    @property
    def variable(self) -> Any:
        """What the regularizer is applied to."""
        return self._variable

    @property
    def regularizer(self) -> Regularizer:
        """The regularizer."""
        return self._regularizer

    @property
    def dtype(self) -> Any:
        """The DType of the current value."""
        return as_dtype(np.asarray(self.value()).dtype)

    def value(self) -> Any:
        """Recomputes ``regularizer(variable)`` from the variable's current value (a NumPy scalar)."""
        result = self._regularizer(self._variable)
        if result is None:
            return None
        return np.asarray(result)[()]

    def numpy(self) -> Any:
        """Same as :meth:`value`."""
        return self.value()

    def eval(self, session: Any = None) -> Any:
        """Same as :meth:`value` (TF1 code calls ``loss.eval()``)."""
        return self.value()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        value = np.asarray(self.value())
        return value if dtype is None else value.astype(dtype)

    def __float__(self) -> float:
        return float(np.asarray(self.value()))

    def __add__(self, other: Any) -> Any:
        return self.value() + _value_of(other)

    def __radd__(self, other: Any) -> Any:
        return _value_of(other) + self.value()

    def __sub__(self, other: Any) -> Any:
        return self.value() - _value_of(other)

    def __rsub__(self, other: Any) -> Any:
        return _value_of(other) - self.value()

    def __mul__(self, other: Any) -> Any:
        return self.value() * _value_of(other)

    def __rmul__(self, other: Any) -> Any:
        return _value_of(other) * self.value()

    def __truediv__(self, other: Any) -> Any:
        return self.value() / _value_of(other)

    def __neg__(self) -> Any:
        return -self.value()

    def __repr__(self) -> str:
        return f"<RegularizationLoss '{self._name}' value={self.value()!r}>"


def _value_of(x: Any) -> Any:
    return x.value() if isinstance(x, RegularizationLoss) else x


def make_regularization_loss(full_var_name: str, variable: Any, regularizer: Regularizer) -> RegularizationLoss | None:
    """Calls ``regularizer(variable)`` once; returns None if that is None, else the loss object.

    The loss is named ``<full_var_name>/Regularizer/<op>:0`` where ``<op>`` is
    :func:`regularizer_op_name` (TensorFlow names it after the last op the regularizer builds,
    e.g. ``l2_regularizer`` for contrib's l2).

    Example:
        >>> import numpy as np
        >>> make_regularization_loss("foo/v", np.ones(2, np.float32), l2_regularizer(0.1)).name
        'foo/v/Regularizer/l2_regularizer:0'
        >>> make_regularization_loss("foo/v", np.ones(2), no_regularizer) is None
        True
    """
    if regularizer(variable) is None:
        return None
    return RegularizationLoss(f"{full_var_name}/Regularizer/{regularizer_op_name(regularizer)}:0", variable,
                              regularizer)
