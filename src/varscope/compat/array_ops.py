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

import builtins
import numbers
from typing import Any

import numpy as np

from varscope._convert import to_numpy
from varscope._dtypes import DType, as_dtype, bool as tf_bool, float32, int16, int32, int64
from varscope._shape import Dimension, TensorShape
from varscope._variables import Variable
from varscope.compat._op import (array_module, convert, inputs, is_array, list_inputs, op_name, raw, result, results,
                                 scope,
                                 shape_error)
from varscope.compat.errors import InvalidArgumentError
from varscope.compat._tensor import Tensor

__all__ = ["constant", "shape", "reshape", "identity", "strided_slice", "size", "rank", "newaxis", "boolean_mask",
           "transpose", "zeros", "ones", "fill", "concat", "stack", "unstack", "split", "gather", "gather_nd", "slice",
           "squeeze", "expand_dims", "tile", "pad", "one_hot", "range", "where", "where_v2", "zeros_like",
           "ones_like", "reverse", "reverse_v2", "sequence_mask", "shape_n"]

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
    """The number of elements of ``input``, concrete (TF folds it into a ``Const`` named ``Size``)."""
    dtype = int32 if out_type is None else as_dtype(out_type)
    arr, _ = convert(input)
    return result(np.asarray(int(np.prod(arr.shape)), dtype.as_numpy_dtype), "Const", name, "Size", dtype=dtype)


