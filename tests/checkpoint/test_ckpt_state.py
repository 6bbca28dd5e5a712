"""The ``checkpoint`` state file: TF's text format and path rules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from varscope.checkpoint import (
    CheckpointError,
    CheckpointState,
    get_checkpoint_state,
    latest_checkpoint,
    read_checkpoint_state,
    update_checkpoint_state,
    write_bundle,
)


def test_text_round_trip_with_escapes() -> None:
    state = CheckpointState('dir/ü "q"\n', ["a\\b", 'dir/ü "q"\n'], [1795777692.0294993, 2.0], 3.5)
    text = state.to_text()
    assert '"dir/\\303\\274 \\"q\\"\\n"' in text
    assert "all_model_checkpoint_timestamps: 1795777692.0294993\n" in text
    assert CheckpointState.from_text(text) == state


def test_parser_accepts_protobuf_text_variants() -> None:
    text = """# comment
    model_checkpoint_path: 'm\\x41\\101-7'
    all_model_checkpoint_paths: ["a", 'b']
    all_model_checkpoint_paths: "ü" "x"
    last_preserved_timestamp: 1e3
    """
    state = CheckpointState.from_text(text)
    assert state.model_checkpoint_path == "mAA-7"
    assert state.all_model_checkpoint_paths == ["a", "b", "üx"]
    assert state.last_preserved_timestamp == 1000.0


@pytest.mark.parametrize("text", ['unknown_field: "x"\n', 'model_checkpoint_path: 3\n', 'model_checkpoint_path: "x\n',
                                  'model_checkpoint_path "\\q"'])
def test_malformed_state(text: str, tmp_path: Path) -> None:
    with pytest.raises(CheckpointError):
        CheckpointState.from_text(text)
    (tmp_path / "checkpoint").write_text(text)
    with pytest.warns(UserWarning, match="checkpoint ignored"):
        assert get_checkpoint_state(tmp_path) is None


def test_empty_model_path_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "checkpoint").write_text('all_model_checkpoint_paths: "x"\n')
    with pytest.raises(CheckpointError, match="invalid checkpoint state"):
        get_checkpoint_state(tmp_path)


def test_absolute_paths_kept_unless_relative_requested(tmp_path: Path) -> None:
    prefix = str(tmp_path / "model.ckpt-1")
    update_checkpoint_state(tmp_path, prefix)
    assert read_checkpoint_state(tmp_path / "checkpoint").model_checkpoint_path == prefix
    update_checkpoint_state(tmp_path, str(tmp_path / "model.ckpt-2"), [prefix], save_relative_paths=True)
    assert (tmp_path / "checkpoint").read_text() == (
        'model_checkpoint_path: "model.ckpt-2"\n'
        'all_model_checkpoint_paths: "model.ckpt-1"\n'
        'all_model_checkpoint_paths: "model.ckpt-2"\n'
    )
    state = get_checkpoint_state(tmp_path)
    assert state is not None and state.all_model_checkpoint_paths == [prefix, str(tmp_path / "model.ckpt-2")]


def test_relative_save_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    update_checkpoint_state("ckpts", "ckpts/model.ckpt-7", ["ckpts/model.ckpt-7"])
    assert Path("ckpts/checkpoint").read_text() == (
        'model_checkpoint_path: "model.ckpt-7"\nall_model_checkpoint_paths: "model.ckpt-7"\n'
    )
    assert latest_checkpoint("ckpts") is None  # no .index yet
    write_bundle("ckpts/model.ckpt-7", {"x": 1})
    assert latest_checkpoint("ckpts") == os.path.join("ckpts", "model.ckpt-7")


def test_state_errors(tmp_path: Path) -> None:
    assert get_checkpoint_state(tmp_path) is None
    assert latest_checkpoint(tmp_path) is None
    with pytest.raises(ValueError, match="conflicts"):
        update_checkpoint_state(tmp_path, str(tmp_path / "checkpoint"))
    with pytest.raises(ValueError):
        update_checkpoint_state(tmp_path, "a", ["a"], all_model_checkpoint_timestamps=[1.0, 2.0])
    update_checkpoint_state(tmp_path, "m", latest_filename="other_state")
    assert get_checkpoint_state(tmp_path, "other_state") is not None
    assert [p.name for p in tmp_path.iterdir()] == ["other_state"]  # no temp files left
