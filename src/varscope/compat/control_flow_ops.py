"""TF's control flow for model code: ``while_loop``, ``cond``, ``map_fn``, ``control_dependencies``, ``group``,
``no_op``, ``stop_gradient``, ``Assert``.

Model code runs eagerly, op by op, so a loop or branch whose predicate is concrete runs in Python: ``while_loop``
is unrolled (the loop variables may change shape between iterations, as gpt2's sampling loop grows ``past``) and
``cond`` calls one branch. Under ``jit`` a traced predicate uses ``lax.while_loop`` / ``lax.cond`` (then shapes
must stay the same, as JAX requires).

Example:
    >>> from varscope.compat import v1 as tf
    >>> with tf.Graph().as_default():
    ...     i, acc = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, tf.concat([a, [i]], 0)),
    ...                            [tf.constant(0), tf.constant([9])])
    >>> acc.numpy().tolist(), tf.cond(tf.constant(True), lambda: 1.0, lambda: 2.0).numpy().item()
    ([9, 0, 1, 2], 1.0)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from varscope._graph import get_default_graph
from varscope.backends import get_backend
from varscope.compat._op import array_module, convert, op_name, raw, result, scope
from varscope.compat._tensor import Operation, Tensor
from varscope.compat.errors import InvalidArgumentError

__all__ = ["while_loop", "cond", "map_fn", "control_dependencies", "group", "no_op", "stop_gradient", "Assert",
           "assert_equal"]


def _concrete_bool(value: Any) -> bool | None:
    """``value`` as a Python bool, or None when it is traced."""
    try:
        return bool(np.asarray(raw(value)))
    except Exception:  # a tracer
        return None


def _flat(value: Any) -> tuple[list[Any], Any]:
    if isinstance(value, (list, tuple)):
        parts = [_flat(v) for v in value]
        return [x for leaves, _ in parts for x in leaves], (type(value), [t for _, t in parts])
    return [value], None


def _unflat(leaves: list[Any], tree: Any) -> Any:
    if tree is None:
        return leaves.pop(0)
    kind, subtrees = tree
    return kind(_unflat(leaves, t) for t in subtrees)


def while_loop(cond: Any, body: Any, loop_vars: Any, shape_invariants: Any = None, parallel_iterations: int = 10,
               back_prop: bool = True, swap_memory: bool = False, name: Any = None, maximum_iterations: Any = None,
               return_same_structure: bool = False) -> Any:
    """Repeat ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` (at most ``maximum_iterations`` times).

    A concrete predicate unrolls the loop in Python, so the loop variables may change shape between iterations;
    a traced one (under ``jit``, computed from traced values) runs ``lax.while_loop``. The results are named
    ``while/Exit``, ``while/Exit_1``, ... as TF's; their static shapes are ``shape_invariants`` when given. As in
    TF, ``loop_vars`` must be a list or tuple, and a single loop variable comes back unpacked.

    Raises:
        TypeError: For a ``cond`` or ``body`` that is not callable (TF's messages).
        ValueError: For empty ``loop_vars``.
    """
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if parallel_iterations < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    with scope(name, "while"):
        if not loop_vars:  # (a Tensor raises TF's bool error here, as in TF)
            raise ValueError("'loop_vars' must be provided.")
        pack = len(loop_vars) == 1 and not return_same_structure
        values = list(loop_vars)
        limit = None
        if maximum_iterations is not None:
            limit = int(np.asarray(raw(maximum_iterations)))
            op_name(None, "maximum_iterations")
            op_name(None, "iteration_counter")
        n = 0
        while limit is None or n < limit:
            pred = _concrete_bool(cond(*values))
            if pred is None:
                values = _traced_while(cond, body, values, None if limit is None else limit - n, pack)
                break
            if not pred:
                break
            out = body(*values)
            values = [out] if pack and not isinstance(out, (list, tuple)) else list(out)
            n += 1
        if limit is not None:
            op_name(None, "Exit")  # (the iteration counter's)
        invariants = None if shape_invariants is None else _flat(list(shape_invariants) if not pack else
                                                                 [shape_invariants[0] if isinstance(
                                                                     shape_invariants, (list, tuple))
                                                                  else shape_invariants])[0]
        leaves, tree = _flat(values)
        exits = []
        for k, v in enumerate(leaves):
            a, dtype = convert(v)
            static = None if invariants is None else invariants[k]
            exits.append(result(a, "Exit", None, "Exit", dtype=dtype, shape=static))
        values = _unflat(exits, tree)
    if pack:
        return values[0]
    return type(loop_vars)(values) if isinstance(loop_vars, tuple) else list(values)


def _traced_while(cond: Any, body: Any, values: list[Any], limit: int | None, pack: bool) -> list[Any]:
    """``lax.while_loop`` over the loop variables' arrays (their shapes and dtypes must not change)."""
    backend: Any = get_backend("jax")
    leaves, tree = _flat(values)
    dtypes = [convert(v)[1] for v in leaves]
    graph = get_default_graph()

    def rebuild(arrays: Any) -> list[Any]:
        tensors = [Tensor(a, d, Operation(op_name(None, "Identity"), "Identity", graph)) for a, d in zip(arrays, dtypes)]
        return _unflat(tensors, tree)  # type: ignore[no-any-return]

    def c(state: Any) -> Any:
        i, arrays = state
        ok = raw(convert(cond(*rebuild(arrays)))[0])
        return ok if limit is None else ok & (i < limit)

    def b(state: Any) -> Any:
        i, arrays = state
        out = body(*rebuild(arrays))
        out = [out] if pack and not isinstance(out, (list, tuple)) else list(out)
        return i + 1, [raw(convert(v, d)[0]) for v, d in zip(_flat(out)[0], dtypes)]

    _, arrays = backend.while_loop(c, b, (0, [raw(convert(v)[0]) for v in leaves]))
    return _unflat([Tensor(a, d, Operation("while/Exit", "Exit", graph)) for a, d in zip(arrays, dtypes)], tree)


def cond(pred: Any, true_fn: Any = None, false_fn: Any = None, strict: bool = False, name: Any = None,
         fn1: Any = None, fn2: Any = None) -> Any:
    """``true_fn()`` if ``pred`` else ``false_fn()``: one branch runs when ``pred`` is concrete; under ``jit`` with a
    traced ``pred``, ``lax.cond`` (both branches must give the same structure, shapes and dtypes).

    Raises:
        TypeError: When a branch is missing or not callable (TF's messages).
    """
    true_fn = fn1 if true_fn is None else true_fn
    false_fn = fn2 if false_fn is None else false_fn
    if true_fn is None:
        raise TypeError("cond(): 'true_fn' argument required")
    if false_fn is None:
        raise TypeError("cond(): 'false_fn' argument required")
    if not callable(true_fn):
        raise TypeError("'true_fn' must be callable.")
    if not callable(false_fn):
        raise TypeError("'false_fn' must be callable.")
    with scope(name, "cond"):
        value = _concrete_bool(pred)
        if value is not None:
            leaves, tree = _flat(true_fn() if value else false_fn())
            merged = []
            for v in leaves:
                a, dtype = convert(v)
                merged.append(result(a, "Merge", None, "Merge", dtype=dtype))
            return _unflat(merged, tree)
        backend: Any = get_backend("jax")
        out_dtypes: list[Any] = []

        def branch(fn: Any) -> Any:
            def run() -> Any:
                leaves, tree = _flat(fn())
                out_dtypes[:] = [convert(v)[1] for v in leaves]
                return [raw(convert(v)[0]) for v in leaves], tree

            return run

        trees: list[Any] = []

        def t() -> Any:
            arrays, tree = branch(true_fn)()
            trees.append(tree)
            return arrays

        def f() -> Any:
            arrays, tree = branch(false_fn)()
            return arrays

        arrays = backend.cond(raw(convert(pred)[0]), t, f)
        out = [result(a, "Merge", None, "Merge", dtype=d) for a, d in zip(arrays, out_dtypes)]
        return _unflat(out, trees[0])


def map_fn(fn: Any, elems: Any, dtype: Any = None, parallel_iterations: Any = None, back_prop: bool = True,
           swap_memory: bool = False, infer_shape: bool = True, name: Any = None, fn_output_signature: Any = None
           ) -> Any:
    """``fn`` applied to each slice of ``elems`` along axis 0, results stacked (unrolled in Python)."""
    with scope(name, "map") as s:
        multi = isinstance(elems, (list, tuple))
        arrays = [convert(e)[0] for e in (elems if multi else [elems])]
        n = arrays[0].shape[0]
        outs = []
        for i in range(n):
            item = [a[i] for a in arrays]
            outs.append(fn(type(elems)(item) if multi else item[0]))
        def gathered(parts: list[Any], k: int) -> Tensor:
            arrays_k = [convert(p)[0] for p in parts]
            dtype = convert(parts[0])[1]
            xp = array_module(*arrays_k)
            stack_scope = "TensorArrayStack" + (f"_{k}" if k else "")
            return result(xp.stack(arrays_k), "TensorArrayGatherV3", f"{s}{stack_scope}/TensorArrayGatherV3/",
                          dtype=dtype)

        if isinstance(outs[0], (list, tuple)):
            return type(outs[0])(gathered([o[j] for o in outs], j) for j in range(len(outs[0])))
        return gathered(outs, 0)


@contextmanager
def control_dependencies(control_inputs: Any) -> Iterator[None]:
    """A no-op context: ops run in program order here, so every dependency is already met."""
    yield


def no_op(name: Any = None) -> Operation:
    """An operation that does nothing (``NoOp``)."""
    return Operation(op_name(name, "NoOp"), "NoOp", get_default_graph())


def group(*inputs: Any, **kwargs: Any) -> Operation:
    """An operation that groups ``inputs`` (``NoOp`` named ``group_deps``); they have run already."""
    return no_op(name=kwargs.get("name") or "group_deps")


def stop_gradient(input: Any, name: Any = None) -> Tensor:  # noqa: A002
    """``input`` with no gradient flowing back (``StopGradient``; ``lax.stop_gradient`` under JAX)."""
    a, dtype = convert(input)
    if array_module(a) is not np:
        backend: Any = get_backend("jax")
        a = backend.stop_gradient(a)
    return result(a, "StopGradient", name, dtype=dtype)


def _element(value: Any) -> str:
    if isinstance(value, (bytes, str)):
        return value.decode() if isinstance(value, bytes) else value
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.9g}" if np.asarray(value).dtype != np.float64 else f"{float(value):.17g}"
    return str(value)


def _summarize(value: Any, limit: int) -> str:
    """A value as TF's ``SummarizeValue`` prints it: the first ``limit`` entries, inner axes in brackets, then
    ``...``."""
    if isinstance(value, str):
        return value
    arr = np.asarray(raw(convert(value)[0]))
    if arr.ndim == 0:
        return _element(arr[()])
    flat = arr.ravel()
    out: list[str] = []
    index = [0]

    def one_dim(dim: int) -> None:
        if index[0] >= limit:
            return
        if dim == arr.ndim - 1:
            for i in range(arr.shape[dim]):
                if index[0] >= limit:
                    if dim != 0:
                        out.append("...")
                    return
                if i > 0:
                    out.append(" ")
                out.append(_element(flat[index[0]]))
                index[0] += 1
            return
        for _ in range(arr.shape[dim]):
            opened = index[0] < limit
            if opened:
                out.append("[")
            one_dim(dim + 1)
            if index[0] < limit or opened:
                out.append("]")

    one_dim(0)
    text = "".join(out)  # (Assert puts each item in brackets: the outermost of an array's are those)
    return text + "..." if flat.size > limit else text


def Assert(condition: Any, data: Any, summarize: Any = None, name: Any = None) -> Operation:  # noqa: N802
    """Check ``condition`` now (when concrete): False raises ``InvalidArgumentError`` with ``data`` printed as TF's
    ``Assert`` prints it when run; a traced condition is not checked. Returns TF's guard op (a ``Merge``)."""
    with scope(name, "Assert") as s:
        ok = _concrete_bool(condition)
        if ok is False:
            limit = 3 if summarize is None else int(summarize)
            shown = " ".join(f"[{_summarize(d, limit)}]" for d in data)
            raise InvalidArgumentError(None, None, f"assertion failed: {shown}")
        return Operation(s + "AssertGuard/Merge", "Merge", get_default_graph())


def assert_equal(x: Any, y: Any, data: Any = None, summarize: Any = None, message: Any = None, name: Any = None
                 ) -> Operation:
    """Check ``x == y`` elementwise now (when concrete), raising ``InvalidArgumentError`` with TF's message."""
    with scope(name, "assert_equal") as s:
        a, _ = convert(x)
        b, _ = convert(y)
        try:
            ok = bool(np.all(np.asarray(a) == np.asarray(b)))
        except Exception:  # traced: not checked
            return Operation(s + "Assert/AssertGuard/Merge", "Merge", get_default_graph())
        if not ok:
            x_name = x.name if isinstance(x, Tensor) else "x"
            y_name = y.name if isinstance(y, Tensor) else "y"
            items = ([] if message is None else [message]) + list(data or [
                "Condition x == y did not hold element-wise:", f"x ({x_name}) = ", x, f"y ({y_name}) = ", y])
            limit = 3 if summarize is None else int(summarize)
            shown = " ".join(f"[{_summarize(d, limit)}]" for d in items)
            raise InvalidArgumentError(None, None, f"assertion failed: {shown}")
        return Operation(s + "Assert/AssertGuard/Merge", "Merge", get_default_graph())