def rank(input: Any, name: Any = None) -> Tensor:  # noqa: A002
    """The rank of ``input``, concrete (TF folds it into a ``Const`` named ``Rank``)."""
    arr, _ = convert(input)
    return result(np.asarray(arr.ndim, np.int32), "Const", name, "Rank", dtype=int32)


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
    if isinstance(shape, TensorShape) and not shape.is_fully_defined():  # TF's op-input conversion words it so
        raise ValueError(f"Tried to convert 'shape' to a tensor and failed. Error: Cannot convert a partially known "
                         f"TensorShape {shape} to a Tensor.")
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
            if isinstance(item, builtins.slice):
                key.append(builtins.slice(*(None if v is None or (isinstance(v, Dimension) and v.value is None)
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
            key.append(builtins.slice(None if begin_mask & bit else lo, None if end_mask & bit else hi, step))
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
        out = xp.take(flat, indices, axis=start)
        static = list(out.shape)
        static[start] = None
        return result(out, "GatherV2", s + "GatherV2/", dtype=dtype, shape=static)


def transpose(a: Any, perm: Any = None, name: str = "transpose", conjugate: bool = False) -> Tensor:
    """``a`` with its axes permuted by ``perm`` (reversed when None) (``Transpose``)."""
    with scope(name, "transpose") as s:
        arr, dtype = convert(a)
        axes = list(builtins.range(arr.ndim))[::-1] if perm is None else _static_ints(perm, "perm")
        if len(axes) != arr.ndim:
            raise shape_error(f"Dimension must be {arr.ndim} but is {len(axes)}", s[:-1], "Transpose")
        xp = array_module(arr)
        out = xp.transpose(arr, axes)
        if conjugate and dtype.is_complex:
            out = xp.conj(out)
        return result(out, "Transpose", s, dtype=dtype)


def fill(dims: Any, value: Any, name: Any = None, layout: Any = None) -> Tensor:
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


def zeros(shape: Any, dtype: Any = float32, name: Any = None, layout: Any = None) -> Tensor:
    """Zeros of ``shape`` and ``dtype``."""
    return _filled("zeros", shape, dtype, name)


def ones(shape: Any, dtype: Any = float32, name: Any = None, layout: Any = None) -> Tensor:
    """Ones of ``shape`` and ``dtype``."""
    return _filled("ones", shape, dtype, name)


def concat(values: Any, axis: Any, name: str = "concat") -> Tensor:
    """``values`` joined along ``axis`` (``ConcatV2``; a single value gives ``<scope>/concat``, an ``Identity``).

    Raises:
        TypeError: When the values' dtypes differ, with TF's message.
    """
    values = list(values)
    if len(values) == 1:
        with scope(name, "concat"):
            return identity(values[0], name=name)
    arrays, dtype, xp = list_inputs("ConcatV2", "values", values)
    ax = _axis_of(axis, arrays[0].ndim)
    node = op_name(name, "concat")
    first = list(arrays[0].shape)
    for a in arrays[1:]:
        other = list(a.shape)
        if len(other) != len(first):
            raise shape_error(f"Shape must be rank {len(first)} but is rank {len(other)}", node, "ConcatV2")
        for i, (p, q) in enumerate(zip(first, other)):
            if i != ax and p != q:
                drop = [d for j, d in enumerate(first) if j != ax]
                raise shape_error(f"Dimension {i - (i > ax)} in both shapes must be equal, but are {p} and {q}. "
                                  f"Shapes are {_list(drop)} and {_list([d for j, d in enumerate(other) if j != ax])}.",
                                  node, "ConcatV2")
    return result(xp.concatenate(arrays, axis=ax), "ConcatV2", node + "/", dtype=dtype)


def stack(values: Any, axis: int = 0, name: str = "stack") -> Tensor:
    """``values`` stacked along a new ``axis`` (``Pack``), named as TF names it: a list of Python values along axis
    0 is a ``Const``; when the first value is not a Tensor, TF converts it first (a ``Const`` that takes the name,
    so the ``Pack`` is ``stack_1``)."""
    values = list(values)
    tensors = [isinstance(v, (Tensor, Variable)) for v in values]
    plain = not any(tensors) and not any(is_array(v) and not isinstance(v, np.generic) for v in values)
    if axis == 0 and plain:
        return constant(values, name=name)
    if axis == 0 and any(tensors) and not any(is_array(v) and not t for v, t in zip(values, tensors)):
        arrays, dtype, xp = list_inputs("Pack", "values", values)
        return result(xp.stack(arrays, axis=0), "Pack", name, "stack", dtype=dtype)
    if not tensors[0]:
        op_name(name, "stack")  # (TF's conversion of values[0], a Const of that name)
    arrays, dtype, xp = list_inputs("Pack", "values", values)
    node = op_name(name, "stack")
    first = list(arrays[0].shape)
    for a in arrays[1:]:
        other = list(a.shape)
        if len(other) != len(first):
            raise shape_error(f"Shapes must be equal rank, but are {len(first)} and {len(other)}\n\tFrom merging "
                              "shape 0 with other shapes.", node, "Pack")
        for i, (p, q) in enumerate(zip(first, other)):
            if p != q:
                raise shape_error(f"Dimension {i} in both shapes must be equal, but are {p} and {q}. Shapes are "
                                  f"{_list(first)} and {_list(other)}.\n\tFrom merging shape 0 with other shapes.",
                                  node, "Pack")
    return result(xp.stack(arrays, axis=axis), "Pack", node + "/", dtype=dtype)


def _inputs(op_type: str, named: dict[str, Any]) -> Any:
    return inputs(op_type, **named)


def _axis_of(axis: Any, ndim: int, what: str = "axis") -> int:
    ax = int(_static_ints(axis, what)[0])
    return ax + ndim if ax < 0 else ax


def unstack(value: Any, num: Any = None, axis: int = 0, name: str = "unstack") -> list[Tensor]:
    """The slices of ``value`` along ``axis`` (``Unpack``: outputs ``unstack:0``, ``unstack:1``, ...).

    Raises:
        ValueError: For an axis out of range, or when ``num`` is not the axis' size.
    """
    arr, dtype = convert(value)
    if not -arr.ndim <= axis < arr.ndim:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-arr.ndim}, {arr.ndim})")
    ax = axis + arr.ndim if axis < 0 else axis
    n = arr.shape[ax]
    if num is not None and num != n:
        raise shape_error(f"Dimension must be {num} but is {n}", op_name(name, "unstack"), "Unpack")
    xp = array_module(arr)
    parts = [xp.take(arr, i, axis=ax) for i in builtins.range(n)]
    return results(parts, "Unpack", name, "unstack", [dtype] * n)


def split(value: Any, num_or_size_splits: Any, axis: Any = 0, num: Any = None, name: str = "split") -> list[Tensor]:
    """``value`` cut along ``axis`` into ``num_or_size_splits`` equal parts, or parts of the given sizes (one may be
    -1) (``Split`` / ``SplitV``).

    Raises:
        ValueError: When the axis' size is not divisible, or the sizes do not add up, with TF's message.
    """
    arr, dtype = convert(value)
    ax = _axis_of(axis, arr.ndim)
    xp = array_module(arr)
    size_ = arr.shape[ax]
    if isinstance(num_or_size_splits, (int, np.integer)) and not isinstance(num_or_size_splits, bool):
        n = int(num_or_size_splits)
        node = op_name(name, "split")
        if n <= 0 or size_ % n:
            raise shape_error(f"Dimension size must be evenly divisible by {n} but is {size_}\n\tNumber of ways to "
                              f"split should evenly divide the split dimension", node, "Split")
        parts = xp.split(arr, n, axis=ax)
        return results(list(parts), "Split", node + "/", dtypes=[dtype] * n)
    sizes = _static_ints(num_or_size_splits, "num_or_size_splits")
    node = op_name(name, "split")
    if sizes.count(-1) == 1:
        sizes[sizes.index(-1)] = size_ - (sum(sizes) + 1)
    if sum(sizes) != size_ or any(d < 0 for d in sizes):
        raise shape_error(f"Determined shape must either match input shape along split_dim exactly if fully "
                          f"specified, or be less than the size of the input along split_dim if not fully specified.  "
                          f"Got: {sum(sizes)}", node, "SplitV")
    bounds = np.cumsum(sizes)[:-1].tolist()
    parts = xp.split(arr, bounds, axis=ax)
    return results(list(parts), "SplitV", node + "/", dtypes=[dtype] * len(sizes))


def _concrete_indices(indices: Any, limit: int) -> None:
    """TF's run-time check of gather indices, done when the indices are concrete (JAX would clamp them)."""
    try:
        values = np.asarray(indices)
    except Exception:  # traced indices: checked by no one (as a TF GPU kernel, the result is undefined)
        return
    wrong: Any = np.argwhere((values < 0) | (values >= limit)) if values.size else []
    if len(wrong):
        at = ",".join(str(int(i)) for i in wrong[0])
        raise InvalidArgumentError(None, None, f"indices[{at}] = {int(values[tuple(wrong[0])])} is not in [0, {limit})")


def gather(params: Any, indices: Any, validate_indices: Any = None, name: Any = None, axis: Any = None,
           batch_dims: int = 0) -> Tensor:
    """The slices of ``params`` at ``indices`` along ``axis`` (``GatherV2``).

    Raises:
        InvalidArgumentError: For an index out of range (when the indices are concrete).
    """
    arr, dtype = convert(params)
    idx, idx_dtype = convert(indices)
    if idx_dtype not in (int32, int64, int16):
        raise TypeError(f"Value passed to parameter 'indices' has DataType {idx_dtype.name} not in list of allowed "
                        "values: int16, int32, int64")
    ax = 0 if axis is None else _axis_of(axis, arr.ndim)
    node = op_name(name, "GatherV2")
    xp = array_module(arr, idx)
    _concrete_indices(idx, arr.shape[ax])
    if batch_dims:
        bd = batch_dims + idx.ndim if batch_dims < 0 else batch_dims
        out = _batched_take(xp, arr, idx, ax, bd)
    else:
        out = xp.take(arr, idx, axis=ax)
    return result(out, "GatherV2", node + "/", dtype=dtype)


def _batched_take(xp: Any, arr: Any, idx: Any, axis: int, batch_dims: int) -> Any:
    if batch_dims == 0:
        return xp.take(arr, idx, axis=axis)
    return xp.stack([_batched_take(xp, arr[i], idx[i], axis - 1, batch_dims - 1) for i in builtins.range(arr.shape[0])])


def gather_nd(params: Any, indices: Any, name: Any = None, batch_dims: int = 0, bad_indices_policy: str = "") -> Tensor:
    """The slices of ``params`` at the index tuples of ``indices``' last axis (``GatherNd``)."""
    arr, dtype = convert(params)
    idx, _ = convert(indices)
    node = op_name(name, "GatherNd")
    xp = array_module(arr, idx)
    depth = idx.shape[-1]
    for d in builtins.range(depth):
        try:
            column = np.asarray(idx)[..., d]
        except Exception:
            break
        bad = column[(column < 0) | (column >= arr.shape[batch_dims + d])]
        if bad.size:
            where_ = np.argwhere((column < 0) | (column >= arr.shape[batch_dims + d]))[0]
            raise InvalidArgumentError(None, None, f"indices{list(int(i) for i in where_)} = "
                                       f"{np.asarray(idx)[tuple(where_)].tolist()} does not index into param shape "
                                       f"{list(arr.shape)}, node name: {node}")
    if batch_dims:
        out = xp.stack([gather_nd(arr[i], idx[i], batch_dims=batch_dims - 1)._value
                        for i in builtins.range(arr.shape[0])])
    else:
        out = arr[tuple(idx[..., d] for d in builtins.range(depth))]
    return result(out, "GatherNd", node + "/", dtype=dtype)


def slice(input_: Any, begin: Any, size: Any, name: Any = None) -> Tensor:  # noqa: A001 - TF's name
    """``size`` elements of ``input_`` from ``begin`` in each axis (-1: to the end) (``Slice``)."""
    arr, dtype = convert(input_)
    b = _static_ints(begin, "begin")
    sz = _static_ints(size, "size")
    node = op_name(name, "Slice")
    key = []
    for i, (lo, n) in enumerate(zip(b, sz)):
        hi = arr.shape[i] if n == -1 else lo + n
        if lo < 0 or lo > arr.shape[i]:
            raise InvalidArgumentError(None, None, f"Expected begin[{i}] in [0, {arr.shape[i]}], but got {lo}")
        if hi > arr.shape[i] or n < -1:
            raise InvalidArgumentError(None, None, f"Expected size[{i}] in [0, {arr.shape[i] - lo}], but got {n}")
        key.append(builtins.slice(lo, hi))
    return result(arr[tuple(key)], "Slice", node + "/", dtype=dtype)


def squeeze(input: Any, axis: Any = None, name: Any = None, squeeze_dims: Any = None) -> Tensor:  # noqa: A002
    """``input`` without its size-1 axes (those of ``axis`` only, when given) (``Squeeze``).

    Raises:
        ValueError: For an axis whose size is not 1, with TF's message.
    """
    if squeeze_dims is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'squeeze_dims' and 'axis'")
        axis = squeeze_dims
    arr, dtype = convert(input)
    node = op_name(name, "Squeeze")
    if axis is None:
        axes = tuple(i for i, d in enumerate(arr.shape) if d == 1)
    else:
        axes = tuple(a + arr.ndim if a < 0 else a for a in ([axis] if isinstance(axis, int) else list(axis)))
        for a in axes:
            if arr.shape[a] != 1:
                raise shape_error(f"Can not squeeze dim[{a}], expected a dimension of 1, got {arr.shape[a]}", node,
                                  "Squeeze")
    xp = array_module(arr)
    return result(xp.squeeze(arr, axis=axes), "Squeeze", node + "/", dtype=dtype)


def expand_dims(input: Any, axis: Any = None, name: Any = None, dim: Any = None) -> Tensor:  # noqa: A002
    """``input`` with a new size-1 axis at ``axis`` (``ExpandDims``)."""
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    arr, dtype = convert(input)
    ax = int(_static_ints(axis, "axis")[0])
    xp = array_module(arr)
    return result(xp.expand_dims(arr, ax), "ExpandDims", name, dtype=dtype)


def tile(input: Any, multiples: Any, name: Any = None) -> Tensor:  # noqa: A002
    """``input`` repeated ``multiples[i]`` times along each axis (``Tile``)."""
    arr, dtype = convert(input)
    reps = _static_ints(multiples, "multiples")
    node = op_name(name, "Tile")
    if len(reps) != arr.ndim:
        raise shape_error(f"Shape must be rank {arr.ndim} but is rank {len(reps)}", node, "Tile")
    xp = array_module(arr)
    return result(xp.tile(arr, reps), "Tile", node + "/", dtype=dtype)


def pad(tensor: Any, paddings: Any, mode: str = "CONSTANT", name: Any = None, constant_values: Any = 0) -> Tensor:
    """``tensor`` padded by ``paddings`` (``[[before, after], ...]``): ``CONSTANT``, ``REFLECT`` or ``SYMMETRIC``
    (``Pad`` / ``PadV2`` / ``MirrorPad``)."""
    arr, dtype = convert(tensor)
    widths = np.asarray(_static_ints(paddings, "paddings")).reshape(-1, 2).tolist()
    xp = array_module(arr)
    kind = mode.upper()
    if kind == "CONSTANT":
        value, _ = convert(constant_values, dtype)
        out = xp.pad(arr, widths, mode="constant", constant_values=value)
        op_type = "Pad" if not np.any(np.asarray(value)) else "PadV2"
    elif kind in ("REFLECT", "SYMMETRIC"):
        out = xp.pad(arr, widths, mode=kind.lower())
        op_type = "MirrorPad"
    else:
        raise ValueError(f"Value of argument `mode` expected to be one of \"CONSTANT\", \"REFLECT\", or "
                         f"\"SYMMETRIC\". Received `mode` = {mode}")
    return result(out, op_type, name, dtype=dtype)


def one_hot(indices: Any, depth: Any, on_value: Any = None, off_value: Any = None, axis: Any = None,
            dtype: Any = None, name: Any = None) -> Tensor:
    """``on_value`` where the new axis' position equals ``indices``, else ``off_value`` (``OneHot``)."""
    with scope(name, "one_hot") as s:
        idx, _ = convert(indices)
        if dtype is not None:
            dt = as_dtype(dtype)
        elif on_value is not None:
            dt = convert(on_value)[1]
        elif off_value is not None:
            dt = convert(off_value)[1]
        else:
            dt = float32
        on, _ = convert(1 if on_value is None else on_value, dt)
        off, _ = convert(0 if off_value is None else off_value, dt)
        n = int(_static_ints(depth, "depth")[0])
        xp = array_module(idx, on, off)
        hot = xp.expand_dims(idx, -1) == xp.arange(n, dtype=idx.dtype)
        out = xp.where(hot, on, off).astype(dt.as_numpy_dtype)
        if axis is not None and axis != -1:
            out = xp.moveaxis(out, -1, axis)
        return result(out, "OneHot", s, dtype=dt)


def range(start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None,  # noqa: A001 - TF's name
          name: str = "range") -> Tensor:
    """``start, start + delta, ...`` below ``limit`` (``Range``); with one argument, ``0 .. start``.

    The dtype is the widest of the arguments' (int32 < int64 < float32 < float64), or ``dtype``.
    """
    if limit is None:
        start, limit = 0, start
    with scope(name, "Range") as s:
        values = [convert(v) for v in (start, limit, delta)]
        if dtype is not None:
            dt = as_dtype(dtype)
        else:
            order = ["int32", "int64", "float32", "float64"]
            dt = as_dtype(max((d.name for _, d in values), key=lambda n: order.index(n) if n in order else -1))
        lo, hi, step = (float(np.asarray(v)) if dt.is_floating else int(np.asarray(v)) for v, _ in values)
        if step == 0:
            raise InvalidArgumentError(None, None, "Requires delta != 0: 0")
        out = np.arange(lo, hi, step, dtype=dt.as_numpy_dtype)
        return result(out, "Range", s, dtype=dt)


def where(condition: Any, x: Any = None, y: Any = None, name: Any = None) -> Tensor:
    """TF 1.x ``where``: the coordinates of True entries (``Where``, int64), or ``x`` where ``condition`` is True
    and ``y`` elsewhere (``Select``: ``x`` and ``y`` of one shape, ``condition`` of that shape or a vector over the
    first axis)."""
    cond, _ = convert(condition, tf_bool)
    if x is None and y is None:
        try:
            coords = np.argwhere(np.asarray(cond))
        except Exception as err:
            raise TypeError("tf.where(condition) needs a concrete condition under jit: the number of results "
                            "depends on its values.") from err
        return result(coords.astype(np.int64), "Where", name, dtype=int64, shape=[None, cond.ndim])
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    (a, b), dtype, xp = inputs("Select", x=x, y=y)
    node = op_name(name, "Select")
    if a.ndim != b.ndim:
        raise shape_error(f"Shapes must be equal rank, but are {a.ndim} and {b.ndim}", node, "Select")
    for i, (p, q) in enumerate(zip(a.shape, b.shape)):
        if p != q:
            raise shape_error(f"Dimension {i} in both shapes must be equal, but are {p} and {q}. Shapes are "
                              f"{_list(list(a.shape))} and {_list(list(b.shape))}.", node, "Select")
    c = cond
    if c.ndim == 1 and a.ndim > 1:
        c = xp.reshape(c, (-1,) + (1,) * (a.ndim - 1))
    xp = array_module(c, a, b)
    return result(xp.where(c, a, b), "Select", node + "/", dtype=dtype)


def where_v2(condition: Any, x: Any = None, y: Any = None, name: Any = None) -> Tensor:
    """TF 2's ``where``: like :func:`where` with broadcasting of ``condition``, ``x`` and ``y`` (``SelectV2``)."""
    if x is None and y is None:
        return where(condition, name=name)
    cond, _ = convert(condition, tf_bool)
    (a, b), dtype, xp = inputs("SelectV2", x=x, y=y)
    xp = array_module(cond, a, b)
    return result(xp.where(cond, a, b), "SelectV2", name, dtype=dtype)


def _like(kind: str, tensor: Any, dtype: Any, name: Any) -> Tensor:
    """TF's ``zeros_like`` of a fully known shape is ``zeros`` (a ``Const``, a ``Fill`` from 1000 elements);
    ``ones_like`` is always a ``Fill`` (of the shape Tensor)."""
    with scope(name, kind) as s:
        arr, have = convert(tensor)
        dt = have if dtype is None else as_dtype(dtype)
        if kind == "zeros_like":
            value = np.zeros(arr.shape, dt.as_numpy_dtype)
            return result(value, "Const" if value.size < 1000 else "Fill", s, dtype=dt)
        return result(np.ones(arr.shape, dt.as_numpy_dtype), "Fill", s, dtype=dt)


def zeros_like(tensor: Any, dtype: Any = None, name: Any = None, optimize: bool = True) -> Tensor:
    """Zeros with ``tensor``'s shape (and dtype, unless given)."""
    return _like("zeros_like", tensor, dtype, name)


def ones_like(tensor: Any, dtype: Any = None, name: Any = None, optimize: bool = True) -> Tensor:
    """Ones with ``tensor``'s shape (and dtype, unless given)."""
    return _like("ones_like", tensor, dtype, name)


def reverse(tensor: Any, axis: Any, name: Any = None) -> Tensor:
    """``tensor`` with the order of ``axis``' entries reversed (``ReverseV2``)."""
    arr, dtype = convert(tensor)
    axes = [a + arr.ndim if a < 0 else a for a in _static_ints(axis, "axis")]
    xp = array_module(arr)
    return result(xp.flip(arr, axis=tuple(axes)), "ReverseV2", name, dtype=dtype)


reverse_v2 = reverse


def sequence_mask(lengths: Any, maxlen: Any = None, dtype: Any = tf_bool, name: Any = None) -> Tensor:
    """``mask[..., j] = j < lengths[...]``, ``maxlen`` columns (default: the largest length) (TF's ops: the mask is
    ``SequenceMask/Less``, cast when ``dtype`` is not bool)."""
    with scope(name, "SequenceMask") as s:
        lens, len_dtype = convert(lengths)
        if maxlen is None:
            try:
                n = int(np.max(np.asarray(lens))) if np.size(lens) else 0
            except Exception as err:
                raise TypeError("tf.sequence_mask without maxlen needs concrete lengths under jit: give maxlen."
                                ) from err
        else:
            n = int(_static_ints(maxlen, "maxlen")[0])
        xp = array_module(lens)
        mask = xp.arange(n, dtype=lens.dtype) < xp.expand_dims(lens, -1)
        dt = as_dtype(dtype)
        op_name(None, "Cast")  # (TF casts the lengths to maxlen's dtype first)
        if dt == tf_bool:
            return result(mask, "Less", None, dtype=tf_bool)
        op_name(None, "Less")
        return result(mask.astype(dt.as_numpy_dtype), "Cast", None, dtype=dt)


def shape_n(input: Any, out_type: Any = int32, name: Any = None) -> list[Tensor]:  # noqa: A002
    """The shapes of the tensors of ``input`` (``ShapeN``), concrete."""
    dt = as_dtype(out_type)
    shapes = [np.asarray(convert(t)[0].shape, dt.as_numpy_dtype) for t in input]
    return results(shapes, "ShapeN", name, dtypes=[dt] * len(shapes))


setattr(Tensor, "__getitem__", _getitem)

setattr(Tensor, "__getitem__", _getitem)
