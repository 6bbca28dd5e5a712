"""Deterministic random numbers keyed by name: the random half of the backend seam.

Every initial value is drawn from a NumPy generator whose state is a hash of
``(graph seed, variable name, op seed)``. The same seed and name give the same values whatever the
creation order or thread, and whatever backend later holds the array (NumPy, JAX and PyTorch
variables start from identical values).

While the variable store builds a variable it sets the *creation key* (:func:`creation_key`);
initializers ask :func:`generator` for a generator and get one seeded from that key. Outside of
variable creation, calls are keyed by a per-thread counter, so they are reproducible per thread.

Example:
    >>> from varscope import _random
    >>> with _random.creation_key(0, "dense/w"):
    ...     a = _random.generator(None).random(3)
    >>> with _random.creation_key(0, "dense/w"):
    ...     b = _random.generator(None).random(3)
    >>> bool((a == b).all())
    True
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

__all__ = ["creation_key", "generator", "generator_for", "key_for", "set_key", "reset_key"]


class _Local(threading.local):
    def __init__(self) -> None:
        self.key: tuple[int, str] | None = None
        self.counter = 0
        self.gen = np.random.Generator(np.random.PCG64(0))


_local = _Local()
_MASK128 = (1 << 128) - 1


def key_for(graph_seed: int | None, name: str, op_seed: int | None = None) -> int:
    """The 128-bit generator state for a graph seed, a variable name and an op seed.

    As in TensorFlow, an explicit op seed makes the values depend on the seeds alone: two variables
    whose initializers share a seed start equal. Without one, the name keys the values.
    """
    if op_seed is not None:
        name = ""
    text = f"{graph_seed if graph_seed is not None else 0}\x00{op_seed if op_seed is not None else 0}\x00{name}"
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest(), "little")


@contextmanager
def creation_key(graph_seed: int | None, name: str) -> Iterator[None]:
    """Key the generators handed out inside the block by ``graph_seed`` and ``name``."""
    old = _local.key
    _local.key = (graph_seed if graph_seed is not None else 0, name)
    try:
        yield
    finally:
        _local.key = old


def set_key(graph_seed: int | None, name: str) -> tuple[int, str] | None:
    """Fast form of :func:`creation_key`: set the key and return the old one for :func:`reset_key`."""
    local = _local
    old = local.key
    local.key = (graph_seed if graph_seed is not None else 0, name)
    return old


def reset_key(old: tuple[int, str] | None) -> None:
    """Restore the key returned by :func:`set_key`."""
    _local.key = old


def generator(op_seed: int | None) -> np.random.Generator:
    """A NumPy generator seeded for the variable being created (or the thread's next call).

    The returned generator is this thread's own and is reseeded on the next call: draw everything
    needed before asking again.
    """
    local = _local
    if local.key is not None:
        graph_seed, name = local.key
    else:
        local.counter += 1
        graph_seed, name = 0, f"\x01unnamed:{local.counter}"
    return generator_for(graph_seed, name, op_seed)


def generator_for(graph_seed: int | None, name: str, op_seed: int | None = None) -> np.random.Generator:
    """This thread's generator, reseeded from ``(graph_seed, name, op_seed)``."""
    state = key_for(graph_seed, name, op_seed)
    gen = _local.gen
    gen.bit_generator.state = {
        "bit_generator": "PCG64",
        "state": {"state": state & _MASK128, "inc": ((state >> 64) | 1) & _MASK128},
        "has_uint32": 0,
        "uinteger": 0,
    }
    return gen
