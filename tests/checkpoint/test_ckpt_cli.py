"""The ``varscope`` command line (inspect, convert, diff, demo)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from varscope.checkpoint import BundleReader, SafetensorsReader, load_tensors, save_tensors, write_bundle
from varscope.cli import _show_progress, main

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


# -- issue 16: the CLI as a tool people keep ------------------------------------------------------

# Runs the CLI in a fresh interpreter where ``import rich`` fails, as without the [cli] extra.
NO_RICH = """
import sys
class _BlockRich:
    def find_spec(self, name, path=None, target=None):
        if name == "rich" or name.startswith("rich."):
            raise ImportError("No module named 'rich' (blocked by the test)")
        return None
sys.meta_path.insert(0, _BlockRich())
from varscope.cli import main
sys.exit(main(sys.argv[1:]))
"""
WITH_RICH = "import sys; from varscope.cli import main; sys.exit(main(sys.argv[1:]))"
HINT = 'pip install "varscope-tf1[cli]"'


def _run(*args: str | Path, rich: bool = True, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": SRC, "COLUMNS": "200"}
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    return subprocess.run([sys.executable, "-c", WITH_RICH if rich else NO_RICH, *map(str, args)],
                          text=True, env=env, timeout=120, **streams)


def test_inspect_prints_values_with_numpy_print_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.safetensors"
    big = np.arange(2000, dtype=np.int32)
    save_tensors(path, {"big": big, "small": np.array([1.0, 2.5, 3.0]), "s/c": np.array(7, np.int64)})
    assert main(["inspect", str(path), "--tensor", "small", "--tensor", "s/c"]) == 0
    assert capsys.readouterr().out == "tensor_name:  small\n[1.  2.5 3. ]\ntensor_name:  s/c\n7\n"
    assert main(["inspect", str(path), "--tensor", "big"]) == 0
    out = capsys.readouterr().out
    assert "..." in out and " 1999]" in out and " 1000 " not in out  # NumPy summarizes by default
    assert main(["inspect", str(path), "--tensor", "big", "--full"]) == 0
    out = capsys.readouterr().out
    assert "..." not in out and all(f" {v}" in out for v in (500, 1000, 1999))
    assert main(["inspect", str(path), "--tensor", "small", "--threshold", "2", "--edgeitems", "1"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "[1. ... 3.]"
    assert main(["inspect", str(path), "--tensor", "small", "--precision", "0"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "[1. 2. 3.]"
    assert main(["inspect", str(path), "--all", "--threshold", "10"]) == 0
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line.startswith("tensor_name:")] == [
        "tensor_name:  big", "tensor_name:  s/c", "tensor_name:  small"]
    assert main(["inspect", str(FIXTURES / "sharded/model.ckpt"), "--tensor", "vocab"]) == 0
    assert "b'" in capsys.readouterr().out  # strings print as bytes
    assert main(["inspect", str(path), "--tensor", "smal"]) == 2
    assert "tensor 'smal' not found" in (err := capsys.readouterr().err) and "did you mean 'small'" in err
    assert main(["inspect", str(path), "--tensor", "small", "--json"]) == 2
    assert main(["inspect", str(path), "--full"]) == 2
    assert "--tensor NAME or --all" in capsys.readouterr().err


def test_without_rich_tables_are_plain_with_a_hint(tmp_path: Path) -> None:
    prefix = FIXTURES / "partitioned/model.ckpt-7"
    result = _run("inspect", prefix, rich=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == str(prefix) and lines[1].split() == ["name", "dtype", "shape", "size"]
    assert re.search(r"\nmodel/emb \(partitioned\) +float32 +\(10, 3\) +120 B\n", result.stdout)
    assert "│" not in result.stdout
    assert lines[-1] == "15 tensors, 141 elements, 568 B"
    assert HINT in result.stderr
    result = _run("inspect", prefix, "--tree", rich=False)
    assert result.returncode == 0, result.stderr
    assert "  model/\n" in result.stdout and "      Adam_1  float32 (10, 3)  120 B  (partitioned)" in result.stdout
    assert HINT in result.stderr
    result = _run("diff", prefix, FIXTURES / "sharded/model.ckpt", rich=False)
    assert result.returncode == 1 and "- model/emb  (only in" in result.stdout, result.stderr
    result = _run("convert", prefix, tmp_path / "m.safetensors", rich=False)
    assert result.returncode == 0 and "wrote 15 tensors" in result.stderr, result.stderr
    result = _run("inspect", prefix, "--json", rich=False)
    assert json.loads(result.stdout)["totals"]["tensors"] == 15 and HINT not in result.stderr
    result = _run("demo", rich=False)
    assert result.returncode == 0 and "towers share weights: True" in result.stdout, result.stderr
    assert HINT in result.stderr


def test_with_rich_tables_are_rich_without_a_hint() -> None:
    pytest.importorskip("rich")
    result = _run("inspect", FIXTURES / "partitioned/model.ckpt-7")
    assert result.returncode == 0 and "│" in result.stdout and HINT not in result.stderr, result.stderr


def test_convert_progress_by_default_only_for_large_sources_on_a_terminal(tmp_path: Path) -> None:

    big, small = 100 << 20, (100 << 20) - 1
    master, slave = os.openpty()  # a real terminal
    read_fd, write_fd = os.pipe()
    with os.fdopen(slave, "w") as tty, os.fdopen(write_fd, "w") as pipe, \
            open(tmp_path / "log.txt", "w") as log:
        assert tty.isatty() and _show_progress(None, big, tty)
        assert not _show_progress(None, small, tty)
        assert not _show_progress(None, big, pipe) and not _show_progress(None, big, log)
        assert _show_progress(True, 0, pipe) and not _show_progress(False, big, tty)
    os.close(master)
    os.close(read_fd)


def test_convert_progress_counts_bytes_read_and_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    progress = pytest.importorskip("rich.progress")
    seen: list[list[tuple[str, float | None, float]]] = []
    stop = progress.Progress.stop

    def record(self: Any) -> None:
        seen.append([(t.description, t.total, t.completed) for t in self.tasks])
        stop(self)

    monkeypatch.setattr(progress.Progress, "stop", record)
    source = FIXTURES / "dtypes/model.ckpt"
    with BundleReader(source) as reader:
        on_disk = sum(reader.nbytes_on_disk(n) for n in reader.keys())
    assert main(["convert", str(source), str(tmp_path / "m.npz"), "--progress"]) == 0
    assert main(["convert", str(tmp_path / "m.npz"), str(tmp_path / "back/model.ckpt"), "--progress"]) == 0
    assert main(["convert", str(source), str(tmp_path / "quiet.npz")]) == 0  # small: no progress bar
    npz_bytes = sum(v.nbytes for v in load_tensors(tmp_path / "m.npz").values() if v.dtype.kind != "O")
    (read, wrote), (read_npz, wrote_tf) = seen
    assert read == ("reading", on_disk, on_disk) and on_disk > 27
    assert wrote[0] == "writing npz" and wrote[1] == wrote[2] > 0
    assert read_npz[0] == "reading" and read_npz[1] == read_npz[2] >= npz_bytes
    assert wrote_tf[0] == "writing tf" and wrote_tf[1] == wrote_tf[2] >= npz_bytes


def test_convert_help_explains_sources_destinations_and_formats(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["convert", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for text in ("sources (SRC):", "destinations (DST):", "checkpoint directory", ".ckpt-N", "--from/--to",
                 "safetensors has no string dtype", "varscope_partitions", "bfloat16, float8 and strings"):
        assert text in out, text


def test_unknown_suffix_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = FIXTURES / "dtypes/model.ckpt"
    assert main(["convert", str(source), str(tmp_path / "model.pt")]) == 2
    assert "cannot tell the format of" in capsys.readouterr().err and not list(tmp_path.iterdir())
    assert main(["convert", str(source), str(tmp_path / "model.safetensor")]) == 2  # a typo, not a TF prefix
    assert not list(tmp_path.iterdir())
    save_tensors(tmp_path / "w.bin", {"w": np.ones(2)}, format="safetensors")
    assert main(["inspect", str(tmp_path / "w.bin")]) == 2
    assert "'.bin'" in capsys.readouterr().err
    assert main(["inspect", str(tmp_path / "w.bin"), "--format", "safetensors", "--json"]) == 0
    capsys.readouterr()
    assert main(["convert", str(tmp_path / "w.bin"), str(tmp_path / "out.pt"), "--from", "safetensors",
                 "--to", "tf"]) == 0
    assert (tmp_path / "out.pt.index").exists()
    assert main(["inspect", str(tmp_path / "out.pt"), "--json"]) == 0  # an existing prefix is recognized
    assert json.loads(capsys.readouterr().out)["format"] == "tf"
    for name in ("x/model.ckpt", "x/model.ckpt-7", "x/ckpt-3", "x/model"):
        assert main(["convert", str(tmp_path / "w.bin"), str(tmp_path / name), "--from", "safetensors"]) == 0


def test_negative_tolerances_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    save_tensors(a, {"x": np.array([100.0, np.inf, np.nan])})
    save_tensors(b, {"x": np.array([101.0, np.inf, np.nan])})
    for flag, value in (("--atol", "-1"), ("--rtol", "-0.5"), ("--atol", "nan"), ("--atol", "x")):
        with pytest.raises(SystemExit) as exit_info:
            main(["diff", str(a), str(b), flag, value])
        assert exit_info.value.code == 2
        assert f"argument {flag}:" in capsys.readouterr().err
    assert main(["diff", str(a), str(b), "--atol", "0.5"]) == 1  # equal infinities and NaNs match
    assert "max abs diff 1" in capsys.readouterr().out
    assert main(["diff", str(a), str(b), "--atol", "1"]) == 0
    assert main(["diff", str(a), str(b), "--rtol", "0.01"]) == 0  # |100 - 101| <= 0.01 * 101
    assert main(["diff", str(a), str(b), "--rtol", "0.009"]) == 1


def test_directories_and_broken_pipes_give_no_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "d.npz").mkdir()
    (tmp_path / "d.safetensors").mkdir()
    (tmp_path / "plain").mkdir()
    prefix = str(FIXTURES / "partitioned/model.ckpt-7")
    for args in (("inspect", tmp_path / "d.npz"), ("inspect", tmp_path / "d.safetensors"),
                 ("inspect", tmp_path / "plain"), ("convert", prefix, tmp_path / "plain"),
                 ("convert", prefix, f"{tmp_path}/new/"), ("diff", prefix, tmp_path / "d.npz")):
        assert main([str(a) for a in args]) == 2, args  # an exception would fail the test here
        assert capsys.readouterr().err.startswith(f"varscope {args[0]}: error: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.npz", "d.safetensors", "plain"]  # nothing written
    assert not list((tmp_path / "plain").iterdir())
    # Output into a pipe whose reader has gone, as `| head` leaves it: rich and plain output, values, JSON.
    for rich, args in ((True, ("inspect", prefix)), (True, ("diff", prefix, FIXTURES / "sharded/model.ckpt")),
                       (False, ("inspect", prefix, "--tree")), (False, ("inspect", prefix, "--all")),
                       (False, ("inspect", prefix, "--json"))):
        read_end, write_end = os.pipe()
        os.close(read_end)
        try:
            result = _run(*args, rich=rich, stdout=write_end)
        finally:
            os.close(write_end)
        assert result.returncode == 141, (args, result.stderr)
        assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr, result.stderr


def test_safetensors_round_trip_keeps_partitioning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = FIXTURES / "partitioned/model.ckpt-7"
    st, back = tmp_path / "m.safetensors", tmp_path / "back/model.ckpt-7"
    assert main(["convert", str(source), str(st)]) == 0
    assert main(["inspect", str(st), "--json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)["tensors"]}
    assert [n for n, r in rows.items() if r["partitioned"]] == ["model/emb", "model/emb/Adam", "model/emb/Adam_1"]
    assert main(["convert", str(st), str(back)]) == 0
    with BundleReader(source) as original, BundleReader(back) as copy:
        for name in original.keys():
            assert copy.saved_slices(name) == original.saved_slices(name), name
    for suffix in (".index", ".data-00000-of-00001"):  # the same files TF wrote, byte for byte
        assert (back.parent / (back.name + suffix)).read_bytes() == (source.parent / (source.name + suffix)).read_bytes()
    assert main(["convert", str(st), str(tmp_path / "again.safetensors")]) == 0
    assert SafetensorsReader(tmp_path / "again.safetensors").saved_slices("model/emb") == [
        ((0, 0), (4, 3)), ((4, 0), (3, 3)), ((7, 0), (3, 3))]
    capsys.readouterr()
    assert main(["convert", str(st), str(tmp_path / "m.npz")]) == 0
    assert ".npz keeps no partitioning; 3 partitioned tensors are stored merged" in capsys.readouterr().err


EVIL = ["evil\x1b[2J\x07name", "bidi\u202eexe.fdp", "[bold red]markup[/]", "bad/\udcffbyte", "line\u2028break"]
SHOWN = ["evil\\x1b[2J\\x07name", "bidi\\u202eexe.fdp", "[bold red]markup[/]", "bad/\\xffbyte", "line\\u2028break"]


@pytest.mark.parametrize("rich", [True, False])
def test_control_characters_in_names_are_escaped(rich: bool, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    if rich:
        pytest.importorskip("rich")
    prefix = tmp_path / "model.ckpt"
    write_bundle(prefix, {name: np.ones(2, np.float32) for name in EVIL})
    write_bundle(tmp_path / "other", {"plain": np.ones(1)})

    def run(*args: str | Path) -> tuple[int, str, str]:
        if rich:  # in this process, with rich
            code = main([str(a) for a in args])
            captured = capsys.readouterr()
            return code, captured.out, captured.err
        result = _run(*args, rich=False)
        return result.returncode, result.stdout, result.stderr

    for args in (("inspect", prefix), ("inspect", prefix, "--tree"), ("inspect", prefix, "--all"),
                 ("diff", prefix, tmp_path / "other")):
        code, out, err = run(*args)
        assert code in (0, 1), err
        assert not any(c in out for c in "\x1b\x07\u202e\u2028"), (args, out)
        for shown in SHOWN:
            leaf = shown.rsplit("/", 1)[-1] if "--tree" in args else shown
            assert leaf in out, (args, shown, out)
    code, out, err = run("inspect", prefix, "--tensor", "nope\x1b]0;title\x07")
    assert code == 2 and "\x1b" not in err and "\\x1b]0;title" in err


@pytest.mark.parametrize("module", ["varscope.cli", "varscope._console", "varscope.checkpoint.formats",
                                    "varscope.checkpoint.safetensors_io", "varscope.train.reader"])
def test_docstring_examples_run(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
