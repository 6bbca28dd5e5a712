"""TF1's learning-rate schedules (``tf.compat.v1.train.exponential_decay`` and the others), with TF's numbers.

Each function computes the learning rate for the current value of ``global_step`` (a variable, an
array or a number) as TF's graph does, in the dtype of ``learning_rate`` (a Python float gives
float32) with TF's order of operations, and returns a 0-d array: NumPy in a NumPy graph, JAX inside
``varscope.jax.transform`` (where each ``apply`` recomputes it from that step's ``global_step``).
There is no session, so in a plain graph the value is the one at the time of the call.

Example:
    >>> import varscope as tf1
    >>> from varscope import train
    >>> with tf1.Graph().as_default():
    ...     step = train.get_or_create_global_step()
    ...     _ = step.assign(25)
    ...     lr = train.exponential_decay(0.1, step, decay_steps=10, decay_rate=0.5, staircase=True)
    >>> float(lr), lr.dtype.name
    (0.02500000037252903, 'float32')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from varscope import _random
from varscope._graph import get_default_graph
from varscope._name_scope import name_scope
from varscope.train._arrays import cast, namespace, raw, tensor

__all__ = [
    "cosine_decay", "cosine_decay_restarts", "exponential_decay", "inverse_time_decay", "linear_cosine_decay",
    "natural_exp_decay", "noisy_linear_cosine_decay", "piecewise_constant", "piecewise_constant_decay",
    "polynomial_decay",
]


def _lr(learning_rate: Any, global_step: Any) -> tuple[Any, Any, Any]:
    """(array module, initial learning rate as a tensor, its dtype)."""
    xp = namespace(learning_rate, global_step)
    lr = tensor(learning_rate, xp)
    return xp, lr, lr.dtype


def _check_step(global_step: Any, name: str) -> None:
    if global_step is None:  # (TF's message: it converts None to a tensor)
        raise ValueError("None values not supported.")


def exponential_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
                      staircase: bool = False, name: str | None = None) -> Any:
    """``learning_rate * decay_rate ** (global_step / decay_steps)`` (the exponent floored when ``staircase``)."""
    _check_step(global_step, "exponential_decay")
    with name_scope(name, "ExponentialDecay"):
        xp, lr, dtype = _lr(learning_rate, global_step)
        p = cast(global_step, dtype, xp) / cast(decay_steps, dtype, xp)
        if staircase:
            p = xp.floor(p)
        return lr * xp.power(cast(decay_rate, dtype, xp), p)


def natural_exp_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
                      staircase: bool = False, name: str | None = None) -> Any:
    """``learning_rate * exp(-decay_rate * global_step / decay_steps)`` (TF: ``exp(-decay_rate)`` as the base)."""
    _check_step(global_step, "natural_exp_decay")
    xp = namespace(decay_rate, learning_rate, global_step)
    base = xp.exp(-tensor(decay_rate, xp))
    return exponential_decay(learning_rate, global_step, decay_steps, base, staircase=staircase,
                             name=name or "ExponentialDecay")


def inverse_time_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
                       staircase: bool = False, name: str | None = None) -> Any:
    """``learning_rate / (1 + decay_rate * global_step / decay_steps)`` (the ratio floored when ``staircase``)."""
    _check_step(global_step, "inverse_time_decay")
    with name_scope(name, "InverseTimeDecay"):
        xp, lr, dtype = _lr(learning_rate, global_step)
        p = cast(global_step, dtype, xp) / cast(decay_steps, dtype, xp)
        if staircase:
            p = xp.floor(p)
        denom = xp.asarray(1, dtype) + cast(decay_rate, dtype, xp) * p
        return lr / denom


def polynomial_decay(learning_rate: Any, global_step: Any, decay_steps: Any, end_learning_rate: Any = 0.0001,
                     power: Any = 1.0, cycle: bool = False, name: str | None = None) -> Any:
    """From ``learning_rate`` to ``end_learning_rate`` over ``decay_steps`` as ``(1 - step/decay_steps) ** power``.

    ``cycle=True`` restarts the decay with ``decay_steps`` multiplied by ``ceil(step / decay_steps)``
    (1 at step 0); otherwise the rate stays at ``end_learning_rate`` after ``decay_steps``.
    """
    _check_step(global_step, "polynomial_decay")
    with name_scope(name, "PolynomialDecay"):
        xp, lr, dtype = _lr(learning_rate, global_step)
        end = cast(end_learning_rate, dtype, xp)
        power_t = cast(power, dtype, xp)
        step = cast(global_step, dtype, xp)
        steps = cast(decay_steps, dtype, xp)
        if cycle:
            # (TF divides by the Python decay_steps here, and 1.0 makes the multiplier float32 as in TF)
            multiplier = xp.where(step == 0, xp.asarray(1.0, dtype), xp.ceil(step / cast(decay_steps, dtype, xp)))
            steps = steps * multiplier
        else:
            step = xp.minimum(step, steps)
        p = step / steps
        # (p <= 1 in TF's arithmetic; under jax.jit XLA divides by a constant as a multiplication by its
        # reciprocal, and 1 - p can come out as -1.5e-8: a fractional power of it would be NaN)
        return (lr - end) * xp.power(xp.maximum(1 - p, xp.asarray(0, dtype)), power_t) + end


def piecewise_constant(x: Any, boundaries: Sequence[Any], values: Sequence[Any], name: str | None = None) -> Any:
    """``values[i]`` for ``boundaries[i-1] < x <= boundaries[i]`` (``values[0]`` up to the first boundary).

    Raises:
        ValueError: TF's errors: boundaries of another dtype than ``x`` (int32 boundaries for an int64
            ``x`` are cast), values of different dtypes, or ``len(boundaries) != len(values) - 1``.
    """
    xp = namespace(x, *boundaries, *values)
    xs = tensor(x, xp)
    bounds = [tensor(b, xp) for b in boundaries]
    vals = [tensor(v, xp) for v in values]
    for i, b in enumerate(bounds):
        if b.dtype != xs.dtype:
            if b.dtype == np.int32 and xs.dtype == np.int64:
                bounds[i] = b.astype(xs.dtype)
            else:
                raise ValueError(f"Boundaries ({_dtype_name(b.dtype)}) must have the same dtype as x "
                                 f"({_dtype_name(xs.dtype)}).")
    for v in vals[1:]:
        if v.dtype != vals[0].dtype:
            raise ValueError(f"Values must have elements all with the same dtype ({_dtype_name(vals[0].dtype)} vs "
                             f"{_dtype_name(v.dtype)}).")
    if len(bounds) != len(vals) - 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")
    with name_scope(name, "PiecewiseConstant"):
        out = xp.where(xs > bounds[-1], vals[-1], vals[0])
        for low, high, v in zip(bounds[:-1], bounds[1:], vals[1:-1]):
            out = xp.where((xs > low) & (xs <= high), v, out)
        return out


piecewise_constant_decay = piecewise_constant


def _dtype_name(dtype: Any) -> str:
    return f"<dtype: '{np.dtype(dtype).name}'>"


def cosine_decay(learning_rate: Any, global_step: Any, decay_steps: Any, alpha: Any = 0.0,
                 name: str | None = None) -> Any:
    """``learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decay_steps) / decay_steps)) + alpha)``."""
    _check_step(global_step, "cosine_decay")
    with name_scope(name, "CosineDecay"):
        xp, lr, dtype = _lr(learning_rate, global_step)
        steps = cast(decay_steps, dtype, xp)
        step = xp.minimum(cast(global_step, dtype, xp), steps)
        fraction = step / steps
        cosine = 0.5 * (1.0 + xp.cos(xp.asarray(math.pi, np.float32) * fraction))
        decayed = (1 - alpha) * cosine + alpha
        return lr * decayed.astype(dtype)


def cosine_decay_restarts(learning_rate: Any, global_step: Any, first_decay_steps: Any, t_mul: Any = 2.0,
                          m_mul: Any = 1.0, alpha: Any = 0.0, name: str | None = None) -> Any:
    """Cosine decay with warm restarts (SGDR): periods of ``first_decay_steps * t_mul ** i``, peaks ``m_mul ** i``."""
    _check_step(global_step, "cosine_decay_restarts")
    with name_scope(name, "SGDRDecay"):
        xp, lr, dtype = _lr(learning_rate, global_step)
        first = cast(first_decay_steps, dtype, xp)
        alpha_t = cast(alpha, dtype, xp)
        t_mul_t = cast(t_mul, dtype, xp)
        m_mul_t = cast(m_mul, dtype, xp)
        fraction = cast(global_step, dtype, xp) / first
        if float(t_mul) == 1.0:
            i_restart = xp.floor(fraction)
            fraction = fraction - i_restart
        else:
            i_restart = xp.floor(xp.log(1.0 - fraction * (1.0 - t_mul_t)) / xp.log(t_mul_t))
            sum_r = (1.0 - t_mul_t ** i_restart) / (1.0 - t_mul_t)
            fraction = (fraction - sum_r) / t_mul_t ** i_restart
        m_fac = m_mul_t ** i_restart
        cosine = 0.5 * m_fac * (1.0 + xp.cos(xp.asarray(math.pi, dtype) * fraction))
        decayed = (1 - alpha_t) * cosine + alpha_t
        return lr * decayed


def linear_cosine_decay(learning_rate: Any, global_step: Any, decay_steps: Any, num_periods: Any = 0.5,
                        alpha: Any = 0.0, beta: Any = 0.001, name: str | None = None) -> Any:
    """Linear times cosine decay: ``lr * ((alpha + linear) * cosine + beta)``."""
    _check_step(global_step, "linear_cosine_decay")
    with name_scope(name, "LinearCosineDecay"):
        return _linear_cosine(learning_rate, global_step, decay_steps, num_periods, alpha, beta, None)


def noisy_linear_cosine_decay(learning_rate: Any, global_step: Any, decay_steps: Any, initial_variance: Any = 1.0,
                              variance_decay: Any = 0.55, num_periods: Any = 0.5, alpha: Any = 0.0,
                              beta: Any = 0.001, name: str | None = None) -> Any:
    """:func:`linear_cosine_decay` with Gaussian noise of variance ``initial_variance / (1 + step) ** variance_decay``
    added to the linear part.

    The noise is drawn from NumPy's generator keyed by the graph seed, the schedule's name scope and
    the step (reproducible with a graph seed; TF's own random numbers cannot be reproduced), so it
    needs a concrete step: under ``jax.jit`` it raises ``TypeError``.
    """
    _check_step(global_step, "noisy_linear_cosine_decay")
    with name_scope(name, "NoisyLinearCosineDecay") as scope:
        return _linear_cosine(learning_rate, global_step, decay_steps, num_periods, alpha, beta,
                              (initial_variance, variance_decay, scope))


def _linear_cosine(learning_rate: Any, global_step: Any, decay_steps: Any, num_periods: Any, alpha: Any,
                   beta: Any, noise: tuple[Any, Any, str] | None) -> Any:
    xp, lr, dtype = _lr(learning_rate, global_step)
    steps = cast(decay_steps, dtype, xp)
    periods = cast(num_periods, dtype, xp)
    alpha_t = cast(alpha, dtype, xp)
    beta_t = cast(beta, dtype, xp)
    step = xp.minimum(cast(global_step, dtype, xp), steps)
    linear = (steps - step) / steps
    if noise is not None:
        initial_variance, variance_decay, scope = noise
        variance = cast(initial_variance, dtype, xp) / xp.power(1.0 + step, cast(variance_decay, dtype, xp))
        std = xp.sqrt(variance)
        linear = linear + (_normal(scope, raw(global_step)) * std).astype(dtype)
    fraction = 2.0 * periods * (step / steps)
    cosine = 0.5 * (1.0 + xp.cos(xp.asarray(math.pi, dtype) * fraction))
    return lr * ((alpha_t + linear) * cosine + beta_t)


def _normal(scope: str, step: Any) -> Any:
    """One standard normal float32 draw, keyed by the graph seed, the schedule's name scope and the step."""
    if namespace(step) is not np:
        raise TypeError("noisy_linear_cosine_decay draws its noise with NumPy and needs a concrete global_step; "
                        "inside jax.jit use linear_cosine_decay and add noise from a JAX key.")
    key = f"{scope}@{int(np.asarray(step))}"
    return np.float32(_random.generator_for(get_default_graph().seed, key).standard_normal())
