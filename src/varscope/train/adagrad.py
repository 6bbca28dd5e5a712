"""``AdagradOptimizer``: TF's ``ApplyAdagrad``, one slot ``<v>/Adagrad`` starting at
``initial_accumulator_value``.

``accum += g * g``, then ``var -= g * lr * rsqrt(accum)``.

Example:
    >>> import numpy as np, varscope as tf1
    >>> from varscope import train
    >>> with tf1.Graph().as_default():
    ...     w = tf1.get_variable("w", initializer=np.array([1.0], np.float32))
    ...     opt = train.AdagradOptimizer(0.1)
    ...     _ = opt.apply_gradients([(np.array([1.0], np.float32), w)])
    >>> opt.get_slot(w, "accumulator").name, round(float(opt.get_slot(w, "accumulator").numpy()[0]), 6)
    ('w/Adagrad:0', 1.1)
"""

from __future__ import annotations

from typing import Any

from varscope._variables import Variable
from varscope.initializers import constant_initializer
from varscope.train._arrays import namespace
from varscope.train.optimizer import Optimizer

__all__ = ["AdagradOptimizer"]


class AdagradOptimizer(Optimizer):
    """Adagrad (``tf.compat.v1.train.AdagradOptimizer``).

    Raises:
        ValueError: TF's, when ``initial_accumulator_value`` is not positive.
    """


    def __init__(self, learning_rate: Any, initial_accumulator_value: float = 0.1, use_locking: bool = False,
                 name: str = "Adagrad") -> None:
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: {initial_accumulator_value}")
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value
        self._learning_rate_tensor: Any = None

    def _create_slots(self, var_list: list[Variable]) -> None:
        for v in var_list:
            dtype = v.dtype.base_dtype
            init = constant_initializer(self._initial_accumulator_value, dtype=dtype)
            self._get_or_make_slot_with_initializer(v, init, v.get_shape(), dtype, "accumulator", self._name)

    def _prepare(self) -> None:
        self._learning_rate_tensor = self._hyper(self._call_if_callable(self._learning_rate))

    def _apply_dense(self, grad: Any, var: Variable) -> None:
        acc = self.get_slot(var, "accumulator")
        assert acc is not None  # (made by _create_slots)
        xp = namespace(var, grad, self._learning_rate_tensor)
        accum = acc.value() + grad * grad
        acc.assign(accum)
        one = xp.asarray(1, var._value.dtype)
        var.assign(var.value() - grad * self._cast_to(self._learning_rate_tensor, var) * (one / xp.sqrt(accum)))
