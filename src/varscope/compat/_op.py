"""The one way an op is written: convert the inputs, pick the array module, check dtypes, name, wrap.

Every op of :mod:`varscope.compat` is a plain function with TF's signature whose body does four things
(docs/porting.md, "Writing an op"):

1. ``arrays, dtype, xp = inputs("AddV2", x=x, y=y)``: inputs that share one TF type attribute. The first
   fixes the dtype; Python values and NumPy/JAX arrays after it adopt it; a Tensor or variable of another
   dtype raises TF's ``TypeError``. ``xp`` is ``jax.numpy`` when an input is a JAX array or tracer, else
   ``numpy``. ``convert(value, dtype)`` converts one input on its own (a shape, an axis).
2. compute with ``xp`` (the same calls a hand-written ``jnp`` model makes, so ``jit`` compiles the same program);
3. ``result(value, "AddV2", name, "add")``: name the op as TF's ``create_op`` does (the ``name`` argument, else the
   default, made unique in the current name scope; a name ending in ``/`` is taken as it is) and wrap the array
   in a :class:`~varscope.compat.Tensor` with its dtype;
4. an op built from other ops enters ``with scope(name, "clip_by_value") as s:`` and names its last op ``s``.

Example:
    >>> import numpy as np, varscope as tf1
    >>> from varscope.compat._op import inputs, result
    >>> def my_add(x, y, name=None):
    ...     (x, y), dtype, xp = inputs("AddV2", x=x, y=y)
    ...     return result(xp.add(x, y), "AddV2", name, dtype=dtype)
    >>> with tf1.Graph().as_default():
    ...     t = my_add(np.float32([1, 2]), 3)
    >>> t.name, t.dtype.name, t.numpy().tolist()
    ('AddV2:0', 'float32', [4.0, 5.0])
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from varscope._convert import infer_dtype, to_numpy
from varscope._dtypes import DType, as_dtype, int32, int64
from varscope._graph import get_default_graph
from varscope._names import check_scope_name
from varscope._shape import Dimension, TensorShape
from varscope._variables import Variable
from varscope.backends import array_backend, get_backend
from varscope.compat._tensor import Operation, Tensor, register_with_jax
from varscope.compat.errors import NoSessionError

__all__ = ["inputs", "typed_input", "list_inputs", "convert", "array_module", "result", "results", "scope", "op_name",
           "raw", "is_array", "storage_dtype",
           "shape_error"]


def _placeholder_error(t: Tensor) -> NoSessionError:
    return NoSessionError(
        f"{t.name} is a tf.placeholder: it has no value, because varscope runs model code without a Session. "
        "Pass the value as an argument of the model function instead (and run it with "
        "varscope.jax.transform: apply(params, x)); see docs/porting.md, 'Sessions and placeholders'.")


def is_array(value: Any) -> bool:
    """True for values that carry their own dtype: Tensors, variables, NumPy and JAX arrays and scalars."""
    return isinstance(value, (Tensor, Variable, np.ndarray, np.generic)) or (
        hasattr(value, "dtype") and hasattr(value, "shape") and not isinstance(value, (int, float, complex)))


def raw(value: Any) -> Any:
    """The array inside a Tensor or variable (other values as they are)."""
    if isinstance(value, Tensor):
        if value._value is None:
            raise _placeholder_error(value)
        return value._value
    if isinstance(value, Variable):
        return value._value
    return value


def _has_array(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return any(_has_array(v) for v in value)
    return is_array(value) and not isinstance(value, np.generic)


def _pack(value: Any, dtype: DType | None) -> tuple[Any, DType] | None:
    """TF's auto-packing: a list or tuple with a Tensor (or array) inside becomes their ``stack``; else None."""
    if not isinstance(value, (list, tuple)) or not value or not _has_array(value):
        return None
    if dtype is None:  # the first element that carries a dtype gives it
        dtype = next(convert(v)[1] for v in value if _has_array(v))
    parts = [convert(v, dtype) for v in value]
    xp = array_module(*[p for p, _ in parts])
    return xp.stack([xp.asarray(p) for p, _ in parts]), dtype


def _shape_as_list(shape: TensorShape, want: DType | None) -> tuple[list[int], DType]:
    """A fully defined TensorShape as TF converts it: its sizes as int32 (int64 when one is >= 2**31)."""
    if not shape.is_fully_defined():
        raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a Tensor.")
    sizes = [d for d in shape.as_list() if d is not None]  # all of them: the shape is fully defined
    big = any(d >= 2**31 for d in sizes)
    if want is None:
        return sizes, int64 if big else int32
    if want not in (int32, int64):
        raise TypeError(f"Cannot convert TensorShape {shape} to dtype {want}. Allowed dtypes are tf.int32 and "
                        "tf.int64.")
    if want == int32 and big:
        raise ValueError(f"Cannot convert TensorShape {shape} to dtype int32; a dimension is too large. Consider "
                         "using tf.int64.")
    return sizes, want


