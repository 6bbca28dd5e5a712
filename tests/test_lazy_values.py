"""Lazy initial values: large variables made by built-in initializers compute their value on first read.

Restoring a checkpoint replaces the pending value without computing it (TF graph mode never runs the
initializers of restored variables); reading computes exactly what creation would have computed.
"""

from __future__ import annotations

import threading
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import varscope as tf1
from varscope import _random
from varscope._store import LAZY_MIN_ELEMENTS
from varscope.checkpoint import write_bundle
from varscope.initializers import GlorotUniform, RandomNormal
from varscope.partitioners import PartitionInfo
from varscope.train import Saver, init_from_checkpoint, load_variables

BIG = [512, 256]  # 131072 elements: deferred
assert BIG[0] * BIG[1] >= LAZY_MIN_ELEMENTS


def expected(init: Any, shape: list[int], key: str, seed: int | None = None, **kwargs: Any) -> np.ndarray:
    """What the initializer gives for variable ``key``, computed directly under its creation key."""
    with _random.creation_key(seed, key):
        return np.asarray(init(shape, dtype=tf1.float32, **kwargs))


def peak_bytes(fn: Callable[[], Any]) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_large_variable_is_pending_until_read_then_holds_the_value_creation_would_compute() -> None:
    with tf1.Graph().as_default() as g:
        tf1.set_random_seed(3)
        with tf1.variable_scope("dense"):
            w = tf1.get_variable("w", BIG)
            small = tf1.get_variable("b", [16])
        assert w._is_pending() and not small._is_pending()
        assert w.shape.as_list() == BIG and w.dtype.base_dtype == tf1.float32
        value = w.numpy()
        assert not w._is_pending()
        np.testing.assert_array_equal(value, expected(GlorotUniform(), BIG, "dense/w", seed=3))
        assert w.value() is w.value()  # computed once
        assert g.get_collection("trainable_variables") == [w, small]
    with tf1.Graph().as_default():  # another graph, same seed and name: the same values
        tf1.set_random_seed(3)
        with tf1.variable_scope("dense"):
            np.testing.assert_array_equal(tf1.get_variable("w", BIG).numpy(), value)


def test_the_key_and_seed_are_those_at_creation() -> None:
    with tf1.Graph().as_default():
        tf1.set_random_seed(1)
        v = tf1.get_variable("v", BIG, initializer=tf1.random_normal_initializer(stddev=2.0))
        tf1.set_random_seed(2)  # after creation: no effect on v
        np.testing.assert_array_equal(v.numpy(), expected(RandomNormal(stddev=2.0), BIG, "v", seed=1))


def test_restore_replaces_pending_values_without_computing_them(tmp_path: Path) -> None:
    prefix = str(tmp_path / "model.ckpt")
    saved = np.arange(1024 * 1024, dtype=np.float32).reshape(1024, 1024)
    write_bundle(prefix, {"w": saved})
    restored: list[Any] = []

    def build_and_restore() -> None:
        with tf1.Graph().as_default():
            v = tf1.get_variable("w", [1024, 1024])  # glorot-uniform: 8 MB of float64 draws if computed
            Saver().restore(None, prefix)
            restored.append(v)

    # Only the 4 MB read is allocated: the initializer (12 MB of draws and casts) never runs.
    assert peak_bytes(build_and_restore) < 5 << 20
    np.testing.assert_array_equal(restored[0].numpy(), saved)


@pytest.mark.parametrize("how", ["init_from_checkpoint", "load_variables"])
def test_other_loading_paths_do_not_compute_initializers(tmp_path: Path, how: str) -> None:
    prefix = str(tmp_path / "model.ckpt")
    saved = np.full((1024, 1024), 2.0, np.float32)
    write_bundle(prefix, {"w": saved})
    restored: list[Any] = []

    def build_and_load() -> None:
        with tf1.Graph().as_default():
            v = tf1.get_variable("w", [1024, 1024])
            if how == "init_from_checkpoint":
                init_from_checkpoint(prefix, {"/": "/"})
            else:
                load_variables(prefix)
            restored.append(v)

    assert peak_bytes(build_and_load) < 5 << 20
    np.testing.assert_array_equal(restored[0].numpy(), saved)


def test_assign_before_the_first_read_replaces_the_pending_value() -> None:
    with tf1.Graph().as_default():
        v = tf1.get_variable("v", BIG, initializer=tf1.zeros_initializer())
        assert v._is_pending()
        v.assign(np.ones(BIG, np.float32))
        assert not v._is_pending() and v.numpy().sum() == BIG[0] * BIG[1]


