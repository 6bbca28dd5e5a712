"""``init_from_checkpoint``: TF's assignment_map rules, partitioned targets and TF's errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import varscope as tf1
from varscope.checkpoint import SliceData, write_bundle
from varscope.train import CheckpointMismatchError, Saver, init_from_checkpoint

V1 = np.arange(40, dtype=np.float32).reshape(20, 2)
V2 = np.arange(200, dtype=np.float32).reshape(50, 4) / 7
V3 = np.arange(100, dtype=np.float32).reshape(25, 4)


@pytest.fixture()
def ckpt(tmp_path: Path) -> str:
    prefix = str(tmp_path / "model.ckpt")
    write_bundle(prefix, {"old_scope_1/var1": V1, "old_scope_1/var2": V2, "root_var": np.float32(5)},
                 slices={"old_scope_2/var3": [SliceData((25, 4), (0, 0), V3[:13]),
                                              SliceData((25, 4), (13, 0), V3[13:])]})
    return prefix


def _new_model(var3_parts: int = 5) -> tuple[object, object, object]:
    with tf1.variable_scope("new_scope_1"):
        var1 = tf1.get_variable("var1", shape=[20, 2], initializer=tf1.zeros_initializer())
    with tf1.variable_scope("new_scope_2"):
        var2 = tf1.get_variable("var2", shape=[50, 4], initializer=tf1.zeros_initializer())
        var3 = tf1.get_variable("var3", shape=[25, 4], initializer=tf1.zeros_initializer(),
                                partitioner=lambda shape, dtype: [var3_parts, 1])
    return var1, var2, var3


def test_scope_to_scope(ckpt: str) -> None:
    with tf1.Graph().as_default():
        var1, var2, var3 = _new_model()
        with tf1.variable_scope("new_scope_1"):
            extra = tf1.get_variable("var2", shape=[50, 4])
        init_from_checkpoint(ckpt, {"old_scope_1/": "new_scope_1/"})
        np.testing.assert_array_equal(var1.numpy(), V1)
        np.testing.assert_array_equal(extra.numpy(), V2)
        assert not var2.numpy().any()


def test_names_and_variables(ckpt: str) -> None:
    with tf1.Graph().as_default():
        var1, var2, var3 = _new_model()
        init_from_checkpoint(ckpt, {"old_scope_1/var1": "new_scope_1/var1", "old_scope_1/var2": var2})
        np.testing.assert_array_equal(var1.numpy(), V1)
        np.testing.assert_array_equal(var2.numpy(), V2)


@pytest.mark.parametrize("form", ["name", "list", "partitioned_variable"])
def test_partitioned_targets(ckpt: str, form: str) -> None:
    with tf1.Graph().as_default():
        _, _, var3 = _new_model(5)
        value = {"name": "new_scope_2/var3", "list": var3._get_variable_list(), "partitioned_variable": var3}[form]
        init_from_checkpoint(ckpt, {"old_scope_2/var3": value})
        np.testing.assert_array_equal(var3.numpy(), V3)


def test_partitioned_checkpoint_into_plain_and_back(ckpt: str, tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        plain = tf1.get_variable("plain", [25, 4])
        init_from_checkpoint(ckpt, {"old_scope_2/var3": plain})
        np.testing.assert_array_equal(plain.numpy(), V3)
        plain_ckpt = Saver([plain]).save(str(tmp_path / "plain"))
    with tf1.Graph().as_default():
        pv = tf1.get_variable("pv", [25, 4], partitioner=tf1.fixed_size_partitioner(3))
        init_from_checkpoint(plain_ckpt, [("plain", "pv")])
        np.testing.assert_array_equal(pv.numpy(), V3)


def test_root_mappings(ckpt: str) -> None:
    with tf1.Graph().as_default():
        with tf1.variable_scope("new"):
            root = tf1.get_variable("root_var", shape=[])
        init_from_checkpoint(ckpt, {"/": "new/"})
        assert float(root.numpy()) == 5.0
    with tf1.Graph().as_default():
        with tf1.variable_scope("var1_parent"):
            pass
        v = tf1.get_variable("var1", [20, 2])
        init_from_checkpoint(ckpt, {"old_scope_1/": "/"})
        np.testing.assert_array_equal(v.numpy(), V1)


def test_list_of_pairs_loads_one_tensor_twice(ckpt: str) -> None:
    with tf1.Graph().as_default():
        a = tf1.get_variable("a", [20, 2])
        b = tf1.get_variable("b", [20, 2])
        init_from_checkpoint(ckpt, [("old_scope_1/var1", a), ("old_scope_1/var1", "b")])
        np.testing.assert_array_equal(a.numpy(), V1)
        np.testing.assert_array_equal(b.numpy(), V1)


def test_directory_argument(ckpt: str, tmp_path: Path) -> None:
    from varscope.checkpoint import update_checkpoint_state

    update_checkpoint_state(str(tmp_path), ckpt)
    with tf1.Graph().as_default():
        v = tf1.get_variable("v", [20, 2])
        init_from_checkpoint(str(tmp_path), {"old_scope_1/var1": v})
        np.testing.assert_array_equal(v.numpy(), V1)


def test_errors(ckpt: str) -> None:
    with tf1.Graph().as_default():
        var1, _, var3 = _new_model()
        with pytest.raises(ValueError, match="Tensor old_scope_1/nope is not found in .* checkpoint"):
            init_from_checkpoint(ckpt, {"old_scope_1/nope": var1})
        with pytest.raises(ValueError, match=r"Shape of variable new_scope_1/var1:0 \(\(20, 2\)\) doesn't match "
                                             r"with shape of tensor old_scope_1/var2 \(\[50, 4\]\)"):
            init_from_checkpoint(ckpt, {"old_scope_1/var2": var1})
        with pytest.raises(ValueError, match="Assignment map with scope only name new_scope_1 should map to scope "
                                             "only old_scope_1. Should be 'scope/': 'other_scope/'."):
            init_from_checkpoint(ckpt, {"old_scope_1": "new_scope_1/"})
        with pytest.raises(ValueError, match=r"Tensor old_scope_1/var3 \(var3 in old_scope_1/\) is not found"):
            init_from_checkpoint(ckpt, {"old_scope_1/": "new_scope_2/"})
        with pytest.raises(CheckpointMismatchError, match="full shape \\[25, 4\\] but checkpoint key "
                                                          "'old_scope_1/var2'"):
            init_from_checkpoint(ckpt, {"old_scope_1/var2": var3})
        i = tf1.get_variable("ints", [20, 2], dtype=tf1.int32)
        with pytest.raises(CheckpointMismatchError, match="dtype int32 but checkpoint key 'old_scope_1/var1'"):
            init_from_checkpoint(ckpt, {"old_scope_1/var1": i})
        with tf1.variable_scope("other"):
            other = tf1.get_variable("o", [4, 1], partitioner=tf1.fixed_size_partitioner(2))
        with pytest.raises(ValueError, match="Slices must all be from the same tensor"):
            init_from_checkpoint(ckpt, {"old_scope_2/var3": list(var3) + list(other)})
