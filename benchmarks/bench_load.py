"""Benchmark: loading pretrained GPT-2-shaped weights, each path in a fresh process.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_load.py --size 124M   # or 355M, 774M

Writes a GPT-2-shaped TF checkpoint (OpenAI's variable names and shapes: ``model/wte``,
``model/h0/attn/c_attn/w``, ...; float32) of the chosen size with varscope's writer into a temp
directory, then runs each path below in its own subprocess, one after the other, on a warm page
cache (the files were just written and one untimed read of the data file warms it):

* ``floor``: read the data file into memory (``readinto`` one buffer), nothing else;
* ``cp``: ``cp`` of the data file (the reference for ``convert``);
* ``tf``: TensorFlow (``--tf-python``, its own venv): build the graph with ``get_variable``, then
  ``Saver.restore`` in a session and fetch one tensor;
* ``numpy``: varscope NumPy graph: build with ``get_variable``, then ``Saver.restore``;
* ``jax``: ``jax.eval_shape(model.init, ...)`` of a ``vj.transform``-ed GPT-2 forward pass, then
  ``vj.load_params``;
* ``torch``: a ``Graph(backend="torch")`` built with ``get_variable``, then ``Saver.restore``;
* ``convert``: ``varscope convert CKPT out.safetensors``.

For each path it prints the child's wall time (process start to exit, imports included), the time
of the work itself (after the imports, measured inside the child) in wall-clock and in CPU seconds
(user + system: steadier than wall time when other processes compete for the cores), the child's peak
RSS (``ru_maxrss`` from ``os.wait4``, so one child's peak is not mixed with another's; the parent stays
small because a child's ``ru_maxrss`` includes what it was forked with), and the ratios of the work
to the floor's (to ``cp``'s for ``convert``) and of the peak RSS to the checkpoint's size (to the
largest tensor + 256 MB for ``convert``). ``work RSS/ckpt`` is the peak RSS less the peak after the imports
(JAX's and torch's runtimes hold ~0.2 GB whatever the model), over the checkpoint's size: the part that
grows with the model, which must stay flat from 124M to 774M. Each path runs ``--reps`` times, interleaved; the fastest
run is reported. ``os.sync()`` before each run keeps one run from paying for another's writeback. Each child also checks a tensor's value, so a
path that loads nothing cannot look fast.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
_T0 = time.perf_counter()

# name: (n_embd, n_layer); vocabulary 50257, context 1024, as OpenAI's hparams.json.
SIZES = {"124M": (768, 12), "355M": (1024, 24), "774M": (1280, 36), "tiny": (64, 2)}
VOCAB, CTX = 50257, 1024


def gpt2_shapes(n_embd: int, n_layer: int, vocab: int = VOCAB, ctx: int = CTX) -> dict[str, list[int]]:
    """OpenAI GPT-2's variables: name -> shape (conv1d weights are ``[1, n_in, n_out]``)."""
    e = n_embd
    shapes = {"model/wte": [vocab, e], "model/wpe": [ctx, e]}
    for i in range(n_layer):
        h = f"model/h{i}"
        shapes.update({
            f"{h}/ln_1/g": [e], f"{h}/ln_1/b": [e],
            f"{h}/attn/c_attn/w": [1, e, 3 * e], f"{h}/attn/c_attn/b": [3 * e],
            f"{h}/attn/c_proj/w": [1, e, e], f"{h}/attn/c_proj/b": [e],
            f"{h}/ln_2/g": [e], f"{h}/ln_2/b": [e],
            f"{h}/mlp/c_fc/w": [1, e, 4 * e], f"{h}/mlp/c_fc/b": [4 * e],
            f"{h}/mlp/c_proj/w": [1, 4 * e, e], f"{h}/mlp/c_proj/b": [e],
        })
    shapes.update({"model/ln_f/g": [e], "model/ln_f/b": [e]})
    return shapes


def build(tf1: Any, shapes: dict[str, list[int]]) -> None:
    """Creates the variables as OpenAI's model.py does (normal(0.02) weights, zero biases, unit gains)."""
    for name, shape in shapes.items():
        scope, leaf = name.rsplit("/", 1)
        if leaf in ("w", "wte", "wpe"):
            init = tf1.random_normal_initializer(stddev=0.02 if leaf != "wpe" else 0.01)
        elif leaf == "g":
            init = tf1.constant_initializer(1)
        else:
            init = tf1.constant_initializer(0)
        with tf1.variable_scope(scope):
            tf1.get_variable(leaf, shape, initializer=init)


PROBE = "model/h0/mlp/c_fc/w"  # each path reports this tensor's sum


# -- children ---------------------------------------------------------------------------------------------
def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


_CPU_AT_IMPORT: list[float] = []
_RSS_AT_IMPORT: list[int] = []


def _imported() -> float:
    """Marks the end of the imports: returns the wall clock, remembers the CPU time and the peak RSS so far."""
    _CPU_AT_IMPORT.append(_cpu())
    _RSS_AT_IMPORT.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    return time.perf_counter()