def convert(value: Any, dtype: Any = None) -> tuple[Any, DType]:
    """``value`` as ``(array, DType)``, TF's ``convert_to_tensor(value, dtype)``.

    Tensors and variables give their array and dtype (their dtype must equal ``dtype``); NumPy and JAX arrays
    keep their dtype, or are cast to ``dtype``; Python values get TF's inference (float32, int32) or ``dtype``
    when TF can convert them to it; ``Dimension`` s become ints; lists holding Tensors are stacked.

    Raises:
        TypeError: For a Python value that cannot become ``dtype`` (TF's message), or a Tensor of another dtype.
        NoSessionError: For a placeholder.
    """
    want = None if dtype is None else as_dtype(dtype).base_dtype
    if isinstance(value, Tensor):
        have = value._dtype
        if want is not None and have != want:
            raise ValueError(f"Tensor conversion requested dtype {want.name} for Tensor with dtype {have.name}: "
                             f"{value!r}")
        return raw(value), have
    if isinstance(value, Variable):
        have = value._dtype.base_dtype
        if want is not None and have != want:
            raise ValueError(f"Tensor conversion requested dtype {want.name} for Tensor with dtype {have.name}: "
                             f"{value!r}")
        return value._value, have
    if isinstance(value, Dimension):
        value = value.value
    if isinstance(value, TensorShape):  # TF's conversion function for a TensorShape (``tf.reshape(x, y.shape)``)
        value, want = _shape_as_list(value, want)
    if isinstance(value, (np.ndarray, np.generic)):
        arr = np.asarray(value)
        if want is None:
            return arr, as_dtype(arr.dtype)
        return (arr if arr.dtype == want.as_numpy_dtype else arr.astype(want.as_numpy_dtype)), want
    if is_array(value):  # a JAX array or tracer
        have = as_dtype(value.dtype)
        if want is None or have == want:
            return value, have
        return value.astype(storage_dtype(value, want)), want
    packed = _pack(value, want)
    if packed is not None:
        return packed
    if isinstance(value, (list, tuple)) and any(isinstance(v, Dimension) for v in value):
        value = [v.value if isinstance(v, Dimension) else v for v in value]
    if want is None:
        want = infer_dtype(value)
    return to_numpy(value, want), want


def array_module(*arrays: Any) -> Any:
    """``jax.numpy`` when one of ``arrays`` is a JAX array or tracer, else ``numpy`` (through the backend seam)."""
    backend = array_backend(arrays)
    if backend.name == "jax":
        register_with_jax(backend)
    return backend.numpy


def inputs(op_type: str, **named: Any) -> tuple[list[Any], DType, Any]:
    """Convert inputs that share one TF type attribute, in order: ``(arrays, dtype, xp)``.

    The first input fixes the dtype (a Python value gets TF's inference); each later one is converted to it.

    Raises:
        TypeError: ``Input 'y' of 'AddV2' Op has type float64 that does not match type float32 of argument 'x'.``
    """
    arrays: list[Any] = []
    dtype: DType | None = None
    first = ""
    for arg, value in named.items():
        if dtype is None:
            array, dtype = convert(value)
            first = arg
        else:
            try:
                array, _ = convert(value, dtype)
            except (TypeError, ValueError):
                _, got = convert(value)
                raise TypeError(f"Input '{arg}' of '{op_type}' Op has type {got.name} that does not match type "
                                f"{dtype.name} of argument '{first}'.") from None
        arrays.append(array)
    assert dtype is not None, "inputs() needs at least one input"
    return arrays, dtype, array_module(*arrays)


def op_name(name: Any, default: str) -> str:
    """The name TF's ``create_op`` gives an op: ``name`` (else ``default``) made unique in the current name scope;
    a name ending in ``/`` (a scope ``scope()`` returned) is the op's name as it is."""
    graph = get_default_graph()
    if not name:
        name = default
    elif name[-1] == "/":
        return str(name[:-1])
    check_scope_name(name, nested=bool(graph.get_name_scope()))
    return str(graph.unique_name(name))


@contextmanager
def scope(name: Any, default: str) -> Iterator[str]:
    """TF's ``name_scope(name, default_name)`` for an op built from ops: the block gets ``"clip_by_value/"``."""
    with get_default_graph().name_scope(name or default) as entered:
        yield entered


