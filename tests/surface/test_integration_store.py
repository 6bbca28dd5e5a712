"""Initializers, regularizers and partitioning through the real get_variable (skipped if the core is absent)."""

from __future__ import annotations

import numpy as np
import pytest

tf1 = pytest.importorskip("varscope")
if not hasattr(tf1, "get_variable"):  # pragma: no cover - core not assembled yet
    pytest.skip("varscope.get_variable not available", allow_module_level=True)

from varscope import losses  # noqa: E402
from varscope.partitioned import PartitionedVariable  # noqa: E402


def test_partitioned_glorot_uses_full_shape_fans() -> None:
    with tf1.Graph().as_default():
        v = tf1.get_variable("v", [1000, 10], partitioner=tf1.fixed_size_partitioner(100))
        assert isinstance(v, PartitionedVariable) and len(v) == 100
        full = np.asarray(v.as_tensor())
        assert full.shape == (1000, 10) and full.dtype == np.float32
        limit = np.sqrt(3 / 505)  # fans of the full shape, not of a (10, 10) shard (limit 0.5477)
        assert np.abs(full).max() <= limit + 1e-7
        assert np.abs(full).max() > 0.95 * limit
        assert [s._get_save_slice_info().spec for s in list(v)[:2]] == ["1000 10 0,10:0,10", "1000 10 10,10:0,10"]


def test_partition_info_passed_to_initializer() -> None:
    seen = []

    def init(shape, dtype=None, partition_info=None):  # type: ignore[no-untyped-def]
        seen.append((shape, dtype.name, list(partition_info.full_shape), list(partition_info.var_offset)))
        return np.zeros(shape, np.float32)

    with tf1.Graph().as_default():
        tf1.get_variable("p", [7, 2], initializer=init, partitioner=tf1.fixed_size_partitioner(3))
    assert seen == [([3, 2], "float32", [7, 2], [0, 0]), ([2, 2], "float32", [7, 2], [3, 0]),
                    ([2, 2], "float32", [7, 2], [5, 0])]


def test_identity_initializer_partitioned() -> None:
    with tf1.Graph().as_default():
        v = tf1.get_variable("i", [4, 4], initializer=tf1.initializers.identity(),
                             partitioner=tf1.fixed_size_partitioner(2))
        np.testing.assert_array_equal(np.asarray(v.as_tensor()), np.eye(4, dtype=np.float32))


def test_regularization_losses_follow_assignments() -> None:
    with tf1.Graph().as_default():
        with tf1.variable_scope("foo", regularizer=tf1.regularizers.l2(0.5)):
            w = tf1.get_variable("w", [3], initializer=tf1.constant_initializer([1.0, 2.0, 3.0]))
            tf1.get_variable("n", [2], regularizer=tf1.no_regularizer)
        (loss,) = losses.get_regularization_losses()
        assert loss.name == "foo/w/Regularizer/l2_regularizer:0"
        assert float(losses.get_regularization_loss()) == pytest.approx(0.5 * 14 / 2)
        w.assign([0.0, 0.0, 2.0])
        assert float(losses.get_regularization_loss("foo")) == pytest.approx(1.0)
        assert losses.get_regularization_loss("bar") == 0.0


def test_per_shard_regularization_losses() -> None:
    with tf1.Graph().as_default():
        tf1.get_variable("v", [4, 2], initializer=tf1.ones_initializer(), regularizer=tf1.regularizers.l1(1.0),
                         partitioner=tf1.fixed_size_partitioner(2))
        names = [l.name for l in losses.get_regularization_losses()]
        assert names == ["v/part_0/Regularizer/l1_regularizer:0", "v/part_1/Regularizer/l1_regularizer:0"]
        assert float(losses.get_regularization_loss()) == 8.0


def test_seeded_initializers_reproducible_and_equal_across_names() -> None:
    """As in TF (recorded: surface::init_seeded_same_values), an explicit op seed fixes the values."""
    def make() -> tuple[np.ndarray, np.ndarray]:
        with tf1.Graph().as_default():
            tf1.set_random_seed(1)
            a = tf1.get_variable("a", [5], initializer=tf1.random_normal_initializer(seed=3))
            b = tf1.get_variable("b", [5], initializer=tf1.random_normal_initializer(seed=3))
            return a.numpy(), b.numpy()

    (a1, b1), (a2, b2) = make(), make()
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_array_equal(b1, b2)
    np.testing.assert_array_equal(a1, b1)


def test_constant_initializer_int_error_through_get_variable() -> None:
    with tf1.Graph().as_default():
        with tf1.variable_scope("a", initializer=tf1.constant_initializer(3.0)):
            with pytest.raises(TypeError) as info:
                tf1.get_variable("z", [1], dtype=tf1.int32)
    assert str(info.value) == "Expected int32, but got 3.0 of type 'float'."
