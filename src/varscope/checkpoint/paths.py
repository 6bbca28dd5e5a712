"""File names of a tensor bundle."""

from __future__ import annotations

import os
import re

__all__ = ["data_path", "index_path", "normalize_prefix"]

_SUFFIX = re.compile(r"\.(index|data-\d{5}-of-\d{5})$")


def normalize_prefix(path: str | os.PathLike[str]) -> str:
    """Strips a ``.index`` / ``.data-NNNNN-of-NNNNN`` suffix from a checkpoint path.

    Example:
        >>> normalize_prefix("ckpt/model.ckpt-7.index")
        'ckpt/model.ckpt-7'
    """
    return _SUFFIX.sub("", os.fspath(path))


def index_path(prefix: str) -> str:
    """``prefix.index``."""
    return prefix + ".index"


def data_path(prefix: str, shard: int, num_shards: int) -> str:
    """``prefix.data-SSSSS-of-NNNNN``.

    Example:
        >>> data_path("m", 0, 1)
        'm.data-00000-of-00001'
    """
    return "%s.data-%05d-of-%05d" % (prefix, shard, num_shards)
