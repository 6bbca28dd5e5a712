"""Replay of TensorFlow 2.21's training pieces (``tools/record_tf_train.py``) inside
``varscope.jax.transform_with_state`` under ``jax.jit``: every optimizer case (``init`` gives TF's initial values
and names, each ``update`` one step, compared after steps 1 and 3, slots included), TF's Adam checkpoint resumed
through ``load_params``, every schedule with a traced step, every moving-average case (shadows start from the
initial values, after a data-dependent init pass).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402

import varscope as tf1  # noqa: E402
import varscope.jax as vj  # noqa: E402
from varscope import train  # noqa: E402
from varscope.train import moving_averages  # noqa: E402

_TRAIN = Path(__file__).resolve().parents[1] / "train"
if str(_TRAIN) not in sys.path:
    sys.path.insert(0, str(_TRAIN))
import train_cases as C  # noqa: E402
from train_replay import CKPT, DATA, _close, _ema_model, _model, _optimizers, _schedule, _step  # noqa: E402


@pytest.mark.parametrize("name", sorted(C.OPTIMIZER_CASES))
def test_optimizer_in_transform_with_state_under_jit(name: str) -> None:

    case, record = C.OPTIMIZER_CASES[name], DATA["optimizers"][name]
    dtype = case.get("dtype", "float32")
    if dtype == "float64" and not jax.config.jax_enable_x64:
        pytest.skip("float64 variables need jax_enable_x64 (they hold float32 arrays without it)")

    def train_step(grads: dict[str, Any]) -> None:
        variables = _model(dtype)
        step = train.get_or_create_global_step() if case.get("global_step") else None
        _step(case, _optimizers(case, step, lazy=False), variables, grads, step)

    def grads_of(i: int) -> dict[str, Any]:
        g = {k: jnp.asarray(v) for k, v in C.gradients(i, dtype).items()}
        return {k: (None if k in case.get("none", []) else v) for k, v in g.items()}

    model = vj.transform_with_state(train_step)
    params, state = model.init(0, grads_of(0))
    trainable = [v["op_name"] for v in record["variables"] if "trainable_variables" in v["collections"]]
    others = [v["op_name"] for v in record["variables"] if "trainable_variables" not in v["collections"]]
    assert list(params) == trainable and list(state) == others
    _close({**params, **state}, record["initial"], f"{name} init")  # init runs no step
    step = jax.jit(model.update)
    for i in range(C.STEPS):
        _, params, state = step(params, state, grads_of(i))
        if i in (0, C.STEPS - 1):
            _close({**params, **state}, record["step_%d" % (i + 1)], f"{name} step {i + 1}")


def test_tf_adam_checkpoint_resumes_in_transform() -> None:

    rec = DATA["checkpoint"]

    def train_step(grads: dict[str, Any]) -> None:
        variables = _model("float32")
        step = train.get_or_create_global_step()
        train.AdamOptimizer().apply_gradients([(grads[v.op.name], v) for v in variables], global_step=step)

    grads = {k: jnp.asarray(v) for k, v in C.gradients(2, "float32").items()}
    model = vj.transform_with_state(train_step)
    params, state = model.init(0, grads)
    loaded = vj.load_params(str(CKPT / rec["prefix"]))
    assert sorted(loaded) == sorted([*params, *state])
    params = {k: loaded[k] for k in params}
    state = {k: loaded[k] for k in state}
    _, params, state = jax.jit(model.update)(params, state, grads)
    _close({**params, **state}, rec["step_3"], "TF's next step in transform")


@pytest.mark.parametrize("name", sorted(C.SCHEDULE_CASES))
def test_schedule_under_jit(name: str) -> None:

    fn, kwargs = C.SCHEDULE_CASES[name]
    if fn == "noisy_linear_cosine_decay":
        with pytest.raises(TypeError, match="concrete global_step"):
            jax.jit(lambda s: _schedule(fn, kwargs, s))(jnp.asarray(1))
        return
    record = DATA["schedules"][name]
    f = jax.jit(lambda s: _schedule(fn, kwargs, s))
    got = [float(f(jnp.asarray(s, jnp.int32))) for s in C.SCHEDULE_STEPS]
    _close({name: got}, {name: record["values"]}, name + " under jit")


@pytest.mark.parametrize("name", sorted(C.EMA_CASES))
def test_moving_average_in_transform_with_state_under_jit(name: str) -> None:
    """``init`` makes the shadows from the variables' initial values (after a data-dependent init pass, as TF's
    initializers run before it) and updates nothing; each ``update`` is one step."""

    case, record = C.EMA_CASES[name], DATA["moving_averages"][name]

    def step_fn(value: Any, init: bool = False) -> None:
        w, b = _ema_model()
        step = train.get_or_create_global_step() if case.get("num_updates") else None
        if init:
            if "init_pass" in case:
                w.assign(case["init_pass"][0])
                b.assign(case["init_pass"][1])
        else:
            w.assign(value)
            b.assign(-value)
        ema = train.ExponentialMovingAverage(num_updates=step, **case["args"])
        with tf1.variable_scope(case.get("variable_scope") or tf1.get_variable_scope()):
            ema.apply([w, b])
        if step is not None and not init:
            step.assign_add(1)

    model = vj.transform_with_state(step_fn)
    params, state = model.init(0, jnp.asarray(C.EMA_VALUES[0]), init=True)
    assert list(params) + list(state) == [v["op_name"] for v in record["variables"]]
    _close({**params, **state}, record["initial"], f"{name} init")
    step = jax.jit(model.update)
    for i, value in enumerate(C.EMA_VALUES):
        _, params, state = step(params, state, jnp.asarray(value))
        if i in (0, len(C.EMA_VALUES) - 1):
            _close({**params, **state}, record["step_%d" % (i + 1)], f"{name} step {i + 1}")


def test_init_of_a_transform_runs_no_step() -> None:
    def f(g: jnp.ndarray) -> None:
        w = tf1.get_variable("w", initializer=np.ones(2, np.float32))
        step = train.get_or_create_global_step()
        train.MomentumOptimizer(0.1, 0.9).apply_gradients([(g, w)], global_step=step)
        train.ExponentialMovingAverage(0.5).apply([w])

    m = vj.transform_with_state(f)
    params, state = m.init(0, jnp.ones(2))
    assert params["w"].tolist() == [1.0, 1.0]
    assert sorted(state) == ["global_step", "w/ExponentialMovingAverage", "w/Momentum"]
    assert int(state["global_step"]) == 0 and state["w/Momentum"].tolist() == [0.0, 0.0]
    assert state["w/ExponentialMovingAverage"].tolist() == [1.0, 1.0]
    # apply refuses to lose the trainable update; update returns it
    with pytest.raises(ValueError, match="update"):
        m.apply(params, state, jnp.ones(2))
    _, params, state = jax.jit(m.update)(params, state, jnp.ones(2))
    assert np.allclose(params["w"], 0.9) and np.allclose(state["w/ExponentialMovingAverage"], 0.95)
    assert int(state["global_step"]) == 1


@pytest.mark.parametrize("name, zero_debias, scope", [("plain", False, None), ("zero_debias", True, None),
                                                      ("zero_debias_in_scope", True, "bn")])
def test_assign_moving_average_in_transform_under_jit(name: str, zero_debias: bool, scope: str | None) -> None:
    rec = DATA["assign_moving_average"][name]

    def f(value: Any) -> None:
        with tf1.variable_scope(scope or tf1.get_variable_scope()):
            avg = tf1.get_variable("moving_mean", initializer=C.EMA_W0, trainable=False)
            moving_averages.assign_moving_average(avg, value, 0.8, zero_debias=zero_debias)

    model = vj.transform_with_state(f)
    params, state = model.init(0, jnp.asarray(C.EMA_VALUES[0]))
    assert params == {} and list(state) == [v["op_name"] for v in rec["variables"]]
    assert np.allclose(state[rec["variables"][0]["op_name"]], C.EMA_W0)  # init runs no update
    step = jax.jit(model.apply)
    for i, value in enumerate(C.EMA_VALUES):
        _, state = step(params, state, jnp.asarray(value))
        if i in (0, len(C.EMA_VALUES) - 1):
            _close(state, rec["step_%d" % (i + 1)], f"{name} step {i + 1}")


def test_float64_cases_with_x64() -> None:
    """The float64 optimizer cases (skipped above without ``jax_enable_x64``) in a process that enables it."""
    import os
    import subprocess

    if jax.config.jax_enable_x64:
        pytest.skip("x64 is on here: the cases above ran")
    env = dict(os.environ, JAX_ENABLE_X64="1", PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__, "-k",
                           "test_optimizer_in_transform_with_state_under_jit and float64"],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0 and "3 passed" in proc.stdout, proc.stdout[-3000:] + proc.stderr[-3000:]
