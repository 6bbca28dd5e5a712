"""Scoping overhead: µs per variable for creating and re-fetching N variables, against a dict floor.

Workload (issue 2): variables ``model/block_b/layer_l/w`` in 10 blocks; a ``variable_scope("layer_l")`` is
entered for every variable inside ``model/block_b``; shape [64] float32, glorot-uniform (the default
initializer). Reuse re-enters the same scopes with ``reuse=True`` and fetches every variable again.

Floors, measured in the same process and interleaved rep by rep with varscope:
- creation: a plain dict insert of the same names plus the same NumPy initialisation (a generator keyed by
  the name, ``U(-limit, limit)`` drawn in float64 and cast to float32: exactly what the initializer computes);
- reuse: a plain dict lookup of the same names (built with the same f-strings).

Prints µs/variable and the ratio to the floor for N = 1k, 10k, 100k, the flatness of the ratios, and the
time of ``import varscope`` in a fresh interpreter. Targets (issue 12): creation <= 3.5x, reuse <= 25x, flat within 1.3x,
import <= 150 ms.

With ``--peers``, the same workload (creation only, N=1000) also runs on TensorFlow graph mode
(``.venv-tf`` or ``VARSCOPE_TF_PYTHON``) and, per parameter, on Haiku and Flax (``.venv-bench``, or
``VARSCOPE_BENCH_PYTHON``), each in a subprocess started by this script; missing peers are skipped.


With ``--bound``, the same workload also runs on ``benchmarks/scoping_bound.py``: the least pure-Python work
TF's rules need, written flat (a lower bound for any honest implementation, on the machine at hand).

Usage: ``python benchmarks/bench_scoping.py [--sizes 1000 10000 100000] [--reps 5] [--peers] [--bound]``
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import subprocess
import sys
import time

import numpy as np

import varscope as tf1
from varscope import _random

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scoping_bound  # noqa: E402

BLOCKS = 10


def names_for(n: int) -> list[tuple[int, int]]:
    per_block = n // BLOCKS
    return [(b, layer) for b in range(BLOCKS) for layer in range(per_block)]


def create_varscope(n: int) -> tuple[float, tf1.Graph]:
    per_block = n // BLOCKS
    graph = tf1.Graph()
    gc.disable()
    start = time.perf_counter()
    with graph.as_default():
        with tf1.variable_scope("model"):
            for b in range(BLOCKS):
                with tf1.variable_scope(f"block_{b}"):
                    for layer in range(per_block):
                        with tf1.variable_scope(f"layer_{layer}"):
                            tf1.get_variable("w", [64])
    elapsed = time.perf_counter() - start
    gc.enable()
    return elapsed, graph


def reuse_varscope(n: int, graph: tf1.Graph) -> float:
    per_block = n // BLOCKS
    gc.disable()
    start = time.perf_counter()
    with graph.as_default():
        with tf1.variable_scope("model", reuse=True):
            for b in range(BLOCKS):
                with tf1.variable_scope(f"block_{b}"):
                    for layer in range(per_block):
                        with tf1.variable_scope(f"layer_{layer}"):
                            tf1.get_variable("w", [64])
    elapsed = time.perf_counter() - start
    gc.enable()
    return elapsed


def _glorot_64(name: str) -> np.ndarray:
    limit = math.sqrt(3.0 / 64.0)
    gen = _random.generator_for(0, name)
    return (gen.random([64]) * (2 * limit) - limit).astype(np.float32)


def create_floor(n: int) -> tuple[float, dict[str, np.ndarray]]:
    per_block = n // BLOCKS
    store: dict[str, np.ndarray] = {}
    gc.disable()
    start = time.perf_counter()
    for b in range(BLOCKS):
        for layer in range(per_block):
            name = f"model/block_{b}/layer_{layer}/w"
            store[name] = _glorot_64(name)
    elapsed = time.perf_counter() - start
    gc.enable()
    return elapsed, store


def reuse_floor(n: int, store: dict[str, np.ndarray]) -> float:
    per_block = n // BLOCKS
    gc.disable()
    start = time.perf_counter()
    for b in range(BLOCKS):
        for layer in range(per_block):
            store[f"model/block_{b}/layer_{layer}/w"]
    elapsed = time.perf_counter() - start
    gc.enable()
    return elapsed


def import_time_ms(reps: int = 5) -> float:
    env = dict(os.environ)
    src = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    best = math.inf
    code = "import time; t=time.perf_counter(); import varscope; print(time.perf_counter()-t)"
    for _ in range(reps):
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        best = min(best, float(out.stdout.strip()) * 1000)
    return best


_TF_PEER = """
import time, tensorflow as tf
tf1 = tf.compat.v1; tf1.disable_eager_execution()
n = {n}; best = 1e9
for _ in range(2):
    g = tf1.Graph()
    with g.as_default():
        t = time.perf_counter()
        with tf1.variable_scope("model"):
            for b in range(10):
                with tf1.variable_scope(f"block_{{b}}"):
                    for l in range(n // 10):
                        with tf1.variable_scope(f"layer_{{l}}"):
                            tf1.get_variable("w", [64])
        best = min(best, time.perf_counter() - t)
print(best / n * 1e6)
"""

_HAIKU_PEER = """
import time, jax, haiku as hk
n = {n}
def f():
    for b in range(10):
        with hk.name_scope(f"block_{{b}}"):
            for l in range(n // 10):
                with hk.name_scope(f"layer_{{l}}"):
                    hk.get_parameter("w", [64], init=hk.initializers.VarianceScaling(1.0, "fan_avg", "uniform"))
t = hk.transform(f); rng = jax.random.PRNGKey(0); best = 1e9
for _ in range(2):
    s = time.perf_counter(); t.init(rng); best = min(best, time.perf_counter() - s)
print(best / n * 1e6)
"""

_FLAX_PEER = """
import time, jax, flax.linen as nn
n = {n}
class Layer(nn.Module):
    @nn.compact
    def __call__(self):
        return self.param("w", nn.initializers.glorot_uniform(in_axis=-1, out_axis=-1), (64,))
class Block(nn.Module):
    @nn.compact
    def __call__(self):
        for l in range(n // 10):
            Layer(name=f"layer_{{l}}")()
class Model(nn.Module):
    @nn.compact
    def __call__(self):
        for b in range(10):
            Block(name=f"block_{{b}}")()
rng = jax.random.PRNGKey(0); best = 1e9
for _ in range(2):
    s = time.perf_counter(); Model().init(rng); best = min(best, time.perf_counter() - s)
print(best / n * 1e6)
"""


def run_peers(n: int) -> list[tuple[str, float | None]]:
    """µs per created variable/parameter of TensorFlow, Haiku and Flax on the same workload (or None)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    tf_python = os.environ.get("VARSCOPE_TF_PYTHON", os.path.join(root, ".venv-tf", "bin", "python"))
    bench_python = os.environ.get("VARSCOPE_BENCH_PYTHON", os.path.join(root, ".venv-bench", "bin", "python"))
    results: list[tuple[str, float | None]] = []
    for label, python, code in (("TensorFlow 2 graph mode", tf_python, _TF_PEER), ("Haiku", bench_python, _HAIKU_PEER),
                                ("Flax linen", bench_python, _FLAX_PEER)):
        if not os.path.exists(python):
            results.append((label, None))
            continue
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", JAX_PLATFORMS="cpu")
        out = subprocess.run([python, "-c", code.format(n=n)], capture_output=True, text=True, env=env)
        try:
            results.append((label, float(out.stdout.strip().splitlines()[-1])))
        except (ValueError, IndexError):
            results.append((label, None))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--peers", action="store_true", help="also time TensorFlow, Haiku and Flax (N=1000)")
    parser.add_argument("--bound", action="store_true",
                        help="also time the lower bound of benchmarks/scoping_bound.py (the least work TF's rules need)")
    args = parser.parse_args()

    print(f"varscope {tf1.__version__} (pure Python), Python {sys.version.split()[0]}")
    rows, bounds = [], []
    for n in args.sizes:
        c_vs, c_fl, r_vs, r_fl, c_bd, r_bd = [], [], [], [], [], []
        for _ in range(args.reps):  # interleaved: floor and varscope alternate rep by rep
            t_floor, store = create_floor(n)
            t_vs, graph = create_varscope(n)
            c_fl.append(t_floor)
            c_vs.append(t_vs)
            r_fl.append(reuse_floor(n, store))
            r_vs.append(reuse_varscope(n, graph))
            if args.bound:
                t_bound, bound = scoping_bound.create_bound(n, BLOCKS)
                c_bd.append(t_bound)
                r_bd.append(scoping_bound.reuse_bound(n, BLOCKS, bound))
                del bound
            del graph, store
            gc.collect()
        per = lambda ts: min(ts) / n * 1e6  # noqa: E731 - best-of-reps, µs per variable
        rows.append((n, per(c_vs), per(c_fl), per(r_vs), per(r_fl)))
        if args.bound:
            bounds.append((n, per(c_bd), per(c_fl), per(r_bd), per(r_fl)))

    print(f"{'N':>8} {'create µs':>10} {'floor µs':>9} {'ratio':>6}   {'reuse µs':>9} {'floor µs':>9} {'ratio':>6}")
    for n, cv, cf, rv, rf in rows:
        print(f"{n:>8} {cv:>10.2f} {cf:>9.2f} {cv / cf:>6.2f}   {rv:>9.2f} {rf:>9.3f} {rv / rf:>6.2f}")
    c_ratios = [cv / cf for _, cv, cf, _, _ in rows]
    r_ratios = [rv / rf for _, _, _, rv, rf in rows]
    print(f"flatness (max/min ratio across sizes): creation {max(c_ratios) / min(c_ratios):.2f}, "
          f"reuse {max(r_ratios) / min(r_ratios):.2f}   (target <= 1.3)")
    print("targets: creation <= 3.5x floor, reuse <= 25x floor")
    if args.bound:
        print("lower bound (benchmarks/scoping_bound.py: TF's rules with the least pure-Python work, same floors):")
        for n, cb, cf, rb, rf in bounds:
            print(f"{n:>8} {cb:>10.2f} {cf:>9.2f} {cb / cf:>6.2f}   {rb:>9.2f} {rf:>9.3f} {rb / rf:>6.2f}")
    print(f"import varscope: {import_time_ms():.0f} ms (target <= 150 ms)")
    if args.peers:
        ours = rows[0][1]
        print(f"peers, creation of N=1000 (varscope at N={rows[0][0]}: {ours:.1f} µs/variable):")
        for label, us in run_peers(1000):
            if us is None:
                print(f"  {label:<24} not available")
            else:
                print(f"  {label:<24} {us:9.1f} µs/variable   ({us / ours:.0f}x varscope)")


if __name__ == "__main__":
    main()
