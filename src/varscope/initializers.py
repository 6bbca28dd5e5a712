"""TensorFlow 1.x initializers (``tf.compat.v1.initializers``) computing NumPy arrays.

Every initializer is a callable object ``init(shape, dtype=None, partition_info=None)`` that
returns a NumPy array of ``shape`` whose dtype is ``dtype.as_numpy_dtype`` (``object`` holding
``bytes`` for strings). ``dtype=None`` means the initializer's own dtype (float32 unless given).
Constructor arguments, defaults, ``get_config()`` and the error messages are TensorFlow's
(``tensorflow/python/ops/init_ops.py`` and the random ops it calls).

Random initializers draw from :func:`varscope._random.generator` with their ``seed``: the values
are reproducible per graph seed, variable name and op seed, but they are not TensorFlow's numbers;
their distributions and bounds are.

Example:
    >>> from varscope import initializers
    >>> initializers.constant([1, 2])([3])
    array([1., 2., 2.], dtype=float32)
    >>> initializers.zeros()([2], dtype="int32")
    array([0, 0], dtype=int32)
    >>> init = initializers.glorot_uniform(seed=1)
    >>> w = init([1000, 10])
    >>> bool(abs(w).max() <= (3 / 505) ** 0.5), w.dtype.name
    (True, 'float32')
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any, TypeVar

import numpy as np

from varscope._dtypes import DType, as_dtype
from varscope._dtypes import float32 as _float32
from varscope._random import generator, generator_for
from varscope._shape import TensorShape, as_shape

__all__ = [
    "Initializer", "Zeros", "Ones", "Constant", "RandomUniform", "RandomNormal", "TruncatedNormal",
    "UniformUnitScaling", "VarianceScaling", "Orthogonal", "Identity", "GlorotUniform", "GlorotNormal",
    "zeros_initializer", "ones_initializer", "constant_initializer", "random_uniform_initializer",
    "random_normal_initializer", "truncated_normal_initializer", "uniform_unit_scaling_initializer",
    "variance_scaling_initializer", "glorot_uniform_initializer", "glorot_normal_initializer",
    "orthogonal_initializer", "identity_initializer", "lecun_normal", "lecun_uniform", "he_normal",
    "he_uniform", "zeros", "ones", "constant", "random_uniform", "random_normal", "truncated_normal",
    "uniform_unit_scaling", "variance_scaling", "glorot_uniform", "glorot_normal", "orthogonal",
    "identity", "compute_fans",
]

ShapeLike = Any  # a sequence of ints, a TensorShape or an int
_I = TypeVar("_I", bound="Initializer")

# The dtypes TensorFlow's random kernels accept.
_FLOAT_OP_DTYPES = ("float16", "bfloat16", "float32", "float64")
_UNIFORM_DTYPES = ("float16", "bfloat16", "float32", "float64", "int32", "int64")
_QR_DTYPES = ("float64", "float32", "float16", "complex64", "complex128")
# Standard deviation of a standard normal truncated to [-2, 2] (VarianceScaling's correction).
_TRUNCATED_STDDEV = 0.87962566103423978
_QUANTIZED_BASE = {"qint8": np.int8, "quint8": np.uint8, "qint16": np.int16, "quint16": np.uint16,
                   "qint32": np.int32}


# --------------------------------------------------------------------------------------------
# Helpers: shapes, dtypes and TensorFlow's value conversion rules.


def _dims(shape: ShapeLike) -> list[int]:
    """The dimensions of ``shape`` as a list of ints."""
    if type(shape) is list:
        for d in shape:  # a plain loop: this runs once or twice per created variable
            if type(d) is not int:
                break
        else:
            return shape
    if isinstance(shape, TensorShape):
        return [int(d) for d in shape.as_list()]  # type: ignore[arg-type]
    if isinstance(shape, (int, np.integer)):
        return [int(shape)]
    return [int(d) for d in shape]


def _numpy_dtype(dtype: DType) -> Any:
    """The NumPy dtype that holds values of ``dtype`` (object for strings)."""
    if dtype.name == "string":
        return np.object_
    if dtype.name in _QUANTIZED_BASE:
        return _QUANTIZED_BASE[dtype.name]
    if dtype.as_numpy_dtype is None:
        raise TypeError(f"{dtype} has no NumPy representation.")
    return dtype.as_numpy_dtype


def _as_bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    raise TypeError(value)


def _flatten(values: Any) -> list[Any]:
    """``nest.flatten`` for the nested lists and tuples a constant can hold."""
    if isinstance(values, (list, tuple)):
        out: list[Any] = []
        for v in values:
            out.extend(_flatten(v))
        return out
    return [values]


def _accepted_types(dtype: DType) -> tuple[type, ...]:
    if dtype.is_bool:
        return (bool,)
    if dtype.is_integer or dtype.is_quantized:
        return (numbers.Integral, np.integer)
    if dtype.is_floating:
        return (numbers.Real, np.integer, np.floating)
    if dtype.is_complex:
        return (numbers.Complex, np.number)
    if dtype.name == "string":
        return (bytes, str)
    return (object,)


def _is_array_like(value: Any) -> bool:
    """TensorFlow's ``_is_array_like``: NumPy arrays and scalars, and buffers such as bytes."""
    if callable(getattr(value, "__array__", None)) or isinstance(getattr(value, "__array_interface__", None), dict):
        return True
    try:
        memoryview(value)
    except TypeError:
        return False
    return True


