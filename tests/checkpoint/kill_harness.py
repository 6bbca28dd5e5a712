"""Kills savers at random or at every step and checks the checkpoint left behind (run as a script).

    python tests/checkpoint/kill_harness.py random DIR --kills 30 --seed 0
    python tests/checkpoint/kill_harness.py steps DIR

One interpreter imports varscope once and forks a saver per kill, so each kill costs
milliseconds. ``random``: the forked child saves to the same prefix again and again (values
``k, k+1, ...``, each save consistent: every tensor holds its save's number; the Saver with
its state file, or ``write_bundle`` with 1 to 3 shards), and the parent sends it ``SIGKILL``
after a seeded random delay. ``steps``: the child dies (``os._exit``) just before its n-th
file-system call (link, rename, symlink, mkdir, remove, rmtree), for n = 1, 2, ... until a
save runs to the end. After every kill the checkpoint at the prefix must restore completely
and consistently, to the values of the save before or of one the child started, and a saver
started afterwards must remove what the dead one left. Prints one JSON line of counts.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sys
import time

import numpy as np


def _values(k: int) -> tuple[dict[str, np.ndarray], dict[str, list[tuple[tuple[int, ...], tuple[int, ...], np.ndarray]]]]:
    emb = np.full((64, 4), k, np.float32)
    tensors = {"a": np.full(20000, k, np.float32), "step": np.array(k, np.int64),
               "name": np.array([str(k).encode()] * 3, object)}
    slices = {"emb": [((64, 4), (16 * i, 0), emb[16 * i : 16 * i + 16]) for i in range(4)]}
    return tensors, slices


def _saver_and_vars() -> tuple[object, dict[str, object]]:
    import varscope as tf1
    from varscope.train import Saver

    graph = tf1.Graph()
    with graph.as_default():
        a = tf1.get_variable("a", [20000])
        step = tf1.get_variable("step", [], dtype=tf1.int64, initializer=tf1.zeros_initializer())
        emb = tf1.get_variable("emb", [64, 4], partitioner=tf1.fixed_size_partitioner(4))
        saver = Saver([a, step, *emb], max_to_keep=2)
    return saver, {"graph": graph, "a": a, "step": step, "emb": emb}


def _save(prefix: str, k: int, how: str, saver: object, variables: dict[str, object]) -> None:
    if how == "saver":
        variables["a"].assign(np.full(20000, k, np.float32))  # type: ignore[attr-defined]
        variables["step"].assign(np.array(k, np.int64))  # type: ignore[attr-defined]
        for i, part in enumerate(variables["emb"]):  # type: ignore[attr-defined]
            part.assign(np.full((16, 4), k, np.float32))
        saver.save(prefix)  # type: ignore[attr-defined]
    else:
        from varscope.checkpoint import write_bundle

        tensors, slices = _values(k)
        write_bundle(prefix, tensors, slices=slices, num_shards=1 + k % 3)


def _check(prefix: str, how: str, allowed: range, saver: object, variables: dict[str, object],
           state_optional: bool = False) -> int:
    """The number the checkpoint holds (every tensor must hold it); raises AssertionError otherwise."""
    from varscope.checkpoint import BundleReader

    with BundleReader(prefix) as reader:
        values = {name: reader.get_tensor(name) for name in reader.keys()}
    k = int(values["step"])
    assert k in allowed, f"step {k} not in {allowed}"
    assert np.all(values["a"] == k) and np.all(values["emb"] == k), f"mixed values around step {k}"
    if how == "writer":
        assert values["name"].tolist() == [str(k).encode()] * 3
    else:  # the Saver restores it too, and the state file names it
        saver.restore(prefix)  # type: ignore[attr-defined]
        assert float(variables["a"].numpy()[0]) == k  # type: ignore[attr-defined]
        from varscope.train import latest_checkpoint

        latest = latest_checkpoint(os.path.dirname(prefix))
        # a first save killed between its bundle and the state file leaves no state file yet
        assert latest == prefix or (state_optional and latest is None), latest
    return k


def _leftovers(directory: str, pid: int) -> list[str]:
    return sorted(n for n in os.listdir(directory) if f"-{pid}-" in n)


def _fork_saver(prefix: str, start: int, how: str, saver: object, variables: dict[str, object],
                die_at: int | None = None) -> int:
    pid = os.fork()
    if pid:
        return pid
    try:  # the child: never returns
        if die_at is not None:
            _die_at_step(die_at)
        k = start
        while True:
            with variables["graph"].as_default():  # type: ignore[attr-defined]
                _save(prefix, k, how, saver, variables)
            if die_at is not None:
                os._exit(0)  # the save ran to the end
            k += 1
    finally:
        os._exit(3)


def _die_at_step(n: int) -> None:
    calls = [0]

    def wrap(module: object, name: str) -> None:
        real = getattr(module, name)

        def dying(*args: object, **kwargs: object) -> object:
            calls[0] += 1
            if calls[0] >= n:
                os._exit(9)
            return real(*args, **kwargs)

        setattr(module, name, dying)

    for name in ("link", "replace", "rename", "symlink", "mkdir", "remove", "unlink"):
        wrap(os, name)
    wrap(shutil, "rmtree")


def _after_kill(prefix: str, how: str, pid: int, previous: int | None, base: int, saver: object,
                variables: dict[str, object], counts: dict[str, int]) -> int:
    """Checks the checkpoint a killed child left, then that the next save cleans up after it."""
    with variables["graph"].as_default():  # type: ignore[attr-defined]
        if previous is None and not os.path.exists(prefix + ".index"):
            k = None  # a first save to a new prefix was cut short: no checkpoint, as it should be
            counts["restored_previous"] += 1
        else:
            k = _check(prefix, how, range(base if previous is None else previous, base + 100000), saver, variables,
                       state_optional=previous is None)
            counts["restored_previous" if k == previous else "restored_new"] += 1
        left = _leftovers(os.path.dirname(prefix), pid)
        nxt = (k if k is not None else base) + 1
        _save(prefix, nxt, how, saver, variables)  # this process: the next save
        _check(prefix, how, range(nxt, nxt + 1), saver, variables)
    remaining = _leftovers(os.path.dirname(prefix), pid)
    assert not remaining, f"left by the dead writer after the next save: {remaining}"
    counts["cleaned_after"] += bool(left)
    return nxt


def _reset(prefix: str, how: str, scenario: str, saver: object, variables: dict[str, object]) -> int | None:
    """A directory with no checkpoint ("fresh"), a plain one ("convert") or an overwritten one ("flip")."""
    directory = os.path.dirname(prefix)
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    if scenario == "fresh":
        return None
    with variables["graph"].as_default():  # type: ignore[attr-defined]
        _save(prefix, 1, how, saver, variables)
        if scenario == "flip":
            _save(prefix, 2, how, saver, variables)
    return 1 if scenario == "convert" else 2


def main() -> None:
    mode, directory = sys.argv[1], sys.argv[2]
    kills = int(sys.argv[sys.argv.index("--kills") + 1]) if "--kills" in sys.argv else 30
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 0
    rng = random.Random(seed)
    saver, variables = _saver_and_vars()
    counts = {"kills": 0, "saves_finished": 0, "restored_previous": 0, "restored_new": 0, "cleaned_after": 0}
    prefixes = {how: os.path.join(directory, how, "model.ckpt") for how in ("saver", "writer")}
    start = time.perf_counter()
    if mode == "random":
        last: dict[str, int | None] = {how: _reset(p, how, "convert", saver, variables) for how, p in prefixes.items()}
        for i in range(kills):
            how = ("saver", "writer")[i % 2]
            base = (last[how] or 0) + 1000  # the child's saves hold base, base + 1, ...
            pid = _fork_saver(prefixes[how], base, how, saver, variables)
            # Delays log-uniform from 0.1 ms to 32 ms, so kills land on both sides of the switch whatever the
            # machine's speed (the first save publishes after about 2 ms on a fast one; uniform 0-10 ms left
            # 0-3 of 30 kills before it there, so the test's 'both sides hit' failed now and then).
            time.sleep(10 ** rng.uniform(-4, -1.5))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            counts["kills"] += 1
            last[how] = _after_kill(prefixes[how], how, pid, last[how], base, saver, variables, counts)
    else:
        for how, prefix in prefixes.items():
            for scenario in ("fresh", "convert", "flip"):
                n = 1
                while True:
                    previous = _reset(prefix, how, scenario, saver, variables)
                    base = 1000
                    pid = _fork_saver(prefix, base, how, saver, variables, die_at=n)
                    _, status = os.waitpid(pid, 0)
                    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
                    assert code in (0, 9), f"child exited with {code}"
                    counts["kills" if code == 9 else "saves_finished"] += 1
                    _after_kill(prefix, how, pid, previous, base, saver, variables, counts)
                    if code == 0:
                        break
                    n += 1
    counts["seconds"] = round(time.perf_counter() - start, 2)
    for prefix in prefixes.values():
        names = sorted(os.listdir(os.path.dirname(prefix)))
        assert len([n for n in names if ".gen-" in n]) <= 1 and not [n for n in names if ".tempstate" in n], names
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
