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


def scenario_registry() -> tuple[Dict[str, Callable], Callable, Callable]:
    """A scenario module's table and its two decorators-of-sorts.

    ``scenario(fn)`` registers ``scn_<name>`` as ``<name>``; ``family(prefix, params, body)`` registers one
    scenario per ``(suffix, param)``: ``<prefix>__<suffix>`` runs ``body(tf1, h, param)``.
    """
    scenarios: Dict[str, Callable] = {}

    def scenario(fn: Callable) -> Callable:
        assert fn.__name__.startswith("scn_"), fn.__name__
        name = fn.__name__[len("scn_"):]
        assert name not in scenarios, name
        scenarios[name] = fn
        return fn

    def family(prefix: str, params: Any, body: Callable) -> None:
        for suffix, param in params:
            def fn(tf1: Any, h: Any, _param: Any = param) -> None:
                body(tf1, h, _param)
            fn.__name__ = "scn_%s__%s" % (prefix, suffix)
            scenario(fn)

    return scenarios, scenario, family


def error_type_name(e: BaseException) -> str:
    """The name of the exception type TF code would catch: varscope's own error classes
    (``varscope.errors.ShapeMismatchError``) subclass TF's type (``ValueError``), which is what TF records."""
    for cls in type(e).__mro__:
        if not cls.__module__.startswith("varscope"):
            return cls.__name__
    return type(e).__name__  # pragma: no cover


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
    return ["error", error_type_name(e), normalize_message(str(e))]


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
        """The initial value of variable ``v`` as a numpy array (TF: via a session, creating no new ops).

        ``v`` may also be a computed value (a TF tensor, a regularization loss, the result of arithmetic on variables,
        ``PartitionedVariable.as_tensor()``...): under TF every variable of its graph is initialized first and the
        tensor is fetched (a lazily evaluated regularization loss is fetched through its first tensor, so no new op is
        made); under varscope it is ``numpy()`` when available, else ``numpy.asarray``."""
        import numpy as np

        if self.backend == "tf":
            if hasattr(v, "initializer"):
                with self.tf1.Session(graph=v.graph) as sess:
                    sess.run(v.initializer)
                    return np.asarray(sess.run(v))
            t = getattr(v, "_master_tensor", v)
            g = t.graph
            inits = [x.initializer for key in ("variables", "local_variables") for x in g.get_collection(key)]
            with self.tf1.Session(graph=g) as sess:
                if inits:
                    sess.run(inits)
                return np.asarray(sess.run(t))
        if hasattr(v, "numpy"):
            return np.asarray(v.numpy())
        return np.asarray(v)

    def regularizer(self, kind: str, *args: Any, **kwargs: Any):
        """A TF1-contrib regularizer: ``kind`` is ``"l1"``, ``"l2"``, ``"l1_l2"`` or ``"sum"``.

        TensorFlow 2 has no ``tf.contrib.layers``; under TF this returns a faithful copy of contrib's
        ``l1_regularizer``/``l2_regularizer``/``l1_l2_regularizer``/``sum_regularizer`` (same name scopes, same ops,
        so the regularization-loss names are TF's), and under varscope ``varscope.regularizers.<kind>_regularizer``."""
        if self.backend == "tf":
            return _tf_contrib_regularizer(kind, *args, **kwargs)
        import importlib

        mod = importlib.import_module("varscope.regularizers")
        return getattr(mod, kind + "_regularizer")(*args, **kwargs)

    def partition_info(self, full_shape: Any, var_offset: Any):
        """Construct ``_PartitionInfo(full_shape, var_offset)`` (TF: ``variable_scope._PartitionInfo``; varscope:
        ``varscope.partitioners.PartitionInfo``, or a ``_PartitionInfo`` of the top-level module)."""
        if self.backend == "tf":
            from tensorflow.python.ops import variable_scope as tf_vs

            return tf_vs._PartitionInfo(full_shape, var_offset)
        import importlib

        cls = getattr(self.tf1, "_PartitionInfo", None)
        if cls is None:
            mod = importlib.import_module("varscope.partitioners")
            cls = getattr(mod, "PartitionInfo", None) or getattr(mod, "_PartitionInfo")
        return cls(full_shape, var_offset)


def _tf_contrib_regularizer(kind: str, *args: Any, **kwargs: Any):
    """TF1 ``tf.contrib.layers`` regularizers rebuilt from TF ops (contrib is gone from TF 2)."""
    import numbers

    from tensorflow.python.framework import ops
    from tensorflow.python.ops import math_ops, nn

    def l1_regularizer(scale, scope=None):
        if isinstance(scale, numbers.Integral):
            raise ValueError("scale cannot be an integer: %s" % (scale,))
        if isinstance(scale, numbers.Real):
            if scale < 0.0:
                raise ValueError("Setting a scale less than 0 on a regularizer: %g" % scale)
            if scale == 0.0:
                return lambda _: None

        def l1(weights, name=None):
            with ops.name_scope(scope, "l1_regularizer", [weights]) as name:
                my_scale = ops.convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
                return math_ops.multiply(my_scale, math_ops.reduce_sum(math_ops.abs(weights)), name=name)

        return l1

    def l2_regularizer(scale, scope=None):
        if isinstance(scale, numbers.Integral):
            raise ValueError("scale cannot be an integer: %s" % (scale,))
        if isinstance(scale, numbers.Real):
            if scale < 0.0:
                raise ValueError("Setting a scale less than 0 on a regularizer: %g." % scale)
            if scale == 0.0:
                return lambda _: None

        def l2(weights):
            with ops.name_scope(scope, "l2_regularizer", [weights]) as name:
                my_scale = ops.convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
                return math_ops.multiply(my_scale, nn.l2_loss(weights), name=name)

        return l2

    def sum_regularizer(regularizer_list, scope=None):
        regularizer_list = [reg for reg in regularizer_list if reg is not None]
        if not regularizer_list:
            return None

        def sum_reg(weights):
            with ops.name_scope(scope, "sum_regularizer", [weights]) as scope_name:
                tensors = [t for t in (reg(weights) for reg in regularizer_list) if t is not None]
                return math_ops.add_n(tensors, name=scope_name) if tensors else None

        return sum_reg

    def l1_l2_regularizer(scale_l1=1.0, scale_l2=1.0, scope=None):
        if isinstance(scale_l1, numbers.Integral):
            raise ValueError("scale_l1 cannot be an integer: %s" % (scale_l1,))
        if isinstance(scale_l2, numbers.Integral):
            raise ValueError("scale_l2 cannot be an integer: %s" % (scale_l2,))
        scope = scope or "l1_l2_regularizer"
        if scale_l1 == 0.0:
            return l2_regularizer(scale_l2, scope)
        if scale_l2 == 0.0:
            return l1_regularizer(scale_l1, scope)
        return sum_regularizer([l1_regularizer(scale_l1), l2_regularizer(scale_l2)], scope=scope)

    table = {"l1": l1_regularizer, "l2": l2_regularizer, "l1_l2": l1_l2_regularizer, "sum": sum_regularizer}
    return table[kind](*args, **kwargs)


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