def _assert_compatible(values: Any, dtype: DType) -> None:
    """Raises TensorFlow's TypeError when a Python value does not fit ``dtype``."""
    accepted = _accepted_types(dtype)
    for v in _flatten(values):
        if isinstance(v, accepted) or (isinstance(v, np.ndarray) and issubclass(v.dtype.type, accepted)):
            continue
        raise TypeError(f"Expected {dtype.name}, but got {v} of type '{type(v).__name__}'.")


def _dense_dims(values: Any) -> list[int]:
    if not isinstance(values, (list, tuple)):
        return []
    if not values:
        return [0]
    return [len(values)] + _dense_dims(values[0])


def _to_numpy(values: Any, dtype: DType) -> np.ndarray:
    """Converts ``values`` to an array of ``dtype`` as TensorFlow's ``make_tensor_proto`` does."""
    np_dt = _numpy_dtype(dtype)
    if _is_array_like(values):
        arr = np.asarray(values)
        if dtype.name == "string":
            return _strings(arr, values)
        return arr.astype(np_dt)
    if values is None:
        raise ValueError("None values not supported.")
    _assert_compatible(values, dtype)
    if dtype.name == "string":
        arr = np.array(values, dtype=object)
    else:
        arr = np.array(values)
        arr = arr.astype(np_dt) if arr.dtype != np_dt else arr
    if list(arr.shape) != _dense_dims(values):
        raise ValueError(f"Expected values {values} to be a dense tensor with shape {_dense_dims(values)}, "
                         f"but got shape {list(arr.shape)}.")
    if dtype.name == "string":
        return _strings(arr, values)
    return arr


def _strings(arr: np.ndarray, values: Any) -> np.ndarray:
    out = np.empty(arr.shape, dtype=object)
    try:
        for index, item in np.ndenumerate(arr):
            out[index] = _as_bytes(item)
    except TypeError:
        raise TypeError(f"Failed to convert elements of {values} to Tensor. Consider casting elements to a "
                        "supported type. See https://www.tensorflow.org/api_docs/python/tf/dtypes for "
                        "supported TF dtypes.") from None
    return out


def _convert_scalar(value: Any, dtype: DType) -> None:
    """Checks the conversion of a scalar argument (``mean``, ``minval`` ...) to ``dtype``."""
    if not _is_array_like(value):
        _assert_compatible(value, dtype)


def _require_op_dtype(dtype: DType, allowed: Sequence[str], param: str = "dtype") -> None:
    if dtype.name not in allowed:
        raise TypeError(f"Value passed to parameter '{param}' has DataType {dtype.name} not in list of allowed "
                        f"values: {', '.join(allowed)}")


def _assert_float_dtype(dtype: DType) -> DType:
    if not dtype.is_floating:
        raise ValueError(f"Argument `dtype` is expected to be floating point. Received: {dtype}.")
    return dtype


def _fill(shape: list[int], value: Any, dtype: DType) -> np.ndarray:
    if dtype.name == "string":
        out = np.empty(shape, dtype=object)
        out.fill(value)
        return out
    return np.full(shape, value, dtype=_numpy_dtype(dtype))


