"""Exceptions raised by :mod:`varscope.train`.

Both subclass the built-in exception that code written against TensorFlow usually catches
(``KeyError`` for absent keys, ``ValueError`` for a checkpoint that does not fit the model).

Example:
    >>> err = NotFoundError("Key w not found in checkpoint")
    >>> str(err), isinstance(err, KeyError)
    ('Key w not found in checkpoint', True)
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["CheckpointMismatchError", "NotFoundError"]


class NotFoundError(KeyError):
    """A tensor key is not in the checkpoint (TensorFlow's ``tf.errors.NotFoundError``).

    Unlike a plain ``KeyError``, ``str()`` gives the message without extra quotes.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class CheckpointMismatchError(ValueError):
    """A checkpoint does not match the variables it is loaded into.

    Raised by strict loading (:func:`~varscope.train.load_variables`) and by
    :class:`~varscope.train.Saver` restores, with every problem listed at once.

    Attributes:
        path: the checkpoint that was read.
        missing_keys: model keys with no tensor in the checkpoint.
        unexpected_keys: checkpoint keys no variable asked for.
        mismatches: one line per shape or dtype conflict.

    Example:
        >>> err = CheckpointMismatchError("m.ckpt", missing_keys=["a"], unexpected_keys=["b"])
        >>> print(err)
        checkpoint m.ckpt does not match the variables:
          missing keys (in the model, not in the checkpoint): ['a']
          unexpected keys (in the checkpoint, not in the model): ['b']
    """

    def __init__(
        self,
        path: str,
        *,
        missing_keys: Sequence[str] = (),
        unexpected_keys: Sequence[str] = (),
        mismatches: Sequence[str] = (),
    ) -> None:
        self.path = path
        self.missing_keys = list(missing_keys)
        self.unexpected_keys = list(unexpected_keys)
        self.mismatches = list(mismatches)
        lines = [f"checkpoint {path} does not match the variables:"]
        if self.missing_keys:
            lines.append(f"  missing keys (in the model, not in the checkpoint): {self.missing_keys}")
        if self.unexpected_keys:
            lines.append(f"  unexpected keys (in the checkpoint, not in the model): {self.unexpected_keys}")
        lines += [f"  {m}" for m in self.mismatches]
        super().__init__("\n".join(lines))
