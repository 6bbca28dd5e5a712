"""The writers' shared part: finish on success, abort on error; one file written under a temporary name.

:class:`Publishing` is the protocol of every writer (``BundleWriter`` too): ``with`` calls :meth:`finish` when the
block succeeds and :meth:`abort` when it raises.

A reader of ``path`` sees the old file or the whole new one, never a part: :meth:`AtomicWriter.finish` renames
the finished temporary file over ``path`` (``os.replace``), and :meth:`AtomicWriter.abort`, called on any
error and when the ``with`` block raises, removes it. Subclasses open their output on ``self._temp`` into
``self._out`` (anything with ``close()``) and may write a trailer in :meth:`AtomicWriter._before_close`.

Example:
    >>> import os, tempfile
    >>> class Text(AtomicWriter):
    ...     def __init__(self, path):
    ...         super().__init__(path)
    ...         self._out = open(self._temp, "w")
    ...     def write(self, text):
    ...         self._guarded(self._writable().write, text)
    >>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> with Text(path) as w:
    ...     w.write("hi")
    >>> open(path).read(), os.listdir(os.path.dirname(path))
    ('hi', ['a.txt'])
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

__all__ = ["AtomicWriter", "Publishing"]

_W = TypeVar("_W", bound="Publishing")
_R = TypeVar("_R")


class Publishing:
    """A writer whose output appears only when :meth:`finish` succeeds; ``with`` finishes or aborts it."""

    def finish(self) -> None:
        """Makes the output visible."""
        raise NotImplementedError

    def abort(self) -> None:
        """Discards the output."""
        raise NotImplementedError

    def __enter__(self: _W) -> _W:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc_type is None:
            self.finish()
        else:
            self.abort()


class AtomicWriter(Publishing):
    """Base of a writer whose output appears at ``path`` only when :meth:`finish` succeeds.

    Args:
        path: The file to write (its directory is created).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        directory = os.path.dirname(self.path)
        if directory:
            os.makedirs(directory, exist_ok=True)
        self._temp = f"{self.path}.tmp{secrets.token_hex(8)}"
        self._out: Any = None  # the open output (None once finished or aborted)

    def _writable(self) -> Any:
        """The open output; raises ``ValueError`` once the writer is finished."""
        if self._out is None:
            raise ValueError("the writer is finished")
        return self._out

    def _guarded(self, fn: Callable[..., _R], *args: Any) -> _R:
        """``fn(*args)``, discarding the partial file if it raises."""
        try:
            return fn(*args)
        except BaseException:
            self.abort()
            raise

    def _before_close(self) -> None:
        """Called by :meth:`finish` before the output is closed (a trailer, a check)."""

    def finish(self) -> None:
        """Closes the output and renames it into place (nothing happens when already finished)."""
        if self._out is None:
            return
        try:
            self._before_close()
            self._out.close()
            self._out = None
            os.replace(self._temp, self.path)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Discards the partial file."""
        if self._out is not None:
            try:
                self._out.close()
            except (OSError, ValueError):
                pass
            self._out = None
        if os.path.exists(self._temp):
            os.remove(self._temp)