def test_two_threads_reading_first_at_once_compute_the_value_once() -> None:
    for trial in range(20):
        with tf1.Graph().as_default():
            v = tf1.get_variable(f"v{trial}", BIG)
        barrier = threading.Barrier(2)
        seen: list[Any] = [None, None]

        def read(i: int) -> None:
            barrier.wait()
            seen[i] = v.value()

        threads = [threading.Thread(target=read, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert seen[0] is seen[1]  # one array: a second computation would have replaced it
        np.testing.assert_array_equal(seen[0], expected(GlorotUniform(), BIG, f"v{trial}"))


def test_initializer_errors_are_raised_at_creation_as_before() -> None:
    with tf1.Graph().as_default() as g:
        with pytest.raises(ValueError, match="Must specify maxval for integer dtype"):
            tf1.get_variable("i", BIG, dtype=tf1.int32, initializer=tf1.random_uniform_initializer())
        with pytest.raises(ValueError, match="Need minval < maxval, got 5 >= 2"):
            tf1.get_variable("j", BIG, dtype=tf1.int32, initializer=tf1.random_uniform_initializer(5, 2))
        with pytest.raises(TypeError, match="Expected int32"):
            tf1.get_variable("k", BIG, dtype=tf1.int32, initializer=tf1.random_uniform_initializer(0.5, 2))
        assert g.get_collection("variables") == []  # nothing half-made
        tf1.get_variable("i", BIG, dtype=tf1.int32, initializer=tf1.random_uniform_initializer(0, 9))


def test_an_error_on_the_first_read_names_the_variable_and_leaves_it_pending() -> None:
    with tf1.Graph().as_default():
        with tf1.variable_scope("huge"):
            v = tf1.get_variable("w", [1 << 31, 1 << 31])  # 16 EiB: cannot be computed
        for _ in range(2):
            with pytest.raises((MemoryError, ValueError)) as info:
                v.numpy()
            assert any("variable huge/w" in note for note in getattr(info.value, "__notes__", []))
            assert v._is_pending()


def test_partitioned_shards_are_pending_and_compute_their_own_slice_values(tmp_path: Path) -> None:
    full = [1024, 128]
    with tf1.Graph().as_default():
        emb = tf1.get_variable("emb", full, partitioner=tf1.fixed_size_partitioner(2))
        shards = emb._get_variable_list()
        assert all(s._is_pending() for s in shards)
        info = PartitionInfo(full_shape=full, var_offset=[512, 0])
        np.testing.assert_array_equal(shards[1].numpy(),
                                      expected(GlorotUniform(), [512, 128], "emb/part_1", partition_info=info))
        saved = np.arange(1024 * 128, dtype=np.float32).reshape(full)
        prefix = str(tmp_path / "model.ckpt")
        shards[1].assign(saved[512:])
        shards[0].assign(saved[:512])
        Saver().save(None, prefix, write_state=False)
    with tf1.Graph().as_default():
        emb = tf1.get_variable("emb", full, partitioner=tf1.fixed_size_partitioner(2))
        Saver().restore(None, prefix)
        np.testing.assert_array_equal(np.concatenate([s.numpy() for s in emb._get_variable_list()]), saved)


def test_custom_getters_see_and_return_lazy_variables(tmp_path: Path) -> None:
    calls: list[str] = []

    def wrap(getter: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(name)
        return getter(name, *args, **kwargs)

    prefix = str(tmp_path / "model.ckpt")
    write_bundle(prefix, {"s/w": np.full(BIG, 3.0, np.float32)})
    with tf1.Graph().as_default():
        with tf1.variable_scope("s", custom_getter=wrap):
            w = tf1.get_variable("w", BIG)
        assert calls == ["s/w"] and w._is_pending()
        Saver().restore(None, prefix)
        assert w.numpy().min() == 3.0


def test_small_variables_and_other_initializers_are_computed_at_creation() -> None:
    class Doubled(GlorotUniform):  # a subclass may do anything: computed at creation
        def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> np.ndarray:
            return 2 * super().__call__(shape, dtype, partition_info)

    with tf1.Graph().as_default():
        assert not tf1.get_variable("small", [255, 256])._is_pending()
        assert not tf1.get_variable("sub", BIG, initializer=Doubled())._is_pending()
        assert not tf1.get_variable("list", [4, 16384], initializer=tf1.constant_initializer([1.0, 2.0]))._is_pending()
        assert not tf1.get_variable("orth", BIG, initializer=tf1.orthogonal_initializer())._is_pending()
        assert not tf1.get_variable("value", initializer=np.zeros(BIG, np.float32))._is_pending()
        assert tf1.get_variable("fill", BIG, initializer=tf1.constant_initializer(7.0))._is_pending()


def test_initial_value_is_the_initializers_even_after_a_restore(tmp_path: Path) -> None:
    prefix = str(tmp_path / "model.ckpt")
    write_bundle(prefix, {"w": np.ones(BIG, np.float32)})
    with tf1.Graph().as_default():
        w = tf1.get_variable("w", BIG)
        v = tf1.get_variable("v", BIG)
        Saver(var_list=[w]).restore(None, prefix)
        assert w.numpy().min() == 1.0
        np.testing.assert_array_equal(w.initial_value, expected(GlorotUniform(), BIG, "w"))  # computed on demand
        assert w.numpy().min() == 1.0  # the restored value stays
        assert v.initial_value is v.value()  # not read yet: one computation serves both
