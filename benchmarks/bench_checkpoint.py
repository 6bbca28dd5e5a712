"""Benchmark: saving and loading many tensors, varscope vs TensorFlow, in one run.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_checkpoint.py --size-gb 1 --tensors 512

varscope runs in this interpreter; TensorFlow (``--tf-python``, default ``.venv-tf/bin/python``
or ``$VARSCOPE_TF_PYTHON``) runs this same file with ``--tf-worker`` in a subprocess, on the same
files. Measured, each on a warm page cache (the files were just written):

* varscope ``write_bundle`` / ``BundleReader.get_tensor`` (CRC checked) of every tensor;
  writes are best of two, varscope reads best of two;
* TF ``tf.raw_ops.SaveV2`` / ``RestoreV2`` (eager) of all tensors in one op;
* TF ``tf.train.load_checkpoint(...).get_tensor`` of every tensor;
* cross-reads: TF reading varscope's files and varscope reading TF's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def make_tensors(size_bytes: int, count: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    per = max(1, size_bytes // count // 4)
    return {f"layer_{i:04d}/kernel": rng.standard_normal(per, dtype=np.float32) for i in range(count)}


def tf_worker(args: argparse.Namespace) -> None:
    import tensorflow as tf

    names = json.loads(Path(args.names).read_text())
    results: dict[str, float] = {}
    # TF save of the same data (generated identically) with raw SaveV2.
    tensors = make_tensors(args.size_bytes, args.tensors)
    consts = [tf.constant(tensors[n]) for n in names]
    del tensors
    best = float("inf")
    for _ in range(2):  # best of two: page-cache writeback makes single writes noisy
        start = time.perf_counter()
        tf.raw_ops.SaveV2(prefix=args.tf_prefix, tensor_names=names, shape_and_slices=[""] * len(names),
                          tensors=consts)
        best = min(best, time.perf_counter() - start)
    results["tf_savev2_write"] = best
    del consts
    dtypes = [tf.float32] * len(names)
    start = time.perf_counter()
    restored = tf.raw_ops.RestoreV2(prefix=args.tf_prefix, tensor_names=names, shape_and_slices=[""] * len(names),
                                    dtypes=dtypes)
    _ = [t.numpy() for t in restored]
    results["tf_restorev2_read"] = time.perf_counter() - start
    del restored, _
    for label, prefix in (("tf_load_checkpoint_read", args.tf_prefix), ("tf_reads_varscope", args.vs_prefix)):
        start = time.perf_counter()
        reader = tf.train.load_checkpoint(prefix)
        for name in names:
            reader.get_tensor(name)
        results[label] = time.perf_counter() - start
    print("JSON" + json.dumps(results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-gb", type=float, default=1.0, help="total tensor bytes in GB (default 1)")
    parser.add_argument("--tensors", type=int, default=512, help="number of tensors (default 512)")
    parser.add_argument("--dir", help="working directory (default: a temp dir, removed afterwards)")
    parser.add_argument("--tf-python", default=os.environ.get("VARSCOPE_TF_PYTHON", str(REPO / ".venv-tf/bin/python")))
    parser.add_argument("--no-tf", action="store_true", help="skip TensorFlow")
    parser.add_argument("--tf-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size-bytes", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--names", help=argparse.SUPPRESS)
    parser.add_argument("--tf-prefix", help=argparse.SUPPRESS)
    parser.add_argument("--vs-prefix", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.tf_worker:
        tf_worker(args)
        return

    sys.path.insert(0, str(REPO / "src"))
    from varscope.checkpoint import BundleReader, write_bundle

    size_bytes = int(args.size_gb * 1e9)
    workdir = Path(args.dir or tempfile.mkdtemp(prefix="varscope-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    vs_prefix, tf_prefix = str(workdir / "vs" / "model.ckpt"), str(workdir / "tf" / "model.ckpt")
    os.makedirs(os.path.dirname(tf_prefix), exist_ok=True)
    try:
        tensors = make_tensors(size_bytes, args.tensors)
        names = sorted(tensors)
        total = sum(t.nbytes for t in tensors.values())
        timings: dict[str, float] = {}
        best = float("inf")
        for _ in range(2):  # best of two: page-cache writeback makes single writes noisy
            start = time.perf_counter()
            write_bundle(vs_prefix, tensors)
            best = min(best, time.perf_counter() - start)
        timings["varscope_write"] = best
        del tensors

        def vs_read(prefix: str) -> float:
            start = time.perf_counter()
            with BundleReader(prefix) as reader:
                for name in names:
                    reader.get_tensor(name)
            return time.perf_counter() - start

        timings["varscope_read"] = min(vs_read(vs_prefix) for _ in range(2))
        if not args.no_tf and os.path.exists(args.tf_python):
            names_file = workdir / "names.json"
            names_file.write_text(json.dumps(names))
            cmd = [args.tf_python, __file__, "--tf-worker", "--size-bytes", str(size_bytes), "--tensors",
                   str(args.tensors), "--names", str(names_file), "--tf-prefix", tf_prefix, "--vs-prefix", vs_prefix]
            result = subprocess.run(cmd, capture_output=True, text=True)
            if result.returncode != 0:
                print(result.stderr[-2000:], file=sys.stderr)
                raise SystemExit("TensorFlow worker failed")
            line = next(l for l in result.stdout.splitlines() if l.startswith("JSON"))
            timings.update(json.loads(line[4:]))
            timings["varscope_reads_tf"] = vs_read(tf_prefix)
            same = all(
                open(f"{p}.index", "rb").read() == open(f"{q}.index", "rb").read()
                for p, q in [(vs_prefix, tf_prefix)]
            )
            print(f"varscope and TF index files identical: {same}")
        print(f"{len(names)} float32 tensors, {total / 1e9:.2f} GB, CPU count {os.cpu_count()}")
        print(f"{'operation':28s} {'seconds':>8s} {'GB/s':>7s}")
        for label, seconds in timings.items():
            print(f"{label:28s} {seconds:8.3f} {total / 1e9 / seconds:7.2f}")
        if "tf_load_checkpoint_read" in timings:
            print(f"read  speed-up vs tf.train.load_checkpoint: {timings['tf_load_checkpoint_read'] / timings['varscope_read']:.2f}x")
            print(f"read  speed-up vs RestoreV2:                {timings['tf_restorev2_read'] / timings['varscope_read']:.2f}x")
            print(f"write speed-up vs SaveV2:                   {timings['tf_savev2_write'] / timings['varscope_write']:.2f}x")
    finally:
        if not args.dir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
