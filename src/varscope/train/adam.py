"""``AdamOptimizer``: TF's ``ApplyAdam``, slots ``<v>/Adam`` (m) and ``<v>/Adam_1`` (v), and the
non-slot ``beta1_power`` / ``beta2_power``.

``alpha = lr * sqrt(1 - beta2_power) / (1 - beta1_power)``, ``m += (g - m) * (1 - beta1)``,
``v += (g * g - v) * (1 - beta2)``, ``var -= m * alpha / (sqrt(v) + epsilon)``; after every
variable, ``beta1_power *= beta1`` and ``beta2_power *= beta2``. As in TF the two powers are
float32 ``tf.Variable``\\ s named by the name scope ``apply_gradients`` is called in (``beta1_power``
at the top level), made once per graph before the slots.

Example:
    >>> import numpy as np, varscope as tf1
    >>> from varscope import train
    >>> with tf1.Graph().as_default():
    ...     w = tf1.get_variable("w", initializer=np.array([1.0], np.float32))
    ...     _ = train.AdamOptimizer(0.1).apply_gradients([(np.array([0.5], np.float32), w)])
    ...     names = [v.op.name for v in tf1.global_variables()]
    >>> names, round(float(w.numpy()[0]), 6)
    (['w', 'beta1_power', 'beta2_power', 'w/Adam', 'w/Adam_1'], 0.9)
"""

from __future__ import annotations

from typing import Any

from varscope._variables import Variable
from varscope.train._arrays import namespace
from varscope.train.optimizer import Optimizer

__all__ = ["AdamOptimizer"]


class AdamOptimizer(Optimizer):
    """Adam (``tf.compat.v1.train.AdamOptimizer``), with TF's defaults."""


    def __init__(self, learning_rate: Any = 0.001, beta1: Any = 0.9, beta2: Any = 0.999, epsilon: Any = 1e-08,
                 use_locking: bool = False, name: str = "Adam",
                 use_own_namescope_for_non_slot_vars: bool = False) -> None:
        super().__init__(use_locking, name, use_own_namescope_for_non_slot_vars)
        self._lr = learning_rate
        self._beta1 = beta1
        self._beta2 = beta2
        self._epsilon = epsilon
        self._lr_t: Any = None
        self._beta1_t: Any = None
        self._beta2_t: Any = None
        self._epsilon_t: Any = None

    def _get_beta_accumulators(self, var: Variable) -> tuple[Variable, Variable]:
        b1 = self._get_non_slot_variable("beta1_power", var.graph)
        b2 = self._get_non_slot_variable("beta2_power", var.graph)
        assert b1 is not None and b2 is not None  # (made by _create_slots)
        return b1, b2

    def _create_slots(self, var_list: list[Variable]) -> None:
        first_var = min(var_list, key=lambda x: x.name)
        self._create_non_slot_variable(initial_value=self._beta1, name="beta1_power", colocate_with=first_var)
        self._create_non_slot_variable(initial_value=self._beta2, name="beta2_power", colocate_with=first_var)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _prepare(self) -> None:
        self._lr_t = self._hyper(self._call_if_callable(self._lr))
        self._beta1_t = self._hyper(self._call_if_callable(self._beta1))
        self._beta2_t = self._hyper(self._call_if_callable(self._beta2))
        self._epsilon_t = self._hyper(self._call_if_callable(self._epsilon))

    def _apply_dense(self, grad: Any, var: Variable) -> None:
        m = self.get_slot(var, "m")
        v = self.get_slot(var, "v")
        assert m is not None and v is not None  # (made by _create_slots)
        beta1_power, beta2_power = self._get_beta_accumulators(var)
        xp = namespace(var, grad, self._lr_t)
        b1p = self._cast_to(beta1_power.value(), var)
        b2p = self._cast_to(beta2_power.value(), var)
        lr = self._cast_to(self._lr_t, var)
        beta1 = self._cast_to(self._beta1_t, var)
        beta2 = self._cast_to(self._beta2_t, var)
        epsilon = self._cast_to(self._epsilon_t, var)
        one = xp.asarray(1, var._value.dtype)
        alpha = lr * xp.sqrt(one - b2p) / (one - b1p)
        m_t = m.value() + (grad - m.value()) * (one - beta1)
        v_t = v.value() + (grad * grad - v.value()) * (one - beta2)
        new = var.value() - (m_t * alpha) / (xp.sqrt(v_t) + epsilon)
        m.assign(m_t)
        v.assign(v_t)
        var.assign(new)

    def _finish(self, var_list: list[Variable]) -> None:
        beta1_power, beta2_power = self._get_beta_accumulators(var_list[0])
        b1 = beta1_power.value() * self._beta1_t.astype(beta1_power.value().dtype)
        b2 = beta2_power.value() * self._beta2_t.astype(beta2_power.value().dtype)
        beta1_power.assign(b1)
        beta2_power.assign(b2)
