"""TF's random ops: ``tf.random_normal``, ``random_uniform``, ``truncated_normal``, ``multinomial``,
``random.categorical``, ``random_shuffle`` (and their ``tf.random.*`` names).

Where the numbers come from:

* inside :func:`varscope.jax.transform` (the graph's ``random_source`` hook is set), from the call's rng:
  ``transform(fn, rng=True)`` and ``apply(params, rng, *args)``. Each op draws from the rng folded with its op
  name (``dropout/random_uniform``) or, when it has one, its op seed, so a call is deterministic and ops are
  independent; without an rng, a random op raises a ``ValueError`` that says how to pass one.
* in a NumPy graph, from a NumPy generator keyed by (graph seed, op name, op seed) (:mod:`varscope._random`),
  following TF's ``set_random_seed`` rules: with an op seed the values depend on the two seeds alone (no graph
  seed: TF's default graph seed 87654321), else on the graph seed and the op's name. Unlike TF, which draws
  new values on every run when no seed is set, these values are always reproducible: an op is computed
  once, when it is built.

The values are not TF's (TF's Philox stream is not reproduced); distributions, shapes and dtypes are.

Example:
    >>> from varscope.compat import v1 as tf
    >>> with tf.Graph().as_default():
    ...     tf.set_random_seed(1)
    ...     a = tf.random_uniform([2, 3], minval=-1.0, maxval=1.0)
    >>> a.name, a.shape.as_list(), bool((abs(a.numpy()) < 1).all())
    ('random_uniform:0', [2, 3], True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from varscope import _random
from varscope._dtypes import DType, as_dtype, float32, int64
from varscope._graph import get_default_graph
from varscope.compat import _random_math as rm
from varscope.compat._op import array_module, convert, result, scope
from varscope.compat._tensor import Tensor

__all__ = ["DEFAULT_GRAPH_SEED", "random_source", "random_normal", "random_uniform", "truncated_normal",
           "multinomial", "categorical", "random_shuffle", "concrete_shape"]

DEFAULT_GRAPH_SEED = 87654321  # TF's graph seed for an op seed without a graph seed


def random_source(op_name: str, seed: Any = None) -> Any:
    """What the random op ``op_name`` draws from: the ``random_source`` hook's JAX key inside ``transform``,
    else a NumPy generator keyed by (graph seed, op name, op seed).

    Raises:
        ValueError: Inside an ``apply`` without an rng (the hook's message says how to pass one).
    """
    graph = get_default_graph()
    op_seed = None if seed is None else int(seed)
    hook = graph.random_source
    if hook is not None:
        return hook(op_name, op_seed)
    graph_seed = graph.seed
    if graph_seed is None and op_seed is not None:
        graph_seed = DEFAULT_GRAPH_SEED
    return _random.generator_for(graph_seed, op_name, op_seed)


def concrete_shape(shape: Any) -> tuple[int, ...]:
    """A shape argument (list or tuple of ints / ``Dimension`` s / scalar Tensors, 1-D array or Tensor,
    ``TensorShape``) as a tuple of ints.

    Raises:
        ValueError: For a shape with unknown (None or negative) entries.
    """
    if hasattr(shape, "as_list"):
        shape = shape.as_list()
    if isinstance(shape, (list, tuple)):
        dims = [None if d is None or getattr(d, "value", 0) is None else int(np.asarray(convert(d)[0]))
                for d in shape]
    else:
        dims = [int(d) for d in np.asarray(convert(shape)[0]).ravel()]
    if any(d is None or d < 0 for d in dims):
        raise ValueError(f"random ops need a fully defined shape, got {dims}.")
    return tuple(int(d) for d in dims)  # type: ignore[arg-type]


def _float_dtype(dtype: Any, op: str) -> DType:
    dt = as_dtype(dtype).base_dtype
    if not dt.is_floating:
        raise TypeError(f"{op} draws floating point values; dtype {dt.name} is not one (use tf.random_uniform with "
                        "maxval for integers).")
    return dt


def _scaled(source_value: Any, scale: Any, shift: Any, dtype: DType, name: str) -> Tensor:
    """``value * scale + shift`` in ``dtype`` (TF's ``rnd * stddev + mean``), as the op ``name``."""
    s, _ = convert(scale, dtype)
    b, _ = convert(shift, dtype)
    xp = array_module(source_value, s, b)
    return result(xp.add(source_value * s, b), "AddV2", name, dtype=dtype)


def random_normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = float32, seed: Any = None,
                  name: Any = None) -> Tensor:
    """Normal values ``mean + stddev * N(0, 1)`` of ``shape`` (``random_normal``)."""
    dt = _float_dtype(dtype, "random_normal")
    with scope(name, "random_normal") as s:
        source = random_source(s[:-1], seed)
        return _scaled(rm.normal(source, concrete_shape(shape), dt.as_numpy_dtype), stddev, mean, dt, s)


def truncated_normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = float32, seed: Any = None,
                     name: Any = None) -> Tensor:
    """Normal values redrawn until within two standard deviations of ``mean`` (``truncated_normal``)."""
    dt = _float_dtype(dtype, "truncated_normal")
    with scope(name, "truncated_normal") as s:
        source = random_source(s[:-1], seed)
        return _scaled(rm.truncated_normal(source, concrete_shape(shape), dt.as_numpy_dtype), stddev, mean, dt, s)


