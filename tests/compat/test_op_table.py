"""docs/porting.md's op table names ops that exist, and lists every op whose signature and cases are recorded."""

from __future__ import annotations

import re
from pathlib import Path

from compat import replay

DOC = Path(__file__).resolve().parents[2] / "docs" / "porting.md"


def _table() -> dict[str, tuple[str, str]]:
    rows: dict[str, tuple[str, str]] = {}
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Op table", 1)[1].split("\n## ", 1)[0]
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("family", "---"):
            continue
        for op in re.findall(r"`([A-Za-z_][A-Za-z0-9_.]*)`", cells[1]):
            rows[op] = (cells[0], cells[2])
    return rows


def test_every_listed_op_exists():
    from varscope.compat import v1 as tf

    missing = []
    for op in _table():
        obj = tf
        for part in op.split("."):
            obj = getattr(obj, part, None)
        if obj is None:
            missing.append(op)
    assert not missing, f"docs/porting.md lists ops varscope.compat.v1 lacks: {missing}"


def test_every_recorded_op_is_listed_in_its_family():
    table = _table()
    for family in replay.families():
        signatures = replay.load_fixture(family)[0].get("signatures", {})
        absent = [op for op in signatures if op not in table]
        assert not absent, f"ops of {family} recorded but not in docs/porting.md's op table: {absent}"
        wrong = [op for op in signatures if table[op][0] != family and op not in ("cast", "identity")]
        assert not wrong, f"ops of {family} listed under another family: {wrong}"
