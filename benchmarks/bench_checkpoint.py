"""Benchmark: saving and loading many tensors, varscope vs TensorFlow, in one run.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_checkpoint.py --size-gb 1 --tensors 512 --reps 5

varscope runs in this interpreter; TensorFlow (``--tf-python``, default ``.venv-tf/bin/python``
or ``$VARSCOPE_TF_PYTHON``) runs this same file with ``--tf-worker`` as a long-lived subprocess
that holds the same tensors (generated identically) and times one operation per command, so
the two libraries' repetitions can be interleaved. Measured:

* writes: varscope ``write_bundle`` vs TF ``tf.raw_ops.SaveV2`` (eager, all tensors in one op),
  both into the same directory;
* reads: varscope ``BundleReader.get_tensor`` (CRC checked) of every tensor vs TF
  ``tf.train.load_checkpoint(...).get_tensor`` of every tensor and ``RestoreV2`` (one op);
* cross-reads: TF reading varscope's files and varscope reading TF's.

Fairness: one untimed warm-up of each operation (TF's first op call pays its set-up), then
``--reps`` repetitions with the libraries alternating (A B, B A, ...), best of them reported
(median too). Before every timed write the writer's previous files are deleted and
``os.sync()`` flushes dirty pages, so no write waits on the previous one's writeback or pays
for unlinking an old checkpoint, and both always write a fresh file of the same size next to
the other library's (clean) one. Reads are on a warm page cache (files just written and
synced); ``--cold`` drops the files' pages first (``posix_fadvise(DONTNEED)``, no root needed).

``--partitions 100,200,400`` instead times one variable split into N slices along its first
axis (what ``fixed_size_partitioner(N)`` makes; ``[4N, 64]`` float32): varscope's
``Saver.save`` and ``restore`` of the partitioned variable, opening the bundle and merging it
with ``get_tensor``, and TF's ``SaveV2`` of the same N slices and ``load_checkpoint`` of the
result (TF in one subprocess per run; best of ``--reps``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def make_tensors(size_bytes: int, count: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    per = max(1, size_bytes // count // 4)
    return {f"layer_{i:04d}/kernel": rng.standard_normal(per, dtype=np.float32) for i in range(count)}


def checkpoint_files(prefix: str) -> list[str]:
    directory, base = os.path.split(prefix)
    if not os.path.isdir(directory):
        return []
    return sorted(os.path.join(directory, n) for n in os.listdir(directory) if n.startswith(base + "."))


def remove_checkpoint(prefix: str) -> None:
    for path in checkpoint_files(prefix):
        os.remove(path)


def drop_cache(prefix: str) -> None:
    """Evicts the checkpoint's (clean) pages from the page cache."""
    os.sync()
    for path in checkpoint_files(prefix):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def tf_worker(args: argparse.Namespace) -> None:
    """Serves ``save|restore|load PREFIX`` commands on stdin; answers ``T seconds`` on stdout."""
    import tensorflow as tf

    names = json.loads(Path(args.names).read_text())
    tensors = make_tensors(args.size_bytes, args.tensors)
    consts = [tf.constant(tensors[n]) for n in names]
    del tensors
    specs = [""] * len(names)
    dtypes = [tf.float32] * len(names)

    def save(prefix: str) -> None:
        tf.raw_ops.SaveV2(prefix=prefix, tensor_names=names, shape_and_slices=specs, tensors=consts)

    def restore(prefix: str) -> None:
        restored = tf.raw_ops.RestoreV2(prefix=prefix, tensor_names=names, shape_and_slices=specs, dtypes=dtypes)
        for t in restored:
            t.numpy()

    def load(prefix: str) -> None:
        reader = tf.train.load_checkpoint(prefix)
        for name in names:
            reader.get_tensor(name)

    ops = {"save": save, "restore": restore, "load": load}
    print("READY", flush=True)
    for line in sys.stdin:
        op, prefix = line.split(maxsplit=1)
        if op == "quit":
            break
        start = time.perf_counter()
        ops[op](prefix.strip())
        print(f"T {time.perf_counter() - start!r}", flush=True)


class TFWorker:
    def __init__(self, args: argparse.Namespace, size_bytes: int, names_file: Path) -> None:
        cmd = [args.tf_python, __file__, "--tf-worker", "--size-bytes", str(size_bytes), "--tensors",
               str(args.tensors), "--names", str(names_file)]
        self._stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
                                     text=True, bufsize=1)
        self._expect("READY")

    def _expect(self, tag: str) -> str:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith(tag):
                return line[len(tag):].strip()
        self._stderr.seek(0)
        print(self._stderr.read().decode(errors="replace")[-3000:], file=sys.stderr)
        raise SystemExit("TensorFlow worker failed")

    def time(self, op: str, prefix: str) -> float:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{op} {prefix}\n")
        self.proc.stdin.flush()
        return float(self._expect("T"))

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.write("quit -\n")
            self.proc.stdin.close()
            self.proc.wait(timeout=60)


