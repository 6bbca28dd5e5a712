"""TF's array ops (``tf.shape``, ``tf.reshape``, ``tf.concat``, ``tf.gather``, slicing ...), computed with NumPy or
``jax.numpy`` (see :mod:`varscope.compat._op`).

Shapes are static on both backends: ``tf.shape(x)`` is a NumPy ``int32`` value even under ``jit``, so shape
arithmetic stays concrete and ``tf.reshape(x, [tf.shape(x)[0], -1])`` compiles to a static reshape.

Example:
    >>> from varscope.compat import v1 as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.reshape(tf.constant([1, 2, 3, 4, 5, 6]), [2, -1])
    ...     y = x[:, 1:]
    >>> x.name, y.name, y.shape.as_list(), y.numpy().tolist()
    ('Reshape:0', 'strided_slice:0', [2, 2], [[2, 3], [5, 6]])
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from varscope._convert import to_numpy
from varscope._dtypes import as_dtype, bool as tf_bool, int16, int32, int64
from varscope._shape import Dimension, TensorShape
from varscope.compat._op import array_module, convert, inputs, is_array, op_name, raw, result, scope, shape_error
from varscope.compat._tensor import Tensor

__all__ = ["constant", "shape", "reshape", "identity", "strided_slice", "size", "rank", "newaxis", "boolean_mask",
           "transpose", "zeros", "ones", "fill", "concat", "stack"]

newaxis = None


def constant(value: Any, dtype: Any = None, shape: Any = None, name: str = "Const", verify_shape: bool = False
             ) -> Tensor:
    """``tf.constant``: ``value`` (a Python value, NumPy or JAX array) as a Tensor of op type ``Const``.

    Raises:
        TypeError: For a value TF cannot convert to ``dtype``, or (``verify_shape``) of another shape.
    """
    want = None if dtype is None else as_dtype(dtype).base_dtype
    if is_array(value) and not isinstance(value, (np.ndarray, np.generic)):
        arr, have = convert(value, want)
    else:
        arr = to_numpy(raw(value), want)
        have = want if want is not None else as_dtype(arr.dtype)
    if shape is not None:
        dims = [int(d) for d in TensorShape(shape).as_list()]  # type: ignore[arg-type]
        if verify_shape and list(arr.shape) != dims:
            raise TypeError(f"Expected Tensor's shape: {tuple(dims)}, got {tuple(arr.shape)}.")
        size = int(np.prod(arr.shape))
        if size == 1 or arr.ndim == 0:
            xp = array_module(arr)
            arr = xp.broadcast_to(xp.reshape(arr, ()), dims)
        elif size == int(np.prod(dims)):
            arr = arr.reshape(dims)
        else:
            raise TypeError(f"Eager execution of tf.constant with unsupported shape. Tensor {value!r} (converted "
                            f"from {value!r}) has {size} elements, but got `shape` {tuple(dims)} with "
                            f"{int(np.prod(dims))} elements).")
    return result(arr, "Const", name, dtype=have)


def shape(input: Any, name: Any = None, out_type: Any = None) -> Tensor:  # noqa: A002 - TF's name
    """The shape of ``input`` as a 1-D int32 (``out_type``) Tensor whose value is always concrete (``Shape``)."""
    dtype = int32 if out_type is None else as_dtype(out_type)
    arr, _ = convert(input)
    # (TF folds the Shape op of a fully known shape into a constant named Shape; shapes here are always known)
    return result(np.asarray(arr.shape, dtype.as_numpy_dtype), "Const", name, "Shape", dtype=dtype)


def size(input: Any, name: Any = None, out_type: Any = None) -> Tensor:  # noqa: A002
    """The number of elements of ``input`` (``Size``), concrete."""
    dtype = int32 if out_type is None else as_dtype(out_type)
    arr, _ = convert(input)
    return result(np.asarray(int(np.prod(arr.shape)), dtype.as_numpy_dtype), "Size", name, dtype=dtype)


def rank(input: Any, name: Any = None) -> Tensor:  # noqa: A002
    """The rank of ``input`` (``Rank``), concrete."""
    arr, _ = convert(input)
    return result(np.asarray(arr.ndim, np.int32), "Rank", name, dtype=int32)


def _static_ints(value: Any, what: str) -> list[int]:
    """A shape-like value (list with ints, Dimensions, concrete Tensors) as Python ints."""
    arr, _ = convert(value)
    try:
        return [int(v) for v in np.asarray(arr).ravel()]
    except Exception as err:  # a tracer: the value is not known while tracing
        raise TypeError(f"{what} must be known while the function is traced (JAX needs static shapes): build it "
                        "from Python ints, x.shape or tf.shape(x), not from computed values.") from err


def reshape(tensor: Any, shape: Any, name: Any = None) -> Tensor:
    """``tensor`` with the same values in ``shape`` (one entry may be -1) (``Reshape``).

    Raises:
        ValueError: When the sizes do not match, with TF's message.
    """
    arr, dtype = convert(tensor)
    dims = _static_ints(shape, "The shape of tf.reshape")
    node = op_name(name, "Reshape")
    total = int(np.prod(arr.shape))
    known = int(np.prod([d for d in dims if d != -1]))
    if dims.count(-1) > 1:
        raise shape_error("Cannot infer multiple unknown dimensions in shape " + _list(dims), node, "Reshape")
    if -1 in dims and known and total % known:
        raise shape_error(f"Dimension size must be evenly divisible by {known} but is {total}", node, "Reshape")
    if -1 not in dims and known != total:
        raise shape_error(f"Cannot reshape a tensor with {total} elements to shape {_list(dims)} ({known} elements)",
                          node, "Reshape")
    xp = array_module(arr)
    return result(xp.reshape(arr, dims), "Reshape", node + "/", dtype=dtype)


def _list(dims: list[int]) -> str:
    return "[" + ",".join(str(d) for d in dims) + "]"


def identity(input: Any, name: Any = None) -> Tensor:  # noqa: A002
    """``input`` itself as a new op (``Identity``)."""
    arr, dtype = convert(input)
    return result(arr, "Identity", name, dtype=dtype)


# -- slicing ---------------------------------------------------------------------------------------------------
_SLICE_TYPE_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar tf.int32/tf.int64 "
                     "tensors are valid indices")
_INDEX_DTYPES = (int16, int32, int64)


def _check_index(idx: Any) -> Any:
    """``idx`` as an index (int, or a scalar integer array); TF's TypeError otherwise."""
    if isinstance(idx, Dimension):
        return idx.value
    if isinstance(idx, numbers.Integral):
        return int(idx)
    dtype = getattr(idx, "dtype", None)
    if dtype is None or as_dtype(dtype).base_dtype not in _INDEX_DTYPES or len(getattr(idx, "shape", ())) == 1:
        raise TypeError(_SLICE_TYPE_ERROR + f", got {idx!r}")
    value = raw(idx)
    try:
        return int(value)
    except Exception:  # a tracer: a dynamic index
        return value


