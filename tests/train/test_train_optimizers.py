"""Optimizer behaviour beyond the recorded values: TF's errors, slots, the train op, the missing graph gradients,
per-graph bookkeeping that frees finished graphs."""

from __future__ import annotations

import gc
import json
import sys
import weakref
from pathlib import Path

import numpy as np
import pytest

import varscope as tf1
from varscope import train

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))
import train_cases as C  # noqa: E402

DATA = json.loads((_HERE.parent / "fixtures" / "tf_train" / "train.json").read_text(encoding="utf-8"))
ERRORS = DATA["optimizer_errors"]


def _w() -> tf1.Variable:
    return tf1.get_variable("w", initializer=np.ones(2, np.float32))


def test_tf_errors() -> None:
    with tf1.Graph().as_default():
        w = _w()
        with pytest.raises(ValueError) as e:
            train.AdamOptimizer().apply_gradients([])
        assert str(e.value) == ERRORS["no_variables"]["message"]
        with pytest.raises(ValueError) as e:
            train.AdamOptimizer().apply_gradients([(None, w)])
        assert str(e.value) == ERRORS["no_gradients"]["message"]
        with pytest.raises(TypeError) as e:
            train.AdamOptimizer().apply_gradients([(object(), w)])
        assert str(e.value).split(" <")[0] == ERRORS["not_a_gradient"]["message"].split(" <")[0]
        assert [v.op.name for v in tf1.global_variables()] == ["w"]  # nothing made before the errors
    with pytest.raises(ValueError) as e:
        train.GradientDescentOptimizer(0.1, name="")
    assert str(e.value) == ERRORS["no_name"]["message"]
    with pytest.raises(ValueError) as e:
        train.AdagradOptimizer(0.1, initial_accumulator_value=0.0)
    assert str(e.value) == ERRORS["adagrad_accumulator"]["message"]


def test_gradient_checks_name_the_variable() -> None:
    with tf1.Graph().as_default():
        w = _w()
        with pytest.raises(TypeError, match="variable w has dtype float64, but the variable has dtype float32"):
            train.GradientDescentOptimizer(0.1).apply_gradients([(np.ones(2), w)])
        with pytest.raises(ValueError, match=r"variable w has shape \(3,\), but the variable has shape \(2,\)"):
            train.GradientDescentOptimizer(0.1).apply_gradients([(np.ones(3, np.float32), w)])
        with pytest.raises(NotImplementedError, match="unsupported type"):
            train.GradientDescentOptimizer(0.1).apply_gradients([(np.ones(2, np.float32), np.ones(2))])
        assert w.numpy().tolist() == [1.0, 1.0]
        # Python numbers and lists are converted to the variable's dtype, as TF converts them
        train.GradientDescentOptimizer(0.5).apply_gradients([([1.0, 2.0], w)])
        assert w.numpy().tolist() == [0.5, 0.0]


@pytest.mark.parametrize("fn", ["minimize", "compute_gradients"])
def test_graph_gradients_say_what_to_do(fn: str) -> None:
    with tf1.Graph().as_default():
        w = _w()
        with pytest.raises(NotImplementedError) as e:
            getattr(train.AdamOptimizer(), fn)(w * 2.0)
    assert f"Optimizer.{fn}" in str(e.value) and "jax.grad" in str(e.value) and "apply_gradients" in str(e.value)
    assert "docs/porting.md" in str(e.value)


@pytest.mark.parametrize("name", ["adam", "rmsprop_centered_momentum", "adam_two_optimizers", "gd", "momentum",
                                  "adagrad"])
def test_slot_names_and_variables_are_tfs(name: str) -> None:
    case, record = C.OPTIMIZER_CASES[name], DATA["optimizers"][name]
    with tf1.Graph().as_default():
        with tf1.variable_scope("model"):
            variables = [tf1.get_variable("w", initializer=C.W0.astype(np.float32)),
                         tf1.get_variable("b", initializer=C.B0.astype(np.float32))]
        opts = [getattr(train, case["opt"])(**case["args"]) for _ in range(case.get("optimizers", 1))]
        for opt in opts:
            opt.apply_gradients(zip([C.gradients(0, "float32")[v.op.name] for v in variables], variables))
        last = opts[-1]
        assert last.get_slot_names() == record["slot_names"]
        assert [v.op.name for v in last.variables()] == record["optimizer_variables"]
        for slot in last.get_slot_names():
            for v in variables:
                assert last.get_slot(v, slot) is not None
        assert last.get_slot(variables[0], "nope") is None
        assert tf1.get_collection(tf1.GraphKeys.TRAIN_OP)[-1].name == record["train_ops"][-1]


def test_learning_rate_may_be_a_callable_or_a_schedule_value() -> None:
    with tf1.Graph().as_default():
        w = _w()
        step = train.get_or_create_global_step()
        calls = []

        def lr() -> float:
            calls.append(int(step.numpy()))
            return float(train.exponential_decay(1.0, step, 1, 0.5))

        opt = train.GradientDescentOptimizer(lr)
        for _ in range(3):
            opt.apply_gradients([(np.ones(2, np.float32), w)], global_step=step)
        assert calls == [0, 1, 2] and w.numpy().tolist() == [1 - 1 - 0.5 - 0.25] * 2


def test_finished_graphs_are_freed() -> None:
    """An optimizer and a moving average made once keep no graph alive (inside a transform each call has one)."""
    opt = train.AdamOptimizer(0.1)
    ema = train.ExponentialMovingAverage(0.9)
    refs = []
    for _ in range(3):
        g = tf1.Graph()
        with g.as_default():
            w = _w()
            opt.apply_gradients([(np.ones(2, np.float32), w)])
            ema.apply([w])
            assert opt.get_slot(w, "m") is not None and ema.average(w) is not None
        refs.append(weakref.ref(g))
        del g, w
    gc.collect()
    assert [r() for r in refs] == [None, None, None]
    assert opt.get_slot_names() == []


def test_a_training_loop_is_one_train_op_run_again() -> None:
    """Calling ``apply_gradients`` / ``ema.apply`` once per step in a NumPy graph runs the same op again: one
    name, one TRAIN_OP entry, and no name scope made per step (a long loop must not grow the graph)."""
    with tf1.Graph().as_default() as g:
        w = _w()
        step = train.get_or_create_global_step()
        opt = train.AdamOptimizer(0.1)
        ema = train.ExponentialMovingAverage(0.9)
        names = set()
        for _ in range(5):
            names.add(opt.apply_gradients([(np.ones(2, np.float32), w)], global_step=step).name)
            names.add(ema.apply([w]).name)
        assert names == {"Adam", "ExponentialMovingAverage"} and int(step.numpy()) == 5
        assert [op.name for op in tf1.get_collection(tf1.GraphKeys.TRAIN_OP)] == ["Adam"]
        assert g.unique_name("Adam", mark_as_used=False) == "Adam_1"
        assert g.unique_name("ExponentialMovingAverage", mark_as_used=False) == "ExponentialMovingAverage_1"
        # another call site (another name scope) is another op, as in TF
        with tf1.name_scope("again"):
            assert opt.apply_gradients([(np.ones(2, np.float32), w)]).name == "again/Adam"
