"""``GradientDescentOptimizer``: ``var -= lr * grad`` (TF's ``ApplyGradientDescent``), no slots.

Example:
    >>> import numpy as np, varscope as tf1
    >>> from varscope import train
    >>> with tf1.Graph().as_default():
    ...     w = tf1.get_variable("w", initializer=np.array([1.0], np.float32))
    ...     _ = train.GradientDescentOptimizer(0.1).apply_gradients([(np.array([2.0], np.float32), w)])
    >>> w.numpy().tolist()
    [0.800000011920929]
"""

from __future__ import annotations

from typing import Any

from varscope._variables import Variable
from varscope.train.optimizer import Optimizer

__all__ = ["GradientDescentOptimizer"]


class GradientDescentOptimizer(Optimizer):
    """Plain gradient descent (``tf.compat.v1.train.GradientDescentOptimizer``)."""


    def __init__(self, learning_rate: Any, use_locking: bool = False, name: str = "GradientDescent") -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._learning_rate_tensor: Any = None

    def _prepare(self) -> None:
        self._learning_rate_tensor = self._hyper(self._call_if_callable(self._learning_rate))

    def _apply_dense(self, grad: Any, var: Variable) -> None:
        var.assign(var.value() - grad * self._cast_to(self._learning_rate_tensor, var))