def _report(t_imported: float, extra: dict[str, Any] | None = None) -> None:
    now, cpu = time.perf_counter(), _cpu()
    print("RESULT " + json.dumps({"import_s": t_imported - _T0, "work_s": now - t_imported,
                                  "work_cpu_s": cpu - (_CPU_AT_IMPORT[0] if _CPU_AT_IMPORT else cpu),
                                  "import_rss": _RSS_AT_IMPORT[0] if _RSS_AT_IMPORT else 0,
                                  **(extra or {})}), flush=True)


def child(args: argparse.Namespace) -> None:
    shapes = gpt2_shapes(*SIZES[args.size])
    prefix = args.prefix
    probe = PROBE
    if args.child == "floor":
        imported = _imported()
        path = prefix + ".data-00000-of-00001"
        with open(path, "rb", buffering=0) as f:
            buf = bytearray(os.fstat(f.fileno()).st_size)
            view, done = memoryview(buf), 0
            while done < len(buf):
                n = f.readinto(view[done:])
                if not n:
                    break
                done += n
        _report(imported, {"bytes": done})
        return
    if args.child == "write":
        sys.path.insert(0, str(REPO / "src"))
        import numpy as np

        from varscope.checkpoint import BundleWriter

        rng = np.random.default_rng(0)
        largest = 0
        with BundleWriter(prefix) as writer:  # one tensor in memory at a time
            for name in sorted(shapes):
                value = rng.standard_normal(shapes[name], dtype=np.float32) * np.float32(0.02)
                largest = max(largest, value.nbytes)
                writer.add(name, value)
                del value
        _report(_imported(), {"largest": largest})
        return
    if args.child == "tf":
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow.compat.v1 as tf1

        tf1.disable_eager_execution()
        imported = _imported()
        build(tf1, shapes)
        saver = tf1.train.Saver()
        with tf1.Session() as sess:
            saver.restore(sess, prefix)
            with tf1.variable_scope("", reuse=True):
                value = sess.run(tf1.get_variable(probe))
        _report(imported, {"probe": float(value.sum())})
        return
    sys.path.insert(0, str(REPO / "src"))
    if args.child == "numpy" or args.child == "torch":
        import varscope as tf1
        from varscope.train import Saver

        if args.child == "torch":
            import varscope.backends.torch_backend  # noqa: F401  (imports torch)
        imported = _imported()
        with tf1.Graph(backend=args.child).as_default():
            build(tf1, shapes)
            Saver().restore(None, prefix)
            with tf1.variable_scope("", reuse=True):
                value = tf1.get_variable(probe).numpy()
        _report(imported, {"probe": float(value.sum())})
        return
    if args.child == "jax":
        import jax
        import jax.numpy as jnp
        import numpy as np

        import varscope as tf1
        import varscope.jax as vj

        imported = _imported()

        def net(tokens: Any) -> Any:
            build(tf1, shapes)
            with tf1.variable_scope("model", reuse=True):
                h = jnp.take(tf1.get_variable("wte"), tokens, axis=0) + tf1.get_variable("wpe")[: tokens.shape[0]]
                for i in range(SIZES[args.size][1]):
                    with tf1.variable_scope(f"h{i}/mlp"):
                        h = h + jnp.tanh(h @ tf1.get_variable("c_fc/w")[0]) @ tf1.get_variable("c_proj/w")[0]
            return h

        model = vj.transform(net)
        tokens = jnp.zeros((8,), jnp.int32)
        jax.eval_shape(model.init, jax.random.key(0), tokens)
        params = vj.load_params(prefix, keys=list(model.var_info))
        jax.block_until_ready(params)
        _report(imported, {"probe": float(np.asarray(params[probe]).sum())})  # (no XLA compile of a sum)
        return
    if args.child == "convert":
        from varscope.cli import main as cli_main

        imported = _imported()
        rc = cli_main(["convert", prefix, args.out])
        from safetensors import safe_open

        with safe_open(args.out, "np") as f:
            value = f.get_tensor(probe)
        _report(imported, {"rc": rc, "probe": float(value.sum())})
        return
    raise SystemExit(f"unknown child {args.child}")


