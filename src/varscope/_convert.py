"""Values to arrays with TensorFlow's dtype inference (``constant``, ``convert_to_tensor``).

TensorFlow turns Python floats into float32 and Python ints into int32 (int64 when they do not
fit); NumPy arrays keep their dtype. varscope has no Tensor type: ``constant`` returns an array of
the default graph's backend.

Example:
    >>> import varscope as tf1
    >>> tf1.constant(1.5).dtype, tf1.constant([1, 2]).dtype, tf1.constant(True).dtype
    (dtype('float32'), dtype('int32'), dtype('bool'))
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from varscope._dtypes import DType, as_dtype, bool as tf_bool, complex128, float32, int32, int64, string
from varscope._graph import get_default_graph
from varscope._shape import as_shape
from varscope.backends import get_backend

__all__ = ["infer_dtype", "to_numpy", "constant", "convert_to_tensor", "is_tensor"]

# Arrays made by ``constant``/``convert_to_tensor`` play the part of TF Tensors: where TF treats a
# Tensor initializer differently from a Python or NumPy value (partitioned variables), so does
# varscope. Tracked weakly by identity, so nothing is kept alive.
_tensors: weakref.WeakValueDictionary[int, Any] = weakref.WeakValueDictionary()


def is_tensor(value: Any) -> bool:
    """True for arrays made by :func:`constant` (TF's Tensors) and for JAX/PyTorch arrays."""
    if isinstance(value, np.ndarray):
        return _tensors.get(id(value)) is value
    module = type(value).__module__
    return module.startswith("jax") or module.startswith("torch")

_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1


def _failed(value: Any) -> TypeError:
    return TypeError(
        f"Failed to convert elements of {value} to Tensor. Consider casting elements to a supported type. See "
        "https://www.tensorflow.org/api_docs/python/tf/dtypes for supported TF dtypes."
    )


def _python_dtype(value: Any, top: Any) -> DType:
    """TF's inference for Python scalars and nested lists/tuples of them."""
    kinds: set[str] = set()
    big = False

    def walk(x: Any) -> None:
        nonlocal big
        if isinstance(x, (list, tuple)):
            for y in x:
                walk(y)
        elif isinstance(x, bool) or isinstance(x, np.bool_):
            kinds.add("b")
        elif isinstance(x, (int, np.integer)):
            kinds.add("i")
            if not _INT32_MIN <= int(x) <= _INT32_MAX:
                big = True
        elif isinstance(x, (float, np.floating)):
            kinds.add("f")
        elif isinstance(x, (complex, np.complexfloating)):
            kinds.add("c")
        elif isinstance(x, (str, bytes)):
            kinds.add("s")
        else:
            raise _failed(top)

    walk(value)
    if not kinds:
        return float32
    if kinds == {"b"}:
        return tf_bool
    if kinds == {"s"}:
        return string
    if "s" in kinds or ("b" in kinds and len(kinds) > 1):
        raise _failed(top)
    if "c" in kinds:
        return complex128
    if "f" in kinds:
        return float32
    return int64 if big else int32


def infer_dtype(value: Any) -> DType:
    """The dtype ``convert_to_tensor(value)`` would give, without converting.

    Raises:
        TypeError: For values TensorFlow cannot convert (``{}``, ``None``, objects).
    """
    dtype = getattr(value, "dtype", None)
    if dtype is not None and not isinstance(value, (bool, int, float, complex)):
        if isinstance(dtype, DType):
            return dtype
        return as_dtype(dtype)
    if value is None:
        raise ValueError("None values not supported.")
    return _python_dtype(value, value)


def to_numpy(value: Any, dtype: DType | None = None) -> np.ndarray:
    """``value`` as a NumPy array with TF's inferred dtype, or cast-checked to ``dtype``."""
    numpy_method = getattr(value, "numpy", None)
    if numpy_method is not None and not isinstance(value, np.ndarray):
        if type(value).__module__.startswith("torch"):  # detach, move to CPU, bfloat16 via ml_dtypes
            value = get_backend("torch").to_numpy(value)
        else:
            value = numpy_method()
    elif hasattr(value, "__array__") and not isinstance(value, (np.ndarray, np.generic)):
        value = np.asarray(value)  # an array of another library (jax.Array) or any ``__array__`` object
    target = dtype if dtype is not None else infer_dtype(value)
    np_type = target.as_numpy_dtype
    if target is string:
        arr = np.asarray(value, dtype=object)
        return np.vectorize(lambda s: s.encode() if isinstance(s, str) else s, otypes=[object])(arr) if arr.size else arr
    if isinstance(value, np.ndarray):
        return value if value.dtype == np_type else value.astype(np_type)
    if dtype is not None and not isinstance(value, np.generic):
        inferred = _python_dtype(value, value)
        if (inferred.is_floating or inferred.is_complex) and (target.is_integer or target.is_bool):
            raise TypeError(f"Expected {target.name}, but got {value!r} of type '{type(value).__name__}'.")
    return np.asarray(value, dtype=np_type)


def constant(value: Any, dtype: Any = None, shape: Any = None, name: str = "Const",
             verify_shape: bool = False) -> Any:
    """An array of the default graph's backend holding ``value``, typed as TensorFlow would.

    Args:
        value: A Python scalar, nested list, or array.
        dtype: Optional dtype; by default TF's inference (Python float -> float32, int -> int32).
        shape: Optional shape to reshape or broadcast a scalar to.
        name: Ignored (there are no graph operations); kept for signature compatibility.
        verify_shape: When True, ``value``'s shape must equal ``shape``.

    Example:
        >>> import varscope as tf1
        >>> tf1.constant(0.0, shape=[2, 2]).tolist()
        [[0.0, 0.0], [0.0, 0.0]]
    """
    del name
    arr = to_numpy(value, None if dtype is None else as_dtype(dtype))
    if shape is not None:
        dims: list[int] = as_shape(shape).as_list()  # type: ignore[assignment]
        if verify_shape and list(arr.shape) != dims:
            raise TypeError(f"Expected Tensor's shape: {tuple(dims)}, got {arr.shape}.")
        arr = np.broadcast_to(arr, dims).copy() if arr.size == 1 or arr.ndim == 0 else arr.reshape(dims)
    result = get_default_graph()._backend.asarray(arr)
    if isinstance(result, np.ndarray):
        if result is value or result.base is not None:
            result = result.copy()
        _tensors[id(result)] = result
    return result


def convert_to_tensor(value: Any, dtype: Any = None, name: str | None = None) -> Any:
    """``value`` as a backend array; variables give their current value."""
    del name
    read = getattr(value, "value", None)
    if callable(read) and hasattr(value, "_value"):
        value = read()
    return constant(value, dtype)
