"""Terminal output for the command line and the demo: rich when installed, plain text otherwise.

``rich`` is the optional ``[cli]`` extra. Without it tables are printed as aligned plain text and
:data:`RICH_HINT` says how to get the rich ones. Names from files are passed through
:func:`printable` first, so control characters in a tensor name cannot drive the terminal.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Sequence
from typing import Any, TextIO

__all__ = ["RICH_HINT", "have_rich", "markup", "printable", "render_table"]

RICH_HINT = 'rich tables and progress bars: pip install "varscope-tf1[cli]"'

_ESCAPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def have_rich() -> bool:
    """True if ``rich`` can be imported."""
    try:
        import rich  # noqa: F401
    except ImportError:
        return False
    return True


def printable(text: str) -> str:
    """``text`` with control, format, private-use, unassigned and line-separator characters escaped.

    An undecodable byte kept as a lone surrogate (``surrogateescape``) is shown as ``\\xNN``.

    Example:
        >>> printable("a\\x1b[2Jb\\u202e/\\udcff")
        'a\\\\x1b[2Jb\\\\u202e/\\\\xff'
    """
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch == " " or unicodedata.category(ch) not in _ESCAPED_CATEGORIES:
            out.append(ch)
            continue
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return "".join(out)


def markup(text: str) -> str:
    """:func:`printable` ``text``, with rich markup (``[...]``) escaped, for rich output."""
    from rich.markup import escape

    return escape(printable(text))


def render_table(
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    caption: str | None = None,
    file: TextIO | None = None,
) -> None:
    """Prints an aligned plain-text table; ``columns`` are ``(header, "left" | "right")``.

    Example:
        >>> render_table([("name", "left"), ("size", "right")], [["w", "8 B"], ["bias", "16 B"]])
        name  size
        ----  ----
        w      8 B
        bias  16 B
    """
    out: Any = file if file is not None else sys.stdout
    widths = [max([len(header)] + [len(row[i]) for row in rows]) for i, (header, _) in enumerate(columns)]

    def line(cells: Sequence[str]) -> str:
        parts = [c.rjust(w) if j == "right" else c.ljust(w) for c, w, (_, j) in zip(cells, widths, columns)]
        return "  ".join(parts).rstrip()

    if title:
        print(title, file=out)
    print(line([header for header, _ in columns]), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in rows:
        print(line(row), file=out)
    if caption:
        print(caption, file=out)
