"""Samplers behind ``tf.random_*``: from a NumPy generator (NumPy graphs) or a JAX key (inside ``transform``).

The two sources draw the same distributions in the same shapes and dtypes (JAX without x64: 64-bit dtypes are
drawn in 32 bits, as ``jnp`` holds them), not the same values (nor TF's:
TF's Philox stream is not reproduced). Each function takes the source first: ``np.random.Generator`` or a
JAX key. ``truncated_normal`` redraws everything beyond two standard deviations, as TF does;
``categorical`` returns ``[batch, num_samples]`` class indices drawn from unnormalised log-probabilities.

Example:
    >>> import numpy as np
    >>> g = np.random.default_rng(0)
    >>> x = truncated_normal(g, (1000,), np.float32)
    >>> bool(np.abs(x).max() <= 2.0), x.dtype.name
    (True, 'float32')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from varscope.backends import get_backend

__all__ = ["is_generator", "normal", "truncated_normal", "uniform", "uniform_int", "categorical", "shuffle"]


def _jax() -> Any:
    """The ``jax`` module, through the backend seam (only reached for JAX keys)."""
    return get_backend("jax").jax  # type: ignore[attr-defined]


def is_generator(source: Any) -> bool:
    """True for a NumPy generator (else the source is a JAX key)."""
    return isinstance(source, np.random.Generator)


def _float_draw_dtype(dtype: np.dtype) -> Any:
    """The dtype NumPy draws ``dtype`` in (float32 or float64; narrower floats are rounded after)."""
    return np.float64 if dtype == np.float64 else np.float32


def normal(source: Any, shape: tuple[int, ...], dtype: Any) -> Any:
    """Standard normal values."""
    dtype = np.dtype(dtype)
    if is_generator(source):
        return source.standard_normal(shape, dtype=_float_draw_dtype(dtype)).astype(dtype)
    jax = _jax()
    return jax.random.normal(source, shape, jax.dtypes.canonicalize_dtype(dtype))


def truncated_normal(source: Any, shape: tuple[int, ...], dtype: Any) -> Any:
    """Standard normal values, redrawn until within ``[-2, 2]``."""
    dtype = np.dtype(dtype)
    if is_generator(source):
        draw = _float_draw_dtype(dtype)
        out = source.standard_normal(shape, dtype=draw)
        bad = np.abs(out) > 2.0
        while bad.any():
            out[bad] = source.standard_normal(int(bad.sum()), dtype=draw)
            bad = np.abs(out) > 2.0
        return out.astype(dtype)
    jax = _jax()
    return jax.random.truncated_normal(source, -2.0, 2.0, shape, jax.dtypes.canonicalize_dtype(dtype))


def uniform(source: Any, shape: tuple[int, ...], dtype: Any) -> Any:
    """Uniform values in ``[0, 1)``."""
    dtype = np.dtype(dtype)
    if is_generator(source):
        out = source.random(shape, dtype=_float_draw_dtype(dtype)).astype(dtype)
        # rounding to a narrower float may reach 1.0: keep the interval half-open
        return np.where(out >= 1, np.nextafter(np.array(1, dtype), np.array(0, dtype)), out).astype(dtype)
    jax = _jax()
    return jax.random.uniform(source, shape, jax.dtypes.canonicalize_dtype(dtype))


def uniform_int(source: Any, shape: tuple[int, ...], minval: int, maxval: int, dtype: Any) -> Any:
    """Integers in ``[minval, maxval)``."""
    dtype = np.dtype(dtype)
    if is_generator(source):
        return source.integers(minval, maxval, shape, dtype=dtype)
    jax = _jax()
    return jax.random.randint(source, shape, minval, maxval, jax.dtypes.canonicalize_dtype(dtype))


def categorical(source: Any, logits: Any, num_samples: int, dtype: Any) -> Any:
    """``[batch, num_samples]`` class indices, each drawn with probability ``softmax(logits[b])``."""
    dtype = np.dtype(dtype)
    batch, classes = logits.shape
    if is_generator(source):
        u = source.random((batch, num_samples, classes))
        gumbel = -np.log(-np.log(np.maximum(u, np.finfo(np.float64).tiny)))
        return np.argmax(np.asarray(logits, np.float64)[:, None, :] + gumbel, axis=-1).astype(dtype)
    jax = _jax()
    draws = jax.random.categorical(source, logits, axis=-1, shape=(num_samples, batch))
    return draws.T.astype(jax.dtypes.canonicalize_dtype(dtype))


def shuffle(source: Any, value: Any) -> Any:
    """``value`` with its first axis randomly permuted."""
    if is_generator(source):
        return value[source.permutation(value.shape[0])] if np.ndim(value) else value
    jax = _jax()
    return jax.random.permutation(source, value, axis=0, independent=False) if value.ndim else value
