"""The ``varscope`` command line (inspect, convert, diff, demo)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from varscope.checkpoint import load_tensors, save_tensors, write_bundle
from varscope.cli import main

from .helpers import FIXTURES

SRC = str(Path(__file__).resolve().parents[2] / "src")


def test_no_arguments_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert "inspect" in capsys.readouterr().out


def test_inspect_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(FIXTURES / "partitioned"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = {r["name"]: r for r in report["tensors"]}
    assert report["format"] == "tf"
    assert rows["model/emb"] == {"name": "model/emb", "dtype": "float32", "shape": [10, 3], "elements": 30,
                                 "bytes": 120, "partitioned": True}
    assert report["totals"]["tensors"] == 15


def test_inspect_table_and_tree(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(FIXTURES / "dtypes/model.ckpt")]) == 0
    out = capsys.readouterr().out
    assert "bfloat16" in out and "27 tensors" in out
    assert main(["inspect", str(FIXTURES / "partitioned/model.ckpt-7"), "--tree"]) == 0
    out = capsys.readouterr().out
    assert "model/" in out and "Adam_1" in out


def test_convert_between_all_formats_and_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = FIXTURES / "partitioned/model.ckpt-7"
    st, npz, back = tmp_path / "m.safetensors", tmp_path / "m.npz", tmp_path / "back/model.ckpt"
    assert main(["convert", str(source), str(st)]) == 0
    assert main(["convert", str(st), str(npz)]) == 0
    assert main(["convert", str(npz), str(back)]) == 0
    assert main(["diff", str(source), str(back)]) == 0
    original = load_tensors(source)
    assert all(np.array_equal(original[k], v) for k, v in load_tensors(back).items())
    capsys.readouterr()
    assert main(["diff", str(st), str(back), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["equal"] == 15


def test_convert_strings_to_safetensors_fails_clearly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(FIXTURES / "sharded/model.ckpt"), str(tmp_path / "x.safetensors")]) == 2
    assert "'vocab' is a string tensor; safetensors has no string dtype" in capsys.readouterr().err
    assert not (tmp_path / "x.safetensors").exists()


def test_diff_reports_differences(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_bundle(tmp_path / "a", {"same": np.ones(2), "gone": np.ones(1), "val": np.array([1.0, 2.0]),
                                  "shape": np.ones((2, 2)), "dt": np.ones(2, np.float32),
                                  "s": np.array([b"x"], object)})
    save_tensors(tmp_path / "b.npz", {"same": np.ones(2), "new": np.ones(1), "val": np.array([1.0, 2.5]),
                                      "shape": np.ones(4), "dt": np.ones(2, np.float64),
                                      "s": np.array([b"y"], object)})
    assert main(["diff", str(tmp_path / "a"), str(tmp_path / "b.npz"), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["missing"] == ["gone"] and report["extra"] == ["new"] and report["equal"] == 1
    changed = {c["name"]: c for c in report["changed"]}
    assert changed["val"]["max_abs_diff"] == 0.5
    assert changed["shape"]["shape"] == [[2, 2], [4]]
    assert changed["dt"]["dtype"] == ["float32", "float64"]
    assert changed["s"]["values"] == "strings differ"
    assert main(["diff", str(tmp_path / "a"), str(tmp_path / "b.npz")]) == 1
    assert "max abs diff 0.5" in capsys.readouterr().out


def test_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.index").write_bytes(b"garbage")
    assert main(["inspect", str(tmp_path / "bad")]) == 2
    assert "bad.index" in capsys.readouterr().err
    assert main(["inspect", str(tmp_path / "missing.safetensors")]) == 2


def test_module_entry_point(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": SRC, "COLUMNS": "200"}
    result = subprocess.run([sys.executable, "-m", "varscope.cli", "inspect", str(FIXTURES / "sharded/model.ckpt"),
                             "--json"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["totals"]["tensors"] == 5
    result = subprocess.run([sys.executable, "-m", "varscope.cli", "diff", str(FIXTURES / "sharded/model.ckpt"),
                             str(FIXTURES / "tf2/ckpt")], capture_output=True, text=True, env=env)
    assert result.returncode == 1
