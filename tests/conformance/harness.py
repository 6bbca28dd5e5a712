"""Conformance harness: run the same scenarios on TensorFlow (``tf.compat.v1``) and on varscope.

A *scenario* is a plain function ``scenario(tf1, h)``.  ``tf1`` is either ``tensorflow.compat.v1`` (graph mode) or the
``varscope`` module; ``h`` is an :class:`H` that records normalized observations.  The records of a run under TF are
stored as a JSON fixture and a run under varscope must reproduce them exactly.

This module never imports TensorFlow at module level (the test suite runs without it).
"""

from __future__ import annotations

import re
import threading
from typing import Any, Callable, Dict, List, Mapping

__all__ = ["H", "normalize", "normalize_message", "run_scenarios", "Record"]

Record = List[Any]

_ADDR_RE = re.compile(r" at 0x[0-9a-fA-F]+")


def normalize_message(msg: str) -> str:
    """Replace memory addresses (`` at 0x7f..``) by `` at 0xADDR``."""
    return _ADDR_RE.sub(" at 0xADDR", msg)


class _Kinds:
    """The backend-specific classes ``normalize`` needs to recognise (filled by ``_kinds_for``)."""

    def __init__(self, variable_types=(), partitioned_types=(), dtype_types=(), auto_reuse=None):
        self.variable_types = tuple(t for t in variable_types if isinstance(t, type))
        self.partitioned_types = tuple(t for t in partitioned_types if isinstance(t, type))
        self.dtype_types = tuple(t for t in dtype_types if isinstance(t, type))
        self.auto_reuse = auto_reuse


_KINDS = _Kinds()
_KINDS_LOCK = threading.Lock()


def _kinds_for(tf1: Any, backend: str) -> _Kinds:
    if backend == "tf":
        import tensorflow as tf  # noqa: F401  (only when recording)
        from tensorflow.python.ops import variables as tf_variables

        return _Kinds(
            variable_types=(tf.Variable,),
            partitioned_types=(getattr(tf_variables, "PartitionedVariable", None),),
            dtype_types=(tf.dtypes.DType,),
            auto_reuse=tf1.AUTO_REUSE,
        )
    return _Kinds(
        variable_types=(getattr(tf1, "Variable", None),),
        partitioned_types=(getattr(tf1, "PartitionedVariable", None),),
        dtype_types=(getattr(tf1, "DType", None),),
        auto_reuse=getattr(tf1, "AUTO_REUSE", object()),
    )


def _is_shape(value: Any) -> bool:
    return type(value).__name__ == "TensorShape"


def normalize(value: Any, kinds: _Kinds | None = None) -> Any:
    """Turn ``value`` into a JSON-able value that compares equal across backends.

    * str/int/float/bool/None as-is; list/tuple -> list; dict -> dict (keys str);
    * a variable or partitioned variable -> its ``.name``; a TensorShape -> ``str(shape)``;
      a DType -> ``dtype.name``; the AUTO_REUSE sentinel -> ``"AUTO_REUSE"``;
    * numpy arrays and numpy scalars -> ``.tolist()`` (then normalized);
    * anything else -> ``repr`` with memory addresses replaced by `` at 0xADDR``.
    """
    k = kinds if kinds is not None else _KINDS
    if value is None or isinstance(value, (bool, str)):
        return value
    if k.auto_reuse is not None and value is k.auto_reuse:
        return "AUTO_REUSE"
    if isinstance(value, (int, float)) and type(value) in (int, float):
        return value
    if isinstance(value, (list, tuple)) and not _is_shape(value):
        return [normalize(x, k) for x in value]
    if isinstance(value, dict):
        return {str(key): normalize(x, k) for key, x in value.items()}
    if k.variable_types and isinstance(value, k.variable_types):
        return value.name
    if k.partitioned_types and isinstance(value, k.partitioned_types):
        return value.name
    if _is_shape(value):
        return str(value)
    if k.dtype_types and isinstance(value, k.dtype_types):
        return value.name
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        np = None
    if np is not None and isinstance(value, (np.ndarray, np.generic)):
        return normalize(value.tolist(), k)
    if isinstance(value, int):  # int subclasses (enums such as IntEnum) -> repr below would differ; keep value
        return int(value)
    if isinstance(value, float):
        return float(value)
    return normalize_message(repr(value))


def _error_record(e: BaseException) -> Record:
    return ["error", type(e).__name__, normalize_message(str(e))]


class H:
    """Recorder handed to every scenario."""

    def __init__(self, tf1: Any, backend: str, kinds: _Kinds | None = None):
        if backend not in ("tf", "varscope"):
            raise ValueError("backend must be 'tf' or 'varscope'")
        self.tf1 = tf1
        self.backend = backend
        self.kinds = kinds if kinds is not None else _kinds_for(tf1, backend)
        self.records: List[Record] = []
        self._lock = threading.Lock()

    # -- recording ---------------------------------------------------------------------------------------------
    def log(self, *values: Any) -> None:
        """Append one record: the normalized list of ``values``."""
        rec = [normalize(v, self.kinds) for v in values]
        with self._lock:
            self.records.append(rec)

    def expect_error(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn()``; log ``("error", type, message)`` if it raises, else ``("ok", result)``.

        Returns the result (``None`` when it raised)."""
        try:
            result = fn()
        except Exception as e:  # noqa: BLE001
            with self._lock:
                self.records.append(_error_record(e))
            return None
        self.log("ok", result)
        return result

    # -- backend bridges ---------------------------------------------------------------------------------------
    def op(self, name: str) -> str:
        """Create an op called ``name`` in the current name scope; return its tensor name (``"ns/name:0"``)."""
        if self.backend == "tf":
            return self.tf1.constant(0.0, name=name).name
        return self.tf1.get_default_graph().unique_name(name) + ":0"

    def value(self, v: Any):
        """The initial value of variable ``v`` as a numpy array (TF: via a session, creating no new ops)."""
        import numpy as np

        if self.backend == "tf":
            with self.tf1.Session(graph=v.graph) as sess:
                sess.run(v.initializer)
                return np.asarray(sess.run(v))
        return np.asarray(v.numpy())


def run_scenarios(tf1: Any, scenarios: Mapping[str, Callable], backend: str) -> Dict[str, List[Record]]:
    """Run every scenario in a fresh default graph; return ``{name: records}``.

    For TF, ``tf1.disable_eager_execution()`` is called once before.  An exception escaping a scenario is recorded
    as ``["error", type_name, normalized_message]`` (after what the scenario logged so far)."""
    global _KINDS
    if backend == "tf":
        tf1.disable_eager_execution()
    kinds = _kinds_for(tf1, backend)
    with _KINDS_LOCK:
        _KINDS = kinds
    out: Dict[str, List[Record]] = {}
    for name in sorted(scenarios):
        fn = scenarios[name]
        h = H(tf1, backend, kinds)
        outer_default = tf1.get_default_graph()
        try:
            with tf1.Graph().as_default():
                try:
                    fn(tf1, h)
                except Exception as e:  # noqa: BLE001
                    h.records.append(_error_record(e))
        except Exception as e:  # noqa: BLE001  (a scenario that broke the graph stack)
            h.records.append(["harness-error", type(e).__name__, normalize_message(str(e))])
        if tf1.get_default_graph() is not outer_default:
            h.records.append(["harness-error", "DefaultGraphLeak", name])
        out[name] = h.records
    return out
