"""Reading and byte-exact rewriting of checkpoints written by TensorFlow 2.21."""

from __future__ import annotations

from pathlib import Path

import ml_dtypes
import numpy as np
import pytest

from varscope.checkpoint import BundleReader, get_checkpoint_state, latest_checkpoint, load_tensors
from varscope.checkpoint.state import CheckpointState, read_checkpoint_state

from .helpers import EXPECTED, FIXTURES, PREFIXES, bundle_files, expected_array, rewrite


@pytest.mark.parametrize("prefix", PREFIXES)
def test_reads_every_tensor_exactly(prefix: str) -> None:
    expected = EXPECTED[prefix]
    with BundleReader(FIXTURES / prefix) as reader:
        assert reader.keys() == sorted(expected)
        assert reader.get_variable_to_shape_map() == {n: e["shape"] for n, e in expected.items()}
        for name, item in expected.items():
            assert reader.dtype_name(name) == item["dtype"], name
            value = reader.get_tensor(name)
            assert value.shape == tuple(item["shape"])
            want = expected_array(item, reader.dtype(name))
            if value.dtype.kind == "O":
                assert value.reshape(-1).tolist() == want.reshape(-1).tolist()
            else:
                assert value.dtype == reader.dtype(name)
                assert value.tobytes() == want.tobytes(), name


@pytest.mark.parametrize("prefix", PREFIXES)
def test_rewrites_byte_for_byte(prefix: str, tmp_path: Path) -> None:
    source = FIXTURES / prefix
    with BundleReader(source) as reader:
        rewrite(reader, tmp_path / source.name)
    originals = bundle_files(source)
    copies = bundle_files(tmp_path / source.name)
    assert [p.name for p in copies] == [p.name for p in originals]
    for original, copy in zip(originals, copies):
        assert copy.read_bytes() == original.read_bytes(), original.name


def test_dtypes_map_to_numpy() -> None:
    with BundleReader(FIXTURES / "dtypes/model.ckpt") as reader:
        assert reader.get_tensor("bf16").dtype == ml_dtypes.bfloat16
        assert reader.get_tensor("f8e4m3").dtype == ml_dtypes.float8_e4m3fn
        assert reader.get_tensor("int4").tolist() == [-8, 7, 0]
        assert reader.get_tensor("c64").tolist() == [1 + 2j, -3.5j]
        assert reader.get_tensor("bool").tolist() == [True, False, True]
        assert reader.get_tensor("str").tolist() == [b"ab", b"", b"with\x00nul", "ünï".encode()]
        assert reader.get_tensor("str_scalar")[()] == b"scalar string"
        assert reader.get_tensor("str_empty").shape == (0,)
        assert reader.get_tensor("scalar_f32")[()] == np.float32(3.25)
        assert reader.get_tensor("empty_f32").shape == (0, 3)
        assert reader.get_tensor("u64").tolist() == [0, 2**64 - 1]


def test_partitioned_variable_reads_merged_and_by_region() -> None:
    with BundleReader(FIXTURES / "partitioned/model.ckpt-7") as reader:
        assert reader.is_partitioned("model/emb")
        assert reader.saved_slices("model/emb") == [((0, 0), (4, 3)), ((4, 0), (3, 3)), ((7, 0), (3, 3))]
        assert not reader.is_partitioned("model/whole")  # one part: stored plain, as TF does
        full = reader.get_tensor("model/emb")
        assert full.shape == (10, 3)
        # Any other partitioning restores from the saved one.
        for start, rows in [(0, 5), (5, 5), (2, 6), (9, 1)]:
            assert np.array_equal(reader.get_slice("model/emb", (start, 0), (rows, 3)), full[start : start + rows])
        assert np.array_equal(reader.get_slice("model/emb", (3, 1), (5, 2)), full[3:8, 1:3])
        with pytest.raises(ValueError):
            reader.get_slice("model/emb", (8, 0), (3, 3))
        assert reader.get_tensor("global_step")[()] == 1


def test_sharded_bundle_with_slices_across_shards() -> None:
    with BundleReader(FIXTURES / "sharded/model.ckpt") as reader:
        assert reader.header.num_shards == 2
        assert {reader.entry(n).shard_id for n in ("a", "c", "d", "vocab")} == {0, 1}
        assert reader.get_tensor("p").shape == (8, 4)
        assert reader.get_tensor("vocab").tolist() == [b"x", b"yy", b"zzz"]


def test_raw_full_extent_slices() -> None:
    with BundleReader(FIXTURES / "rawslices/model.ckpt") as reader:
        assert reader.entry("x").slices[0][1].length is None  # "-" extent: empty Extent proto
        assert reader.get_tensor("x").tolist() == np.arange(40, dtype=np.float32).reshape(8, 5).tolist()


def test_multi_block_index() -> None:
    index = (FIXTURES / "manykeys/model.ckpt.index").read_bytes()
    assert len(index) > 2 * 262144 // 2  # more than one 256 KiB data block
    with BundleReader(FIXTURES / "manykeys/model.ckpt") as reader:
        assert len(reader.keys()) == 1300
        assert reader.get_tensor(reader.keys()[-1])[()] == 1299 % 100


def test_tf2_object_graph_checkpoint() -> None:
    tensors = load_tensors(FIXTURES / "tf2/ckpt")
    assert tensors["model/kernel/.ATTRIBUTES/VARIABLE_VALUE"].tolist() == [[0, 1, 2], [3, 4, 5]]
    assert isinstance(tensors["_CHECKPOINTABLE_OBJECT_GRAPH"][()], bytes)


def test_state_file_of_saver() -> None:
    directory = FIXTURES / "partitioned"
    state = get_checkpoint_state(directory)
    assert state is not None
    assert state.model_checkpoint_path == str(directory / "model.ckpt-7")
    assert latest_checkpoint(directory) == str(directory / "model.ckpt-7")
    raw = read_checkpoint_state(directory / "checkpoint")
    assert raw.to_text() == (directory / "checkpoint").read_text()
    assert raw == CheckpointState("model.ckpt-7", ["model.ckpt-7"])
    assert load_tensors(directory)["model/emb"].shape == (10, 3)
