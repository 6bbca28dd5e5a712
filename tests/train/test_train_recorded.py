"""Replay of TensorFlow 2.21's training pieces (``tools/record_tf_train.py``, cases in ``train_cases.py``) in a
NumPy graph: every optimizer case's variables (names, shapes, dtypes, collections) and values after steps 1 and 3
(slots included), TF's Adam checkpoint resumed with TF's next step, every schedule at fixed steps and every
moving-average case. The same cases under ``jax.jit``: ``tests/backend_jax/test_train_transform.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import varscope as tf1
from varscope import train
from varscope.train import moving_averages

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))
import train_cases as C  # noqa: E402
from train_replay import (CKPT, DATA, _close, _describe, _ema_model, _model, _optimizers,  # noqa: E402
                          _schedule, _step, _values)


@pytest.mark.parametrize("name", sorted(C.OPTIMIZER_CASES))
def test_optimizer_numpy_graph(name: str) -> None:
    case, record = C.OPTIMIZER_CASES[name], DATA["optimizers"][name]
    dtype = case.get("dtype", "float32")
    with tf1.Graph().as_default() as graph:
        variables = _model(dtype)
        step = train.get_or_create_global_step() if case.get("global_step") else None
        opts = _optimizers(case, step, lazy=True)
        initial = _values(graph)
        for i in range(C.STEPS):
            ops = _step(case, opts, variables, C.gradients(i, dtype), step)
            if i == 0:
                assert [op.name for op in ops] == record["train_ops"]
                assert _describe(graph) == record["variables"]
                _close(_values(graph), record["step_1"], f"{name} step 1")
        _close(_values(graph), record["step_3"], f"{name} step 3")
    _close({k: v for k, v in initial.items()}, {k: record["initial"][k] for k in initial}, f"{name} initial")


# -- checkpoints: TF's Adam checkpoint resumes here -------------------------------------------------------


def test_tf_adam_checkpoint_resumes_in_numpy_graph() -> None:
    rec = DATA["checkpoint"]
    assert sorted(k for k, _ in train.list_variables(str(CKPT))) == rec["keys"]
    with tf1.Graph().as_default() as graph:
        variables = _model("float32")
        step = train.get_or_create_global_step()
        opt = train.AdamOptimizer()
        # as TF builds its train op (and so the slots) before restoring: built, not run
        graph.initializing = True
        opt.apply_gradients(zip([C.gradients(0, "float32")[v.op.name] for v in variables], variables),
                            global_step=step)
        graph.initializing = False
        _close(_values(graph), DATA["optimizers"]["adam"]["initial"], "built, no step")
        saver = train.Saver()
        saver.restore(None, str(CKPT / rec["prefix"]))
        _close(_values(graph), rec["restored"], "restored")
        assert int(step.numpy()) == 2 and step.numpy().dtype == np.int64
        opt.apply_gradients(zip([C.gradients(2, "float32")[v.op.name] for v in variables], variables),
                            global_step=step)
        _close(_values(graph), rec["step_3"], "TF's next step")


# -- schedules --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(C.SCHEDULE_CASES))
def test_schedule_with_global_step(name: str) -> None:
    fn, kwargs = C.SCHEDULE_CASES[name]
    record = DATA["schedules"][name]
    with tf1.Graph().as_default():
        step = train.get_or_create_global_step()
        got = []
        for s in C.SCHEDULE_STEPS:
            step.assign(s)
            value = _schedule(fn, kwargs, step)
            assert np.asarray(value).dtype.name == record["dtype"]
            got.append(float(value))
    _close({name: got}, {name: record["values"]}, name)


def test_schedule_errors_are_tfs() -> None:
    rec = DATA["schedule_errors"]
    with tf1.Graph().as_default():
        step = train.get_or_create_global_step()
        with pytest.raises(ValueError) as e:
            train.piecewise_constant(step, [1.5], [1.0, 2.0])
        assert str(e.value) == rec["mismatched_boundaries"]["message"]
        with pytest.raises(ValueError) as e:
            train.piecewise_constant(np.int32(0), [1], [1.0, np.float64(2.0)])
        assert str(e.value) == rec["mismatched_values"]["message"]
        with pytest.raises(ValueError) as e:
            train.piecewise_constant(np.int32(0), [1, 2], [1.0, 2.0])
        assert str(e.value) == rec["wrong_length"]["message"]
        with pytest.raises(ValueError) as e:
            train.exponential_decay(0.1, None, 10, 0.5)
        assert str(e.value) == rec["no_step"]["message"]


def test_noisy_linear_cosine_decay_noise() -> None:
    """The noise is Gaussian with TF's variance, reproducible per graph seed and step; no noise at variance 0."""
    draws = []
    for s in range(400):
        with tf1.Graph().as_default():
            tf1.set_random_seed(3)
            noisy = float(train.noisy_linear_cosine_decay(1.0, s % 30, 30, beta=0.0, num_periods=0.0))
            plain = float(train.linear_cosine_decay(1.0, s % 30, 30, beta=0.0, num_periods=0.0))
            std = (1.0 / (1.0 + s % 30) ** 0.55) ** 0.5
            draws.append((noisy - plain) / std)
    with tf1.Graph().as_default():
        tf1.set_random_seed(3)
        again = float(train.noisy_linear_cosine_decay(1.0, 399 % 30, 30, beta=0.0, num_periods=0.0))
    assert again == pytest.approx(draws[-1] * (1.0 / (1.0 + 399 % 30) ** 0.55) ** 0.5
                                  + float(train.linear_cosine_decay(1.0, 399 % 30, 30, beta=0.0, num_periods=0.0)))
    assert abs(np.mean(draws)) < 0.3 and 0.7 < np.std(draws) < 1.3


