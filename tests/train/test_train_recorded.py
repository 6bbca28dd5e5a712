"""Replay of TensorFlow 2.21's training pieces (``tools/record_tf_train.py``, cases in ``train_cases.py``).

Every optimizer case runs in a NumPy graph and, when JAX is installed, inside
``varscope.jax.transform_with_state`` under ``jax.jit``: the variables' names, shapes, dtypes and
collections must be TF's, and every value (slots included) after steps 1 and 3 within 1e-6 relative.
The schedules, the moving averages and the global step are compared the same way.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import varscope as tf1
from varscope import train

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))
import train_cases as C  # noqa: E402

DATA = json.loads((_HERE.parent / "fixtures" / "tf_train" / "train.json").read_text(encoding="utf-8"))
RTOL = 1e-6
KEYS = {"variables": tf1.GraphKeys.GLOBAL_VARIABLES, "trainable_variables": tf1.GraphKeys.TRAINABLE_VARIABLES,
        "global_step": tf1.GraphKeys.GLOBAL_STEP, "moving_average_variables": tf1.GraphKeys.MOVING_AVERAGE_VARIABLES,
        "train_op": tf1.GraphKeys.TRAIN_OP}


def _describe(graph: tf1.Graph) -> list[dict[str, Any]]:
    out = []
    for v in graph.get_collection(tf1.GraphKeys.GLOBAL_VARIABLES):
        out.append({"name": v.name, "op_name": v.op.name, "shape": v.shape.as_list(), "dtype": v.dtype.base_dtype.name,
                    "collections": [k for k, key in KEYS.items() if any(x is v for x in graph.get_collection(key))]})
    return out


def _values(graph: tf1.Graph) -> dict[str, np.ndarray]:
    return {v.op.name: v.numpy() for v in graph.get_collection(tf1.GraphKeys.GLOBAL_VARIABLES)}


def _close(actual: dict[str, Any], expected: dict[str, Any], what: str) -> None:
    assert sorted(actual) == sorted(expected), what
    for name, want in expected.items():
        want = np.asarray(want, np.float64)
        # relative to each element, and to the array's scale for an element that nearly cancelled out
        # (0.3 - 0.2988 in float32 keeps only a few bits; XLA may round such a step differently)
        scale = float(np.max(np.abs(want))) if want.size else 0.0
        np.testing.assert_allclose(np.asarray(actual[name], np.float64), want, rtol=RTOL, atol=RTOL * scale,
                                   err_msg=f"{what}: {name}")


# -- optimizers -------------------------------------------------------------------------------------------
def _model(dtype: str) -> list[Any]:
    with tf1.variable_scope("model"):
        w = tf1.get_variable("w", initializer=C.W0.astype(dtype))
        b = tf1.get_variable("b", initializer=C.B0.astype(dtype))
    return [w, b]


def _optimizers(case: dict[str, Any], step: Any, lazy: bool) -> list[Any]:
    args = dict(case["args"])
    if "schedule" in case:
        fn, kwargs = case["schedule"]
        schedule = getattr(train, fn)
        if lazy:  # a NumPy graph runs the step now: the rate is computed when apply_gradients asks for it
            args["learning_rate"] = lambda: schedule(global_step=step, **kwargs)
        else:
            args["learning_rate"] = schedule(global_step=step, **kwargs)
    return [getattr(train, case["opt"])(**args) for _ in range(case.get("optimizers", 1))]


def _step(case: dict[str, Any], opts: list[Any], variables: list[Any], grads: dict[str, Any], step: Any) -> list[Any]:
    ops = []
    with tf1.variable_scope(case.get("variable_scope") or tf1.get_variable_scope()):
        with tf1.name_scope(case.get("name_scope")):
            for opt in opts:
                pairs = [(None if v.op.name in case.get("none", []) else grads[v.op.name], v) for v in variables]
                ops.append(opt.apply_gradients(pairs, global_step=step))
    return ops


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


@pytest.mark.parametrize("name", sorted(C.OPTIMIZER_CASES))
def test_optimizer_in_transform_with_state_under_jit(name: str) -> None:
    jax = pytest.importorskip("jax")
    import jax.numpy as jnp

    import varscope.jax as vj

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


# -- checkpoints: TF's Adam checkpoint resumes here -------------------------------------------------------
CKPT = _HERE.parent / "fixtures" / "tf_train" / "adam_ckpt"


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


def test_tf_adam_checkpoint_resumes_in_transform() -> None:
    jax = pytest.importorskip("jax")
    import jax.numpy as jnp

    import varscope.jax as vj

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


# -- schedules --------------------------------------------------------------------------------------------
def _schedule(fn: str, kwargs: dict[str, Any], step: Any) -> Any:
    if fn == "piecewise_constant":
        return train.piecewise_constant(step, **kwargs)
    return getattr(train, fn)(global_step=step, **kwargs)


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


@pytest.mark.parametrize("name", sorted(C.SCHEDULE_CASES))
def test_schedule_under_jit(name: str) -> None:
    jax = pytest.importorskip("jax")
    import jax.numpy as jnp

    fn, kwargs = C.SCHEDULE_CASES[name]
    if fn == "noisy_linear_cosine_decay":
        with pytest.raises(TypeError, match="concrete global_step"):
            jax.jit(lambda s: _schedule(fn, kwargs, s))(jnp.asarray(1))
        return
    record = DATA["schedules"][name]
    f = jax.jit(lambda s: _schedule(fn, kwargs, s))
    got = [float(f(jnp.asarray(s, jnp.int32))) for s in C.SCHEDULE_STEPS]
    _close({name: got}, {name: record["values"]}, name + " under jit")


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
def _ema_model() -> tuple[Any, Any]:
    with tf1.variable_scope("model"):
        w = tf1.get_variable("w", initializer=C.EMA_W0)
        b = tf1.get_variable("b", initializer=C.EMA_B0)
    return w, b


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


@pytest.mark.parametrize("name", sorted(C.EMA_CASES))
def test_moving_average_in_transform_with_state_under_jit(name: str) -> None:
    """``init`` makes the shadows from the variables' initial values (after a data-dependent init pass, as TF's
    initializers run before it) and updates nothing; each ``update`` is one step."""
    jax = pytest.importorskip("jax")
    import jax.numpy as jnp

    import varscope.jax as vj

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
