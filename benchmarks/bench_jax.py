"""Benchmark varscope.jax against a hand-written params-dict model, Haiku and Flax.

The same MLP-tower model (2 towers sharing weights, ``LAYERS`` dense layers of width ``WIDTH``):

* init time: ``transform(fn).init(rng, x)`` vs ``hk.transform(...).init`` and ``flax.linen`` ``init``
  (each un-jitted, as users call them, best of ``REPEATS``);
* trace+compile time: ``jax.jit(apply).lower(...).compile()`` from a cold cache;
* jitted apply time: varscope vs the hand-written params-dict function (target: within 5%; the
  compiled HLO is compared too: varscope adds nothing to the program).

Haiku and Flax are optional (install them in their own environment, e.g. ``.venv-bench``); the
rows are skipped when they are missing.

Run:  PYTHONPATH=src python benchmarks/bench_jax.py
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

import varscope as tf1
import varscope.jax as vj

WIDTH, LAYERS, BATCH, REPEATS = 256, 8, 64, 5


def vs_tower(x: jax.Array) -> jax.Array:
    for i in range(LAYERS):
        with tf1.variable_scope(f"dense_{i}", reuse=tf1.AUTO_REUSE):
            w = tf1.get_variable("kernel", [x.shape[-1], WIDTH])
            b = tf1.get_variable("bias", [WIDTH], initializer=tf1.zeros_initializer())
            x = jax.nn.relu(jnp.dot(x, w) + b)
    return x


def vs_model(a: jax.Array, b: jax.Array) -> jax.Array:
    with tf1.variable_scope("tower"):
        ya = vs_tower(a)
    with tf1.variable_scope("tower", reuse=True):
        yb = vs_tower(b)
    return jnp.sum(ya * yb)


def hand_model(params: dict[str, jax.Array], a: jax.Array, b: jax.Array) -> jax.Array:
    def tower(x: jax.Array) -> jax.Array:
        for i in range(LAYERS):
            x = jax.nn.relu(jnp.dot(x, params[f"tower/dense_{i}/kernel"]) + params[f"tower/dense_{i}/bias"])
        return x

    return jnp.sum(tower(a) * tower(b))


def best(fn: Callable[[], Any], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        jax.block_until_ready(fn())
        times.append(time.perf_counter() - t0)
    return min(times)


def median_call(fn: Callable[[], Any], n: int = 200) -> float:
    jax.block_until_ready(fn())
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        jax.block_until_ready(fn())
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def compile_time(fn: Callable[..., Any], *args: Any) -> float:
    def run() -> Any:
        jax.clear_caches()
        return jax.jit(fn).lower(*args).compile()

    return best(run, 3)


def _strip_metadata(hlo: str) -> str:
    """The compiled program's instructions, without names, metadata and debug-info tables."""
    lines = [line for line in hlo.splitlines() if " = " in line and not line.lstrip()[:1].isdigit()]
    text = "\n".join(lines)
    text = re.sub(r", metadata=\{[^}]*\}", "", text)
    text = re.sub(r", stack_frame_id=\d+", "", text)
    return re.sub(r"%[\w.\-]+", "%", text)


def main() -> dict[str, float]:
    x = jnp.ones((BATCH, WIDTH), jnp.float32)
    rng = jax.random.key(0)
    results: dict[str, float] = {}

    net = vj.transform(vs_model)
    results["varscope init (s)"] = best(lambda: net.init(rng, x, x))
    params = net.init(rng, x, x)
    results["varscope trace+compile (s)"] = compile_time(net.apply, params, x, x)
    results["hand-written trace+compile (s)"] = compile_time(hand_model, params, x, x)
    vs_apply, hand_apply = jax.jit(net.apply), jax.jit(hand_model)
    vs_t = median_call(lambda: vs_apply(params, x, x))
    hand_t = median_call(lambda: hand_apply(params, x, x))
    # interleave a second round to even out drift
    vs_t = min(vs_t, median_call(lambda: vs_apply(params, x, x)))
    hand_t = min(hand_t, median_call(lambda: hand_apply(params, x, x)))
    results["varscope jitted apply (us)"] = vs_t * 1e6
    results["hand-written jitted apply (us)"] = hand_t * 1e6
    results["apply ratio varscope/hand"] = vs_t / hand_t
    same = _strip_metadata(vs_apply.lower(params, x, x).compile().as_text()) == _strip_metadata(
        hand_apply.lower(params, x, x).compile().as_text())
    results["identical compiled HLO (1=yes)"] = float(same)

    try:
        import haiku as hk

        def hk_tower(inp: jax.Array) -> jax.Array:
            for i in range(LAYERS):
                inp = jax.nn.relu(hk.Linear(WIDTH, name=f"dense_{i}")(inp))
            return inp

        def hk_model(a: jax.Array, b: jax.Array) -> jax.Array:
            tower = hk.to_module(hk_tower)(name="tower")
            return jnp.sum(tower(a) * tower(b))

        hk_net = hk.without_apply_rng(hk.transform(hk_model))
        results["haiku init (s)"] = best(lambda: hk_net.init(rng, x, x))
        hk_params = hk_net.init(rng, x, x)
        results["haiku trace+compile (s)"] = compile_time(hk_net.apply, hk_params, x, x)
        hk_apply = jax.jit(hk_net.apply)
        results["haiku jitted apply (us)"] = median_call(lambda: hk_apply(hk_params, x, x)) * 1e6
    except ImportError:
        print("(haiku not installed: skipped)")

    try:
        import flax.linen as nn

        class Tower(nn.Module):
            @nn.compact
            def __call__(self, inp: jax.Array) -> jax.Array:
                for i in range(LAYERS):
                    inp = jax.nn.relu(nn.Dense(WIDTH, name=f"dense_{i}")(inp))
                return inp

        class Model(nn.Module):
            @nn.compact
            def __call__(self, a: jax.Array, b: jax.Array) -> jax.Array:
                tower = Tower(name="tower")
                return jnp.sum(tower(a) * tower(b))

        fl = Model()
        results["flax init (s)"] = best(lambda: fl.init(rng, x, x))
        fl_vars = fl.init(rng, x, x)
        results["flax trace+compile (s)"] = compile_time(fl.apply, fl_vars, x, x)
        fl_apply = jax.jit(fl.apply)
        results["flax jitted apply (us)"] = median_call(lambda: fl_apply(fl_vars, x, x)) * 1e6
    except ImportError:
        print("(flax not installed: skipped)")

    print(f"jax {jax.__version__}, {jax.devices()[0].platform}, width={WIDTH} layers={LAYERS} batch={BATCH}")
    for key, value in results.items():
        print(f"  {key:36s} {value:10.4f}")
    return results


if __name__ == "__main__":
    np.set_printoptions(precision=4)
    main()
