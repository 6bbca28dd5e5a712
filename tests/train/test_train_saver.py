"""``varscope.train.Saver``: keys, round trips across partitionings, state file, max_to_keep, errors."""

from __future__ import annotations

import os
from pathlib import Path

import ml_dtypes
import numpy as np
import pytest

import varscope as tf1
from varscope.checkpoint import BundleReader, read_checkpoint_state
from varscope.train import (
    CheckpointMismatchError,
    NotFoundError,
    Saver,
    get_checkpoint_state,
    latest_checkpoint,
    list_variables,
    load_checkpoint,
    load_variable,
)

EMB = np.arange(30, dtype=np.float32).reshape(10, 3)


def _model(parts: int | None, emb: np.ndarray = EMB, scope: str = "model") -> tuple[object, object, object]:
    partitioner = tf1.fixed_size_partitioner(parts) if parts else None
    with tf1.variable_scope(scope):
        w = tf1.get_variable("w", initializer=np.ones((3, 2), np.float32))
        b = tf1.get_variable("b", initializer=np.array([1, 2], np.int64))
        e = tf1.get_variable("emb", initializer=tf1.constant(emb), partitioner=partitioner)
    return w, b, e


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_keys_are_op_names_and_full_names(tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        _model(3)
        saver = Saver()
        prefix = saver.save(None, str(tmp_path / "model.ckpt"), global_step=7)
    assert prefix == str(tmp_path / "model.ckpt-7")
    assert saver.var_keys == ["model/b", "model/emb", "model/w"]
    assert list_variables(prefix) == [("model/b", [2]), ("model/emb", [10, 3]), ("model/w", [3, 2])]
    reader = BundleReader(prefix)
    assert reader.saved_slices("model/emb") == [((0, 0), (4, 3)), ((4, 0), (3, 3)), ((7, 0), (3, 3))]
    raw = {k for k in reader.raw_entries() if not k.startswith(b"\x00")}
    assert raw == {b"model/b", b"model/emb", b"model/w"}  # no part_N key
    np.testing.assert_array_equal(reader.get_tensor("model/emb"), EMB)
    assert _files(tmp_path) == ["checkpoint", "model.ckpt-7.data-00000-of-00001", "model.ckpt-7.index"]


@pytest.mark.parametrize("save_parts,restore_parts", [(3, 3), (3, 2), (3, None), (None, 4), (2, 5), (None, None)])
def test_restore_across_partitionings(tmp_path: Path, save_parts: int | None, restore_parts: int | None) -> None:
    with tf1.Graph().as_default():
        _model(save_parts)
        prefix = Saver().save(str(tmp_path / "model.ckpt"))
    with tf1.Graph().as_default():
        w, b, e = _model(restore_parts, emb=np.zeros_like(EMB))
        Saver().restore(prefix)
        value = e.numpy() if restore_parts else e.numpy()
    np.testing.assert_array_equal(value, EMB)
    np.testing.assert_array_equal(w.numpy(), np.ones((3, 2)))
    assert b.numpy().tolist() == [1, 2]


def test_chain_partitioned_other_partitioning_none(tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        _model(3)
        first = Saver().save(str(tmp_path / "a" / "model.ckpt"))
    with tf1.Graph().as_default():
        _model(2, emb=np.zeros_like(EMB))
        saver = Saver()
        saver.restore(first)
        second = saver.save(str(tmp_path / "b" / "model.ckpt"))
    assert BundleReader(second).saved_slices("model/emb") == [((0, 0), (5, 3)), ((5, 0), (5, 3))]
    with tf1.Graph().as_default():
        _, _, e = _model(None, emb=np.zeros_like(EMB))
        Saver().restore(second)
        third = Saver().save(str(tmp_path / "c" / "model.ckpt"))
    np.testing.assert_array_equal(e.numpy(), EMB)
    assert not BundleReader(third).is_partitioned("model/emb")


def test_sess_path_call_forms(tmp_path: Path) -> None:
    class FakeSession:
        pass

    with tf1.Graph().as_default():
        v = tf1.get_variable("v", initializer=np.float32(1.5))
        saver = Saver()
        p1 = saver.save(FakeSession(), str(tmp_path / "m"), global_step=1)
        p2 = saver.save(str(tmp_path / "m"), global_step=2)
        p3 = saver.save(str(tmp_path / "m"), 3)
        p4 = saver.save(None, tmp_path / "m", 4)
        assert [os.path.basename(p) for p in (p1, p2, p3, p4)] == ["m-1", "m-2", "m-3", "m-4"]
        v.assign(0.0)
        saver.restore(FakeSession(), p1)
        assert float(v.numpy()) == 1.5
        v.assign(0.0)
        saver.restore(p2)
        assert float(v.numpy()) == 1.5
        v.assign(0.0)
        saver.restore(None, save_path=p3)
        assert float(v.numpy()) == 1.5
        with pytest.raises(TypeError):
            saver.save(str(tmp_path / "a"), str(tmp_path / "b"))


def test_global_step_variable_and_padding(tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        tf1.get_variable("v", [1])
        step = tf1.get_variable("global_step", initializer=np.int64(42), trainable=False)
        path = Saver(pad_step_number=True).save(str(tmp_path / "m"), global_step=step)
    assert path.endswith("m-00000042")


def test_state_file_and_max_to_keep(tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        tf1.get_variable("v", [2])
        saver = Saver(max_to_keep=2)
        paths = [saver.save(str(tmp_path / "model.ckpt"), global_step=s) for s in range(1, 5)]
    assert saver.last_checkpoints == paths[2:]
    assert _files(tmp_path) == ["checkpoint", "model.ckpt-3.data-00000-of-00001", "model.ckpt-3.index",
                                "model.ckpt-4.data-00000-of-00001", "model.ckpt-4.index"]
    text = (tmp_path / "checkpoint").read_text()
    assert text == (f'model_checkpoint_path: "{paths[3]}"\n'
                    f'all_model_checkpoint_paths: "{paths[2]}"\n'
                    f'all_model_checkpoint_paths: "{paths[3]}"\n')
    assert latest_checkpoint(str(tmp_path)) == paths[3]
    state = get_checkpoint_state(str(tmp_path))
    assert state.all_model_checkpoint_paths == paths[2:]


def test_relative_paths_and_latest_filename(tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        tf1.get_variable("v", [2])
        saver = Saver(save_relative_paths=True, max_to_keep=None)
        for s in (1, 2, 3):
            saver.save(str(tmp_path / "model.ckpt"), global_step=s, latest_filename="state")
        assert saver.last_checkpoints == []  # max_to_keep=None keeps no list, deletes nothing
        state = read_checkpoint_state(tmp_path / "state")
        assert state.model_checkpoint_path == "model.ckpt-3"
        assert state.all_model_checkpoint_paths == ["model.ckpt-3"]
        assert latest_checkpoint(str(tmp_path), "state") == str(tmp_path / "model.ckpt-3")
        assert len(list(tmp_path.glob("*.index"))) == 3
        with pytest.raises(ValueError, match="must not contain path components"):
            saver.save(str(tmp_path / "x"), latest_filename="a/b")
        with pytest.raises(ValueError, match="collides with 'save_path'"):
            saver.save(str(tmp_path / "checkpoint"))


def test_write_state_false(tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        tf1.get_variable("v", [2])
        Saver().save(str(tmp_path / "m"), write_state=False)
    assert "checkpoint" not in _files(tmp_path)


def test_dict_var_list_custom_keys_and_shards(tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        w, b, e = _model(2)
        prefix = Saver({"renamed/w": w, "emb_all": e}).save(str(tmp_path / "m"))
        half = Saver({"first_half": list(e)[0]}).save(str(tmp_path / "half"))
        with pytest.raises(ValueError, match="The same saveable will be restored with two names: first_half"):
            Saver({"emb_all": e, "first_half": list(e)[0]})
    reader = load_checkpoint(prefix)
    assert reader.get_variable_to_shape_map() == {"emb_all": [10, 3], "renamed/w": [3, 2]}
    np.testing.assert_array_equal(load_variable(half, "first_half"), EMB[:5])
    with tf1.Graph().as_default():
        w2 = tf1.get_variable("other", [3, 2])
        e2 = tf1.get_variable("emb", [10, 3], partitioner=tf1.fixed_size_partitioner(3))
        Saver({"renamed/w": w2, "emb_all": list(e2)}).restore(prefix)
        np.testing.assert_array_equal(w2.numpy(), np.ones((3, 2)))
        np.testing.assert_array_equal(e2.numpy(), EMB)


def test_tied_variable_saved_once(tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        with tf1.variable_scope("enc"):
            emb = tf1.get_variable("emb", initializer=np.ones(3, np.float32))
        with tf1.variable_scope("enc", reuse=True):
            again = tf1.get_variable("emb")
        assert again is emb
        prefix = Saver([emb, again, emb]).save(str(tmp_path / "m"))
        assert list_variables(prefix) == [("enc/emb", [3])]
        with pytest.raises(ValueError, match="The same saveable will be restored with two names: enc/emb"):
            Saver({"dec/emb": emb, "enc/emb": emb})


def test_tf_errors_on_construction() -> None:
    with tf1.Graph().as_default():
        with pytest.raises(ValueError, match="No variables to save"):
            Saver()
        assert Saver(allow_empty=True).save("/nonexistent/never") is None
        with pytest.raises(ValueError, match="build cannot be deferred"):
            Saver([object()], defer_build=True)
        v = tf1.get_variable("v", [1])
        with pytest.raises(TypeError, match="not a Variable"):
            Saver([v, 3])
        with pytest.raises(TypeError, match="Name is not a string"):
            Saver({1: v})
        with tf1.Graph().as_default():
            other = tf1.get_variable("v", [1])
        with pytest.raises(ValueError, match="At least two variables have the same name: v"):
            Saver([v, other])
        with tf1.variable_scope("p"):
            pv = tf1.get_variable("e", [4, 1], partitioner=tf1.fixed_size_partitioner(2))
        with pytest.raises(ValueError, match="Mixing slices and non-slices with the same name: p/e"):
            Saver([pv] + list(pv))
        with pytest.raises(ValueError, match="Slices must all be slices"):
            Saver({"x": [v]})


def test_defer_build(tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        saver = Saver(defer_build=True)
        v = tf1.get_variable("late", [1])
        with pytest.raises(RuntimeError, match="build"):
            saver.save(str(tmp_path / "m"))
        saver.build()
        assert saver.var_keys == ["late"]
        del v


def test_restore_errors(tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        tf1.get_variable("a", initializer=np.zeros(4, np.float32))
        tf1.get_variable("c", initializer=np.zeros(2, np.float64))
        prefix = Saver().save(str(tmp_path / "m"))
    with tf1.Graph().as_default():
        tf1.get_variable("a", [4])
        tf1.get_variable("missing1", [1])
        tf1.get_variable("missing2", [1])
        with pytest.raises(NotFoundError) as info:
            Saver().restore(prefix)
        assert "Key missing1 not found in checkpoint" in str(info.value)
        assert "Key missing2 not found in checkpoint" in str(info.value)
    with tf1.Graph().as_default():
        a = tf1.get_variable("a", [2, 2])
        c = tf1.get_variable("c", [2], dtype=tf1.float32)
        with pytest.raises(CheckpointMismatchError) as err:
            Saver().restore(prefix)
        text = str(err.value)
        assert "variable 'a': shape [2, 2] but checkpoint key 'a'" in text and prefix in text
        assert "variable 'c': dtype float32 but checkpoint key 'c'" in text and "dtype float64" in text
    with tf1.Graph().as_default():
        a = tf1.get_variable("a", [2, 2], initializer=tf1.ones_initializer())
        Saver([a], reshape=True).restore(prefix)
        np.testing.assert_array_equal(a.numpy(), np.zeros((2, 2)))
        with pytest.raises(ValueError, match="Can't load save_path when it is None"):
            Saver([a]).restore(None)
        with pytest.raises(ValueError, match="not a valid checkpoint"):
            Saver([a]).restore(str(tmp_path / "nope"))


def test_nothing_assigned_on_mismatch(tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        tf1.get_variable("a", initializer=np.full(2, 5.0, np.float32))
        tf1.get_variable("b", initializer=np.zeros(3, np.float32))
        prefix = Saver().save(str(tmp_path / "m"))
    with tf1.Graph().as_default():
        a = tf1.get_variable("a", [2], initializer=tf1.ones_initializer())
        tf1.get_variable("b", [4])
        with pytest.raises(CheckpointMismatchError):
            Saver().restore(prefix)
        assert a.numpy().tolist() == [1.0, 1.0]


def test_dtypes_strings_bf16(tmp_path: Path) -> None:
    vocab = np.array([b"a", b"bc", b""], dtype=object)
    with tf1.Graph().as_default():
        tf1.get_variable("vocab", initializer=vocab, dtype=tf1.string)
        tf1.get_variable("h", initializer=np.array([1.5, -2], ml_dtypes.bfloat16))
        tf1.get_variable("i", initializer=np.array([[7]], np.int32))
        prefix = Saver().save(str(tmp_path / "m"))
    reader = load_checkpoint(prefix)
    assert reader.get_variable_to_dtype_map() == {"h": tf1.bfloat16, "i": tf1.int32, "vocab": tf1.string}
    assert load_variable(prefix, "vocab:0").tolist() == [b"a", b"bc", b""]
    with tf1.Graph().as_default():
        v = tf1.get_variable("vocab", initializer=np.array([b"", b"", b""], dtype=object), dtype=tf1.string)
        h = tf1.get_variable("h", [2], dtype=tf1.bfloat16)
        i = tf1.get_variable("i", [1, 1], dtype=tf1.int32)
        Saver().restore(prefix)
    assert v.numpy().tolist() == [b"a", b"bc", b""]
    assert h.numpy().astype(np.float32).tolist() == [1.5, -2.0]
    assert i.numpy().tolist() == [[7]]


@pytest.mark.parametrize("suffix", [".safetensors", ".npz"])
def test_saver_other_formats(tmp_path: Path, suffix: str) -> None:
    with tf1.Graph().as_default():
        _model(3)
        saver = Saver(max_to_keep=1)
        p1 = saver.save(str(tmp_path / f"model{suffix}"), global_step=1)
        p2 = saver.save(str(tmp_path / f"model{suffix}"), global_step=2)
    assert os.path.basename(p2) == f"model-2{suffix}"
    assert not os.path.exists(p1)
    assert latest_checkpoint(str(tmp_path)) == p2
    assert list_variables(str(tmp_path)) == [("model/b", [2]), ("model/emb", [10, 3]), ("model/w", [3, 2])]
    with tf1.Graph().as_default():
        _, _, e = _model(4, emb=np.zeros_like(EMB))
        Saver().restore(p2)
    np.testing.assert_array_equal(e.numpy(), EMB)


def test_sharded_flag_writes_one_shard(tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        _model(2)
        prefix = Saver(sharded=True).save(str(tmp_path / "m"))
    assert sorted(p.name for p in tmp_path.glob("m.*")) == ["m.data-00000-of-00001", "m.index"]
    np.testing.assert_array_equal(load_variable(prefix, "model/emb"), EMB)


def test_default_var_list_includes_saveable_objects(tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        local = tf1.get_local_variable("counter", initializer=np.int32(3))
        tf1.add_to_collection(tf1.GraphKeys.SAVEABLE_OBJECTS, local)
        tf1.get_variable("g", [1])
        assert Saver().var_keys == ["counter", "g"]