def storage_dtype(value: Any, dtype: DType) -> Any:
    """The NumPy dtype an array like ``value`` holds ``dtype`` in: itself for NumPy, JAX's canonical one for JAX
    arrays (int64 -> int32 without ``jax_enable_x64``, so casting does not warn)."""
    np_dtype = np.dtype(dtype.as_numpy_dtype)
    if isinstance(value, (np.ndarray, np.generic)):
        return np_dtype
    jax_backend: Any = get_backend("jax")
    return jax_backend.canonical_dtype(np_dtype)


def _fit(value: Any, dtype: DType) -> Any:
    """``value`` cast to ``dtype`` when it holds another (JAX without x64 keeps int32 for int64)."""
    np_dtype = np.dtype(dtype.as_numpy_dtype)
    if value.dtype == np_dtype:
        return value
    if isinstance(value, np.ndarray):
        return value.astype(np_dtype)
    jax_backend: Any = get_backend("jax")
    canonical = jax_backend.canonical_dtype(np_dtype)
    if value.dtype == canonical:
        return value
    return value.astype(canonical)


def typed_input(op_type: str, arg: str, value: Any, dtype: DType) -> Any:
    """Convert an input whose TF type is fixed (``LogicalAnd``'s bool): NumPy and Python values are cast to it.

    Raises:
        TypeError: ``Input 'x' of 'LogicalAnd' Op has type float32 that does not match expected type of bool.``
    """
    try:
        return convert(value, dtype)[0]
    except (TypeError, ValueError):
        _, got = convert(value)
        raise TypeError(f"Input '{arg}' of '{op_type}' Op has type {got.name} that does not match expected type of "
                        f"{dtype.name}.") from None


def list_inputs(op_type: str, arg: str, values: Any) -> tuple[list[Any], DType, Any]:
    """Convert a list input (TF's ``values`` of ``ConcatV2``): all of one dtype, the first one's.

    Raises:
        TypeError: ``Tensors in list passed to 'values' of 'ConcatV2' Op have types [float32, int32] that don't all
            match.``
    """
    converted = [convert(v) for v in values]
    dtypes = [d for _, d in converted]
    carrying = [d for v, (_, d) in zip(values, converted) if isinstance(v, (Tensor, Variable))]
    target = carrying[0] if carrying else dtypes[0]
    arrays = []
    for v, (a, d) in zip(values, converted):
        if d != target:
            if isinstance(v, (Tensor, Variable)):
                raise TypeError(f"Tensors in list passed to '{arg}' of '{op_type}' Op have types "
                                f"[{', '.join(x.name for x in dtypes)}] that don't all match.")
            a, d = convert(v, target)
        arrays.append(a)
    return arrays, target, array_module(*arrays)


def result(value: Any, op_type: str, name: Any, default: str | None = None, dtype: DType | None = None,
           shape: Any = None) -> Tensor:
    """Wrap ``value`` (computed by the op) as the Tensor ``"<op name>:0"`` of a new op of ``op_type``.

    Args:
        value: The array (a NumPy scalar becomes a 0-d array).
        op_type: TF's op type (``"MatMul"``).
        name: The op's ``name`` argument (None: ``default``).
        default: The default op name (None: ``op_type``).
        dtype: The TF dtype (None: the array's); the array is cast to it if it holds another.
        shape: The static shape TF infers, when it knows less than the array's (``[None, 3]`` for a result whose size
            depends on values, as ``boolean_mask``'s).
    """
    t = results([value], op_type, name, default, [dtype])[0]
    if shape is not None:
        t._shape = TensorShape(shape)
    return t


def results(values: list[Any], op_type: str, name: Any, default: str | None = None,
            dtypes: list[DType | None] | None = None) -> list[Tensor]:
    """Like :func:`result` for an op with several outputs (``"split:0"``, ``"split:1"``, ...)."""
    graph = get_default_graph()
    op = Operation(op_name(name, default or op_type), op_type, graph)
    out = []
    for i, value in enumerate(values):
        if isinstance(value, (np.generic, int, float, bool, complex)) or not hasattr(value, "dtype"):
            value = np.asarray(value)
        want = dtypes[i] if dtypes is not None else None
        if want is None:
            want = as_dtype(value.dtype)
        else:
            value = _fit(value, want)
        out.append(Tensor(value, want, op, i))
    op._outputs = out
    return out


def shape_error(message: str, node: str, op_type: str) -> ValueError:
    """TF's shape-inference error: ``message`` and the node it failed for, as TF words it (``"... for
    '{{node strided_slice}} = StridedSlice[...]'"``; varscope does not print the node's attributes and inputs)."""
    return ValueError(f"{message} for '{{{{node {node}}}}} = {op_type}[...]' (checked by varscope on the static "
                      "shapes)")
