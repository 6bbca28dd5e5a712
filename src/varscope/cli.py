"""The ``varscope`` command line: inspect, convert and diff checkpoint files.

Examples::

    varscope inspect ckpt/model.ckpt-7 --tree
    varscope convert ckpt/model.ckpt-7 model.safetensors
    varscope diff model.safetensors ckpt/model.ckpt-7
    varscope demo

Files are recognized by suffix: ``.safetensors``, ``.npz``, otherwise a TF checkpoint prefix
(or a directory holding a ``checkpoint`` state file).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

from varscope.checkpoint import BundleReader, BundleWriter, CheckpointError, detect_format, open_tensors
from varscope.checkpoint.formats import AnyReader
from varscope.checkpoint.npz_io import save_npz
from varscope.checkpoint.paths import normalize_prefix
from varscope.checkpoint.safetensors_io import safetensors_dtype_code, save_safetensors

__all__ = ["main"]


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

    return Console(stderr=stderr, highlight=False)


def _cmd_inspect(args: argparse.Namespace) -> int:
    reader = open_tensors(args.checkpoint, args.format)
    try:
        rows: list[dict[str, Any]] = []
        for name in reader.keys():
            shape = reader.shape(name)
            rows.append({
                "name": name,
                "dtype": _dtype_str(reader, name),
                "shape": list(shape),
                "elements": math.prod(shape),
                "bytes": reader.nbytes_on_disk(name),
                "partitioned": isinstance(reader, BundleReader) and reader.is_partitioned(name),
            })
    finally:
        reader.close()
    totals = {
        "tensors": len(rows),
        "elements": sum(r["elements"] for r in rows),
        "bytes": sum(r["bytes"] for r in rows),
    }
    if args.json:
        report = {"path": str(args.checkpoint), "format": detect_format(args.checkpoint, args.format),
                  "tensors": rows, "totals": totals}
        print(json.dumps(report, indent=2))
        return 0
    from rich.table import Table
    from rich.tree import Tree

    console = _console()
    summary = f"{totals['tensors']} tensors, {totals['elements']:,} elements, {_human(totals['bytes'])}"
    if args.tree:
        tree = Tree(f"[bold]{args.checkpoint}[/] ({summary})")
        nodes: dict[str, Any] = {"": tree}
        for row in rows:
            parts = row["name"].split("/")
            for depth in range(1, len(parts)):
                scope = "/".join(parts[:depth])
                if scope not in nodes:
                    nodes[scope] = nodes["/".join(parts[: depth - 1])].add(f"[bold blue]{parts[depth - 1]}/[/]")
            parent = nodes["/".join(parts[:-1])]
            parent.add(f"{parts[-1]}  [green]{row['dtype']}[/] {tuple(row['shape'])}  {_human(row['bytes'])}"
                       + ("  [yellow](partitioned)[/]" if row["partitioned"] else ""))
        console.print(tree)
        return 0
    table = Table(title=str(args.checkpoint), caption=summary)
    for column, justify in (("name", "left"), ("dtype", "left"), ("shape", "left"), ("size", "right")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for row in rows:
        name = row["name"] + (" [yellow](partitioned)[/]" if row["partitioned"] else "")
        table.add_row(name, row["dtype"], str(tuple(row["shape"])), _human(row["bytes"]))
    console.print(table)
    return 0


def _cmd_convert(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TransferSpeedColumn

    source = open_tensors(args.src, args.from_format)
    target = detect_format(args.dst, args.to_format)
    try:
        names = source.keys()
        if target == "safetensors":  # fail before reading anything
            for name in names:
                safetensors_dtype_code(name, source.dtype(name))
        total = sum(source.nbytes_on_disk(n) for n in names)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TransferSpeedColumn())
        with Progress(*columns, console=_console(stderr=True), transient=True) as progress:
            task = progress.add_task(f"converting to {target}", total=len(names))
            if target == "tf":
                with BundleWriter(normalize_prefix(args.dst)) as writer:
                    for name in sorted(names, key=lambda n: n.encode("utf-8", "surrogateescape")):
                        writer.add(name, source.get_tensor(name))
                        progress.advance(task)
            else:
                tensors = {}
                for name in names:
                    tensors[name] = source.get_tensor(name)
                    progress.advance(task)
                (save_safetensors if target == "safetensors" else save_npz)(args.dst, tensors)
    finally:
        source.close()
    _console(stderr=True).print(f"wrote {len(names)} tensors ({_human(total)}) to {args.dst} [{target}]")
    return 0


def _max_abs_diff(a: np.ndarray, b: np.ndarray) -> float | None:
    if a.dtype.kind == "O" or b.dtype.kind == "O":
        return None
    if a.size == 0:
        return 0.0
    x = a.astype(np.complex128 if a.dtype.kind == "c" or b.dtype.kind == "c" else np.float64)
    y = b.astype(x.dtype)
    with np.errstate(invalid="ignore"):
        diff = np.abs(x - y)
    same_nan = np.isnan(x) & np.isnan(y) if x.dtype.kind == "f" else np.zeros(x.shape, bool)
    diff = np.where(same_nan, 0.0, diff)
    return float(np.nanmax(np.where(np.isnan(diff), np.inf, diff)))


def _cmd_diff(args: argparse.Namespace) -> int:
    a = open_tensors(args.a, args.format_a)
    b = open_tensors(args.b, args.format_b)
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
                diff = _max_abs_diff(va, vb)
                if diff is None:
                    if va.reshape(-1).tolist() != vb.reshape(-1).tolist():
                        item["values"] = "strings differ"
                elif diff > args.atol:
                    item["max_abs_diff"] = diff
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
    console = _console()
    for name in report["missing"]:
        console.print(f"[red]- {name}[/]  (only in {args.a})")
    for name in report["extra"]:
        console.print(f"[green]+ {name}[/]  (only in {args.b})")
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
        console.print(f"[yellow]~ {item['name']}[/]  " + ", ".join(notes))
    verdict = "differ" if differ else "match"
    console.print(f"{report['equal']} equal, {len(report['changed'])} changed, "
                  f"{len(report['missing'])} missing, {len(report['extra'])} extra: checkpoints {verdict}")
    return 1 if differ else 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from varscope.demo import main as demo_main

    result = demo_main()
    return int(result) if isinstance(result, int) else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="varscope",
        description="Inspect, convert and compare TF checkpoints, safetensors and .npz files.",
    )
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("inspect", help="list tensors: names, dtypes, shapes, sizes and totals")
    p.add_argument("checkpoint", help="TF checkpoint prefix or directory, .safetensors or .npz file")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.add_argument("--tree", action="store_true", help="group tensors by scope")
    p.add_argument("--format", help="force the format (tf, safetensors, npz)")
    p.set_defaults(func=_cmd_inspect)
    p = sub.add_parser("convert", help="convert between TF checkpoints, safetensors and .npz")
    p.add_argument("src")
    p.add_argument("dst")
    p.add_argument("--from", dest="from_format", help="format of SRC (default: by suffix)")
    p.add_argument("--to", dest="to_format", help="format of DST (default: by suffix)")
    p.set_defaults(func=_cmd_convert)
    p = sub.add_parser("diff", help="compare two checkpoints (exit code 1 if they differ)")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--atol", type=float, default=0.0, help="tolerated max abs difference (default 0)")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.add_argument("--format-a", help="force the format of A")
    p.add_argument("--format-b", help="force the format of B")
    p.set_defaults(func=_cmd_diff)
    p = sub.add_parser("demo", help="run the varscope demo")
    p.set_defaults(func=_cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit code (0 ok, 1 diff found, 2 error).

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
        return int(args.func(args))
    except (CheckpointError, FileNotFoundError, KeyError, ValueError) as err:
        message = err.args[0] if isinstance(err, KeyError) and err.args else err
        print(f"varscope {args.command}: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
