"""TF's math ops (``tf.add``, ``tf.matmul``, ``tf.reduce_sum``, the elementwise functions...) and the Tensor
operators, computed with NumPy or ``jax.numpy`` (see :mod:`varscope.compat._op` for how an op is written).

Example:
    >>> import numpy as np
    >>> from varscope.compat import v1 as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    ...     y = tf.reduce_sum(x * 2 + 1, axis=1, keepdims=True)
    >>> y.name, y.shape.as_list(), y.numpy().ravel().tolist()
    ('Sum:0', [2, 1], [8.0, 16.0])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from varscope._dtypes import DType, as_dtype, bool as tf_bool, float32, float64, int32, int64
from varscope._variables import Variable
from varscope.backends import get_backend
from varscope.compat._op import (array_module, convert, inputs, list_inputs, op_name, raw, result, results, scope,
                                 shape_error, typed_input)
from varscope.compat._tensor import Tensor

__all__ = [
    "add", "subtract", "multiply", "divide", "truediv", "floordiv", "floormod", "mod", "pow", "negative", "abs",
    "matmul", "less", "less_equal", "greater", "greater_equal", "equal", "not_equal", "logical_and", "logical_or",
    "logical_xor", "logical_not", "cast", "reduce_sum", "reduce_mean", "maximum", "minimum", "reduce_max", "reduce_min",
    "reduce_prod", "reduce_all", "reduce_any", "reduce_logsumexp", "reduce_std", "reduce_variance", "add_n", "cumsum",
    "cumprod", "argmax", "argmin", "top_k", "sort", "argsort", "einsum", "tensordot", "exp", "log", "log1p", "expm1",
    "sqrt", "rsqrt", "square", "sin", "cos", "tan", "tanh", "sigmoid", "floor", "ceil", "round", "sign",
    "reciprocal", "erf", "asin", "acos", "atan", "atan2", "is_nan", "is_inf", "is_finite", "squared_difference",
    "clip_by_value", "clip_by_norm", "global_norm", "clip_by_global_norm",
]


def _binary(op_type: str, fn: Any, x: Any, y: Any, name: Any, default: str | None = None,
            out_dtype: DType | None = None) -> Tensor:
    (a, b), dtype, xp = inputs(op_type, x=x, y=y)
    return result(fn(xp, a, b), op_type, name, default, out_dtype if out_dtype is not None else dtype)


def add(x: Any, y: Any, name: Any = None) -> Tensor:
    """``x + y`` elementwise (TF's ``AddV2``; strings are concatenated by ``Add``)."""
    (a, b), dtype, xp = inputs("AddV2", x=x, y=y)
    if dtype.name == "string":
        return result(np.char.add(np.asarray(a, bytes), np.asarray(b, bytes)).astype(object), "Add", name, dtype=dtype)
    return result(xp.add(a, b), "AddV2", name, "Add", dtype=dtype)


def subtract(x: Any, y: Any, name: Any = None) -> Tensor:
    """``x - y`` elementwise (``Sub``)."""
    return _binary("Sub", lambda xp, a, b: xp.subtract(a, b), x, y, name)


def multiply(x: Any, y: Any, name: Any = None) -> Tensor:
    """``x * y`` elementwise (``Mul``)."""
    return _binary("Mul", lambda xp, a, b: xp.multiply(a, b), x, y, name)


_TRUEDIV = {"uint8": float32, "int8": float32, "uint16": float32, "int16": float32, "uint32": float64,
            "int32": float64, "uint64": float64, "int64": float64, "bfloat16": None, "float16": None,
            "float32": None, "float64": None, "complex64": None, "complex128": None}


def truediv(x: Any, y: Any, name: Any = None) -> Tensor:
    """``x / y`` with Python 3 semantics: integers are cast to floating point first (int32 -> float64), as TF.

    Raises:
        TypeError: When ``x`` and ``y`` have different dtypes.
    """
    with scope(name, "truediv") as s:
        a, x_dtype = convert(x)
        if isinstance(y, Tensor):
            b, y_dtype = convert(y)
        else:
            try:
                b, y_dtype = convert(y, x_dtype)
            except (TypeError, ValueError):
                b, y_dtype = convert(y)
        if x_dtype != y_dtype:
            raise TypeError(f"`x` and `y` must have the same dtype, got {x_dtype!r} != {y_dtype!r}.")
        if x_dtype.name not in _TRUEDIV:
            raise TypeError(f"Invalid dtype {x_dtype!r} in __truediv__. Expected one of "
                            f"{{{', '.join(repr(as_dtype(k)) for k in _TRUEDIV)}}}.")
        target = _TRUEDIV[x_dtype.name]
        if target is not None:
            a, b = cast(a, target), cast(b, target)
        return _binary("RealDiv", lambda xp, p, q: xp.true_divide(p, q), a, b, s)


def divide(x: Any, y: Any, name: Any = None) -> Tensor:
    """``x / y`` (Python 3 semantics, as :func:`truediv`)."""
    if name is not None:
        return _binary("RealDiv", lambda xp, a, b: xp.true_divide(a, b), x, y, name)
    return truediv(x, y)


def floordiv(x: Any, y: Any, name: Any = None) -> Tensor:
    """``x // y`` (``FloorDiv``)."""
    with scope(name, "floordiv") as s:
        return _binary("FloorDiv", lambda xp, a, b: xp.floor_divide(a, b), x, y, s)


def floormod(x: Any, y: Any, name: Any = None) -> Tensor:
    """``x % y`` with the sign of ``y`` (``FloorMod``)."""
    return _binary("FloorMod", lambda xp, a, b: xp.mod(a, b), x, y, name)


mod = floormod


def pow(x: Any, y: Any, name: Any = None) -> Tensor:  # noqa: A001 - TF's name
    """``x ** y`` (``Pow``)."""
    with scope(name, "Pow") as s:
        return _binary("Pow", lambda xp, a, b: xp.power(a, b), x, y, s)


def negative(x: Any, name: Any = None) -> Tensor:
    """``-x`` (``Neg``)."""
    a, dtype = convert(x)
    return result(-a, "Neg", name, dtype=dtype)


def abs(x: Any, name: Any = None) -> Tensor:  # noqa: A001 - TF's name
    """``|x|`` (``Abs``; ``ComplexAbs`` for complex input, giving the real dtype)."""
    with scope(name, "Abs") as s:
        a, dtype = convert(x)
        if dtype.is_complex:
            return result(np.abs(a) if isinstance(a, np.ndarray) else a.__abs__(), "ComplexAbs", s,
                          dtype=dtype.real_dtype)
        return result(a.__abs__(), "Abs", s, dtype=dtype)


def _compare(op_type: str, fn: Any) -> Any:
    def op(x: Any, y: Any, name: Any = None) -> Tensor:
        return _binary(op_type, fn, x, y, name, out_dtype=tf_bool)

    op.__name__ = op_type
    return op


less = _compare("Less", lambda xp, a, b: xp.less(a, b))
less_equal = _compare("LessEqual", lambda xp, a, b: xp.less_equal(a, b))
greater = _compare("Greater", lambda xp, a, b: xp.greater(a, b))
greater_equal = _compare("GreaterEqual", lambda xp, a, b: xp.greater_equal(a, b))
equal = _compare("Equal", lambda xp, a, b: xp.equal(a, b))
not_equal = _compare("NotEqual", lambda xp, a, b: xp.not_equal(a, b))


def maximum(x: Any, y: Any, name: Any = None) -> Tensor:
    """The elementwise maximum (``Maximum``)."""
    return _binary("Maximum", lambda xp, a, b: xp.maximum(a, b), x, y, name)


def minimum(x: Any, y: Any, name: Any = None) -> Tensor:
    """The elementwise minimum (``Minimum``)."""
    return _binary("Minimum", lambda xp, a, b: xp.minimum(a, b), x, y, name)


def _logical(op_type: str, fn: Any) -> Any:
    def op(x: Any, y: Any, name: Any = None) -> Tensor:
        a, b = typed_input(op_type, "x", x, tf_bool), typed_input(op_type, "y", y, tf_bool)
        return result(fn(array_module(a, b), a, b), op_type, name, dtype=tf_bool)

    return op


logical_and = _logical("LogicalAnd", lambda xp, a, b: xp.logical_and(a, b))
logical_or = _logical("LogicalOr", lambda xp, a, b: xp.logical_or(a, b))


def logical_xor(x: Any, y: Any, name: str = "LogicalXor") -> Tensor:
    """``(x | y) & ~(x & y)`` (TF builds it from those ops, beside it: the last, a ``LogicalAnd``, is ``name``)."""
    either = logical_or(x, y)
    return logical_and(either, logical_not(logical_and(x, y)), name=name)


def logical_not(x: Any, name: Any = None) -> Tensor:
    """``~x`` for booleans (``LogicalNot``)."""
    a = typed_input("LogicalNot", "x", x, tf_bool)
    return result(~a, "LogicalNot", name, dtype=tf_bool)


def cast(x: Any, dtype: Any, name: Any = None) -> Tensor:
    """``x`` converted to ``dtype`` (``Cast``; the input itself when it has that dtype already)."""
    target = as_dtype(dtype).base_dtype
    if isinstance(x, Tensor) and x.dtype == target:
        return x
    with scope(name, "Cast") as s:
        a, have = convert(x)
        if have == target:  # (a value already of the dtype: TF's converted constant ``Cast/x``)
            return result(a, "Const", s + "x/", dtype=target)
        if have.is_complex and not target.is_complex:
            a = a.real
        return result(a.astype(target.as_numpy_dtype), "Cast", s, dtype=target)


# -- reductions ------------------------------------------------------------------------------------------------
def _axis(axis: Any, keepdims: Any, keep_dims: Any, reduction_indices: Any = None) -> tuple[Any, bool]:
    if keep_dims is not None:
        if keepdims is not None:
            raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'.")
        keepdims = keep_dims
    if reduction_indices is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'reduction_indices'")
        axis = reduction_indices
    if axis is not None:
        a = raw(axis)
        a = np.asarray(a)
        axis = tuple(int(i) for i in a.ravel()) if a.ndim else int(a)
    return axis, bool(keepdims)


def _reduce(op_type: str, fn: Any, input_tensor: Any, axis: Any, keepdims: Any, keep_dims: Any, name: Any,
            reduction_indices: Any = None) -> Tensor:
    axis, keep = _axis(axis, keepdims, keep_dims, reduction_indices)
    a, dtype = convert(input_tensor)
    xp = inputs(op_type, input=a)[2]
    node = op_name(name, op_type)
    for ax in () if axis is None else np.atleast_1d(axis):
        if not -a.ndim <= ax < max(a.ndim, 1):
            raise shape_error(f"Invalid reduction dimension {ax} for input with {a.ndim} dimensions.", node, op_type)
    return result(fn(xp, a, axis, keep, dtype), op_type, node + "/", dtype=dtype)


def reduce_sum(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: Any = None,
               reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """The sum over ``axis`` (all axes when None), keeping reduced axes with ``keepdims`` (``Sum``)."""
    return _reduce("Sum", lambda xp, a, ax, k, dt: xp.sum(a, axis=ax, keepdims=k, dtype=a.dtype), input_tensor, axis,
                   keepdims, keep_dims, name, reduction_indices)


def reduce_mean(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: Any = None,
                reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """The mean over ``axis`` (``Mean``); integer inputs give an integer mean, as TF (truncated)."""
    def mean(xp: Any, a: Any, ax: Any, k: bool, dt: DType) -> Any:
        if dt.is_integer:
            total = xp.sum(a, axis=ax, keepdims=k, dtype=a.dtype)
            count = int(np.prod([a.shape[i] for i in (range(a.ndim) if ax is None else np.atleast_1d(ax))]))
            return (total // count if dt.is_unsigned else xp.trunc(total / count)).astype(a.dtype) if count else total
        return xp.mean(a, axis=ax, keepdims=k)

    return _reduce("Mean", mean, input_tensor, axis, keepdims, keep_dims, name, reduction_indices)


# -- matmul ----------------------------------------------------------------------------------------------------
def matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False, adjoint_a: bool = False,
           adjoint_b: bool = False, a_is_sparse: bool = False, b_is_sparse: bool = False, output_type: Any = None,
           grad_a: bool = False, grad_b: bool = False, name: Any = None) -> Tensor:
    """``a @ b`` over the last two axes, batched over the others (``MatMul`` for rank 2, else ``BatchMatMulV2``).

    Raises:
        ValueError: For ``transpose_a`` with ``adjoint_a`` (or ``_b``), as TF.
    """
    for x_name, t, adj in (("a", transpose_a, adjoint_a), ("b", transpose_b, adjoint_b)):
        if t and adj:
            raise ValueError(f"Only one of `transpose_{x_name}` and `adjoint_{x_name}` can be True. Received "
                             f"`transpose_{x_name}`={t}, `adjoint_{x_name}`={adj}.")
    with scope(name, "MatMul") as s:
        (x, y), dtype, xp = inputs("MatMul", a=a, b=b)
        if adjoint_a:
            x, transpose_a = xp.conj(x), True
        if adjoint_b:
            y, transpose_b = xp.conj(y), True
        if transpose_a:
            x = xp.swapaxes(x, -1, -2)
        if transpose_b:
            y = xp.swapaxes(y, -1, -2)
        op_type = "MatMul" if x.ndim == 2 and y.ndim == 2 else "BatchMatMulV2"
        if x.shape[-1] != y.shape[-2]:
            raise shape_error(f"Dimensions must be equal, but are {x.shape[-1]} and {y.shape[-2]}", s[:-1], op_type)
        return result(xp.matmul(x, y), op_type, s, dtype=dtype)


# -- operators ---------------------------------------------------------------------------------------------------
def _install_operators() -> None:
    """Give :class:`Tensor` TF's operators (as TF's ``math_ops`` overrides them on its Tensor)."""

    def binary(op_name: str, func: Any) -> None:
        def forward(x: Tensor, y: Any) -> Any:
            with scope(None, op_name) as s:
                return func(x, y, name=s)

        def reflected(y: Tensor, x: Any) -> Any:
            with scope(None, op_name) as s:
                x_value, _ = convert(x, y.dtype)
                return func(x_value, y, name=s)

        setattr(Tensor, f"__{op_name}__", forward)
        setattr(Tensor, f"__r{op_name}__", reflected)

    def mul(x: Any, y: Any, name: Any = None) -> Tensor:
        return multiply(x, y, name=name)

    for op_name, func in [("add", add), ("sub", subtract), ("mul", mul), ("truediv", truediv),
                          ("floordiv", floordiv), ("mod", floormod), ("pow", pow), ("matmul", matmul),
                          ("and", logical_and), ("or", logical_or), ("xor", logical_xor)]:
        binary(op_name, func)
    setattr(Tensor, "__neg__", lambda x: negative(x))
    setattr(Tensor, "__abs__", lambda x: abs(x))
    setattr(Tensor, "__invert__", lambda x: logical_not(x))
    for op_name, func in [("lt", less), ("le", less_equal), ("gt", greater), ("ge", greater_equal)]:
        setattr(Tensor, f"__{op_name}__", lambda x, y, f=func: f(x, y))


_install_operators()


# -- more reductions ----------------------------------------------------------------------------------------------
def _reducer(op_type: str, fn_name: str, bool_only: bool = False) -> Any:
    def op(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: Any = None,
           reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
        def fn(xp: Any, a: Any, ax: Any, k: bool, dt: DType) -> Any:
            return getattr(xp, fn_name)(a, axis=ax, keepdims=k)

        if bool_only:
            input_tensor = typed_input(op_type, "input", input_tensor, tf_bool)
        return _reduce(op_type, fn, input_tensor, axis, keepdims, keep_dims, name, reduction_indices)

    return op


reduce_max = _reducer("Max", "max")
reduce_min = _reducer("Min", "min")
reduce_prod = _reducer("Prod", "prod")
reduce_all = _reducer("All", "all", bool_only=True)
reduce_any = _reducer("Any", "any", bool_only=True)


def reduce_logsumexp(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: Any = None,
                     reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """``log(sum(exp(x)))`` over ``axis``, computed stably (TF's ops: the result is ``ReduceLogSumExp/add``)."""
    ax, keep = _axis(axis, keepdims, keep_dims, reduction_indices)
    with scope(name, "ReduceLogSumExp") as s:
        a, dtype = convert(input_tensor)
        xp = inputs("Max", input=a)[2]
        m = xp.max(a, axis=ax, keepdims=True)
        m = xp.where(xp.isfinite(m), m, xp.zeros_like(m))
        out = xp.log(xp.sum(xp.exp(a - m), axis=ax, keepdims=True)) + m
        if not keep:
            out = xp.squeeze(out, axis=ax) if ax is not None else xp.reshape(out, ())
        return result(out, "AddV2", s, dtype=dtype)


def reduce_std(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: Any = None) -> Tensor:
    """The standard deviation over ``axis`` (TF's ops: the result is ``reduce_std/Sqrt``)."""
    with scope(name, "reduce_std") as s:
        a, dtype = convert(input_tensor)
        ax, keep = _axis(axis, keepdims, None)
        xp = inputs("Mean", input=a)[2]
        return result(xp.std(a, axis=ax, keepdims=keep), "Sqrt", s + "Sqrt/", dtype=dtype)


def reduce_variance(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: Any = None) -> Tensor:
    """The variance over ``axis`` (TF's ops: the result is ``reduce_variance/reduce_mean_1``... a ``Mean``)."""
    with scope(name, "reduce_variance") as s:
        a, dtype = convert(input_tensor)
        ax, keep = _axis(axis, keepdims, None)
        xp = inputs("Mean", input=a)[2]
        op_name(None, "Mean")
        return result(xp.var(a, axis=ax, keepdims=keep), "Mean", None, "Mean_1", dtype=dtype)


def add_n(inputs: Any, name: Any = None) -> Tensor:  # noqa: A002 - TF's name
    """The sum of the tensors of ``inputs`` (``AddN``; one input gives ``Identity``)."""
    values = list(inputs)
    if not values:
        raise ValueError("inputs must be an iterable of at least one Tensor/IndexedSlices with the same dtype and "
                         "shape")
    if len(values) == 1:  # (TF returns the converted input itself; an Identity only when named)
        a, dtype = convert(values[0])
        if name:
            return result(a, "Identity", name, dtype=dtype)
        return values[0] if isinstance(values[0], Tensor) else result(a, "Const", None, dtype=dtype)
    for v in values:  # (TF converts each non-Tensor input to a Const first, outside any scope)
        if not isinstance(v, (Tensor, Variable)):
            op_name(None, "Const")
    arrays, dtype, xp = list_inputs("AddN", "inputs", values)
    total = arrays[0]
    for a in arrays[1:]:
        total = total + a
    return result(total, "AddN", name, dtype=dtype)


def cumsum(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False, name: Any = None) -> Tensor:
    """The running sum along ``axis`` (``Cumsum``; ``exclusive`` starts at 0, ``reverse`` runs backwards)."""
    with scope(name, "Cumsum") as s:
        a, dtype = convert(x)
        xp = inputs("Cumsum", x=a)[2]
        ax = int(np.asarray(raw(axis)))
        b = xp.flip(a, ax) if reverse else a
        out = xp.cumsum(b, axis=ax, dtype=a.dtype)
        if exclusive:
            out = out - b
        if reverse:
            out = xp.flip(out, ax)
        return result(out, "Cumsum", s, dtype=dtype)


def cumprod(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False, name: Any = None) -> Tensor:
    """The running product along ``axis`` (``Cumprod``)."""
    with scope(name, "Cumprod") as s:
        a, dtype = convert(x)
        xp = inputs("Cumprod", x=a)[2]
        ax = int(np.asarray(raw(axis)))
        b = xp.flip(a, ax) if reverse else a
        if exclusive:
            pad = [(0, 0)] * b.ndim
            pad[ax] = (1, 0)
            b = xp.take(xp.pad(b, pad, constant_values=1), np.arange(b.shape[ax]), axis=ax)
        out = xp.cumprod(b, axis=ax, dtype=a.dtype)
        if reverse:
            out = xp.flip(out, ax)
        return result(out, "Cumprod", s, dtype=dtype)


def _arg(op_type: str, fn_name: str) -> Any:
    def op(input: Any, axis: Any = None, name: Any = None, dimension: Any = None,  # noqa: A002
           output_type: Any = int64) -> Tensor:
        if dimension is not None:
            if axis is not None:
                raise ValueError("Cannot specify both 'axis' and 'dimension'")
            axis = dimension
        a, dtype = convert(input)
        xp = inputs(op_type, input=a)[2]
        ax = 0 if axis is None else int(np.asarray(raw(axis)))
        out_dtype = as_dtype(output_type)
        return result(getattr(xp, fn_name)(a, axis=ax).astype(out_dtype.as_numpy_dtype)
                      if isinstance(a, np.ndarray) else getattr(xp, fn_name)(a, axis=ax),
                      op_type, name, dtype=out_dtype)

    return op


argmax = _arg("ArgMax", "argmax")
argmin = _arg("ArgMin", "argmin")


def top_k(input: Any, k: int = 1, sorted: bool = True, index_type: Any = int32, name: Any = None  # noqa: A002
          ) -> TopKV2:
    """The ``k`` largest entries of the last axis and their indices (``TopKV2``: ``values``, ``indices``; ties
    keep the lower index first)."""
    a, dtype = convert(input)
    xp = inputs("TopKV2", input=a)[2]
    kk = int(np.asarray(raw(k)))
    order = xp.argsort(-a, axis=-1, stable=True) if xp is np else xp.argsort(-a, axis=-1, stable=True)
    idx = order[..., :kk]
    values = xp.take_along_axis(a, idx, axis=-1)
    idx_dtype = as_dtype(index_type)
    return TopKV2(*results([values, idx.astype(idx_dtype.as_numpy_dtype)], "TopKV2", name, dtypes=[dtype, idx_dtype]))


class TopKV2(tuple):  # type: ignore[type-arg]
    """``(values, indices)`` of :func:`top_k`, also as ``.values`` and ``.indices``."""

    def __new__(cls, values: Tensor, indices: Tensor) -> TopKV2:
        return super().__new__(cls, (values, indices))

    @property
    def values(self) -> Tensor:  # type: ignore[override]
        """The ``k`` largest values."""
        return self[0]  # type: ignore[no-any-return]

    @property
    def indices(self) -> Tensor:
        """Their indices."""
        return self[1]  # type: ignore[no-any-return]


def _sort_names(s: str, ascending: bool, last_axis: bool) -> None:
    """Mark the names of the ops TF builds inside ``sort`` / ``argsort`` before its result."""
    if not last_axis:
        for n in ("transpose", "TopKV2"):
            op_name(None, n)
    if ascending:
        op_name(None, "Neg")


def sort(values: Any, axis: int = -1, direction: str = "ASCENDING", name: Any = None) -> Tensor:
    """``values`` sorted along ``axis`` (TF builds it on ``TopKV2``: ascending is ``sort/Neg_1``, descending
    ``sort/TopKV2``, another axis ``sort/transpose_1``)."""
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"Argument `direction` should be one of ASCENDING, DESCENDING. Received: direction={direction}")
    with scope(name, "sort") as s:
        a, dtype = convert(values)
        xp = inputs("TopKV2", input=a)[2]
        out = xp.sort(a, axis=axis)
        if direction == "DESCENDING":
            out = xp.flip(out, axis)
        last = axis in (-1, a.ndim - 1)
        ascending = direction == "ASCENDING"
        _sort_names(s, ascending, last)
        if not last:
            return result(out, "Transpose", None, "transpose", dtype=dtype)
        if ascending:
            op_name(None, "TopKV2")
            return result(out, "Neg", None, "Neg", dtype=dtype)
        return result(out, "TopKV2", None, "TopKV2", dtype=dtype)


def argsort(values: Any, axis: int = -1, direction: str = "ASCENDING", stable: bool = False, name: Any = None
            ) -> Tensor:
    """The indices that sort ``values`` along ``axis`` (int32; ties in index order): ``argsort/TopKV2:1``, or
    ``argsort/transpose_1`` for another axis."""
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"Argument `direction` should be one of ASCENDING, DESCENDING. Received: direction={direction}")
    with scope(name, "argsort") as s:
        a, dtype = convert(values)
        xp = inputs("TopKV2", input=a)[2]
        key = a if direction == "ASCENDING" else -a
        out = xp.argsort(key, axis=axis, stable=True).astype(np.int32)
        last = axis in (-1, a.ndim - 1)
        if direction == "ASCENDING":
            op_name(None, "Neg")
        if not last:
            op_name(None, "transpose")
            op_name(None, "TopKV2")
            return result(out, "Transpose", None, "transpose", dtype=int32)
        values_out = xp.take_along_axis(a, out, axis=-1)
        return results([values_out, out], "TopKV2", None, dtypes=[dtype, int32])[1]


# -- contractions ---------------------------------------------------------------------------------------------------
def einsum(equation: str, *inputs: Any, **kwargs: Any) -> Tensor:  # noqa: A002 - TF's name
    """Einstein summation over ``inputs`` (``einsum/Einsum``)."""
    name = kwargs.pop("name", None)
    with scope(name, "einsum"):
        arrays, dtype, xp = list_inputs("Einsum", "inputs", list(inputs))
        return result(xp.einsum(equation, *arrays), "Einsum", None, dtype=dtype)


def tensordot(a: Any, b: Any, axes: Any, name: Any = None) -> Tensor:
    """The sum of products over ``axes`` of ``a`` and ``b`` (the result is ``Tensordot``, a ``Reshape``)."""
    with scope(name, "Tensordot") as s:
        (x, y), dtype, xp = inputs("MatMul", a=a, b=b)
        ax = axes if isinstance(axes, int) else [list(np.atleast_1d(np.asarray(raw(v)))) for v in axes]
        out = xp.tensordot(x, y, axes=ax)
        if x.ndim == 2 and y.ndim == 2 and out.ndim == 2:  # (TF needs no reshape: its result is the MatMul)
            return result(out, "MatMul", None, dtype=dtype)
        return result(out, "Reshape", s, dtype=dtype)


# -- elementwise functions -------------------------------------------------------------------------------------
def _unary(op_type: str, fn: Any, out_dtype: DType | None = None) -> Any:
    def op(x: Any, name: Any = None) -> Tensor:
        a, dtype = convert(x)
        xp = inputs(op_type, x=a)[2]
        return result(fn(xp, a), op_type, name, dtype=out_dtype or dtype)

    op.__name__ = op_type
    op.__doc__ = f"TF's ``{op_type}``, elementwise."
    return op


exp = _unary("Exp", lambda xp, a: xp.exp(a))
log = _unary("Log", lambda xp, a: xp.log(a))
log1p = _unary("Log1p", lambda xp, a: xp.log1p(a))
expm1 = _unary("Expm1", lambda xp, a: xp.expm1(a))
sqrt = _unary("Sqrt", lambda xp, a: xp.sqrt(a))
rsqrt = _unary("Rsqrt", lambda xp, a: 1 / xp.sqrt(a))
square = _unary("Square", lambda xp, a: xp.square(a))
sin = _unary("Sin", lambda xp, a: xp.sin(a))
cos = _unary("Cos", lambda xp, a: xp.cos(a))
tan = _unary("Tan", lambda xp, a: xp.tan(a))
tanh = _unary("Tanh", lambda xp, a: xp.tanh(a))
sigmoid = _unary("Sigmoid", lambda xp, a: 1 / (1 + xp.exp(-a)))
floor = _unary("Floor", lambda xp, a: xp.floor(a))
ceil = _unary("Ceil", lambda xp, a: xp.ceil(a))
round = _unary("Round", lambda xp, a: xp.round(a))  # noqa: A001 - TF's name (half to even, as NumPy)
sign = _unary("Sign", lambda xp, a: xp.sign(a))
reciprocal = _unary("Reciprocal", lambda xp, a: 1 / a)
erf = _unary("Erf", lambda xp, a: _erf(xp, a))
asin = _unary("Asin", lambda xp, a: xp.arcsin(a))
acos = _unary("Acos", lambda xp, a: xp.arccos(a))
atan = _unary("Atan", lambda xp, a: xp.arctan(a))
is_nan = _unary("IsNan", lambda xp, a: xp.isnan(a), tf_bool)
is_inf = _unary("IsInf", lambda xp, a: xp.isinf(a), tf_bool)
is_finite = _unary("IsFinite", lambda xp, a: xp.isfinite(a), tf_bool)


def _erf(xp: Any, a: Any) -> Any:
    if xp is np:
        return np.vectorize(math.erf, otypes=[a.dtype])(a)
    jax_backend: Any = get_backend("jax")  # (loaded whenever xp is jax.numpy)
    return jax_backend.erf(a)


def squared_difference(x: Any, y: Any, name: Any = None) -> Tensor:
    """``(x - y) ** 2`` elementwise (``SquaredDifference``)."""
    return _binary("SquaredDifference", lambda xp, a, b: xp.square(a - b), x, y, name)


def atan2(y: Any, x: Any, name: Any = None) -> Tensor:
    """``atan(y / x)`` in the right quadrant (``Atan2``)."""
    return _binary("Atan2", lambda xp, a, b: xp.arctan2(a, b), y, x, name)


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any, name: Any = None) -> Tensor:
    """``t`` clipped to ``[clip_value_min, clip_value_max]`` (TF's ops: ``clip_by_value/Minimum`` then the result
    ``clip_by_value``, a ``Maximum``)."""
    with scope(name, "clip_by_value") as s:
        (a, lo, hi), dtype, xp = inputs("Minimum", t=t, clip_value_min=clip_value_min, clip_value_max=clip_value_max)
        op_name(None, "Minimum")
        return result(xp.maximum(xp.minimum(a, hi), lo), "Maximum", s, dtype=dtype)


def clip_by_norm(t: Any, clip_norm: Any, axes: Any = None, name: Any = None) -> Tensor:
    """``t * clip_norm / max(l2norm(t), clip_norm)`` (the result is ``clip_by_norm``, an ``Identity``)."""
    with scope(name, "clip_by_norm") as s:
        (a, c), dtype, xp = inputs("Mul", t=t, clip_norm=clip_norm)
        ax = None if axes is None else tuple(np.atleast_1d(np.asarray(raw(axes))).tolist())
        l2sum = xp.sum(a * a, axis=ax, keepdims=True)
        pred = l2sum > 0
        l2sum_safe = xp.where(pred, l2sum, xp.ones_like(l2sum))
        l2norm = xp.where(pred, xp.sqrt(l2sum_safe), l2sum)
        out = a * c / xp.maximum(l2norm, c)
        return result(out, "Identity", s, dtype=dtype)


def global_norm(t_list: Any, name: Any = None) -> Tensor:
    """``sqrt(sum(l2norm(t) ** 2))`` over ``t_list`` (the result is ``global_norm/global_norm``)."""
    with scope(name, "global_norm") as s:
        values = [v for v in t_list if v is not None]
        arrays, dtype, xp = list_inputs("AddN", "inputs", values)
        total = sum((xp.sum(a * a) for a in arrays[1:]), xp.sum(arrays[0] * arrays[0]))
        return result(xp.sqrt(total), "Sqrt", s + "global_norm/", dtype=dtype)


def clip_by_global_norm(t_list: Any, clip_norm: Any, use_norm: Any = None, name: Any = None
                        ) -> tuple[list[Any], Tensor]:
    """Scale every tensor of ``t_list`` by ``clip_norm / max(global_norm, clip_norm)``; returns ``(clipped, norm)``.

    ``None`` entries stay None, as in TF.

    Raises:
        TypeError: When ``t_list`` is not a sequence (TF's message).
    """
    if not isinstance(t_list, (list, tuple)) or isinstance(t_list, str):
        raise TypeError("`t_list` should be a sequence of tensors. Received {}.".format(type(t_list)))
    values = list(t_list)
    norm = global_norm(values, name) if use_norm is None else convert_to_tensor(use_norm)  # (before TF's scope)
    with scope(name, "clip_by_global_norm") as s:
        (c,), _, _ = inputs("Mul", clip_norm=clip_norm)
        n = raw(norm)
        xp = inputs("Mul", n=n)[2]
        scale = c * xp.minimum(1.0 / n, xp.ones_like(n) / c)
        out: list[Any] = []
        for i, v in enumerate(values):
            if v is None:
                out.append(None)
                continue
            a, dtype = convert(v)
            out.append(result(a * scale.astype(a.dtype), "Identity", f"{s}clip_by_global_norm/_{i}/", dtype=dtype))
        return out, norm


def convert_to_tensor(value: Any) -> Tensor:
    """``value`` as a Tensor (used by the clipping ops for ``use_norm``)."""
    if isinstance(value, Tensor):
        return value
    a, dtype = convert(value)
    return result(a, "Const", None, dtype=dtype)
