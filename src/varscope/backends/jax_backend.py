"""The JAX backend: variables hold ``jax.Array`` values (``Graph(backend="jax")``).

Initial values are still computed by the NumPy initializers (so JAX, NumPy and PyTorch variables
start from identical, name-keyed values) and converted here with ``jnp.asarray``. Conversion runs
under ``jax.ensure_compile_time_eval`` so that a variable created while a function is being traced
(``jax.eval_shape``, ``jax.jit``) still holds a concrete array, never a leaked tracer.

Importing this module also registers :class:`varscope.Variable` as a JAX pytree with one leaf (its
value), which makes variables usable directly in ``jnp`` functions, ``jax.jit`` arguments and
``jax.tree_util`` maps. A variable rebuilt from its leaf (inside a transformation) is *detached*:
it keeps the name, shape, dtype and trainability but belongs to no graph.

Example:
    >>> import jax.numpy as jnp, varscope as tf1
    >>> with tf1.Graph(backend="jax").as_default():
    ...     w = tf1.get_variable("w", initializer=[1.0, 2.0])
    >>> float(jnp.sum(w * 2)), type(w.value()).__name__
    (6.0, 'ArrayImpl')
"""

from __future__ import annotations

import threading
from typing import Any

import jax
import jax.numpy as jnp
import jax.scipy.special
import numpy as np
from jax._src import core as _jax_core  # (``jax.core.pytype_aval_mappings`` is its deprecated alias)
from jax.interpreters import xla

from varscope._variables import Variable, VariableAggregation, VariableSynchronization

__all__ = ["JaxBackend", "BACKEND", "register_slices", "clear_slices"]


class _SliceRegistry(threading.local):
    """Arrays known to be contiguous slices of a larger array (see :func:`register_slices`)."""

    def __init__(self) -> None:
        self.slices: dict[int, tuple[Any, Any, int, int, int]] = {}


_registry = _SliceRegistry()


def register_slices(full: Any, axis: int, pieces: list[tuple[Any, int, int]]) -> None:
    """Record that each ``(piece, start, stop)`` is ``full[start:stop]`` along ``axis``.

    :meth:`JaxBackend.concatenate` of all the pieces, in order, then returns ``full`` itself instead of
    building a concatenation: a partitioned variable read in ``apply`` costs no slicing or copying and
    keeps the sharding of the global array. The registry is per thread; call :func:`clear_slices`
    when the pieces go out of use.
    """
    table = _registry.slices
    for piece, start, stop in pieces:
        table[id(piece)] = (piece, full, axis, start, stop)


def clear_slices() -> None:
    """Forget every registered slice of this thread."""
    _registry.slices.clear()


