"""``tf.summary`` (TF 1.x's ``tf.compat.v1.summary``): summary ops that build but record nothing.

TF1 model files call ``tf.summary.scalar`` / ``histogram`` / ``image`` while building the model (DCGAN's
``ops.py`` reads the names at import time). Here each makes the op TF makes in graph mode, with TF's name
(the summary's name made unique in the current name scope: ``d_loss``, ``d_loss_1``, ``model/d_loss``), type
(``ScalarSummary``, ``HistogramSummary``, ``ImageSummary``, ``MergeSummary``), a scalar ``tf.string`` value and its
place in the ``summaries`` collection, but its value is the empty bytestring: TF documents that value for its
summary ops when they write through a TF 2 writer instead ("the return value will be an empty bytestring
tensor"), and ``merge`` accepts it. No event file is written; :class:`FileWriter` raises and says so.
(``tools/record_tf_summaries.py`` records TF 2.21's names, types and collections; ``tests/compat/test_summary.py``.)

Example:
    >>> from varscope.compat import v1 as tf
    >>> with tf.Graph().as_default():
    ...     s = tf.summary.scalar("loss", tf.constant(1.0))
    ...     merged = tf.summary.merge_all()
    >>> s.name, s.op.type, s.dtype, merged.name, merged.op.type
    ('loss:0', 'ScalarSummary', tf.string, 'Merge/MergeSummary:0', 'MergeSummary')
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from varscope import _graph
from varscope._dtypes import string
from varscope.compat import _op
from varscope.compat._tensor import Tensor

__all__ = ["scalar", "histogram", "image", "audio", "text", "merge", "merge_all", "FileWriter"]


def _clean_tag(name: Any) -> Any:
    """TF's ``clean_tag``: characters other than ``[-/\\w.]`` become ``_``, a leading ``/`` goes."""
    if name is None:
        return None
    new = re.sub(r"[^-/\w\.]", "_", str(name))
    return new.lstrip("/")


def _summary(op_type: str, name: Any, family: Any, collections: Any) -> Tensor:
    name = _clean_tag(name)
    family = _clean_tag(family)
    base = name if family is None else f"{family}/{name}"
    with _graph.get_default_graph().name_scope(base) as scope:
        value = _op.result(np.asarray(b""), op_type, scope, dtype=string)
    _graph.add_to_collections(list(collections) if collections is not None else [_graph.GraphKeys.SUMMARIES],
                              value)
    return value


def scalar(name: Any, tensor: Any, collections: Any = None, family: Any = None) -> Tensor:
    """TF's ``summary.scalar``: a ``ScalarSummary`` op named ``name``, in ``collections`` (default ``summaries``)."""
    return _summary("ScalarSummary", name, family, collections)


def histogram(name: Any, values: Any, collections: Any = None, family: Any = None) -> Tensor:
    """TF's ``summary.histogram``: a ``HistogramSummary`` op (see :func:`scalar`)."""
    return _summary("HistogramSummary", name, family, collections)


def image(name: Any, tensor: Any, max_outputs: int = 3, collections: Any = None, family: Any = None) -> Tensor:
    """TF's ``summary.image``: an ``ImageSummary`` op (see :func:`scalar`)."""
    return _summary("ImageSummary", name, family, collections)


def audio(name: Any, tensor: Any, sample_rate: Any, max_outputs: int = 3, collections: Any = None,
          family: Any = None) -> Tensor:
    """TF's ``summary.audio``: an ``AudioSummaryV2`` op (see :func:`scalar`)."""
    return _summary("AudioSummaryV2", name, family, collections)


def text(name: Any, tensor: Any, collections: Any = None) -> Tensor:
    """TF's ``summary.text``: a ``TensorSummaryV2`` op (see :func:`scalar`)."""
    return _summary("TensorSummaryV2", name, None, collections)


def merge(inputs: Any, collections: Any = None, name: Any = None) -> Tensor:
    """TF's ``summary.merge``: a ``MergeSummary`` op in the scope ``name`` (default ``Merge``), in ``collections``
    (default none)."""
    with _op.scope(_clean_tag(name), "Merge"):
        value = _op.result(np.asarray(b""), "MergeSummary", _clean_tag(name), dtype=string)
    _graph.add_to_collections(list(collections or []), value)
    return value


def merge_all(key: Any = _graph.GraphKeys.SUMMARIES, scope: Any = None, name: Any = None) -> Tensor | None:
    """TF's ``summary.merge_all``: :func:`merge` of the collection ``key``; None when it is empty."""
    ops = _graph.get_collection(key, scope=scope)
    if not ops:
        return None
    return merge(ops, name=name)


class FileWriter:
    """TF's ``summary.FileWriter`` is not implemented: varscope writes no event files."""

    def __init__(self, logdir: Any, graph: Any = None, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(
            f"tf.summary.FileWriter({logdir!r}): varscope writes no event files (its summary ops build and hold an "
            "empty bytestring). Remove the writer, or write summaries with another library (for example "
            "tensorboardX) from the values you compute.")