def _getitem(tensor: Any, slice_spec: Any) -> Tensor:
    """``tensor[slice_spec]`` with TF's ``strided_slice`` semantics (named ``strided_slice``)."""
    if isinstance(slice_spec, bool) or (isinstance(slice_spec, (Tensor, np.ndarray)) and
                                        as_dtype(slice_spec.dtype) == tf_bool):
        return boolean_mask(tensor, slice_spec)
    spec = tuple(slice_spec) if isinstance(slice_spec, (list, tuple)) else (slice_spec,)
    arr, dtype = convert(tensor)
    with scope(None, "strided_slice") as s:
        key: list[Any] = []
        dim = 0
        ellipsis = False
        for item in spec:
            if isinstance(item, slice):
                key.append(slice(*(None if v is None or (isinstance(v, Dimension) and v.value is None)
                                   else _check_index(v) for v in (item.start, item.stop, item.step))))
                dim += 1
            elif item is Ellipsis:
                if ellipsis:
                    raise ValueError("Multiple ellipses in slice spec not allowed")
                ellipsis = True
                key.append(Ellipsis)
            elif item is None:
                key.append(None)
            else:
                index = _check_index(item)
                key.append(index)
                if isinstance(index, int) and not ellipsis:
                    if dim >= arr.ndim:
                        raise shape_error(f"Index out of range using input dim {dim}; input has only {arr.ndim} "
                                          "dims", s[:-1], "StridedSlice")
                    if not -arr.shape[dim] <= index < arr.shape[dim]:
                        raise shape_error(f"slice index {index} of dimension {dim} out of bounds.", s[:-1],
                                          "StridedSlice")
                dim += 1
        return result(arr[tuple(key)], "StridedSlice", s, dtype=dtype)


def strided_slice(input_: Any, begin: Any, end: Any, strides: Any = None, begin_mask: int = 0, end_mask: int = 0,
                  ellipsis_mask: int = 0, new_axis_mask: int = 0, shrink_axis_mask: int = 0, var: Any = None,
                  name: Any = None) -> Tensor:
    """TF's ``strided_slice`` with its bit masks (``StridedSlice``); the bounds must be concrete."""
    b = _static_ints(begin, "begin")
    e = _static_ints(end, "end")
    st = [1] * len(b) if strides is None else _static_ints(strides, "strides")
    arr, dtype = convert(input_)
    key: list[Any] = []
    for i, (lo, hi, step) in enumerate(zip(b, e, st)):
        bit = 1 << i
        if ellipsis_mask & bit:
            key.append(Ellipsis)
        elif new_axis_mask & bit:
            key.append(None)
        elif shrink_axis_mask & bit:
            key.append(lo)
        else:
            key.append(slice(None if begin_mask & bit else lo, None if end_mask & bit else hi, step))
    return result(arr[tuple(key)], "StridedSlice", name, dtype=dtype)