def random_uniform(shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = float32, seed: Any = None,
                   name: Any = None) -> Tensor:
    """Uniform values in ``[minval, maxval)`` (``maxval`` defaults to 1 for floats; integers need it).

    As in TF, the float op is ``RandomUniform`` alone for the Python ints ``minval=0, maxval=1``, a ``Mul`` by
    ``maxval`` for ``minval=0`` (the int), else ``rnd * (maxval - minval) + minval``.

    Raises:
        ValueError: ``Must specify maxval for integer dtype tf.int32`` (TF's message).
    """
    dt = as_dtype(dtype).base_dtype
    if maxval is None:
        if dt.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dt!r}")
        maxval = 1
    with scope(name, "random_uniform") as s:
        source = random_source(s[:-1], seed)
        dims = concrete_shape(shape)
        if dt.is_integer:
            low, high = int(np.asarray(convert(minval)[0])), int(np.asarray(convert(maxval)[0]))
            return result(rm.uniform_int(source, dims, low, high, dt.as_numpy_dtype), "RandomUniformInt", s, dtype=dt)
        dt = _float_dtype(dt, "random_uniform")
        unit = rm.uniform(source, dims, dt.as_numpy_dtype)
        minval_is_zero = isinstance(minval, int) and minval == 0
        if minval_is_zero:
            if isinstance(maxval, int) and maxval == 1:
                return result(unit, "RandomUniform", "RandomUniform", dtype=dt)
            high_arr, _ = convert(maxval, dt)
            return result(unit * high_arr, "Mul", "Mul", dtype=dt)
        low_arr, _ = convert(minval, dt)
        high_arr, _ = convert(maxval, dt)
        return _scaled(unit, high_arr - low_arr, low_arr, dt, s)


def _categorical(logits: Any, num_samples: Any, dtype: Any, seed: Any, name: Any, default: str) -> Tensor:
    with scope(name, default) as s:
        values, logits_dtype = convert(logits)
        if values.ndim != 2:
            raise ValueError(f"logits should be a matrix [batch_size, num_classes], got shape {list(values.shape)}.")
        out = int64 if dtype is None else as_dtype(dtype).base_dtype
        source = random_source(s[:-1], seed)
        draws = rm.categorical(source, values, int(np.asarray(convert(num_samples)[0])), out.as_numpy_dtype)
        return result(draws, "Multinomial", "Multinomial", dtype=out)


def multinomial(logits: Any, num_samples: Any, seed: Any = None, name: Any = None, output_dtype: Any = None
                ) -> Tensor:
    """``[batch, num_samples]`` class indices drawn from ``softmax(logits)`` per row (int64 by default)."""
    return _categorical(logits, num_samples, output_dtype, seed, name, "multinomial")


def categorical(logits: Any, num_samples: Any, dtype: Any = None, seed: Any = None, name: Any = None) -> Tensor:
    """``tf.random.categorical``: as :func:`multinomial`, with the output dtype called ``dtype``."""
    return _categorical(logits, num_samples, dtype, seed, name, "categorical")


def random_shuffle(value: Any, seed: Any = None, name: Any = None) -> Tensor:
    """``value`` with its first dimension randomly permuted (``RandomShuffle``)."""
    array, dtype = convert(value)
    from_name = get_default_graph().unique_name(name or "RandomShuffle", mark_as_used=False)
    source = random_source(from_name, seed)
    return result(rm.shuffle(source, array), "RandomShuffle", name, dtype=dtype)