def _finish(values: Any, dtype: DType) -> np.ndarray:
    """``values`` as an ndarray (never a NumPy scalar) of ``dtype``."""
    return np.asarray(values).astype(_numpy_dtype(dtype))


def compute_fans(shape: ShapeLike) -> tuple[int, int]:
    """Fan-in and fan-out of a weight shape, as TensorFlow's ``_compute_fans``.

    Rank 0 gives ``(1, 1)``, rank 1 ``(n, n)``, rank 2 ``(s0, s1)``; higher ranks multiply both by
    the receptive field size ``prod(shape[:-2])``.

    Args:
        shape: The weight shape.

    Returns:
        ``(fan_in, fan_out)``.

    Example:
        >>> compute_fans([3, 3, 64, 128])
        (576, 1152)
    """
    dims = _dims(shape)
    if len(dims) < 1:
        return 1, 1
    if len(dims) == 1:
        return dims[0], dims[0]
    if len(dims) == 2:
        return dims[0], dims[1]
    receptive = 1
    for d in dims[:-2]:
        receptive *= d
    return dims[-2] * receptive, dims[-1] * receptive


# --------------------------------------------------------------------------------------------
# The random ops (TensorFlow's random_ops semantics, NumPy numbers).


def _random_normal(shape: ShapeLike, mean: Any, stddev: Any, dtype: DType, seed: int | None) -> np.ndarray:
    dims = _dims(shape)
    _convert_scalar(mean, dtype)
    _convert_scalar(stddev, dtype)
    _require_op_dtype(dtype, _FLOAT_OP_DTYPES)
    values = generator(seed).standard_normal(dims)
    return _finish(values * float(stddev) + float(mean), dtype)


def _truncated_standard_normal(gen: np.random.Generator, dims: list[int]) -> np.ndarray:
    values = np.asarray(gen.standard_normal(dims))
    bad = np.abs(values) > 2.0
    while bad.any():
        values[bad] = gen.standard_normal(int(bad.sum()))
        bad = np.abs(values) > 2.0
    return values


def _truncated_normal(shape: ShapeLike, mean: Any, stddev: Any, dtype: DType, seed: int | None) -> np.ndarray:
    dims = _dims(shape)
    _convert_scalar(mean, dtype)
    _convert_scalar(stddev, dtype)
    _require_op_dtype(dtype, _FLOAT_OP_DTYPES)
    values = _truncated_standard_normal(generator(seed), dims)
    return _finish(values * float(stddev) + float(mean), dtype)


def _random_uniform(shape: ShapeLike, minval: Any, maxval: Any, dtype: DType, seed: int | None) -> np.ndarray:
    if dtype.name not in _UNIFORM_DTYPES:
        raise ValueError(f"Argument `dtype` got invalid value {dtype}. Accepted dtypes are (tf.float16, "
                         "tf.bfloat16, tf.float32, tf.float64, tf.int32, tf.int64).")
    if maxval is None:
        if dtype.is_integer:
            raise ValueError("Must specify maxval for integer dtype %r" % dtype)
        maxval = 1
    dims = _dims(shape)
    minval_is_zero = isinstance(minval, int) and minval == 0
    maxval_is_one = isinstance(maxval, int) and maxval == 1
    plain_floats = dtype.is_floating and type(minval) in (float, int) and type(maxval) in (float, int)
    if (not minval_is_zero or not maxval_is_one or dtype.is_integer) and not plain_floats:
        # (Python floats and ints always convert to a floating dtype: nothing to check.)
        _convert_scalar(minval, dtype)
        _convert_scalar(maxval, dtype)
    gen = generator(seed)
    if dtype.is_integer:
        lo, hi = int(minval), int(maxval)
        if lo >= hi:
            raise ValueError(f"Need minval < maxval, got {lo} >= {hi}")
        return _finish(gen.integers(lo, hi, size=dims, dtype=_numpy_dtype(dtype)), dtype)
    lo_f, hi_f = float(minval), float(maxval)
    return _finish(np.asarray(gen.random(dims)) * (hi_f - lo_f) + lo_f, dtype)