# -- the parent (kept small: a child's ru_maxrss includes the RSS it was forked with) -------------------------------------------------------------------------------------------
def run_child(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    os.sync()  # no child waits on the writeback of an earlier one's output
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    out, err = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        print(err[-4000:], file=sys.stderr)
        raise SystemExit(f"{cmd} failed with {proc.returncode}")
    result: dict[str, Any] = {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss * 1024}
    for line in out.splitlines():
        if line.startswith("RESULT "):
            result.update(json.loads(line[7:]))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="124M", choices=sorted(SIZES))
    parser.add_argument("--paths", default="floor,cp,tf,numpy,jax,torch,convert",
                        help="comma-separated paths to run (default: all)")
    parser.add_argument("--reps", type=int, default=3, help="runs of each path (fresh processes, interleaved); "
                        "the fastest is reported, with its peak RSS (default 3)")
    parser.add_argument("--tf-python", default=os.environ.get("VARSCOPE_TF_PYTHON", str(REPO / ".venv-tf/bin/python")))
    parser.add_argument("--dir", help="working directory (default: a temp dir, removed afterwards)")
    parser.add_argument("--json", help="also write the results to this JSON file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--prefix", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    shapes = gpt2_shapes(*SIZES[args.size])
    workdir = Path(args.dir or tempfile.mkdtemp(prefix="varscope-bench-load-"))
    workdir.mkdir(parents=True, exist_ok=True)
    prefix = str(workdir / "model.ckpt")
    env = dict(os.environ, PYTHONPATH=str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    me = [sys.executable, __file__, "--size", args.size, "--prefix", prefix]
    largest = run_child(me + ["--child", "write"], env)["largest"]
    data = prefix + ".data-00000-of-00001"
    size = os.path.getsize(data)
    paths = args.paths.split(",")
    results: dict[str, dict[str, Any]] = {}
    try:
        run_child(me + ["--child", "floor"], env)  # warm the page cache (untimed)
        if "tf" in paths and not os.path.exists(args.tf_python):
            print(f"(no TensorFlow at {args.tf_python}: skipping tf)", file=sys.stderr)
            paths.remove("tf")
        for rep in range(args.reps):
            for path in paths if rep % 2 == 0 else paths[::-1]:
                if path == "cp":
                    target = str(workdir / "copy.data")
                    result = run_child(["cp", data, target])
                    result["work_s"] = result["wall_s"]
                    result["work_cpu_s"] = result["cpu_s"]
                    os.remove(target)
                elif path == "tf":
                    result = run_child([args.tf_python] + me[1:] + ["--child", "tf"])
                elif path == "convert":
                    out = str(workdir / "out.safetensors")
                    result = run_child(me + ["--child", "convert", "--out", out], env)
                    os.remove(out)
                else:
                    result = run_child(me + ["--child", path], env)
                result["all_work_s"] = results.get(path, {}).get("all_work_s", []) + [round(result["work_s"], 3)]
                if path not in results or result["work_s"] < results[path]["work_s"]:
                    results[path] = result
                else:
                    results[path]["all_work_s"] = result["all_work_s"]
    finally:
        if not args.dir:
            shutil.rmtree(workdir, ignore_errors=True)

    floor = results.get("floor", {}).get("work_s")
    copy = results.get("cp", {}).get("work_s")
    floor_cpu = results.get("floor", {}).get("work_cpu_s")
    copy_cpu = results.get("cp", {}).get("work_cpu_s")
    print(f"GPT-2 {args.size}: {len(shapes)} float32 tensors, {size / 1e9:.3f} GB data file, largest tensor "
          f"{largest / 1e6:.0f} MB, CPU count {os.cpu_count()}, warm page cache, best of {args.reps} runs")
    print("work: after the imports; CPU: user + system seconds of the work (steadier than wall time on a busy machine)")
    print(f"{'path':8s} {'wall s':>7s} {'import s':>8s} {'work s':>7s} {'work CPU s':>10s} {'peak RSS GB':>11s} "
          f"{'work/floor':>10s} {'CPU/floor':>9s} {'RSS/ckpt':>8s} {'work/cp':>7s} {'CPU/cp':>6s} "
          f"{'RSS/(largest+256MB)':>19s} {'work RSS/ckpt':>13s}")
    for path, r in results.items():
        ratio_floor = f"{r['work_s'] / floor:10.2f}" if floor else " " * 10
        cpu_floor = f"{r['work_cpu_s'] / floor_cpu:9.2f}" if floor_cpu else " " * 9
        ratio_cp = f"{r['work_s'] / copy:7.2f}" if copy and path == "convert" else " " * 7
        cpu_cp = f"{r['work_cpu_s'] / copy_cpu:6.2f}" if copy_cpu and path == "convert" else " " * 6
        ratio_big = f"{r['rss'] / (largest + 256e6):19.2f}" if path == "convert" else " " * 19
        work_rss = f"{(r['rss'] - r['import_rss']) / size:13.2f}" if r.get("import_rss") else " " * 13
        print(f"{path:8s} {r['wall_s']:7.2f} {r.get('import_s', 0.0):8.2f} {r['work_s']:7.2f} {r['work_cpu_s']:10.2f} "
              f"{r['rss'] / 1e9:11.3f} {ratio_floor} {cpu_floor} {r['rss'] / size:8.2f} {ratio_cp} {cpu_cp} {ratio_big} {work_rss}")
    probes = {p: r["probe"] for p, r in results.items() if "probe" in r}
    if len(set(round(v, 2) for v in probes.values())) > 1:
        raise SystemExit(f"paths loaded different values: {probes}")
    if args.json:
        Path(args.json).write_text(json.dumps({"size": args.size, "bytes": size, "largest": largest,
                                               "results": results}, indent=1))


if __name__ == "__main__":
    main()