class JaxBackend:
    """Variables hold ``jax.Array`` values (tracers while a function is traced)."""

    name = "jax"
    numpy = jnp  # the array module ops compute with
    jax = jax  # JAX itself (lax, scipy.special, linear_transpose): varscope.compat's kernels reach it here

    def register_pytree_node(self, cls: Any, flatten: Any, unflatten: Any) -> None:
        """Register ``cls`` as a JAX pytree (``varscope.compat`` registers its Tensor through this)."""
        jax.tree_util.register_pytree_node(cls, flatten, unflatten)

    def cond(self, pred: Any, true_fn: Any, false_fn: Any) -> Any:
        """``jax.lax.cond(pred, true_fn, false_fn)`` (branches take no arguments)."""
        return jax.lax.cond(pred, lambda _: true_fn(), lambda _: false_fn(), None)

    def while_loop(self, cond: Any, body: Any, init: Any) -> Any:
        """``jax.lax.while_loop(cond, body, init)``."""
        return jax.lax.while_loop(cond, body, init)

    def stop_gradient(self, x: Any) -> Any:
        """``jax.lax.stop_gradient(x)``."""
        return jax.lax.stop_gradient(x)

    def erf(self, x: Any) -> Any:
        """``jax.scipy.special.erf(x)`` (for ``tf.math.erf`` in varscope.compat)."""
        return jax.scipy.special.erf(x)

    def canonical_dtype(self, dtype: Any) -> Any:
        """The dtype JAX holds ``dtype`` in (int64 -> int32 without ``jax_enable_x64``)."""
        return jax.dtypes.canonicalize_dtype(dtype)

    def asarray(self, value: Any, dtype: Any = None) -> Any:
        """``value`` as a ``jax.Array`` of ``dtype`` (concrete even while tracing, for NumPy input).

        Without ``jax_enable_x64`` a 64-bit ``dtype`` gives the 32-bit array JAX can hold.

        Raises:
            ValueError: For integers outside that 32-bit range (JAX would wrap them).
        """
        if dtype is not None:
            declared = np.dtype(dtype)
            dtype = jax.dtypes.canonicalize_dtype(declared)
            if dtype != declared and declared.kind in "iu" and not isinstance(value, (jax.Array, Variable)):
                _check_fits(value, declared, dtype)
        if isinstance(value, jax.Array):
            if dtype is None or value.dtype == dtype:
                return value
            return value.astype(dtype)
        if isinstance(value, Variable):
            return self.asarray(value._value, dtype)
        with jax.ensure_compile_time_eval():
            return jnp.asarray(value, dtype=dtype)

    def to_numpy(self, value: Any) -> np.ndarray:
        """A NumPy array with the values of ``value`` (fails for tracers, as it must)."""
        return np.asarray(value)

    def is_array(self, value: Any) -> bool:
        """True for ``jax.Array`` values, tracers included."""
        return isinstance(value, jax.Array)

    def concatenate(self, arrays: list[Any], axis: int) -> Any:
        """``jnp.concatenate(arrays, axis)``, or the original array when ``arrays`` are its registered slices."""
        table = _registry.slices
        if table:
            first = table.get(id(arrays[0]))
            if first is not None and first[0] is arrays[0] and first[2] == axis and first[3] == 0:
                full, end = first[1], first[4]
                for piece in arrays[1:]:
                    entry = table.get(id(piece))
                    if entry is None or entry[0] is not piece or entry[1] is not full or entry[3] != end:
                        break
                    end = entry[4]
                else:
                    if end == full.shape[axis]:
                        return full
        return jnp.concatenate([self.asarray(a) for a in arrays], axis=axis)


def _check_fits(value: Any, declared: np.dtype, held: np.dtype) -> None:
    """Raise for integers of a 64-bit ``declared`` dtype that the 32-bit ``held`` dtype cannot represent."""
    arr = np.asarray(value)
    if arr.size == 0 or arr.dtype.kind not in "iu":
        return
    info = np.iinfo(held)
    low, high = arr.min(), arr.max()
    if low < info.min or high > info.max:
        bad = low if low < info.min else high
        raise ValueError(f"The {declared.name} value {bad} does not fit in {held.name}, the dtype JAX holds "
                         f"{declared.name} in without jax_enable_x64. Enable it before creating the variable: "
                         "jax.config.update('jax_enable_x64', True) (or JAX_ENABLE_X64=1).")


BACKEND = JaxBackend()


# -- Variable as a pytree ------------------------------------------------------------------------------
def _flatten(v: Variable) -> tuple[tuple[Any], tuple[Any, ...]]:
    shape = v._shape
    return (v._value,), (v.op.name, shape, v._dtype, v._trainable, v._is_resource)


def _unflatten(aux: tuple[Any, ...], children: Any) -> Variable:
    op_name, shape, dtype, trainable, is_resource = aux
    return Variable._create(None, op_name, children[0], shape, dtype, trainable, None, None,
                            VariableSynchronization.AUTO, VariableAggregation.NONE, is_resource, op_name,
                            backend=BACKEND)


jax.tree_util.register_pytree_node(Variable, _flatten, _unflatten)


# -- Variable as an argument of jax.lax functions ----------------------------------------------------------
# ``jnp`` functions take a variable through ``__jax_array__``; ``jax.lax`` primitives do not (JAX no
# longer reads ``__jax_array__`` when it abstracts an argument). These two hooks, the ones JAX keeps
# for array-like types, hand JAX the variable's value: when a primitive is bound, and when a lax
# function asks for an argument's type first (``lax.broadcast_in_dim``, ``lax.expand_dims``).
def _variable_value(v: Variable) -> Any:
    value = v._value
    return value if isinstance(value, jax.Array) else jnp.asarray(value)


def _variable_aval(v: Variable) -> Any:
    return jax.typeof(_variable_value(v))


xla.canonicalize_dtype_handlers[Variable] = _variable_value
_jax_core.pytype_aval_mappings[Variable] = _variable_aval
