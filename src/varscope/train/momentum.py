"""``MomentumOptimizer``: TF's ``ApplyMomentum``, one slot ``<v>/Momentum``.

``accum = accum * momentum + grad``, then ``var -= lr * accum``; with ``use_nesterov``,
``var -= grad * lr + accum * momentum * lr``.

Example:
    >>> import numpy as np, varscope as tf1
    >>> from varscope import train
    >>> with tf1.Graph().as_default():
    ...     w = tf1.get_variable("w", initializer=np.array([1.0], np.float32))
    ...     opt = train.MomentumOptimizer(0.1, momentum=0.9)
    ...     for _ in range(2):
    ...         _ = opt.apply_gradients([(np.array([1.0], np.float32), w)])
    >>> opt.get_slot(w, "momentum").name, [round(float(x), 6) for x in opt.get_slot(w, "momentum").numpy()]
    ('w/Momentum:0', [1.9])
"""

from __future__ import annotations

from typing import Any

from varscope._variables import Variable
from varscope.train.optimizer import Optimizer

__all__ = ["MomentumOptimizer"]


class MomentumOptimizer(Optimizer):
    """Momentum (``tf.compat.v1.train.MomentumOptimizer``); ``momentum`` has no default, as in TF."""


    def __init__(self, learning_rate: Any, momentum: Any, use_locking: bool = False, name: str = "Momentum",
                 use_nesterov: bool = False) -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = use_nesterov
        self._learning_rate_tensor: Any = None
        self._momentum_tensor: Any = None

    def _create_slots(self, var_list: list[Variable]) -> None:
        for v in var_list:
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self) -> None:
        self._learning_rate_tensor = self._hyper(self._call_if_callable(self._learning_rate))
        self._momentum_tensor = self._hyper(self._call_if_callable(self._momentum))

    def _apply_dense(self, grad: Any, var: Variable) -> None:
        mom = self.get_slot(var, "momentum")
        assert mom is not None  # (made by _create_slots)
        lr = self._cast_to(self._learning_rate_tensor, var)
        momentum = self._cast_to(self._momentum_tensor, var)
        accum = mom.value() * momentum + grad
        if self._use_nesterov:
            new = var.value() - (grad * lr + accum * momentum * lr)
        else:
            new = var.value() - accum * lr
        mom.assign(accum)
        var.assign(new)