def timed(fn: Callable[[], None]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def same_files(a: str, b: str, chunk: int = 64 << 20) -> bool:
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            x, y = fa.read(chunk), fb.read(chunk)
            if x != y:
                return False
            if not x:
                return True


def tf_partition_worker(args: argparse.Namespace) -> None:
    """Prints ``N save_s load_s`` for each N of ``--partitions``: TF SaveV2 of N slices, then load_checkpoint."""
    import tensorflow as tf

    for n in (int(x) for x in args.partitions.split(",")):
        full = np.arange(4 * n * 64, dtype=np.float32).reshape(4 * n, 64)
        parts = [tf.constant(full[4 * i : 4 * i + 4]) for i in range(n)]
        specs = [f"{4 * n} 64 {4 * i},4:0,64" for i in range(n)]
        prefix = os.path.join(tempfile.mkdtemp(), "tf.ckpt")
        saves, loads = [], []
        for _ in range(args.reps + 1):
            saves.append(timed(lambda: tf.raw_ops.SaveV2(prefix=prefix, tensor_names=["emb"] * n,
                                                          shape_and_slices=specs, tensors=parts)))
            loads.append(timed(lambda: tf.train.load_checkpoint(prefix).get_tensor("emb")))
        shutil.rmtree(os.path.dirname(prefix))
        print(f"{n} {min(saves[1:])!r} {min(loads[1:])!r}", flush=True)


def partition_rows(args: argparse.Namespace) -> None:
    """The ``--partitions`` benchmark (see the module docstring)."""
    sys.path.insert(0, str(REPO / "src"))
    import varscope as tf1
    from varscope.checkpoint import BundleReader
    from varscope.train import Saver

    counts = [int(x) for x in args.partitions.split(",")]
    tf_times: dict[int, tuple[float, float]] = {}
    if not args.no_tf and os.path.exists(args.tf_python):
        out = subprocess.run([args.tf_python, __file__, "--tf-partition-worker", "--partitions", args.partitions,
                              "--reps", str(args.reps)], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            n, save, load = line.split()
            tf_times[int(n)] = (float(save), float(load))
    print(f"one [4N, 64] float32 variable in N partitions, best of {args.reps} (+1 warm-up), seconds")
    print(f"{'N':>6s} {'Saver.save':>11s} {'restore':>9s} {'open+read':>10s} {'TF SaveV2':>10s} {'TF load':>9s}")
    for n in counts:
        with tf1.Graph().as_default():
            tf1.get_variable("emb", [4 * n, 64], partitioner=tf1.fixed_size_partitioner(n))
            saver = Saver()
            workdir = tempfile.mkdtemp(prefix="varscope-bench-")
            prefix = os.path.join(workdir, "vs.ckpt")
            saves, restores, reads = [], [], []
            for _ in range(args.reps + 1):
                remove_checkpoint(prefix)
                saves.append(timed(lambda: saver.save(prefix, write_state=False)))
                restores.append(timed(lambda: saver.restore(prefix)))

                def read() -> None:
                    with BundleReader(prefix) as reader:
                        reader.get_tensor("emb")

                reads.append(timed(read))
            shutil.rmtree(workdir)
        tf_save, tf_load = tf_times.get(n, (float("nan"), float("nan")))
        print(f"{n:6d} {min(saves[1:]):11.4f} {min(restores[1:]):9.4f} {min(reads[1:]):10.4f} "
              f"{tf_save:10.4f} {tf_load:9.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-gb", type=float, default=1.0, help="total tensor bytes in GB (default 1)")
    parser.add_argument("--tensors", type=int, default=512, help="number of tensors (default 512)")
    parser.add_argument("--reps", type=int, default=5, help="timed repetitions per operation (default 5)")
    parser.add_argument("--cold", action="store_true", help="drop the files' page cache before each read")
    parser.add_argument("--dir", help="working directory (default: a temp dir, removed afterwards)")
    parser.add_argument("--json", help="also write the timings to this JSON file")
    parser.add_argument("--tf-python", default=os.environ.get("VARSCOPE_TF_PYTHON", str(REPO / ".venv-tf/bin/python")))
    parser.add_argument("--no-tf", action="store_true", help="skip TensorFlow")
    parser.add_argument("--partitions", help="time one variable in N partitions instead, for each N listed (100,200,400)")
    parser.add_argument("--tf-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tf-partition-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size-bytes", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--names", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.tf_worker:
        tf_worker(args)
        return
    if args.tf_partition_worker:
        tf_partition_worker(args)
        return
    if args.partitions:
        partition_rows(args)
        return

    sys.path.insert(0, str(REPO / "src"))
    from varscope.checkpoint import BundleReader, write_bundle

    size_bytes = int(args.size_gb * 1e9)
    workdir = Path(args.dir or tempfile.mkdtemp(prefix="varscope-bench-"))
    ckdir = workdir / "ckpt"  # both libraries write here, side by side
    ckdir.mkdir(parents=True, exist_ok=True)
    vs_prefix, tf_prefix = str(ckdir / "vs.ckpt"), str(ckdir / "tf.ckpt")
    tensors = make_tensors(size_bytes, args.tensors)
    names = sorted(tensors)
    total = sum(t.nbytes for t in tensors.values())
    use_tf = not args.no_tf and os.path.exists(args.tf_python)
    worker: TFWorker | None = None
    times: dict[str, list[float]] = {}
    try:
        if use_tf:
            names_file = workdir / "names.json"
            names_file.write_text(json.dumps(names))
            worker = TFWorker(args, size_bytes, names_file)

        def vs_read(prefix: str) -> None:
            with BundleReader(prefix) as reader:
                for name in names:
                    reader.get_tensor(name)

        # name -> (prefix it writes or reads, runner returning seconds)
        writes: dict[str, tuple[str, Callable[[], float]]] = {
            "varscope_write": (vs_prefix, lambda: timed(lambda: write_bundle(vs_prefix, tensors))),
        }
        if worker is not None:
            writes["tf_savev2_write"] = (tf_prefix, lambda: worker.time("save", tf_prefix))
        reads: dict[str, tuple[str, Callable[[], float]]] = {
            "varscope_read": (vs_prefix, lambda: timed(lambda: vs_read(vs_prefix))),
        }
        if worker is not None:
            reads["tf_load_checkpoint_read"] = (tf_prefix, lambda: worker.time("load", tf_prefix))
            reads["tf_restorev2_read"] = (tf_prefix, lambda: worker.time("restore", tf_prefix))
            reads["tf_reads_varscope"] = (vs_prefix, lambda: worker.time("load", vs_prefix))
            reads["varscope_reads_tf"] = (tf_prefix, lambda: timed(lambda: vs_read(tf_prefix)))

        def run(ops: dict[str, tuple[str, Callable[[], float]]], before: Callable[[str], None]) -> None:
            order = list(ops)
            for label in order:
                times[label] = []
            for rep in range(args.reps + 1):  # rep 0: untimed warm-up
                for label in order if rep % 2 == 0 else order[::-1]:
                    prefix, fn = ops[label]
                    before(prefix)
                    seconds = fn()
                    if rep:
                        times[label].append(seconds)

        def before_write(prefix: str) -> None:
            remove_checkpoint(prefix)
            os.sync()

        run(writes, before_write)
        run(reads, drop_cache if args.cold else lambda prefix: None)

        identical = None
        if worker is not None:
            identical = all(same_files(f"{vs_prefix}{s}", f"{tf_prefix}{s}")
                            for s in (".index", ".data-00000-of-00001"))
    finally:
        if worker is not None:
            worker.close()
        if not args.dir:
            shutil.rmtree(workdir, ignore_errors=True)

    gb = total / 1e9
    best = {label: min(ts) for label, ts in times.items()}
    print(f"{len(names)} float32 tensors, {gb:.2f} GB, CPU count {os.cpu_count()}, best of {args.reps} "
          f"interleaved reps (+1 warm-up), {'cold' if args.cold else 'warm'} page cache for reads")
    if identical is not None:
        print(f"varscope and TF files (.index and .data) byte-identical: {identical}")
    print(f"{'operation':26s} {'best s':>8s} {'GB/s':>7s} {'median s':>9s} {'GB/s':>7s}")
    for label, ts in times.items():
        med = statistics.median(ts)
        print(f"{label:26s} {best[label]:8.3f} {gb / best[label]:7.2f} {med:9.3f} {gb / med:7.2f}")
    if "tf_savev2_write" in best:
        print(f"write speed-up vs SaveV2:                   {best['tf_savev2_write'] / best['varscope_write']:.2f}x")
        print(f"read  speed-up vs tf.train.load_checkpoint: "
              f"{best['tf_load_checkpoint_read'] / best['varscope_read']:.2f}x")
        print(f"read  speed-up vs RestoreV2:                {best['tf_restorev2_read'] / best['varscope_read']:.2f}x")
    if args.json:
        Path(args.json).write_text(json.dumps({"tensors": len(names), "bytes": total, "reps": args.reps,
                                               "cold": args.cold, "identical": identical, "times": times},
                                              indent=1))


if __name__ == "__main__":
    main()
