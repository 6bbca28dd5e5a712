"""TensorFlow's error classes that TF1 model code catches (``tf.errors``), and varscope.compat's own.

Example:
    >>> from varscope.compat import errors
    >>> issubclass(errors.OperatorNotAllowedInGraphError, TypeError), issubclass(errors.InvalidArgumentError,
    ...                                                                          errors.OpError)
    (True, True)
"""

from __future__ import annotations

from typing import Any

__all__ = ["OpError", "InvalidArgumentError", "OutOfRangeError", "OperatorNotAllowedInGraphError",
           "NoSessionError"]


class OpError(Exception):
    """TF's ``tf.errors.OpError``: an op failed while running (``node_def``, ``op`` and ``message`` as TF)."""

    def __init__(self, node_def: Any, op: Any, message: str, *args: Any) -> None:
        super().__init__(message)
        self.node_def = node_def
        self.op = op
        self.message = message


class InvalidArgumentError(OpError):
    """TF's ``tf.errors.InvalidArgumentError`` (a failed assert op, an out-of-range gather index)."""


class OutOfRangeError(OpError):
    """TF's ``tf.errors.OutOfRangeError``."""


class OperatorNotAllowedInGraphError(TypeError):
    """TF's error for ``bool(tensor)`` and iterating over a tensor in graph mode."""


class NoSessionError(RuntimeError):
    """Raised by ``tf.Session`` and by reading a ``tf.placeholder``: varscope runs model code without a session.

    The message says what to do instead: pass the placeholder's value as an argument of the model function,
    run it with :func:`varscope.jax.transform` (``apply(params, ...)``), see docs/porting.md.
    """
