"""create_partitioned_variables (spec §10.3, §15).

Expected values were observed on TensorFlow 2.21 in graph mode (``tf1.disable_eager_execution()``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import varscope as tf1
from varscope.partitioned_variables import create_partitioned_variables

ZEROS = tf1.zeros_initializer()


@pytest.fixture(autouse=True)
def graph() -> Iterator[tf1.Graph]:
    g = tf1.Graph(eager=False)
    with g.as_default():
        yield g


def names(variables: list[Any]) -> list[str]:
    return [v.name for v in variables]


def shapes(variables: list[Any]) -> list[list[int]]:
    return [v.get_shape().as_list() for v in variables]


def test_exported_at_top_level() -> None:
    assert tf1.create_partitioned_variables is create_partitioned_variables


def test_names_under_variable_scope() -> None:
    with tf1.variable_scope("hi"):
        p1 = tf1.create_partitioned_variables([10, 43], [1, 3], ZEROS)
        p2 = tf1.create_partitioned_variables([10, 43], [1, 3], ZEROS)
        p3 = tf1.create_partitioned_variables([10, 43], [4, 1], ZEROS, name="named")
    assert names(p1) == ["hi/PartitionedVariable/part_0:0", "hi/PartitionedVariable/part_1:0",
                         "hi/PartitionedVariable/part_2:0"]
    assert shapes(p1) == [[10, 15], [10, 14], [10, 14]]
    assert names(p2) == ["hi/PartitionedVariable_1/part_0:0", "hi/PartitionedVariable_1/part_1:0",
                         "hi/PartitionedVariable_1/part_2:0"]
    assert names(p3) == ["hi/named/part_0:0", "hi/named/part_1:0", "hi/named/part_2:0", "hi/named/part_3:0"]
    assert shapes(p3) == [[3, 43], [3, 43], [2, 43], [2, 43]]
    assert len(tf1.global_variables()) == 10
    assert tf1.trainable_variables() == tf1.global_variables()


def test_name_scope_has_no_effect() -> None:
    with tf1.name_scope("ola"):
        p4 = tf1.create_partitioned_variables([4], [2], ZEROS)
        p5 = tf1.create_partitioned_variables([4], [2], ZEROS)
    assert names(p4) == ["PartitionedVariable/part_0:0", "PartitionedVariable/part_1:0"]
    assert names(p5) == ["PartitionedVariable_1/part_0:0", "PartitionedVariable_1/part_1:0"]


def test_reuse_through_captured_and_named_scope() -> None:
    with tf1.variable_scope("vs") as vs:
        q = tf1.create_partitioned_variables([4], [2], ZEROS)
    with tf1.variable_scope(vs, reuse=True):
        q2 = tf1.create_partitioned_variables([4], [2], ZEROS)
    with tf1.variable_scope("vs", reuse=True):
        q3 = tf1.create_partitioned_variables([4], [2], ZEROS, name="PartitionedVariable")
    assert names(q) == ["vs/PartitionedVariable/part_0:0", "vs/PartitionedVariable/part_1:0"]
    assert all(a is b for a, b in zip(q, q2)) and all(a is b for a, b in zip(q, q3))
    assert len(q2) == len(q3) == 2


def test_reuse_argument() -> None:
    a = tf1.create_partitioned_variables([4], [2], ZEROS, name="named")
    b = tf1.create_partitioned_variables([4], [2], ZEROS, name="named", reuse=True)
    assert a == b and isinstance(a, list)


def test_returns_list_of_shards() -> None:
    parts = tf1.create_partitioned_variables([4, 2], [1, 1], ZEROS)
    assert type(parts) is list and names(parts) == ["PartitionedVariable/part_0:0"]


def test_shape_slicing_length_mismatch() -> None:
    with pytest.raises(ValueError) as info:
        tf1.create_partitioned_variables([10, 43], [2], ZEROS)
    assert str(info.value) == ("The 'shape' and 'slicing' of a partitioned Variable must have the length: "
                               "shape: [10, 43], slicing: [2]")


def test_rank_zero() -> None:
    with pytest.raises(ValueError) as info:
        tf1.create_partitioned_variables([], [], ZEROS)
    assert str(info.value) == "A partitioned Variable must have rank at least 1: shape: []"


def test_tuple_arguments_in_messages() -> None:
    with pytest.raises(ValueError) as info:
        tf1.create_partitioned_variables((3, 4), (1,), ZEROS)
    assert str(info.value).endswith("shape: (3, 4), slicing: (1,)")


def test_too_many_slices_offset_error() -> None:
    with pytest.raises(ValueError) as info:
        tf1.create_partitioned_variables([10, 43], [11, 1], ZEROS)
    assert str(info.value) == ("Expected 0 <= offset < shape but found offset=10, shape=10 for "
                               "var_offset=[10, 0], full_shape=[10, 43]")


def test_two_sliced_axes() -> None:
    with pytest.raises(ValueError) as info:
        tf1.create_partitioned_variables([10, 43], [2, 2], ZEROS)
    assert str(info.value) == "Can only slice a variable along one dimension: shape: (10, 43), partitioning: [2, 2]"


def test_shape_not_fully_defined() -> None:
    with pytest.raises(ValueError) as info:
        tf1.create_partitioned_variables([None, 2], [2, 1], ZEROS)
    assert str(info.value) == "Shape of a new partitioned variable must be fully defined, but instead was (None, 2)."


def test_invalid_reuse() -> None:
    with pytest.raises(ValueError, match=r"^The reuse parameter must be True or False or None\.$"):
        tf1.create_partitioned_variables([4], [2], ZEROS, reuse="yes")


def test_tensor_initializer_is_sliced() -> None:
    init = np.arange(12, dtype=np.float32).reshape(6, 2)
    parts = tf1.create_partitioned_variables([6, 2], [4, 1], tf1.constant(init))
    assert shapes(parts) == [[2, 2], [2, 2], [1, 2], [1, 2]]
    assert [v.dtype.base_dtype for v in parts] == [tf1.float32] * 4
    np.testing.assert_array_equal(np.concatenate([v.numpy() for v in parts]), init)


def test_dtype_trainable_collections() -> None:
    parts = tf1.create_partitioned_variables([4, 2], [1, 2], ZEROS, dtype=tf1.int64, trainable=False,
                                             collections=["mine"])
    assert names(parts) == ["PartitionedVariable/part_0:0", "PartitionedVariable/part_1:0"]
    assert shapes(parts) == [[4, 1], [4, 1]]
    assert [v.dtype.base_dtype for v in parts] == [tf1.int64] * 2
    assert tf1.get_collection("mine") == parts
    assert tf1.trainable_variables() == [] and tf1.global_variables() == []


def test_initializer_gets_partition_info() -> None:
    calls: list[tuple[list[int], list[int], list[int]]] = []

    def init(shape: Any, dtype: Any = None, partition_info: Any = None) -> Any:
        calls.append((list(shape), partition_info.full_shape, partition_info.var_offset))
        return np.zeros(shape, np.float32)

    tf1.create_partitioned_variables((7, 2), (3, 1), init)
    assert calls == [([3, 2], [7, 2], [0, 0]), ([2, 2], [7, 2], [3, 0]), ([2, 2], [7, 2], [5, 0])]


def test_custom_getter_scope_rejected() -> None:
    def getter(getter: Any, *args: Any, **kwargs: Any) -> Any:
        return getter(*args, **kwargs)

    with tf1.variable_scope("cg", custom_getter=getter):
        with pytest.raises(ValueError) as info:
            tf1.create_partitioned_variables([4], [2], ZEROS)
    assert str(info.value) == (
        f"Private access to _get_partitioned_variable is not allowed when a custom getter is set.  Current custom "
        f"getter: {getter}.  It is likely that you're using create_partitioned_variables.  If so, consider instead "
        "using get_variable with a non-empty partitioner parameter instead.")


def test_already_exists() -> None:
    tf1.create_partitioned_variables([4], [2], ZEROS, name="x")
    with pytest.raises(ValueError) as info:
        tf1.create_partitioned_variables([4], [2], ZEROS, name="x")
    assert str(info.value) == ("Partitioned variable with name x already exists. Did you mean to set reuse=True or "
                               "reuse=tf.AUTO_REUSE in VarScope?")


def test_reuse_with_other_partitions() -> None:
    tf1.create_partitioned_variables([4], [2], ZEROS, name="x")
    with pytest.raises(ValueError) as info:
        tf1.create_partitioned_variables([4], [4], ZEROS, name="x", reuse=True)
    assert str(info.value) == ("Trying to reuse partitioned variable x, but specified partitions [4] and found "
                               "partitions [2].")


def test_reuse_missing() -> None:
    with pytest.raises(ValueError) as info:
        tf1.create_partitioned_variables([4], [2], ZEROS, name="x", reuse=True)
    assert str(info.value) == ("PartitionedVariable x does not exist, or was not created with tf.get_variable(). "
                               "Did you mean to set reuse=False or reuse=tf.AUTO_REUSE in VarScope?")


def test_inherited_reuse_missing() -> None:
    with tf1.variable_scope("r", reuse=True):
        with pytest.raises(ValueError) as info:
            tf1.create_partitioned_variables([4], [2], ZEROS)
    assert str(info.value).startswith("PartitionedVariable r/PartitionedVariable does not exist")


def test_slicing_overrides_scope_partitioner() -> None:
    with tf1.variable_scope("r", partitioner=tf1.fixed_size_partitioner(4)):
        parts = tf1.create_partitioned_variables([8], [2], ZEROS)
    assert names(parts) == ["r/PartitionedVariable/part_0:0", "r/PartitionedVariable/part_1:0"]


def test_inside_template_is_reused() -> None:
    t = tf1.make_template("tpl", lambda: tf1.create_partitioned_variables([4], [2], ZEROS))
    first = t()
    assert names(first) == ["tpl/PartitionedVariable/part_0:0", "tpl/PartitionedVariable/part_1:0"]
    assert t() == first


def test_eager_graph_caches_partitioned_variable() -> None:
    with tf1.Graph(eager=True).as_default():
        a = tf1.create_partitioned_variables([4], [2], ZEROS, name="e")
        b = tf1.create_partitioned_variables([4], [2], ZEROS, name="e")
    assert names(a) == ["e/part_0:0", "e/part_1:0"]
    assert all(x is y for x, y in zip(a, b))
