"""A lower bound for ``bench_scoping.py``: the bench's workload done with the least pure-Python work that
TensorFlow's rules need, written flat, with no checks and no library structure.

It is not a library and not a design: it keeps only what a scope entry and a ``get_variable`` must do
whatever the code looks like (validate the scope name, number it in a shared names-in-use table under a
lock, make the new ``VariableScope`` object with its inherited defaults, count the opening, resolve the
request into one spec tuple, switch to the root name scope, look the variable up under the store's lock,
compare shapes; on exit, count the closing and restore both scopes). Creation adds the names TF marks for
a variable's ops (``w``, ``Initializer``, ``Assign``, ``read``), a variable object and two collection
appends, and the floor's own initial value.

What it shows (``python benchmarks/bench_scoping.py --bound``): whether a ratio target is within reach of
pure Python on the machine at hand. If this bound is itself above a target, no honest implementation of
the one path can meet it without caches or skipped rules.
"""

from __future__ import annotations

import gc
import math
import re
import threading
import time
from typing import Any, NamedTuple

import numpy as np

from varscope import _random

_VALID = re.compile(r"^[A-Za-z0-9_.\\/>-]*$")


class _Spec(NamedTuple):
    name: Any
    shape: Any = None
    dtype: Any = None
    initializer: Any = None
    regularizer: Any = None
    reuse: Any = None
    trainable: Any = None
    collections: Any = None
    caching_device: Any = None
    partitioner: Any = None
    validate_shape: Any = True
    use_resource: Any = None
    constraint: Any = None
    synchronization: Any = None
    aggregation: Any = None


class _Scope:
    def __init__(self, reuse: Any, name: str, initializer: Any = None, regularizer: Any = None,
                 caching_device: Any = None, partitioner: Any = None, custom_getter: Any = None,
                 name_scope: str = "", dtype: Any = "float32", use_resource: Any = None, constraint: Any = None):
        self.reuse, self.name, self.initializer, self.regularizer = reuse, name, initializer, regularizer
        self.caching_device, self.partitioner, self.custom_getter = caching_device, partitioner, custom_getter
        self.name_scope, self.dtype, self.use_resource, self.constraint = name_scope, dtype, use_resource, constraint


class _Thread(threading.local):
    def __init__(self) -> None:
        self.name_stack = ""
        self.scope = _Scope(False, "")
        self.opened: dict[str, int] = {}
        self.closed: dict[str, int] = {}
        self.tick = 0


class _Var:
    __slots__ = ("name", "dims", "value", "dtype", "trainable")


class Bound:
    """One graph's tables and its thread's scopes, with ``variable_scope`` and ``get_variable``."""

    def __init__(self) -> None:
        self.thread = _Thread()
        self.names: dict[str, int] = {}
        self.names_lock = threading.Lock()
        self.vars: dict[str, _Var] = {}
        self.lock = threading.RLock()
        self.collections: dict[str, list[_Var]] = {"variables": [], "trainable_variables": []}

    def _unique(self, name: str) -> str:
        key = name.lower()
        with self.names_lock:
            i = self.names.get(key, 0)
            self.names[key] = i + 1
        return name if i == 0 else f"{name}_{i}"

    def variable_scope(self, name: str, reuse: Any = None) -> _Entry:
        return _Entry(self, name, reuse)

    def get_variable(self, name: str, shape: Any = None, dtype: Any = None, initializer: Any = None) -> _Var:
        spec = _Spec(name, shape, dtype, initializer)
        t = self.thread
        scope = t.scope
        full = scope.name + "/" + name if scope.name else name
        stack, t.name_stack = t.name_stack, ""
        try:
            resolved = _Spec(full, spec.shape, spec.dtype or scope.dtype, spec.initializer or scope.initializer,
                             scope.regularizer, scope.reuse, True)
            dims = tuple([d for d in resolved.shape])
            with self.lock:
                found = self.vars.get(full)
                if found is not None:
                    if found.dims != dims:
                        raise ValueError(full)
                    return found
                return self._create(full, dims)
        finally:
            t.name_stack = stack

    def _create(self, full: str, dims: tuple[int, ...]) -> _Var:
        op = self._unique(full)
        self._unique(op + "/Initializer")
        var = _Var()
        var.name, var.dims, var.dtype, var.trainable = op + ":0", dims, "float32", True
        var.value = _glorot(full, dims)
        self._unique(op + "/Assign")
        self._unique(op + "/read")
        self.vars[full] = var
        self.collections["variables"].append(var)
        self.collections["trainable_variables"].append(var)
        return var


class _Entry:
    def __init__(self, bound: Bound, name: str, reuse: Any) -> None:
        self.bound, self.name, self.reuse = bound, name, reuse

    def __enter__(self) -> _Scope:
        b, name = self.bound, self.name
        t = b.thread
        old = self.old_stack = t.name_stack
        if not _VALID.match(name):
            raise ValueError(name)
        t.name_stack = b._unique(old + "/" + name if old else name)
        parent = self.old_scope = t.scope
        full = parent.name + "/" + name if parent.name else name
        t.scope = new = _Scope(self.reuse or parent.reuse, full, parent.initializer, parent.regularizer,
                               parent.caching_device, parent.partitioner, parent.custom_getter,
                               t.name_stack + "/", parent.dtype, parent.use_resource)
        t.tick += 1
        t.opened[full] = t.tick
        return new

    def __exit__(self, *exc: object) -> None:
        t = self.bound.thread
        t.tick += 1
        t.closed[t.scope.name] = t.tick
        t.scope, t.name_stack = self.old_scope, self.old_stack


def _glorot(name: str, dims: tuple[int, ...]) -> np.ndarray:
    limit = math.sqrt(6.0 / (dims[0] + dims[0]))  # (a [64] vector: fan_in = fan_out = 64, as the floor)
    gen = _random.generator_for(0, name)
    return (gen.random(list(dims)) * (2 * limit) - limit).astype(np.float32)


def create_bound(n: int, blocks: int) -> tuple[float, Bound]:
    per_block = n // blocks
    b = Bound()
    gc.disable()
    start = time.perf_counter()
    with b.variable_scope("model"):
        for i in range(blocks):
            with b.variable_scope(f"block_{i}"):
                for layer in range(per_block):
                    with b.variable_scope(f"layer_{layer}"):
                        b.get_variable("w", [64])
    elapsed = time.perf_counter() - start
    gc.enable()
    return elapsed, b


def reuse_bound(n: int, blocks: int, b: Bound) -> float:
    per_block = n // blocks
    gc.disable()
    start = time.perf_counter()
    with b.variable_scope("model", reuse=True):
        for i in range(blocks):
            with b.variable_scope(f"block_{i}"):
                for layer in range(per_block):
                    with b.variable_scope(f"layer_{layer}"):
                        b.get_variable("w", [64])
    elapsed = time.perf_counter() - start
    gc.enable()
    return elapsed
