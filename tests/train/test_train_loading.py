"""``save_variables`` / ``load_variables``: formats, key remapping, strict errors, tied variables."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import varscope as tf1
from varscope.checkpoint import CheckpointError, SafetensorsReader, load_tensors
from varscope.train import CheckpointMismatchError, list_variables, load_variables, save_variables

EMB = np.arange(12, dtype=np.float32).reshape(6, 2)
FORMATS = ["model.ckpt", "model.safetensors", "model.npz"]


def _build(scope: str = "net", parts: int | None = 3, zeros: bool = False) -> dict[str, object]:
    init = (lambda a: np.zeros_like(a)) if zeros else (lambda a: a)
    with tf1.variable_scope(scope):
        w = tf1.get_variable("w", initializer=init(np.ones((2, 2), np.float32)))
        emb = tf1.get_variable("emb", initializer=tf1.constant(init(EMB)),
                               partitioner=tf1.fixed_size_partitioner(parts) if parts else None)
    return {"w": w, "emb": emb}


@pytest.mark.parametrize("name", FORMATS)
def test_round_trip_all_formats(tmp_path: Path, name: str) -> None:
    with tf1.Graph().as_default():
        _build()
        path = save_variables(str(tmp_path / name))
    assert list_variables(path) == [("net/emb", [6, 2]), ("net/w", [2, 2])]
    with tf1.Graph().as_default():
        model = _build(parts=2, zeros=True)
        result = load_variables(path)
    assert result.loaded == {"net/emb": "net/emb", "net/w": "net/w"}
    np.testing.assert_array_equal(model["emb"].numpy(), EMB)


def test_partitioned_stored_merged_in_safetensors(tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        _build()
        path = save_variables(str(tmp_path / "m.safetensors"))
    reader = SafetensorsReader(path)
    assert reader.keys() == ["net/emb", "net/w"] and reader.shape("net/emb") == (6, 2)
    meta = json.loads(reader.metadata["varscope_partitions"])
    assert meta == {"net/emb": [[[0, 0], [2, 2]], [[2, 0], [2, 2]], [[4, 0], [2, 2]]]}
    np.testing.assert_array_equal(load_tensors(str(tmp_path / "m.safetensors"))["net/emb"], EMB)


def test_strict_reports_missing_and_unexpected_together(tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        _build(scope="old")
        tf1.get_variable("stale", [1])
        path = save_variables(str(tmp_path / "m.ckpt"))
    with tf1.Graph().as_default():
        model = _build(scope="new", zeros=True)
        tf1.get_variable("fresh", [3])
        with pytest.raises(CheckpointMismatchError) as info:
            load_variables(path, prefix_map={"old/": "new/"})
        assert info.value.missing_keys == ["fresh"]
        assert info.value.unexpected_keys == ["stale"]
        assert "missing keys" in str(info.value) and "unexpected keys" in str(info.value)
        assert not model["w"].numpy().any()  # nothing assigned
        result = load_variables(path, prefix_map={"old/": "new/"}, strict=False)
        assert result.missing_keys == ["fresh"] and result.unexpected_keys == ["stale"]
        np.testing.assert_array_equal(model["emb"].numpy(), EMB)


def test_shape_and_dtype_mismatch_named(tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        tf1.get_variable("a", initializer=np.zeros((2, 2), np.float32))
        tf1.get_variable("b", initializer=np.zeros(3, np.float64))
        path = save_variables(str(tmp_path / "m.npz"))
    with tf1.Graph().as_default():
        tf1.get_variable("a", [4])
        tf1.get_variable("b", [3])
        with pytest.raises(CheckpointMismatchError) as info:
            load_variables(path, strict=False)
    text = str(info.value)
    assert "variable 'a': shape [4] but checkpoint key 'a' in" in text and "m.npz has shape [2, 2]" in text
    assert "variable 'b': dtype float32 but checkpoint key 'b'" in text and "has dtype float64" in text
    assert len(info.value.mismatches) == 2


def test_partitioned_full_shape_mismatch(tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        _build()
        path = save_variables(str(tmp_path / "m.ckpt"))
    with tf1.Graph().as_default():
        with tf1.variable_scope("net"):
            tf1.get_variable("w", [2, 2])
            tf1.get_variable("emb", [8, 2], partitioner=tf1.fixed_size_partitioner(2))
        with pytest.raises(CheckpointMismatchError, match=r"partitioned variable 'net/emb' \(2 shards\): full shape "
                                                          r"\[8, 2\] but checkpoint key 'net/emb'"):
            load_variables(path)


def test_key_transform_order(tmp_path: Path) -> None:
    from varscope.checkpoint import save_tensors

    path = str(tmp_path / "m.npz")
    save_tensors(path, {"module/enc/layer_0/k": np.zeros(1, np.float32), "module/head": np.ones(1, np.float32),
                        "optimizer/step": np.int64(3)})
    with tf1.Graph().as_default():
        k = tf1.get_variable("tower/encoder/block0/k", [1], initializer=tf1.ones_initializer())
        head = tf1.get_variable("tower/head", [1])
        result = load_variables(
            path, strip_prefix=["nothing/", "module/"], prefix_map={"enc/": "encoder/", "": ""},
            rename={r"layer_(\d+)": r"block\1"}, add_prefix="tower/",
            key_fn=lambda key: None if key.startswith("tower/optimizer/") else key)
    assert result.loaded == {"tower/encoder/block0/k": "module/enc/layer_0/k", "tower/head": "module/head"}
    assert result.skipped_keys == ["optimizer/step"]
    assert k.numpy().tolist() == [0.0] and head.numpy().tolist() == [1.0]


def test_two_checkpoint_keys_to_one_model_key(tmp_path: Path) -> None:
    from varscope.checkpoint import save_tensors

    path = str(tmp_path / "m.npz")
    save_tensors(path, {"a/w": np.zeros(1, np.float32), "b/w": np.zeros(1, np.float32)})
    with tf1.Graph().as_default():
        tf1.get_variable("w", [1])
        with pytest.raises(ValueError, match="both map to model key 'w'"):
            load_variables(path, strip_prefix=["a/", "b/"])


def test_tied_variables_saved_once_and_loaded(tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        emb = tf1.get_variable("shared/emb", initializer=EMB)
        with tf1.variable_scope("shared", reuse=True):
            assert tf1.get_variable("emb") is emb
        path = save_variables(str(tmp_path / "m.safetensors"), {"encoder/emb": emb, "decoder/emb": emb})
        assert list_variables(path) == [("decoder/emb", [6, 2])]
        emb.assign(np.zeros_like(EMB))
        result = load_variables(path, {"encoder/emb": emb, "decoder/emb": emb})
        assert result.loaded == {"decoder/emb": "decoder/emb"}
        np.testing.assert_array_equal(emb.numpy(), EMB)
        only_enc = str(tmp_path / "enc.npz")
        save_variables(only_enc, {"encoder/emb": emb})
        emb.assign(np.zeros_like(EMB))
        assert load_variables(only_enc, {"encoder/emb": emb, "decoder/emb": emb}).loaded == {
            "encoder/emb": "encoder/emb"}
        np.testing.assert_array_equal(emb.numpy(), EMB)


def test_graph_argument_and_lists(tmp_path: Path) -> None:
    g = tf1.Graph()
    with g.as_default():
        model = _build()
    path = save_variables(str(tmp_path / "m.ckpt"), g)
    with tf1.Graph().as_default():
        other = _build(zeros=True)
    load_variables(path, [other["w"], other["emb"]])
    np.testing.assert_array_equal(other["emb"].numpy(), model["emb"].numpy())


def test_errors(tmp_path: Path) -> None:
    with tf1.Graph().as_default():
        with pytest.raises(ValueError, match="No variables to save"):
            save_variables(str(tmp_path / "m.ckpt"))
        tf1.get_variable("s", initializer=np.array([b"x"], dtype=object), dtype=tf1.string)
        with pytest.raises(CheckpointError, match="string"):
            save_variables(str(tmp_path / "m.safetensors"))
        path = save_variables(str(tmp_path / "m.npz"))
        assert load_variables(path).loaded == {"s": "s"}