# -- moving averages -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(C.EMA_CASES))
def test_moving_average_numpy_graph(name: str) -> None:
    case, record = C.EMA_CASES[name], DATA["moving_averages"][name]
    with tf1.Graph().as_default() as graph:
        w, b = _ema_model()
        step = train.get_or_create_global_step() if case.get("num_updates") else None
        if "init_pass" in case:  # assigned before the shadows exist: they still start from the initial values
            w.assign(case["init_pass"][0])
            b.assign(case["init_pass"][1])
        ema = train.ExponentialMovingAverage(num_updates=step, **case["args"])
        assert [ema.average_name(w), ema.average_name(b)] == record["average_name_before"]
        for i, value in enumerate(C.EMA_VALUES):
            w.assign(value)
            b.assign(-value)
            with tf1.variable_scope(case.get("variable_scope") or tf1.get_variable_scope()):
                op = ema.apply([w, b])
            if step is not None:
                step.assign_add(1)
            if i == 0:
                assert op.name == record["op"]
                assert [ema.average_name(w), ema.average_name(b)] == record["average_name"]
                assert [ema.average(w).name, ema.average(b).name] == record["average"]
                assert _describe(graph) == record["variables"]
                assert {k: v.op.name for k, v in ema.variables_to_restore().items()} == \
                    record["variables_to_restore"]
                _close(_values(graph), record["step_1"], f"{name} step 1")
        _close(_values(graph), record["step_3"], f"{name} step 3")


# -- assign_moving_average ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, zero_debias, scope", [("plain", False, None), ("zero_debias", True, None),
                                                      ("zero_debias_in_scope", True, "bn")])
def test_assign_moving_average(name: str, zero_debias: bool, scope: str | None) -> None:
    """TF's names (``bn/bn/moving_mean/biased``: TF re-enters the variable's full name inside the scope) and values.

    Each call is one update here; with zero-debiasing each call also makes its own ``biased``/``local_step``
    (each call builds new ops in TF), so a NumPy graph matches TF's first step, and
    ``tests/backend_jax/test_train_transform.py`` follows three steps (one graph per step).
    """
    rec = DATA["assign_moving_average"][name]
    with tf1.Graph().as_default() as graph:
        with tf1.variable_scope(scope or tf1.get_variable_scope()):
            avg = tf1.get_variable("moving_mean", initializer=C.EMA_W0, trainable=False)
            value = moving_averages.assign_moving_average(avg, C.EMA_VALUES[0], 0.8, zero_debias=zero_debias)
        assert _describe(graph) == rec["variables"]
        _close(_values(graph), rec["step_1"], name)
        np.testing.assert_array_equal(value, avg.numpy())
        if not zero_debias:
            for v in C.EMA_VALUES[1:]:
                moving_averages.assign_moving_average(avg, v, 0.8, zero_debias=False)
            _close(_values(graph), rec["step_3"], name)


# -- partitioned variables ---------------------------------------------------------------------------------
def test_adam_slots_of_a_partitioned_variable_save_as_tfs(tmp_path: Path) -> None:
    rec = DATA["partitioned"]
    grad = np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3)
    with tf1.Graph().as_default() as graph:
        w = tf1.get_variable("emb", [4, 3], initializer=tf1.ones_initializer(),
                             partitioner=tf1.fixed_size_partitioner(2))
        shards = list(w)
        train.AdamOptimizer(0.1).apply_gradients([(grad[:2], shards[0]), (grad[2:], shards[1])])
        assert _describe(graph) == rec["variables"]
        _close(_values(graph), rec["step_1"], "partitioned")
        prefix = train.Saver().save(None, str(tmp_path / "model.ckpt"))
    assert {k: s for k, s in train.list_variables(prefix)} == rec["keys"]
    theirs = train.load_checkpoint(str(CKPT.parent / "partitioned_ckpt" / "model.ckpt"))
    ours = train.load_checkpoint(prefix)
    for key in rec["keys"]:
        np.testing.assert_allclose(ours.get_tensor(key), theirs.get_tensor(key), rtol=1e-6, err_msg=key)
