"""The single exception type raised for malformed or unreadable checkpoint data."""

from __future__ import annotations

import os

__all__ = ["CheckpointError"]


class CheckpointError(ValueError):
    """A checkpoint file is malformed, truncated, corrupted or cannot be represented.

    The message always names the file (when one is involved) and the problem, e.g.
    ``"model.ckpt.index: bad table magic 0x0"``. It subclasses :class:`ValueError`, so
    code written against TensorFlow's ``ValueError``-raising helpers keeps working.

    Attributes:
        path: the offending file, or ``None`` for in-memory data.
        problem: the message without the file name.

    Example:
        >>> err = CheckpointError("bad CRC", path="m.ckpt.index")
        >>> str(err)
        'm.ckpt.index: bad CRC'
        >>> isinstance(err, ValueError)
        True
    """

    def __init__(self, problem: str, path: str | os.PathLike[str] | None = None) -> None:
        self.problem = problem
        self.path = None if path is None else os.fspath(path)
        super().__init__(problem if self.path is None else f"{self.path}: {problem}")

    def with_path(self, path: str | os.PathLike[str]) -> CheckpointError:
        """Returns this error with ``path`` attached, unless it already names a file."""
        if self.path is not None:
            return self
        return CheckpointError(self.problem, path)
