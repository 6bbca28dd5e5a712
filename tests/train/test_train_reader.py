"""Reading TF-written fixtures through ``varscope.train`` (list/load/reader/latest/state, Saver.restore)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

import varscope as tf1
from varscope.train import (
    CheckpointReader,
    NotFoundError,
    Saver,
    get_checkpoint_state,
    init_from_checkpoint,
    latest_checkpoint,
    list_variables,
    load_checkpoint,
    load_variable,
)

from .helpers import EXPECTED, FIXTURES, expected_array

PARTITIONED = FIXTURES / "partitioned"


def test_list_variables_directory_uses_state_file() -> None:
    names = [n for n, _ in list_variables(str(PARTITIONED))]
    assert names == sorted(EXPECTED["partitioned/model.ckpt-7"])
    assert dict(list_variables(str(PARTITIONED)))["model/emb"] == [10, 3]


def test_latest_and_state() -> None:
    assert latest_checkpoint(str(PARTITIONED)) == str(PARTITIONED / "model.ckpt-7")
    state = get_checkpoint_state(str(PARTITIONED))
    assert state.all_model_checkpoint_paths == [str(PARTITIONED / "model.ckpt-7")]
    assert latest_checkpoint(str(FIXTURES / "dtypes")) is None
    assert get_checkpoint_state(str(FIXTURES / "dtypes")) is None


@pytest.mark.parametrize("prefix", sorted(p for p in EXPECTED if p != "manykeys/model.ckpt"))
def test_reader_matches_tf_values(prefix: str) -> None:
    reader = load_checkpoint(str(FIXTURES / prefix))
    shapes = reader.get_variable_to_shape_map()
    dtypes = reader.get_variable_to_dtype_map()
    assert set(shapes) == set(EXPECTED[prefix])
    for name, entry in EXPECTED[prefix].items():
        assert shapes[name] == entry["shape"]
        assert getattr(dtypes[name], "name", str(dtypes[name])) == entry["dtype"]
        assert reader.has_tensor(name)
        value = reader.get_tensor(name)
        if "strings_hex" in entry:
            assert value.reshape(-1).tolist() == [bytes.fromhex(h) for h in entry["strings_hex"]]
        elif "bytes_hex" in entry:
            expected = expected_array(prefix, name)
            assert value.tobytes() == expected.tobytes()


def test_dtype_map_values_are_varscope_dtypes() -> None:
    dtypes = load_checkpoint(str(PARTITIONED)).get_variable_to_dtype_map()
    assert dtypes["global_step"] is tf1.int64 or dtypes["global_step"] == tf1.int64
    assert isinstance(dtypes["model/emb"], tf1.DType)


def test_load_variable_and_missing_key() -> None:
    np.testing.assert_array_equal(load_variable(str(PARTITIONED), "model/emb:0"),
                                  expected_array("partitioned/model.ckpt-7", "model/emb"))
    with pytest.raises(NotFoundError, match="Key nope not found in checkpoint"):
        load_variable(str(PARTITIONED), "nope")
    with pytest.raises(KeyError):
        load_checkpoint(str(PARTITIONED)).get_tensor("model/emb/part_0")


def test_get_slice_from_partitioned_fixture() -> None:
    with CheckpointReader(str(PARTITIONED / "model.ckpt-7.index")) as reader:
        full = reader.get_tensor("model/emb")
        np.testing.assert_array_equal(reader.get_slice("model/emb", [3, 1], [5, 2]), full[3:8, 1:3])


def test_missing_inputs(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file or checkpoints in given directory"):
        load_checkpoint(str(tmp_path))
    with pytest.raises(FileNotFoundError, match="Failed to find any matching files"):
        load_checkpoint(str(tmp_path / "model.ckpt"))


def test_saver_restores_tf_partitioned_fixture_into_any_partitioning() -> None:
    expected = expected_array("partitioned/model.ckpt-7", "model/emb")
    for parts in (None, 2, 3, 5):
        with tf1.Graph().as_default():
            with tf1.variable_scope("model"):
                w = tf1.get_variable("w", [3, 2])
                b = tf1.get_variable("b", [2])
                partitioner = tf1.fixed_size_partitioner(parts) if parts else None
                emb = tf1.get_variable("emb", [10, 3], partitioner=partitioner)
            Saver([w, b, emb]).restore(None, latest_checkpoint(str(PARTITIONED)))
            np.testing.assert_array_equal(emb.numpy() if parts else emb.numpy(), expected)
            np.testing.assert_array_equal(w.numpy(), expected_array("partitioned/model.ckpt-7", "model/w"))


def test_init_from_tf_fixture_scope_map(tmp_path: Path) -> None:
    directory = tmp_path / "copy"
    shutil.copytree(PARTITIONED, directory)
    with tf1.Graph().as_default():
        with tf1.variable_scope("new"):
            emb = tf1.get_variable("emb", [10, 3], partitioner=tf1.fixed_size_partitioner(4))
            w = tf1.get_variable("w", [3, 2])
        init_from_checkpoint(str(directory), {"model/emb": "new/emb", "model/w": w})
        np.testing.assert_array_equal(emb.numpy(), expected_array("partitioned/model.ckpt-7", "model/emb"))
        np.testing.assert_array_equal(w.numpy(), expected_array("partitioned/model.ckpt-7", "model/w"))


def test_tf2_object_keys_load_with_remapping() -> None:
    from varscope.train import load_variables

    with tf1.Graph().as_default():
        with tf1.variable_scope("model"):
            kernel = tf1.get_variable("kernel", [2, 3])
            bias = tf1.get_variable("bias", [3])
        result = load_variables(str(FIXTURES / "tf2" / "ckpt"), rename=[(r"/\.ATTRIBUTES/VARIABLE_VALUE$", "")],
                                key_fn=lambda k: None if k == "_CHECKPOINTABLE_OBJECT_GRAPH" else k)
    assert result.loaded == {"model/bias": "model/bias/.ATTRIBUTES/VARIABLE_VALUE",
                             "model/kernel": "model/kernel/.ATTRIBUTES/VARIABLE_VALUE"}
    assert result.skipped_keys == ["_CHECKPOINTABLE_OBJECT_GRAPH"]
    np.testing.assert_array_equal(kernel.numpy(), expected_array("tf2/ckpt", "model/kernel/.ATTRIBUTES/VARIABLE_VALUE"))
    np.testing.assert_array_equal(bias.numpy(), expected_array("tf2/ckpt", "model/bias/.ATTRIBUTES/VARIABLE_VALUE"))


def test_new_checkpoint_reader_alias(tmp_path: Path) -> None:
    """``tf.compat.v1.train.NewCheckpointReader(prefix)``: a CheckpointReader for the prefix."""
    from varscope import train

    reader = train.NewCheckpointReader(str(PARTITIONED / "model.ckpt-7"))
    assert isinstance(reader, CheckpointReader) and "NewCheckpointReader" in train.__all__
    assert reader.get_variable_to_shape_map()["model/emb"] == [10, 3]
    np.testing.assert_array_equal(reader.get_tensor("model/emb"),
                                  load_checkpoint(str(PARTITIONED / "model.ckpt-7")).get_tensor("model/emb"))
    with pytest.raises(FileNotFoundError, match="Failed to find any matching files"):
        train.NewCheckpointReader(str(tmp_path / "none"))