def _fan_scaled(scale: float, mode: str, shape: ShapeLike) -> float:
    """``scale`` divided by the fan of ``shape`` that ``mode`` names (at least 1), as VarianceScaling does."""
    fan_in, fan_out = compute_fans(shape)
    if mode == "fan_in":
        scale /= max(1.0, fan_in)
    elif mode == "fan_out":
        scale /= max(1.0, fan_out)
    else:
        scale /= max(1.0, (fan_in + fan_out) / 2.0)
    return scale


def _uniform_values(gen: np.random.Generator, dims: Sequence[int], limit: float, np_dtype: Any) -> np.ndarray:
    """``U(-limit, limit)`` as ``np_dtype`` (the NumPy dtype of a float dtype of ``_UNIFORM_DTYPES``), with
    the exact arithmetic of ``_random_uniform(shape, -limit, limit, ...)``: U[0, 1) * (hi - lo) + lo in
    float64, then cast."""
    values = gen.random(dims)
    values *= 2.0 * limit
    values += -limit
    return values.astype(np_dtype)


# --------------------------------------------------------------------------------------------
# Initializer classes.


class Initializer:
    """Base class of the initializers: ``init(shape, dtype=None, partition_info=None)``.

    Example:
        >>> class Twos(Initializer):
        ...     def __call__(self, shape, dtype=None, partition_info=None):
        ...         return np.full(shape, 2.0, np.float32)
        >>> Twos()([2])
        array([2., 2.], dtype=float32)
    """

    dtype: DType

    def __call__(self, shape: ShapeLike, dtype: Any = None, partition_info: Any = None) -> np.ndarray:
        """Returns an array of ``shape`` and ``dtype`` (the initializer's dtype when None)."""
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments as a JSON-serializable dict."""
        return {}

    @classmethod
    def from_config(cls: type[_I], config: dict[str, Any]) -> _I:
        """Builds an initializer from :meth:`get_config`'s output.

        Example:
            >>> RandomUniform.from_config(RandomUniform(-1, 1).get_config()).minval
            -1
        """
        return cls(**config)

    def _dtype(self, dtype: Any) -> DType:
        return self.dtype if dtype is None else as_dtype(dtype)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class Zeros(Initializer):
    """Initializer that generates zeros (``False`` for bool, ``b""`` for strings).

    Args:
        dtype: Default dtype, used when the call passes none.

    Example:
        >>> Zeros()([2, 2])
        array([[0., 0.],
               [0., 0.]], dtype=float32)
        >>> Zeros()([2], dtype="string")
        array([b'', b''], dtype=object)
    """

    def __init__(self, dtype: Any = _float32) -> None:
        self.dtype = as_dtype(dtype)

    def __call__(self, shape: ShapeLike, dtype: Any = None, partition_info: Any = None) -> np.ndarray:
        dtype = self._dtype(dtype)
        zero: Any = b"" if dtype.name == "string" else (False if dtype.is_bool else 0)
        return _fill(_dims(shape), zero, dtype)

    def get_config(self) -> dict[str, Any]:
        return {"dtype": self.dtype.name}


class Ones(Initializer):
    """Initializer that generates ones (``True`` for bool; strings are an error, as in TF).

    Args:
        dtype: Default dtype, used when the call passes none.

    Example:
        >>> Ones()([3], dtype="int64")
        array([1, 1, 1])
    """

    def __init__(self, dtype: Any = _float32) -> None:
        self.dtype = as_dtype(dtype)

    def __call__(self, shape: ShapeLike, dtype: Any = None, partition_info: Any = None) -> np.ndarray:
        dtype = self._dtype(dtype)
        one: Any = True if dtype.is_bool else 1
        _assert_compatible(one, dtype)
        return _fill(_dims(shape), one, dtype)

    def get_config(self) -> dict[str, Any]:
        return {"dtype": self.dtype.name}


class Constant(Initializer):
    """Initializer that fills the tensor with ``value`` (TF1 ``constant_initializer``).

    A list shorter than the shape is padded with its last element; a longer one is an error.
    Python values must fit the dtype exactly (``3.`` for int32 is a TypeError), NumPy values are
    cast. With ``verify_shape`` the value's shape must equal the requested shape.

    Args:
        value: A Python scalar, a list or tuple of values, or a NumPy array.
        dtype: Default dtype, used when the call passes none.
        verify_shape: Require the value's shape to equal the requested shape.

    Raises:
        TypeError: If ``value`` is not a scalar, list, tuple or ndarray.

    Example:
        >>> Constant([0, 1, 2, 3, 4, 5, 6, 7])([3, 4])
        array([[0., 1., 2., 3.],
               [4., 5., 6., 7.],
               [7., 7., 7., 7.]], dtype=float32)
    """

    def __init__(self, value: Any = 0, dtype: Any = _float32, verify_shape: bool = False) -> None:
        if not (np.isscalar(value) or isinstance(value, (list, tuple, np.ndarray))):
            raise TypeError(f"Invalid type for initial value={value} of type: {type(value).__name__}. Expected "
                            "Python scalar, list or tuple of values, or numpy.ndarray.")
        self.value = value
        self.dtype = as_dtype(dtype)
        self._verify_shape = verify_shape

    def __call__(self, shape: ShapeLike, dtype: Any = None, partition_info: Any = None,
                 verify_shape: bool | None = None) -> np.ndarray:
        dtype = self._dtype(dtype)
        if verify_shape is None:
            verify_shape = self._verify_shape
        dims = _dims(shape)
        size = int(np.prod(dims, dtype=np.int64))
        if size == 0 and not _is_array_like(self.value):
            return np.empty(dims, dtype=_numpy_dtype(dtype))
        arr = _to_numpy(self.value, dtype)
        if verify_shape and arr.shape != tuple(dims):
            raise TypeError(f"Expected Tensor's shape: {tuple(dims)}, but got {arr.shape}.")
        if arr.size > size:
            raise ValueError(f"Too many elements provided. Takes at most {size:d}, but got {arr.size:d}.")
        if arr.size == size:
            return arr.reshape(dims)
        if arr.size == 0:
            return Zeros()(dims, dtype)
        flat = arr.ravel()
        out = np.empty(size, dtype=flat.dtype)
        out[: flat.size] = flat
        out[flat.size:] = flat[-1]
        return out.reshape(dims)

    def get_config(self) -> dict[str, Any]:
        return {"value": self.value, "dtype": self.dtype.name}


class RandomUniform(Initializer):
    """Initializer that draws uniformly from ``[minval, maxval)``.

    Integer dtypes (int32, int64) need an integer ``maxval`` and ``minval``.

    Args:
        minval: Lower bound (inclusive).
        maxval: Upper bound (exclusive); None means 1 for floats and is an error for ints.
        seed: Op seed for :func:`varscope._random.generator`.
        dtype: Default dtype, used when the call passes none.

    Example:
        >>> w = RandomUniform(-1.0, 1.0, seed=3)([1000])
        >>> bool(w.min() >= -1 and w.max() < 1)
        True
        >>> RandomUniform(0, 10, dtype="int32")([4]).dtype.name
        'int32'
    """

    def __init__(self, minval: Any = 0.0, maxval: Any = None, seed: int | None = None,
                 dtype: Any = _float32) -> None:
        self.minval = minval
        self.maxval = maxval
        self.seed = seed
        self.dtype = as_dtype(dtype)

    def __call__(self, shape: ShapeLike, dtype: Any = None, partition_info: Any = None) -> np.ndarray:
        return _random_uniform(shape, self.minval, self.maxval, self._dtype(dtype), self.seed)

    def get_config(self) -> dict[str, Any]:
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed, "dtype": self.dtype.name}


class _NormalBase(Initializer):
    """What RandomNormal and TruncatedNormal share: ``mean``, ``stddev``, ``seed`` and a float dtype."""

    def __init__(self, mean: Any = 0.0, stddev: Any = 1.0, seed: int | None = None, dtype: Any = _float32) -> None:
        self.mean = mean
        self.stddev = stddev
        self.seed = seed
        self.dtype = _assert_float_dtype(as_dtype(dtype))

    def get_config(self) -> dict[str, Any]:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed, "dtype": self.dtype.name}


class RandomNormal(_NormalBase):
    """Initializer that draws from a normal distribution.

    Args:
        mean: Mean of the distribution.
        stddev: Standard deviation of the distribution.
        seed: Op seed.
        dtype: Default floating dtype.

    Raises:
        ValueError: If ``dtype`` is not floating point.

    Example:
        >>> w = RandomNormal(mean=1.0, stddev=0.1, seed=0)([10000])
        >>> round(float(w.mean()), 1), w.dtype.name
        (1.0, 'float32')
    """

    def __call__(self, shape: ShapeLike, dtype: Any = None, partition_info: Any = None) -> np.ndarray:
        return _random_normal(shape, self.mean, self.stddev, self._dtype(dtype), self.seed)


class TruncatedNormal(_NormalBase):
    """Initializer that draws from a normal distribution, redrawing values beyond 2 stddev.

    Args:
        mean: Mean of the (untruncated) distribution.
        stddev: Standard deviation of the (untruncated) distribution.
        seed: Op seed.
        dtype: Default floating dtype.

    Example:
        >>> w = TruncatedNormal(stddev=0.5, seed=0)([10000])
        >>> bool(abs(w).max() <= 1.0)
        True
    """

    def __call__(self, shape: ShapeLike, dtype: Any = None, partition_info: Any = None) -> np.ndarray:
        return _truncated_normal(shape, self.mean, self.stddev, self._dtype(dtype), self.seed)


class UniformUnitScaling(Initializer):
    """Deprecated uniform initializer: ``U(-m, m)`` with ``m = sqrt(3 / prod(shape[:-1])) * factor``.

    With ``partition_info`` the input size comes from ``partition_info.full_shape``.

    Args:
        factor: Multiplicative factor.
        seed: Op seed.
        dtype: Default floating dtype.

    Example:
        >>> w = UniformUnitScaling(seed=0)([300, 10])
        >>> bool(abs(w).max() <= 0.1)
        True
    """

    def __init__(self, factor: float = 1.0, seed: int | None = None, dtype: Any = _float32) -> None:
        self.factor = factor
        self.seed = seed
        self.dtype = _assert_float_dtype(as_dtype(dtype))

    def __call__(self, shape: ShapeLike, dtype: Any = None, partition_info: Any = None) -> np.ndarray:
        dtype = self._dtype(dtype)
        scale_shape = _dims(shape if partition_info is None else partition_info.full_shape)
        input_size = 1.0
        for d in scale_shape[:-1]:
            input_size *= float(d)
        input_size = max(input_size, 1.0)
        max_val = math.sqrt(3 / input_size) * self.factor
        return _random_uniform(shape, -max_val, max_val, dtype, self.seed)

    def get_config(self) -> dict[str, Any]:
        return {"factor": self.factor, "seed": self.seed, "dtype": self.dtype.name}


class VarianceScaling(Initializer):
    """Initializer whose scale adapts to the weight shape (TF1 ``init_ops`` version).

    ``n`` is fan_in, fan_out or their average (at least 1); fans come from
    ``partition_info.full_shape`` when given. ``"truncated_normal"`` (and its deprecated alias
    ``"normal"``) draws a normal truncated at 2 stddev with ``stddev = sqrt(scale / n) / .8796...``;
    ``"untruncated_normal"`` uses ``stddev = sqrt(scale / n)``; ``"uniform"`` draws from
    ``U(-limit, limit)``, ``limit = sqrt(3 * scale / n)``.

    Args:
        scale: Positive scaling factor.
        mode: ``"fan_in"``, ``"fan_out"`` or ``"fan_avg"``.
        distribution: ``"normal"``, ``"uniform"``, ``"truncated_normal"`` or ``"untruncated_normal"``
            (case-insensitive).
        seed: Op seed.
        dtype: Default floating dtype.

    Raises:
        ValueError: For a non-positive scale, an unknown mode or distribution, or a non-float dtype.

    Example:
        >>> w = VarianceScaling(2.0, "fan_in", "uniform", seed=0)([50, 20])
        >>> bool(abs(w).max() <= (3 * 2.0 / 50) ** 0.5)
        True
    """

    def __init__(self, scale: float = 1.0, mode: str = "fan_in", distribution: str = "truncated_normal",
                 seed: int | None = None, dtype: Any = _float32) -> None:
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be a positive float. Received: {scale}")
        if mode not in {"fan_in", "fan_out", "fan_avg"}:
            raise ValueError(f"Argument `mode` should be one of ('fan_in', 'fan_out', 'fan_avg'). Received: {mode}")
        distribution = distribution.lower()
        if distribution not in {"normal", "uniform", "truncated_normal", "untruncated_normal"}:
            raise ValueError("Argument `distribution` should be one of ('normal', uniform', 'truncated_normal', "
                             f"'untruncated_normal'). Received: {distribution}")
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.seed = seed
        self.dtype = _assert_float_dtype(as_dtype(dtype))

    def __call__(self, shape: ShapeLike, dtype: Any = None, partition_info: Any = None) -> np.ndarray:
        dtype = self._dtype(dtype)
        scale_shape = shape if partition_info is None else partition_info.full_shape
        scale = _fan_scaled(float(self.scale), self.mode, scale_shape)
        if self.distribution in ("normal", "truncated_normal"):
            stddev = math.sqrt(scale) / _TRUNCATED_STDDEV
            return _truncated_normal(shape, 0.0, stddev, dtype, self.seed)
        if self.distribution == "untruncated_normal":
            return _random_normal(shape, 0.0, math.sqrt(scale), dtype, self.seed)
        limit = math.sqrt(3.0 * scale)
        if dtype.is_floating and dtype.name in _UNIFORM_DTYPES:
            return _uniform_values(generator(self.seed), _dims(shape), limit, dtype.as_numpy_dtype)
        return _random_uniform(shape, -limit, limit, dtype, self.seed)

    def get_config(self) -> dict[str, Any]:
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution, "seed": self.seed,
                "dtype": self.dtype.name}


class Orthogonal(Initializer):
    """Initializer that generates an orthogonal matrix (QR of a normal matrix, signs fixed by R's diagonal).

    Shapes of rank > 2 are flattened to ``(prod(shape[:-1]), shape[-1])``. With fewer rows than
    columns the rows are orthonormal, otherwise the columns. The result is multiplied by ``gain``.

    Args:
        gain: Multiplicative factor.
        seed: Op seed.
        dtype: Default floating dtype.

    Example:
        >>> q = Orthogonal(seed=0)([4, 3])
        >>> bool(np.allclose(q.T @ q, np.eye(3), atol=1e-5))
        True
    """

    def __init__(self, gain: float = 1.0, seed: int | None = None, dtype: Any = _float32) -> None:
        self.gain = gain
        self.dtype = _assert_float_dtype(as_dtype(dtype))
        self.seed = seed

    def __call__(self, shape: ShapeLike, dtype: Any = None, partition_info: Any = None) -> np.ndarray:
        dtype = self._dtype(dtype)
        if len(shape) < 2:
            raise ValueError("The tensor to initialize, specified by argument `shape` must be at least "
                             f"two-dimensional. Received shape={shape}")
        dims = _dims(shape)
        num_rows = 1
        for d in dims[:-1]:
            num_rows *= d
        num_cols = dims[-1]
        flat_shape = (num_cols, num_rows) if num_rows < num_cols else (num_rows, num_cols)
        a = _random_normal(list(flat_shape), 0.0, 1.0, dtype, self.seed).astype(np.float64)
        _require_op_dtype(dtype, _QR_DTYPES, param="input")
        q, r = np.linalg.qr(a, mode="reduced")
        q = q * np.sign(np.diagonal(r))
        if num_rows < num_cols:
            q = q.T
        return _finish(float(self.gain) * q.reshape(dims), dtype)

    def get_config(self) -> dict[str, Any]:
        return {"gain": self.gain, "seed": self.seed, "dtype": self.dtype.name}


class Identity(Initializer):
    """Initializer that generates the identity matrix (rank 2 only) times ``gain``.

    With ``partition_info`` the shard is the matching slice of the full identity matrix.

    Args:
        gain: Multiplicative factor.
        dtype: Default floating dtype.

    Example:
        >>> Identity(gain=2.0)([2, 3])
        array([[2., 0., 0.],
               [0., 2., 0.]], dtype=float32)
    """

    def __init__(self, gain: float = 1.0, dtype: Any = _float32) -> None:
        self.gain = gain
        self.dtype = _assert_float_dtype(as_dtype(dtype))

    def __call__(self, shape: ShapeLike, dtype: Any = None, partition_info: Any = None) -> np.ndarray:
        full_shape = shape if partition_info is None else partition_info.full_shape
        if len(full_shape) != 2:
            raise ValueError("The tensor to initialize, specified by argument `shape` must be at least "
                             f"two-dimensional. Received shape={shape}")
        dtype = self._dtype(dtype)
        rows, cols = _dims(full_shape)
        eye = np.eye(rows, cols, dtype=np.float64)
        if partition_info is not None:
            dims = _dims(shape)
            r0, c0 = (int(o) for o in partition_info.var_offset)
            eye = eye[r0:r0 + dims[0], c0:c0 + dims[1]]
        _convert_scalar(self.gain, dtype)
        return _finish(eye * self.gain, dtype)

    def get_config(self) -> dict[str, Any]:
        return {"gain": self.gain, "dtype": self.dtype.name}


class GlorotUniform(VarianceScaling):
    """Glorot (Xavier) uniform: ``VarianceScaling(1.0, "fan_avg", "uniform")``.

    As in TensorFlow, the ``dtype`` argument is accepted but ignored: the default dtype stays float32.

    Args:
        seed: Op seed.
        dtype: Accepted and ignored (TensorFlow does the same).

    Example:
        >>> w = GlorotUniform(seed=0)([3, 4])
        >>> bool(abs(w).max() <= (3 / 3.5) ** 0.5)
        True
    """

    def __init__(self, seed: int | None = None, dtype: Any = _float32) -> None:
        super().__init__(scale=1.0, mode="fan_avg", distribution="uniform", seed=seed)

    def get_config(self) -> dict[str, Any]:
        return {"seed": self.seed, "dtype": self.dtype.name}


class GlorotNormal(VarianceScaling):
    """Glorot (Xavier) normal: ``VarianceScaling(1.0, "fan_avg", "truncated_normal")``.

    The ``dtype`` argument is accepted and ignored, as in TensorFlow.

    Args:
        seed: Op seed.
        dtype: Accepted and ignored.

    Example:
        >>> w = GlorotNormal(seed=0)([3, 4])
        >>> bool(abs(w).max() <= 2 * (1 / 3.5) ** 0.5 / 0.87962566103423978)
        True
    """

    def __init__(self, seed: int | None = None, dtype: Any = _float32) -> None:
        super().__init__(scale=1.0, mode="fan_avg", distribution="truncated_normal", seed=seed)

    def get_config(self) -> dict[str, Any]:
        return {"seed": self.seed, "dtype": self.dtype.name}


def lecun_normal(seed: int | None = None) -> VarianceScaling:
    """LeCun normal: ``VarianceScaling(1., "fan_in", "truncated_normal", seed)``.

    Example:
        >>> lecun_normal(seed=1).get_config()["mode"]
        'fan_in'
    """
    return VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal", seed=seed)


def lecun_uniform(seed: int | None = None) -> VarianceScaling:
    """LeCun uniform: ``VarianceScaling(1., "fan_in", "uniform", seed)``.

    Example:
        >>> lecun_uniform().distribution
        'uniform'
    """
    return VarianceScaling(scale=1.0, mode="fan_in", distribution="uniform", seed=seed)


def he_normal(seed: int | None = None) -> VarianceScaling:
    """He normal: ``VarianceScaling(2., "fan_in", "truncated_normal", seed)``.

    Example:
        >>> he_normal(3).scale
        2.0
    """
    return VarianceScaling(scale=2.0, mode="fan_in", distribution="truncated_normal", seed=seed)


def he_uniform(seed: int | None = None) -> VarianceScaling:
    """He uniform: ``VarianceScaling(2., "fan_in", "uniform", seed)``.

    Example:
        >>> he_uniform().get_config()["distribution"]
        'uniform'
    """
    return VarianceScaling(scale=2.0, mode="fan_in", distribution="uniform", seed=seed)


# TF1 names (``tf.compat.v1.*_initializer``) and the ``tf.compat.v1.initializers`` namespace.
zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
random_uniform_initializer = RandomUniform
random_normal_initializer = RandomNormal
truncated_normal_initializer = TruncatedNormal
uniform_unit_scaling_initializer = UniformUnitScaling
variance_scaling_initializer = VarianceScaling
glorot_uniform_initializer = GlorotUniform
glorot_normal_initializer = GlorotNormal
orthogonal_initializer = Orthogonal
identity_initializer = Identity

zeros = Zeros
ones = Ones
constant = Constant
random_uniform = RandomUniform
random_normal = RandomNormal
truncated_normal = TruncatedNormal
uniform_unit_scaling = UniformUnitScaling
variance_scaling = VarianceScaling
glorot_uniform = GlorotUniform
glorot_normal = GlorotNormal
orthogonal = Orthogonal
identity = Identity
