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

from typing import Any

import numpy as np

from varscope._dtypes import DType, as_dtype, bool as tf_bool, float32, float64
from varscope.compat._op import convert, inputs, raw, result, scope
from varscope.compat._tensor import Tensor

__all__ = [
    "add", "subtract", "multiply", "divide", "truediv", "floordiv", "floormod", "mod", "pow", "negative", "abs",
    "matmul", "less", "less_equal", "greater", "greater_equal", "equal", "not_equal", "logical_and", "logical_or",
    "logical_xor", "logical_not", "cast", "reduce_sum", "reduce_mean", "maximum", "minimum",
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
    return result(xp.add(a, b), "AddV2", name, dtype=dtype)


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
        (a, b), dtype, xp = inputs(op_type, x=x, y=y)
        if dtype != tf_bool:
            raise TypeError(f"Value passed to parameter 'x' has DataType {dtype.name} not in list of allowed values: "
                            "bool")
        return result(fn(xp, a, b), op_type, name, dtype=tf_bool)

    return op


logical_and = _logical("LogicalAnd", lambda xp, a, b: xp.logical_and(a, b))
logical_or = _logical("LogicalOr", lambda xp, a, b: xp.logical_or(a, b))


def logical_xor(x: Any, y: Any, name: str = "LogicalXor") -> Tensor:
    """``(x | y) & ~(x & y)`` (TF builds it from those ops)."""
    with scope(name, "LogicalXor") as s:
        return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=s)


def logical_not(x: Any, name: Any = None) -> Tensor:
    """``~x`` for booleans (``LogicalNot``)."""
    a, dtype = convert(x)
    if dtype != tf_bool:
        raise TypeError(f"Value passed to parameter 'x' has DataType {dtype.name} not in list of allowed values: bool")
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
            raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'")
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
    return result(fn(xp, a, axis, keep, dtype), op_type, name, dtype=dtype)


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
    if transpose_a and adjoint_a:
        raise ValueError("Only one of transpose_a and adjoint_a can be True.")
    if transpose_b and adjoint_b:
        raise ValueError("Only one of transpose_b and adjoint_b can be True.")
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
