"""A TF1 optimizer that subclasses ``tf.train.Optimizer`` and writes its own ``apply_gradients`` (assigning
the new values itself, as google-research/bert's ``AdamWeightDecayOptimizer`` does) runs no step inside
``varscope.jax``'s ``init``.

TF's documented behaviour: ``tf.compat.v1.global_variables_initializer()`` runs the variables' initializers
(``init_from_checkpoint`` replaces a variable's initializer), never the train op, so after it every variable,
slots included, holds its initial (or checkpoint) value. ``update`` then runs the step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

jax = pytest.importorskip("jax")

import varscope as tf1  # noqa: E402
import varscope.jax as vj  # noqa: E402
from varscope import train  # noqa: E402


class Accumulating(train.Optimizer):
    """SGD with an accumulator slot, written as TF1 user code: get_variable for the slot, assign for the step."""

    def __init__(self, lr: float) -> None:
        super().__init__(False, "Accumulating")
        self.lr = lr

    def apply_gradients(self, grads_and_vars: Any, global_step: Any = None, name: Any = None) -> Any:
        for grad, param in grads_and_vars:
            acc = tf1.get_variable(param.op.name + "/acc", shape=param.shape.as_list(), trainable=False,
                                   initializer=tf1.zeros_initializer())
            new_acc = acc._value + grad
            param.assign(param._value - self.lr * new_acc)
            acc.assign(new_acc)
        return None


def step(grads: Any, checkpoint: str | None = None) -> Any:
    w = tf1.get_variable("w", initializer=np.array([1.0, 2.0], np.float32))
    if checkpoint is not None:
        train.init_from_checkpoint(checkpoint, {"w": "w"})
    Accumulating(0.5).apply_gradients([(grads["w"], w)])
    return w._value


GRADS = {"w": np.array([1.0, -1.0], np.float32)}


def test_init_runs_no_step_and_update_runs_one() -> None:
    m = vj.transform_with_state(step)
    params, state = m.init(0, GRADS)
    assert params["w"].tolist() == [1.0, 2.0]
    assert state["w/acc"].tolist() == [0.0, 0.0]
    _, params, state = jax.jit(m.update)(params, state, GRADS)
    assert params["w"].tolist() == [0.5, 2.5]
    assert state["w/acc"].tolist() == [1.0, -1.0]


def test_init_keeps_the_checkpoints_values_with_the_step_in_the_function(tmp_path: Path) -> None:
    ckpt = str(tmp_path / "model.ckpt")
    vj.save_params(ckpt, {"w": np.array([3.0, 4.0], np.float32)})
    m = vj.transform_with_state(lambda g: step(g, ckpt))
    params, state = m.init(0, GRADS)
    assert params["w"].tolist() == [3.0, 4.0]
    assert state["w/acc"].tolist() == [0.0, 0.0]


def test_outside_init_the_step_runs_at_once() -> None:
    with tf1.Graph().as_default():
        value = step(GRADS)
    assert np.asarray(value).tolist() == [0.5, 2.5]
