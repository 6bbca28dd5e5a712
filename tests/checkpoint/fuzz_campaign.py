"""A bigger fuzz campaign than the test suite runs: mutated checkpoints, bounded memory, counted outcomes.

    PYTHONPATH=src .venv/bin/python -m tests.checkpoint.fuzz_campaign --runs 5000 --seed 1

Runs in a child process under ``resource.setrlimit(RLIMIT_AS)`` (default 4 GiB) with every
case traced by ``tracemalloc``; prints runs / read cleanly / clean errors (``CheckpointError``
naming its file) / other outcomes (anything else: other exceptions, unnamed errors, a traced
peak over ``--alloc-limit``, a case slower than ``--slow``), with one example of each other.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from varscope.checkpoint import CheckpointError

from .fuzzing import check_names_file, exercise, make_case


class Hang(Exception):
    """A case ran past the alarm (e.g. blocked opening a FIFO)."""


def _alarm(signum: int, frame: object) -> None:
    raise Hang("no result after 10 s")


def campaign(runs: int, seed: int, alloc_limit: int, slow: float) -> dict[str, object]:
    signal.signal(signal.SIGALRM, _alarm)
    counts: collections.Counter[str] = collections.Counter()
    examples: dict[str, str] = {}
    peak_max = 0
    start = time.perf_counter()
    for run in range(runs):
        rng = random.Random(seed * 1_000_003 + run)
        with tempfile.TemporaryDirectory() as tmp:
            prefix, what = make_case(Path(tmp), rng)
            tracemalloc.start()
            t0 = time.perf_counter()
            outcome = "ok"
            signal.alarm(10)
            try:
                exercise(prefix, rng)
            except CheckpointError as err:
                try:
                    check_names_file(err)
                    outcome = "clean error"
                except AssertionError:
                    outcome = "other: unnamed CheckpointError"
                    examples.setdefault(outcome, f"{what}: {err}")
            except AssertionError as err:  # an unnamed error for one tensor (exercise checks)
                outcome = "other: unnamed CheckpointError"
                examples.setdefault(outcome, f"{what}: {err}")
            except Exception as err:  # noqa: BLE001 - counted and reported
                outcome = f"other: {type(err).__name__}"
                examples.setdefault(outcome, f"{what}: {str(err)[:300]}")
            finally:
                signal.alarm(0)
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
            seconds = time.perf_counter() - t0
            peak_max = max(peak_max, peak)
            if peak > alloc_limit:
                examples.setdefault("other: large allocation", f"{what}: {peak} bytes")
                outcome = "other: large allocation"
            elif seconds > slow:
                examples.setdefault("other: slow", f"{what}: {seconds:.2f} s")
                outcome = "other: slow"
            counts[outcome] += 1
    return {"runs": runs, "seed": seed, "seconds": round(time.perf_counter() - start, 1),
            "peak_traced_bytes": peak_max, "counts": dict(counts), "examples": examples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--memory-limit", type=int, default=4 << 30, help="RLIMIT_AS of the child, bytes")
    parser.add_argument("--alloc-limit", type=int, default=64 << 20, help="largest traced peak allowed per case")
    parser.add_argument("--slow", type=float, default=2.0, help="seconds after which a case counts as slow")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        resource.setrlimit(resource.RLIMIT_AS, (args.memory_limit, args.memory_limit))
        print(json.dumps(campaign(args.runs, args.seed, args.alloc_limit, args.slow)))
        return
    cmd = [sys.executable, "-m", "tests.checkpoint.fuzz_campaign", "--child", *sys.argv[1:]]
    out = subprocess.run(cmd, capture_output=True, text=True, env=os.environ)
    if out.returncode:
        print(out.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"campaign child died with {out.returncode}")
    result = json.loads(out.stdout.splitlines()[-1])
    counts = result["counts"]
    clean = counts.get("ok", 0) + counts.get("clean error", 0)
    print(f"{result['runs']} runs (seed {result['seed']}, {result['seconds']} s, largest traced peak "
          f"{result['peak_traced_bytes']} bytes): {counts.get('ok', 0)} read cleanly, "
          f"{counts.get('clean error', 0)} clean CheckpointErrors, {result['runs'] - clean} other")
    for outcome, n in sorted(counts.items()):
        print(f"  {outcome}: {n}")
    for outcome, example in result["examples"].items():
        print(f"  e.g. {outcome}: {example}")


if __name__ == "__main__":
    main()
