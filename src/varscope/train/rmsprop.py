"""``RMSPropOptimizer``: TF's ``ApplyRMSProp`` / ``ApplyCenteredRMSProp``, slots ``<v>/RMSProp`` (rms,
starting at ones), ``<v>/RMSProp_1`` (momentum; with ``centered``, ``<v>/RMSProp_1`` is mg and
``<v>/RMSProp_2`` momentum).

``ms += (g * g - ms) * (1 - decay)``, ``mom = mom * momentum + g * lr / sqrt(ms + epsilon)``,
``var -= mom``; centered: ``mg += (g - mg) * (1 - decay)`` and the denominator is
``sqrt(ms - mg * mg + epsilon)``.

Example:
    >>> import numpy as np, varscope as tf1
    >>> from varscope import train
    >>> with tf1.Graph().as_default():
    ...     w = tf1.get_variable("w", initializer=np.array([1.0], np.float32))
    ...     _ = train.RMSPropOptimizer(0.1, centered=True).apply_gradients([(np.array([1.0], np.float32), w)])
    ...     names = [v.op.name for v in tf1.global_variables()]
    >>> names
    ['w', 'w/RMSProp', 'w/RMSProp_1', 'w/RMSProp_2']
"""

from __future__ import annotations

from typing import Any

from varscope._variables import Variable
from varscope.initializers import ones_initializer
from varscope.train._arrays import namespace
from varscope.train.optimizer import Optimizer

__all__ = ["RMSPropOptimizer"]


class RMSPropOptimizer(Optimizer):
    """RMSProp (``tf.compat.v1.train.RMSPropOptimizer``), with TF's defaults."""


    def __init__(self, learning_rate: Any, decay: Any = 0.9, momentum: Any = 0.0, epsilon: Any = 1e-10,
                 use_locking: bool = False, centered: bool = False, name: str = "RMSProp") -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._decay = decay
        self._momentum = momentum
        self._epsilon = epsilon
        self._centered = centered
        self._learning_rate_tensor: Any = None
        self._decay_tensor: Any = None
        self._momentum_tensor: Any = None
        self._epsilon_tensor: Any = None

    def _create_slots(self, var_list: list[Variable]) -> None:
        for v in var_list:
            dtype = v.dtype.base_dtype
            self._get_or_make_slot_with_initializer(v, ones_initializer(dtype=dtype), v.get_shape(), dtype, "rms",
                                                    self._name)
            if self._centered:
                self._zeros_slot(v, "mg", self._name)
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self) -> None:
        self._learning_rate_tensor = self._hyper(self._call_if_callable(self._learning_rate))
        self._decay_tensor = self._hyper(self._call_if_callable(self._decay))
        self._momentum_tensor = self._hyper(self._call_if_callable(self._momentum))
        self._epsilon_tensor = self._hyper(self._call_if_callable(self._epsilon))

    def _apply_dense(self, grad: Any, var: Variable) -> None:
        rms = self.get_slot(var, "rms")
        mom = self.get_slot(var, "momentum")
        assert rms is not None and mom is not None  # (made by _create_slots)
        xp = namespace(var, grad, self._learning_rate_tensor)
        lr = self._cast_to(self._learning_rate_tensor, var)
        rho = self._cast_to(self._decay_tensor, var)
        momentum = self._cast_to(self._momentum_tensor, var)
        epsilon = self._cast_to(self._epsilon_tensor, var)
        one = xp.asarray(1, var._value.dtype)
        ms = rms.value() + (grad * grad - rms.value()) * (one - rho)
        if self._centered:
            mg_slot = self.get_slot(var, "mg")
            assert mg_slot is not None
            mg = mg_slot.value() + (grad - mg_slot.value()) * (one - rho)
            denom = (ms - mg * mg) + epsilon
            mg_slot.assign(mg)
        else:
            denom = ms + epsilon
        mom_t = mom.value() * momentum + (grad * lr) / xp.sqrt(denom)
        rms.assign(ms)
        mom.assign(mom_t)
        var.assign(var.value() - mom_t)
