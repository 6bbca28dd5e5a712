"""The ``varscope`` command line: inspect, convert and diff checkpoint files.

Examples::

    varscope inspect ckpt/model.ckpt-7 --tree
    varscope inspect ckpt/model.ckpt-7 --tensor model/emb --full
    varscope convert ckpt/model.ckpt-7 model.safetensors
    varscope diff model.safetensors ckpt/model.ckpt-7 --atol 1e-6
    varscope demo

Files are recognized by suffix: ``.safetensors``, ``.npz``, or a TF checkpoint prefix (no
suffix, ``.ckpt``, ``.ckpt-N``, an existing ``<prefix>.index``, or a directory holding a
``checkpoint`` state file). Any other suffix is an error unless the format is named.

Tables, trees and progress bars use ``rich`` (the ``[cli]`` extra) when it is installed, plain
text otherwise.
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import os
import re
import sys
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from varscope._console import RICH_HINT, have_rich, markup, printable, render_table
from varscope.checkpoint import BundleReader, BundleWriter, CheckpointError, detect_format, open_tensors
from varscope.checkpoint.formats import AnyReader
from varscope.checkpoint.npz_io import NpzWriter
from varscope.checkpoint.paths import normalize_prefix
from varscope.checkpoint.safetensors_io import SafetensorsWriter, safetensors_dtype_code
from varscope.demo import main as demo_main

__all__ = ["main"]

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a process killed by the signal reports to a shell


def _dtype_str(reader: AnyReader, name: str) -> str:
    if isinstance(reader, BundleReader):
        return reader.dtype_name(name)
    dtype = reader.dtype(name)
    return "string" if dtype.kind == "O" else dtype.name


def _human(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # rich's default exits with status 1, which `diff` uses
            self.quiet = True
            raise BrokenPipeError

    return _Console(stderr=stderr, highlight=False)


def _hint() -> None:
    print(f"hint: {RICH_HINT}", file=sys.stderr)


def _saved_slices(reader: AnyReader, name: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    saved = getattr(reader, "saved_slices", None)
    return saved(name) if saved is not None else []


def _open(path: str, format: str | None) -> AnyReader:
    return open_tensors(path, detect_format(path, format, strict=True))


# -- inspect ------------------------------------------------------------------------------------


def _print_values(reader: AnyReader, args: argparse.Namespace) -> int:
    keys = reader.keys()
    if args.all:
        names = keys
    else:
        names = []
        for name in args.tensor:
            if not reader.has_tensor(name):
                close = difflib.get_close_matches(name, keys, n=3)
                hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
                raise KeyError(f"tensor {name!r} not found in {args.checkpoint}{hint}")
            names.append(name)
    options: dict[str, Any] = {}
    if args.full:
        options["threshold"] = sys.maxsize
    elif args.threshold is not None:
        options["threshold"] = args.threshold
    for key in ("precision", "linewidth", "edgeitems"):
        if getattr(args, key) is not None:
            options[key] = getattr(args, key)
    out = sys.stdout
    with np.printoptions(**options):
        for name in names:
            value = reader.get_tensor(name)
            out.write(f"tensor_name:  {printable(name)}\n{value}\n")  # TF inspect_checkpoint's layout
    return 0


def _cmd_inspect(args: argparse.Namespace) -> int:
    if args.json and (args.tensor or args.all):
        raise ValueError("--json lists tensors; it cannot print values (drop --json to see --tensor/--all)")
    printing = [f"--{k}" for k in ("threshold", "precision", "linewidth", "edgeitems") if getattr(args, k) is not None]
    if (printing or args.full) and not (args.tensor or args.all):
        raise ValueError(f"{(printing or ['--full'])[0]} applies to printed values: add --tensor NAME or --all")
    fmt = detect_format(args.checkpoint, args.format, strict=True)
    reader = open_tensors(args.checkpoint, fmt)
    try:
        if args.tensor or args.all:
            return _print_values(reader, args)
        rows: list[dict[str, Any]] = []
        for name in reader.keys():
            shape = reader.shape(name)
            rows.append({
                "name": name,
                "dtype": _dtype_str(reader, name),
                "shape": list(shape),
                "elements": math.prod(shape),
                "bytes": reader.nbytes_on_disk(name),
                "partitioned": bool(_saved_slices(reader, name)),
            })
    finally:
        reader.close()
    totals = {
        "tensors": len(rows),
        "elements": sum(r["elements"] for r in rows),
        "bytes": sum(r["bytes"] for r in rows),
    }
    if args.json:
        report = {"path": str(args.checkpoint), "format": fmt, "tensors": rows, "totals": totals}
        print(json.dumps(report, indent=2))
        return 0
    summary = f"{totals['tensors']} tensors, {totals['elements']:,} elements, {_human(totals['bytes'])}"
    rich = have_rich()
    if args.tree:
        _print_tree(rows, f"{args.checkpoint} ({summary})", rich)
    elif rich:
        from rich.table import Table

        table = Table(title=markup(str(args.checkpoint)), caption=summary)
        for column, justify in (("name", "left"), ("dtype", "left"), ("shape", "left"), ("size", "right")):
            table.add_column(column, justify=justify)  # type: ignore[arg-type]
        for row in rows:
            name = markup(row["name"]) + (" [yellow](partitioned)[/]" if row["partitioned"] else "")
            table.add_row(name, row["dtype"], str(tuple(row["shape"])), _human(row["bytes"]))
        _console().print(table)
    else:
        render_table(
            [("name", "left"), ("dtype", "left"), ("shape", "left"), ("size", "right")],
            [[printable(r["name"]) + (" (partitioned)" if r["partitioned"] else ""), r["dtype"],
              str(tuple(r["shape"])), _human(r["bytes"])] for r in rows],
            title=printable(str(args.checkpoint)), caption=summary,
        )
    if not rich:
        _hint()
    return 0


def _print_tree(rows: list[dict[str, Any]], title: str, rich: bool) -> None:
    def leaf(row: dict[str, Any], name: str) -> str:
        size = f"{tuple(row['shape'])}  {_human(row['bytes'])}"
        if rich:
            return f"{markup(name)}  [green]{row['dtype']}[/] {size}" + ("  [yellow](partitioned)[/]" * row["partitioned"])
        return f"{printable(name)}  {row['dtype']} {size}" + ("  (partitioned)" * row["partitioned"])

    if rich:
        from rich.tree import Tree

        root: Any = Tree(f"[bold]{markup(title)}[/]")
        nodes: dict[str, Any] = {"": root}
        for row in rows:
            parts = row["name"].split("/")
            for depth in range(1, len(parts)):
                scope = "/".join(parts[:depth])
                if scope not in nodes:
                    nodes[scope] = nodes["/".join(parts[: depth - 1])].add(f"[bold blue]{markup(parts[depth - 1])}/[/]")
            nodes["/".join(parts[:-1])].add(leaf(row, parts[-1]))
        _console().print(root)
        return
    print(printable(title))
    seen: set[str] = set()
    for row in rows:
        parts = row["name"].split("/")
        for depth in range(1, len(parts)):
            scope = "/".join(parts[:depth])
            if scope not in seen:
                seen.add(scope)
                print("  " * depth + printable(parts[depth - 1]) + "/")
        print("  " * len(parts) + leaf(row, parts[-1]))


# -- convert ------------------------------------------------------------------------------------


class _Progress:
    """Byte counts for reading the source and writing the destination: a rich bar, or plain text on a terminal."""

    def __init__(self, read_total: int, write_total: int, target: str, show: bool = True) -> None:
        self._rich: Any = None
        rich = show and have_rich()
        self._plain = show and not rich and sys.stderr.isatty()
        self._done = {"read": 0, "write": 0}
        self._totals = {"read": read_total, "write": write_total}
        self._shown = 0.0
        if rich:
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )

            columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                       TimeRemainingColumn())
            self._rich = Progress(*columns, console=_console(stderr=True), transient=True)
            self._tasks = {"read": self._rich.add_task("reading", total=read_total),
                           "write": self._rich.add_task(f"writing {target}", total=write_total)}

    def __enter__(self) -> _Progress:
        if self._rich is not None:
            self._rich.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._rich is not None:
            self._rich.stop()
        elif self._plain:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()

    def advance(self, which: str, nbytes: int) -> None:
        self._done[which] += nbytes
        if self._rich is not None:
            self._rich.advance(self._tasks[which], nbytes)
        elif self._plain and (time.monotonic() - self._shown > 0.2):
            self._shown = time.monotonic()
            read, write = (f"{_human(self._done[k])} of {_human(self._totals[k])}" for k in ("read", "write"))
            sys.stderr.write(f"\rread {read}, wrote {write}\x1b[K")
            sys.stderr.flush()

    def finish(self, which: str) -> None:
        """Marks ``which`` complete (the destination's real size can differ from the estimate)."""
        self._done[which] = self._totals[which] = max(self._done[which], self._totals[which])
        if self._rich is not None:
            self._rich.update(self._tasks[which], total=self._totals[which], completed=self._totals[which])


def _size_in_memory(reader: AnyReader, name: str) -> int:
    dtype = reader.dtype(name)
    if dtype.kind == "O":
        return reader.nbytes_on_disk(name)
    return math.prod(reader.shape(name)) * dtype.itemsize


def _destination_format(path: str, format: str | None) -> str:
    if os.path.isdir(path) or path.endswith(("/", os.sep)):
        raise ValueError(f"{path!r} is a directory; name a file or checkpoint prefix in it, "
                         f"e.g. {os.path.join(path, 'model.ckpt')!r}")
    return detect_format(path, format, strict=True)


# Files of at least this many bytes get a progress bar on a terminal (unless --progress / --no-progress says otherwise).
_PROGRESS_MIN_BYTES = 100 << 20


def _show_progress(flag: bool | None, nbytes: int, stream: Any) -> bool:
    """Whether ``convert`` shows progress: as ``--progress`` / ``--no-progress`` say, else for a source of
    100 MB or more when ``stream`` (stderr) is a terminal; a bar in a log or a pipe is noise (and importing
    rich for it cost 0.07 s of a 0.5 s convert of GPT-2 124M)."""
    if flag is not None:
        return flag
    return nbytes >= _PROGRESS_MIN_BYTES and bool(getattr(stream, "isatty", lambda: False)())


def _rename_rules(specs: Sequence[str]) -> list[tuple[re.Pattern[str], str]]:
    rules = []
    for spec in specs:
        pattern, sep, repl = spec.partition("=")
        if not sep:
            raise ValueError(f"--rename {spec!r}: expected PATTERN=REPLACEMENT (a regular expression and re.sub's "
                             "replacement, e.g. '^model/=gpt2/')")
        try:
            rules.append((re.compile(pattern), repl))
        except re.error as err:
            raise ValueError(f"--rename {spec!r}: bad regular expression: {err}") from None
    return rules


def _renamed(names: Sequence[str], rules: list[tuple[re.Pattern[str], str]]) -> dict[str, str]:
    """``{source name: destination name}`` after the ``--rename`` rules (each ``re.sub``, in order)."""
    out: dict[str, str] = {}
    taken: dict[str, str] = {}
    for name in names:
        new = name
        for pattern, repl in rules:
            try:
                new = pattern.sub(repl, new)
            except (re.error, IndexError) as err:
                raise ValueError(f"--rename {pattern.pattern!r}: bad replacement for {printable(name)!r}: {err}") from None
        if not new:
            raise ValueError(f"--rename makes the name of tensor {printable(name)!r} empty")
        if new in taken:
            raise ValueError(f"--rename maps both {printable(taken[new])!r} and {printable(name)!r} to "
                             f"{printable(new)!r}")
        taken[new] = name
        out[name] = new
    return out


def _cmd_convert(args: argparse.Namespace) -> int:
    """Streams the tensors one at a time: peak memory is about the largest tensor, not the model.

    A TF source is read through ``BundleReader.tensor_view`` (the data file's pages, CRC checked, no
    copy of its own), so each tensor costs one copy, into the destination file.
    """
    target = _destination_format(args.dst, args.to_format)
    rules = _rename_rules(args.rename)
    source = _open(args.src, args.from_format)
    try:
        names = source.keys()
        dest = _renamed(names, rules)
        if target == "safetensors":  # fail before reading anything
            for name in names:
                safetensors_dtype_code(dest[name], source.dtype(name))
        read_total = sum(source.nbytes_on_disk(n) for n in names)
        write_total = sum(_size_in_memory(source, n) for n in names)
        partitions = {dest[n]: s for n in names if (s := _saved_slices(source, n))}
        show = _show_progress(args.progress, read_total, sys.stderr)
        read = getattr(source, "tensor_view", source.get_tensor)

        def get(name: str) -> np.ndarray:
            value = read(name)
            progress.advance("read", source.nbytes_on_disk(name))
            return value

        with _Progress(read_total, write_total, target, show) as progress:
            if target == "tf":
                with BundleWriter(normalize_prefix(args.dst)) as writer:
                    for name in sorted(names, key=lambda n: dest[n].encode("utf-8", "surrogateescape")):
                        value = get(name)
                        if dest[name] in partitions:
                            for offsets, shape in partitions[dest[name]]:
                                region = tuple(slice(o, o + n) for o, n in zip(offsets, shape))
                                writer.add_slice(dest[name], value.shape, offsets, value[region])
                        else:
                            writer.add(dest[name], value)
                        del value
                        progress.advance("write", _size_in_memory(source, name))
            elif target == "safetensors":
                layout = {dest[n]: (source.dtype(n), source.shape(n)) for n in names}
                origin = {new: old for old, new in dest.items()}
                byte_range = getattr(source, "byte_range", lambda name: None)
                with SafetensorsWriter(args.dst, layout, partitions=partitions) as st_writer:
                    for new in st_writer.order:
                        old = origin[new]
                        where = byte_range(old)  # a TF tensor's bytes: copied in the kernel, CRC checked
                        if where is not None:
                            progress.advance("read", source.nbytes_on_disk(old))
                            st_writer.add_bytes(new, *where)
                        else:
                            st_writer.add(new, get(old))
                        progress.advance("write", _size_in_memory(source, old))
            else:
                with NpzWriter(args.dst) as npz_writer:
                    for name in names:
                        npz_writer.add(dest[name], get(name))
                        progress.advance("write", _size_in_memory(source, name))
            progress.finish("write")
    finally:
        source.close()
    if partitions and target == "npz":
        print(f"note: .npz keeps no partitioning; {len(partitions)} partitioned tensors are stored merged",
              file=sys.stderr)
    print(f"wrote {len(names)} tensors ({_human(write_total)}) to {printable(args.dst)} [{target}]", file=sys.stderr)
    return 0


# -- diff ---------------------------------------------------------------------------------------


def _compare(a: np.ndarray, b: np.ndarray, atol: float, rtol: float) -> tuple[float, bool] | None:
    """``(max abs difference, whether some element exceeds atol + rtol * |b|)``; ``None`` for strings."""
    if a.dtype.kind == "O" or b.dtype.kind == "O":
        return None
    if a.size == 0:
        return 0.0, False
    x = a.astype(np.complex128 if a.dtype.kind == "c" or b.dtype.kind == "c" else np.float64)
    y = b.astype(x.dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(x - y)
        same = (x == y) | (np.isnan(x) & np.isnan(y))  # equal infinities and NaN against NaN match
        diff = np.where(same, 0.0, np.where(np.isnan(diff), np.inf, diff))
        allowed = atol + rtol * np.where(np.isfinite(y), np.abs(y), 0.0)
    return float(diff.max()), bool((diff > allowed).any())


def _cmd_diff(args: argparse.Namespace) -> int:
    a = _open(args.a, args.format_a)
    try:
        b = _open(args.b, args.format_b)
    except BaseException:
        a.close()
        raise
    report: dict[str, Any] = {"missing": [], "extra": [], "changed": [], "equal": 0}
    try:
        ka, kb = set(a.keys()), set(b.keys())
        report["missing"] = sorted(ka - kb)
        report["extra"] = sorted(kb - ka)
        for name in sorted(ka & kb):
            da, db = _dtype_str(a, name), _dtype_str(b, name)
            sa, sb = a.shape(name), b.shape(name)
            item: dict[str, Any] = {"name": name}
            if da != db:
                item["dtype"] = [da, db]
            if sa != sb:
                item["shape"] = [list(sa), list(sb)]
            if sa == sb:
                va, vb = a.get_tensor(name), b.get_tensor(name)
                result = _compare(va, vb, args.atol, args.rtol)
                if result is None:
                    if va.reshape(-1).tolist() != vb.reshape(-1).tolist():
                        item["values"] = "strings differ"
                elif result[1]:
                    item["max_abs_diff"] = result[0]
            if len(item) > 1:
                report["changed"].append(item)
            else:
                report["equal"] += 1
    finally:
        a.close()
        b.close()
    differ = bool(report["missing"] or report["extra"] or report["changed"])
    if args.json:
        print(json.dumps(report, indent=2))
        return 1 if differ else 0
    rich = have_rich()
    console = _console() if rich else None
    esc = markup if rich else printable

    def say(style: str, text: str) -> None:
        if console is not None:
            console.print(f"[{style}]{text[:2]}[/]{text[2:]}" if style else text)
        else:
            print(text)

    for name in report["missing"]:
        say("red", f"- {esc(name)}  (only in {esc(args.a)})")
    for name in report["extra"]:
        say("green", f"+ {esc(name)}  (only in {esc(args.b)})")
    for item in report["changed"]:
        notes = []
        if "dtype" in item:
            notes.append(f"dtype {item['dtype'][0]} -> {item['dtype'][1]}")
        if "shape" in item:
            notes.append(f"shape {tuple(item['shape'][0])} -> {tuple(item['shape'][1])}")
        if "max_abs_diff" in item:
            notes.append(f"max abs diff {item['max_abs_diff']:.6g}")
        if "values" in item:
            notes.append(item["values"])
        say("yellow", f"~ {esc(item['name'])}  " + ", ".join(notes))
    verdict = "differ" if differ else "match"
    say("", f"{report['equal']} equal, {len(report['changed'])} changed, "
            f"{len(report['missing'])} missing, {len(report['extra'])} extra: checkpoints {verdict}")
    return 1 if differ else 0


def _cmd_demo(args: argparse.Namespace) -> int:
    result = demo_main()
    return int(result) if isinstance(result, int) else 0


# -- arguments ----------------------------------------------------------------------------------


def _tolerance(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value >= 0:  # also refuses NaN
        raise argparse.ArgumentTypeError(f"must be a non-negative number, got {text!r}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text!r}")
    return value


_FORMATS_HELP = """\
sources (SRC):
  a TF checkpoint prefix      ckpt/model.ckpt-7 (the files ckpt/model.ckpt-7.index and
                              .data-*-of-*; giving one of those files works too)
  a checkpoint directory      ckpt/ (its latest checkpoint, from the "checkpoint" state file)
  a .safetensors file         model.safetensors
  a .npz archive              model.npz

destinations (DST):
  a TF checkpoint prefix      out/model.ckpt (writes out/model.ckpt.index and .data-00000-of-00001;
                              the "checkpoint" state file is not touched)
  a .safetensors file         out/model.safetensors
  a .npz archive              out/model.npz

formats are chosen by suffix: .safetensors, .npz, and for TF a name without a suffix or ending
in .ckpt or .ckpt-N (or an existing prefix or directory). Any other suffix is an error: name the
format with --from/--to (tf, safetensors, npz).

what converts:
  tf -> safetensors: no string tensors (safetensors has no string dtype) and no complex128;
     partitioned variables are stored merged, and their slices recorded in the
     "varscope_partitions" metadata entry, so converting back to tf writes the same slices.
  any -> npz: every dtype (bfloat16, float8 and strings losslessly, never pickled); partitioning
     is not kept.
  any -> tf: every dtype; tensors are written in TF's order, as TF's Saver writes them.

streaming: tensors are read and written one at a time, so memory use is about the largest
  tensor, whatever the size of the model.

examples:
  varscope convert ckpt/model.ckpt-7 model.safetensors
  varscope convert ckpt/model.ckpt-7 renamed/model.ckpt --rename '^model/=gpt2/'
  varscope convert model.safetensors back/model.ckpt
  varscope convert weights.bin out.npz --from safetensors
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="varscope",
        description="Inspect, convert and compare TF checkpoints, safetensors and .npz files.",
        epilog='exit codes: 0 ok, 1 diff found differences, 2 error. Rich tables and progress bars need '
               '"varscope-tf1[cli]".',
    )
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser(
        "inspect", help="list tensors (names, dtypes, shapes, sizes, totals), or print their values",
        description="List the tensors of a checkpoint, or print values (--tensor, --all) as TF's "
                    "inspect_checkpoint does, with NumPy's print options.",
    )
    p.add_argument("checkpoint", help="TF checkpoint prefix or directory, .safetensors or .npz file")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.add_argument("--tree", action="store_true", help="group tensors by scope")
    p.add_argument("--format", help="force the format (tf, safetensors, npz)")
    values = p.add_argument_group("values")
    values.add_argument("--tensor", action="append", default=[], metavar="NAME",
                        help="print the value of tensor NAME (repeatable)")
    values.add_argument("--all", action="store_true", help="print the value of every tensor")
    values.add_argument("--threshold", type=_count, metavar="N",
                        help="summarize arrays with more than N elements (NumPy's default: 1000)")
    values.add_argument("--full", action="store_true", help="print every element, never summarize")
    values.add_argument("--precision", type=_count, metavar="N", help="digits after the decimal point (default 8)")
    values.add_argument("--linewidth", type=_count, metavar="N", help="characters per line (default 75)")
    values.add_argument("--edgeitems", type=_count, metavar="N",
                        help="items shown at each edge of a summarized dimension (default 3)")
    p.set_defaults(func=_cmd_inspect)
    p = sub.add_parser(
        "convert", help="convert between TF checkpoints, safetensors and .npz",
        description="Convert a checkpoint to another format (or rewrite it in the same one). Progress "
                    "counts bytes read and written.",
        epilog=_FORMATS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("src", help="what to read (see sources below)")
    p.add_argument("dst", help="what to write (see destinations below); replaced if it exists")
    p.add_argument("--from", dest="from_format", metavar="FORMAT", help="format of SRC: tf, safetensors or npz")
    p.add_argument("--to", dest="to_format", metavar="FORMAT", help="format of DST: tf, safetensors or npz")
    p.add_argument("--rename", action="append", default=[], metavar="PATTERN=REPL",
                   help="rename tensors: re.sub(PATTERN, REPL, name), rules applied in order (repeatable), "
                        "e.g. --rename '^model/=gpt2/'")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show progress (default: on a terminal, when the source holds 100 MB or more)")
    p.set_defaults(func=_cmd_convert)
    p = sub.add_parser("diff", help="compare two checkpoints (exit code 1 if they differ)",
                       description="Compare names, dtypes, shapes and values; values match when "
                                   "|a - b| <= atol + rtol * |b| elementwise (NaN matches NaN).")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--atol", type=_tolerance, default=0.0, help="absolute tolerance, >= 0 (default 0)")
    p.add_argument("--rtol", type=_tolerance, default=0.0, help="relative tolerance, >= 0 (default 0)")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.add_argument("--format-a", help="force the format of A")
    p.add_argument("--format-b", help="force the format of B")
    p.set_defaults(func=_cmd_diff)
    p = sub.add_parser("demo", help="run the varscope demo")
    p.set_defaults(func=_cmd_demo)
    return parser


def _silence_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit code (0 ok, 1 diff found, 2 error, 141 broken pipe).

    Example:
        >>> import tempfile, numpy as np
        >>> from varscope.checkpoint import save_tensors
        >>> path = tempfile.mkdtemp() + "/m.npz"
        >>> save_tensors(path, {"w": np.zeros(2)})
        >>> main(["diff", path, path, "--json"])  # doctest: +ELLIPSIS
        {
          "missing": [],
        ...
        0
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        code = int(args.func(args))
        sys.stdout.flush()
        return code
    except BrokenPipeError:  # e.g. `varscope inspect ckpt --all | head`
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        print(f"varscope {args.command}: interrupted", file=sys.stderr)
        return 130
    except (CheckpointError, OSError, KeyError, ValueError) as err:
        message = err.args[0] if isinstance(err, KeyError) and err.args else err
        print(f"varscope {args.command}: error: {printable(str(message))}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