def boolean_mask(tensor: Any, mask: Any, name: str = "boolean_mask", axis: Any = None) -> Tensor:
    """The entries of ``tensor`` where ``mask`` is True, over the mask's axes from ``axis`` (TF's ``boolean_mask``).

    The result's size depends on the mask's values, so under ``jit`` the mask must be concrete.

    Raises:
        ValueError: For a scalar mask, or one whose shape does not match ``tensor``'s, with TF's message.
    """
    with scope(name, "boolean_mask") as s:
        arr, dtype = convert(tensor)
        m, _ = convert(mask, tf_bool)
        ndims_mask = m.ndim
        if ndims_mask == 0:
            raise ValueError("mask cannot be scalar.")
        start = 0 if axis is None else int(raw(axis))
        if start < 0:
            start += arr.ndim
        part = tuple(arr.shape[start:start + ndims_mask])
        if part != tuple(m.shape):
            raise ValueError(f"Shapes {TensorShape(list(part))} and {TensorShape(list(m.shape))} are incompatible")
        try:
            flat_mask = np.asarray(m).reshape(-1)
        except Exception as err:
            raise TypeError("tf.boolean_mask needs a concrete mask under jit: the size of its result depends on the "
                            "mask's values.") from err
        xp = array_module(arr)
        lead = arr.shape[:start]
        flat = xp.reshape(arr, tuple(lead) + (-1,) + tuple(arr.shape[start + ndims_mask:]))
        indices = np.nonzero(flat_mask)[0]
        return result(xp.take(flat, indices, axis=start), "GatherV2", s + "GatherV2/", dtype=dtype)


def transpose(a: Any, perm: Any = None, name: str = "transpose", conjugate: bool = False) -> Tensor:
    """``a`` with its axes permuted by ``perm`` (reversed when None) (``Transpose``)."""
    with scope(name, "transpose") as s:
        arr, dtype = convert(a)
        axes = list(range(arr.ndim))[::-1] if perm is None else _static_ints(perm, "perm")
        xp = array_module(arr)
        out = xp.transpose(arr, axes)
        if conjugate and dtype.is_complex:
            out = xp.conj(out)
        return result(out, "Transpose", s, dtype=dtype)


def fill(dims: Any, value: Any, name: Any = None) -> Tensor:
    """An array of shape ``dims`` filled with ``value`` (``Fill``)."""
    shape_ = _static_ints(dims, "dims")
    arr, dtype = convert(value)
    xp = array_module(arr)
    return result(xp.full(shape_, arr, dtype=arr.dtype), "Fill", name, dtype=dtype)


def _filled(kind: str, shape_: Any, dtype: Any, name: Any) -> Tensor:
    dt = as_dtype(dtype).base_dtype
    with scope(name, kind) as s:
        dims = _static_ints(shape_, "shape")
        value = np.zeros(dims, dt.as_numpy_dtype) if kind == "zeros" else np.ones(dims, dt.as_numpy_dtype)
        # (TF makes a constant for small shapes and a Fill op for large ones: the size threshold is 1000 elements)
        return result(value, "Const" if value.size < 1000 else "Fill", s, dtype=dt)


def zeros(shape: Any, dtype: Any = "float32", name: Any = None, layout: Any = None) -> Tensor:
    """Zeros of ``shape`` and ``dtype``."""
    return _filled("zeros", shape, dtype, name)


def ones(shape: Any, dtype: Any = "float32", name: Any = None, layout: Any = None) -> Tensor:
    """Ones of ``shape`` and ``dtype``."""
    return _filled("ones", shape, dtype, name)


def concat(values: Any, axis: Any, name: str = "concat") -> Tensor:
    """``values`` joined along ``axis`` (``ConcatV2``; a single value gives ``Identity``)."""
    values = list(values)
    if len(values) == 1:
        with scope(name, "concat") as s:
            return identity(values[0], name=s)
    ax = int(_static_ints(axis, "axis")[0])
    named = {f"values_{i}": v for i, v in enumerate(values)}
    arrays, dtype, xp = _inputs("ConcatV2", named)
    return result(xp.concatenate(arrays, axis=ax), "ConcatV2", name, "concat", dtype=dtype)


def stack(values: Any, axis: int = 0, name: str = "stack") -> Tensor:
    """``values`` stacked along a new ``axis`` (``Pack``)."""
    named = {f"values_{i}": v for i, v in enumerate(values)}
    arrays, dtype, xp = _inputs("Pack", named)
    return result(xp.stack(arrays, axis=axis), "Pack", name, "stack", dtype=dtype)


def _inputs(op_type: str, named: dict[str, Any]) -> Any:
    return inputs(op_type, **named)


setattr(Tensor, "__getitem__", _getitem)
