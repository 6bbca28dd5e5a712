"""``transform``: TF1-style model code (scopes, ``get_variable``, sharing) as pure JAX functions.

:func:`transform` turns a function that creates its variables with ``get_variable`` into a pair of
pure functions, ``init`` and ``apply``::

    params = model.init(rng, x)       # {"tower/dense/w": Array, ...}, keyed like a TF checkpoint
    out = model.apply(params, x)      # jax.jit / jax.grad / jax.vmap all accept it

Every call runs the function in a fresh ``Graph(backend="jax")`` with the full variable-scope
machinery: names, ``_N`` numbering, ``reuse`` / ``AUTO_REUSE`` errors, shape and dtype checks,
partitioners, custom getters, templates and collections behave exactly as in the NumPy core. In
``apply`` the graph's value-provider hook (:attr:`varscope.Graph.value_provider`) hands out the
array from ``params`` (a tracer under ``jit``) instead of running the initializer; a variable missing
from ``params`` or with the wrong shape/dtype raises a ``ValueError`` naming it.

``init`` computes initial values with the core's name-keyed NumPy initializers, seeded from the
rng key: the same rng and variable name give the same value whatever the creation order. The
function body is only traced (``jax.eval_shape``), so ``init`` costs no forward computation. Under
``jit`` (or ``vmap`` over keys) the initializers run in a host callback and give the same values.
``init`` returns the variables' values at the end of the function: what ``assign`` or
``train.init_from_checkpoint`` gave them, if anything (a value computed from the arguments, as in a
data-dependent initialization, makes ``init`` run the function once more, from the initial values).
In ``apply`` an ``assign`` whose value would be lost (to a trainable variable; to any variable with
plain ``transform``) raises a ``ValueError`` naming the variable.

Random ops (``varscope.compat``'s ``tf.random_normal``, ``tf.nn.dropout``, ...) draw from an rng stream:
``transform(fn, rng=True)`` makes ``apply`` take a key after ``params``, ``apply(params, rng, *args)``
(existing ``apply(params, *args)`` callers are unchanged: ``rng=False`` is the default). Each op draws
from ``rng`` folded with its TF op name (or its op seed), so a call is deterministic (same rng, same
values), ops are independent of each other and of their order, and a new rng gives new values. ``init``
draws from its own rng. A random op in an ``apply`` that has no rng raises a ``ValueError`` naming the op.

:func:`transform_with_state` keeps non-trainable variables (``trainable=False``, local variables,
moving averages) in a separate ``state`` dict; ``assign`` / ``assign_add`` inside ``apply`` produce
the new state: ``apply(params, state, ...) -> (out, new_state)``.

Name scopes (including those entered by ``variable_scope``) are forwarded to
``jax.named_scope``, so jaxprs and compiled HLO carry TF op names such as ``tower_1/dense/...``.

Example:
    >>> import jax, jax.numpy as jnp, varscope as tf1, varscope.jax as vj
    >>> def net(x):
    ...     with tf1.variable_scope("dense"):
    ...         w = tf1.get_variable("w", [x.shape[-1], 2])
    ...         b = tf1.get_variable("b", [2], initializer=tf1.zeros_initializer())
    ...     return jnp.tanh(x @ w + b)
    >>> model = vj.transform(net)
    >>> params = model.init(jax.random.key(0), jnp.ones((1, 3)))
    >>> sorted(params), jax.jit(model.apply)(params, jnp.ones((1, 3))).shape
    (['dense/b', 'dense/w'], (1, 2))
"""

from __future__ import annotations

import hashlib
import inspect
import re
import threading
from collections.abc import Callable, Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from varscope import _random
from varscope import regularizers as r
from varscope._convert import infer_dtype, to_numpy
from varscope._graph import Graph, GraphKeys, get_collection
from varscope._scope import get_variable_scope
from varscope._store import _default_initializer, accepts_partition_info
from varscope.backends.jax_backend import BACKEND, clear_slices, register_slices
from varscope.jax.sharding import sharding_for
from varscope.jax.var_info import VarInfo
from varscope.regularizers import regularizer_op_name

__all__ = [
    "VarInfo", "Transformed", "TransformedWithState", "transform", "transform_with_state",
    "regularization_losses", "regularization_loss", "seed_from_rng", "as_key", "op_key",
]

Params = dict[str, Any]
_SHARD = re.compile(r"^(.*)/part_(\d+)$")


def _params_key(store_key: str) -> str:
    """The ``params`` key of the variable stored under ``store_key``: its op name, the key TF's Saver writes.

    They differ for ``get_variable("")`` inside a scope, as TF's slot creator makes
    ``<v>/ExponentialMovingAverage``: the store key ends with ``/``, the op name and checkpoint key do not.
    """
    return store_key[:-1] if store_key.endswith("/") else store_key


def _declared_dtype_ok(got: Any, declared: np.dtype) -> bool:
    """Whether an array of dtype ``got`` may hold a variable of dtype ``declared``: the same dtype, or the
    32-bit one JAX gives a 64-bit dtype without ``jax_enable_x64`` (what ``init`` and ``load_params`` return)."""
    got = np.dtype(got)
    return got == declared or got == jax.dtypes.canonicalize_dtype(declared)


# -- seeds ---------------------------------------------------------------------------------------------
def seed_from_rng(rng: Any) -> int:
    """The graph seed ``init`` derives from ``rng``: a JAX key, raw ``uint32`` key data, or an int
    (a Python int or a 0-d integer array is the seed itself).

    Raises:
        TypeError: When ``rng`` is a tracer (inside ``jit``, ``init`` derives the seed in a host
            callback instead).

    Example:
        >>> import jax
        >>> seed_from_rng(jax.random.key(0)) == seed_from_rng(jax.random.PRNGKey(0))
        True
    """
    if rng is None:
        return 0
    if isinstance(rng, (int, np.integer)):
        return int(rng)
    if isinstance(rng, jax.core.Tracer):
        raise TypeError("seed_from_rng needs a concrete rng, not a tracer (init under jax.jit derives the seed in "
                        "a host callback).")
    data, is_int = _rng_data(rng)
    return _seed_from_data(np.asarray(data), is_int)


def _rng_data(rng: Any) -> tuple[Any, bool]:
    """``rng`` as an array ``_seed_from_data`` reads (a tracer stays a tracer), and whether it is an int."""
    if jax.dtypes.issubdtype(rng.dtype, jax.dtypes.prng_key):
        return jax.random.key_data(rng), False
    return rng, np.ndim(rng) == 0 and jnp.issubdtype(rng.dtype, jnp.integer)


def _seed_from_data(data: np.ndarray, is_int: bool) -> int:
    if is_int:
        return int(data)
    raw = np.ascontiguousarray(np.asarray(data, dtype=np.uint32))
    return int.from_bytes(hashlib.blake2b(raw.tobytes(), digest_size=8).digest(), "little") >> 1


def as_key(rng: Any) -> Any:
    """``rng`` as a typed JAX key: a key is kept, raw ``uint32`` key data (``jax.random.PRNGKey(0)``) is
    wrapped, an int (or 0-d integer array, also traced) seeds ``jax.random.key``.

    Example:
        >>> import jax
        >>> bool(jax.random.key_data(as_key(0)).tolist() == jax.random.key_data(jax.random.key(0)).tolist())
        True
    """
    if isinstance(rng, (int, np.integer)):
        return jax.random.key(int(rng))
    if jax.dtypes.issubdtype(rng.dtype, jax.dtypes.prng_key):
        return rng
    if np.ndim(rng) == 0:
        return jax.random.key(rng)
    return jax.random.wrap_key_data(jnp.asarray(rng, jnp.uint32))


def op_key(key: Any, op_name: str, op_seed: int | None = None) -> Any:
    """The key a random op called ``op_name`` draws from: ``key`` folded with a 64-bit hash of the name
    (of the op seed alone when one is given, so two ops with one seed draw alike, as in TF).

    Example:
        >>> import jax
        >>> k = jax.random.key(0)
        >>> a, b = (jax.random.key_data(op_key(k, n)).tolist() for n in ("dropout/random_uniform", "x"))
        >>> a != b, a == jax.random.key_data(op_key(k, "dropout/random_uniform")).tolist()
        (True, True)
    """
    digest = _random.key_for(None, op_name, op_seed)
    key = jax.random.fold_in(key, digest & 0xFFFFFFFF)
    return jax.random.fold_in(key, (digest >> 32) & 0xFFFFFFFF)


class _RandomSource:
    """A graph's random-source hook (``Graph.random_source``) for one ``init`` / ``apply`` call."""

    def __init__(self, rng: Any, missing: str | None) -> None:
        self.key = None if rng is None else as_key(rng)
        self.missing = missing

    def __call__(self, op_name: str, op_seed: int | None) -> Any:
        if self.key is None:
            raise ValueError(f"Op {op_name} draws random numbers, but {self.missing}")
        return op_key(self.key, op_name, op_seed)


_NO_RNG = ("this apply has no rng. Create the model with varscope.jax.transform(fn, rng=True) (or "
           "transform_with_state(fn, rng=True)) and pass a key after params (and state): "
           "apply(params, rng, *args), rng = jax.random.key(0).")
_NONE_RNG = ("apply was given rng=None. Pass a key: apply(params, jax.random.key(0), *args) (a new key per "
             "step for new random values).")


# -- name scopes -> jax.named_scope ---------------------------------------------------------------------
class _NamedScopeMirror(threading.local):
    """A graph's name-scope hook (``_GraphCore.name_stack_hook``) mirroring the name scope into
    ``jax.named_scope``, per thread.

    The graph calls it on every name-scope entry and exit; each call replaces the one active
    ``jax.named_scope`` context by one for the new absolute scope.
    """

    def __init__(self) -> None:
        self._ctx: Any = None
        self._stack = ""

    def __call__(self, value: str) -> None:
        if value == self._stack:
            return
        self.close()
        self._stack = value
        if value:
            ctx = jax.named_scope(value)
            ctx.__enter__()
            self._ctx = ctx

    def close(self) -> None:
        ctx = self._ctx
        if ctx is not None:
            self._ctx = None
            ctx.__exit__(None, None, None)


# -- regularizers on traced values ----------------------------------------------------------------------
class _JaxRegularizer:
    """Wraps a regularizer so it also works on traced values (the built-ins are NumPy code)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.op_name = regularizer_op_name(inner)

    def __call__(self, weights: Any) -> Any:
        return _regularize(self.inner, weights)

    def __repr__(self) -> str:
        return f"jax({self.inner!r})"


def _regularize(reg: Any, weights: Any) -> Any:
    if isinstance(reg, _JaxRegularizer):
        reg = reg.inner
    if isinstance(reg, (r._L1, r._L2)):
        w = jnp.asarray(weights)
        scale = jnp.asarray(reg.scale, w.dtype)
        if isinstance(reg, r._L1):
            return (scale * jnp.sum(jnp.abs(w))).astype(w.dtype)
        return (scale * (jnp.sum(w * w) / 2)).astype(w.dtype)
    if isinstance(reg, r._Sum):
        values = [v for v in (_regularize(x, weights) for x in reg.regularizers) if v is not None]
        if not values:
            return None
        return sum(values[1:], values[0])
    if isinstance(reg, r._Disabled):
        return None
    return reg(weights)


def regularization_losses(scope: str | None = None) -> list[Any]:
    """The values (``jax.Array``) of the default graph's regularization losses.

    Unlike ``tf1.losses.get_regularization_losses`` (NumPy), this works on traced values, so use it
    inside ``apply``.
    """
    out = []
    for loss in get_collection(GraphKeys.REGULARIZATION_LOSSES, scope):
        reg, var = getattr(loss, "regularizer", None), getattr(loss, "variable", None)
        value = _regularize(reg, var) if reg is not None else loss
        if value is not None:
            out.append(jnp.asarray(value))
    return out


def regularization_loss(scope: str | None = None) -> Any:
    """The sum of :func:`regularization_losses` (``0.0`` when there are none), a ``jax.Array``.

    Example:
        >>> import jax, jax.numpy as jnp, varscope as tf1, varscope.jax as vj
        >>> def f():
        ...     w = tf1.get_variable("w", [2], initializer=tf1.ones_initializer(),
        ...                          regularizer=tf1.regularizers.l2_regularizer(0.5))
        ...     return vj.regularization_loss()
        >>> m = vj.transform(f)
        >>> float(jax.jit(m.apply)(m.init(0)))
        0.5
    """
    losses = regularization_losses(scope)
    if not losses:
        return jnp.zeros((), jnp.float32)
    return sum(losses[1:], losses[0])


def _root_getter(getter: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    reg = kwargs.get("regularizer")
    if reg is not None and not isinstance(reg, _JaxRegularizer):
        kwargs["regularizer"] = _JaxRegularizer(reg)
    return getter(*args, **kwargs)


def _value_of(raw: Any) -> np.ndarray:
    """A value initializer's value (or a no-argument initializer's result) as a NumPy array."""
    if isinstance(raw, jax.Array):
        raw = np.asarray(raw)
    return to_numpy(raw, infer_dtype(raw))


def _run_initializer(init: Any, shape: Any, dtype: Any, partition_info: Any) -> np.ndarray:
    """``init``'s value for a variable of ``shape`` and ``dtype`` as a NumPy array (run under the creation key)."""

    if partition_info is not None and accepts_partition_info(init):
        raw = init(shape.as_list(), dtype=dtype, partition_info=partition_info)
    else:
        raw = init(shape.as_list(), dtype=dtype)
    if isinstance(raw, jax.Array):
        raw = np.asarray(raw)
    return to_numpy(raw, dtype)


# -- one run of the user function ------------------------------------------------------------------------
class _Run:
    """The state of one ``init`` or ``apply`` call: its graph and the value provider."""

    def __init__(self, seed: int, params: Mapping[str, Any] | None, state: Mapping[str, Any] | None,
                 with_state: bool, deferred: bool = False, fixed: bool = True,
                 random: _RandomSource | None = None) -> None:
        self.params = params
        self.state = state
        self.with_state = with_state
        self.initial: dict[str, np.ndarray] = {}  # params key (a shard's: its own) -> initial value
        # deferred (init under jit, the seed not known yet): initializers run later, in compute(seed)
        self.deferred = deferred
        self.pending: dict[str, Callable[[], np.ndarray]] = {}
        # the array each variable was created with (store key -> array; None when not known): a variable
        # whose value is another array was assigned in the function
        self.handed: dict[str, Any] = {}
        graph = self.graph = Graph(backend="jax")
        graph.seed = seed
        graph.initializing = params is None
        self.mirror = graph.name_stack_hook = _NamedScopeMirror()
        graph.value_provider = self.provide_init if params is None else self.provide_apply
        graph.fixed_values = params is not None and fixed  # (apply: init_from_checkpoint does nothing)
        graph.random_source = random if random is not None else _RandomSource(None, _NO_RNG)

    # init: compute the value the core would, and remember it
    def provide_init(self, name: Any, shape: Any, dtype: Any, partition_info: Any, req: Any) -> Any:

        init = req.initializer
        if dtype is None:  # a value, or a callable with no arguments
            if not callable(init):
                return self._keep(name, _value_of(init))
            make: Callable[[], np.ndarray] = lambda: _value_of(init())  # noqa: E731
        else:
            if init is None:
                init = _default_initializer(name, dtype)
            if inspect.isclass(init):
                init = init()
            make = lambda: _run_initializer(init, shape, dtype, partition_info)  # noqa: E731
        if self.deferred:
            # The seed is not known yet: compute(seed) runs ``make``. Meanwhile the function is traced
            # with zeros of the right shape and dtype (found by running a no-argument initializer once).
            self.pending[name] = make
            if dtype is None:
                value = make()
                zeros = self._keep(name, np.zeros(value.shape, value.dtype))
                if zeros.dtype != jax.dtypes.canonicalize_dtype(zeros.dtype):
                    # A 64-bit value without x64: the variable's dtype is inferred from this NumPy array,
                    # so which array it holds is not known (it counts as assigned).
                    self.handed[name] = None
                    return zeros
            else:
                # (jnp.zeros inside the trace: abstract, so tracing a large model allocates nothing)
                zeros = self._keep(name, jnp.zeros(shape.as_list(), jax.dtypes.canonicalize_dtype(dtype.as_numpy_dtype)))
            array = self.handed[name] = BACKEND.asarray(zeros)
            return array
        return self._keep(name, make())

    def _keep(self, name: Any, value: Any) -> Any:
        self.initial[_params_key(name)] = value
        return value

    def compute(self, seed: int) -> dict[str, np.ndarray]:
        """The initial values of a deferred run, for ``seed``: as ``provide_init`` computes them
        under the store's creation key (graph seed, variable name)."""
        values = dict(self.initial)
        for name, make in self.pending.items():
            with _random.creation_key(seed, name):
                values[_params_key(name)] = make()
        return values

    # apply: hand out the array of params / state
    def provide_apply(self, name: Any, shape: Any, dtype: Any, partition_info: Any, req: Any) -> Any:
        key, match = name, None
        if partition_info is not None:
            match = _SHARD.match(name)
            if match is not None:
                key = match.group(1)
        key = _params_key(key)
        params, state = self.params or {}, self.state or {}
        if key in params:
            full, where = params[key], "params"
        elif key in state:
            full, where = state[key], "state"
        else:
            what = "params or state" if self.with_state else "params"
            raise ValueError(f"Variable {key} is not in {what}: it was not created by init (or params come from "
                             "another model). Run init with the same function and arguments.")
        if self.with_state and (where == "state") == bool(req.trainable):
            kind = "trainable" if req.trainable else "non-trainable"
            raise ValueError(f"Variable {key} is {kind} but was found in {where}.")
        if dtype is None and not callable(req.initializer):
            dtype = infer_dtype(req.initializer)
        if dtype is not None and not _declared_dtype_ok(full.dtype, dtype.as_numpy_dtype):
            raise ValueError(f"Variable {key} has dtype {np.dtype(full.dtype).name} in {where}, but get_variable "
                             f"asks for {dtype.name}.")
        full_shape = tuple(full.shape)
        if partition_info is not None:
            want = tuple(partition_info.full_shape)
            if want != full_shape:
                raise ValueError(f"Variable {key} has shape {full_shape} in {where}, but get_variable asks for "
                                 f"{want}.")
            offset = tuple(partition_info.var_offset)
            size = tuple(shape.as_list())
            if size == full_shape:
                self.handed[name] = full
                return full
            axis = next(i for i, (n, m) in enumerate(zip(size, full_shape)) if n != m)
            start, stop = offset[axis], offset[axis] + size[axis]
            piece = jax.lax.slice_in_dim(full, start, stop, axis=axis)
            register_slices(full, axis, [(piece, start, stop)])
            self.handed[name] = piece
            return piece
        if shape is None and not callable(req.initializer):
            shape_ok = tuple(np.shape(req.initializer)) == full_shape
            want_text = str(tuple(np.shape(req.initializer)))
        else:
            shape_ok = shape is None or shape.is_compatible_with(full_shape)
            want_text = str(shape)
        if not shape_ok:
            raise ValueError(f"Variable {key} has shape {full_shape} in {where}, but get_variable asks for "
                             f"{want_text}.")
        array = self.handed[name] = BACKEND.asarray(full)
        return array

    def call(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        graph = self.graph
        try:
            with graph.as_default():
                root = get_variable_scope()
                root.set_custom_getter(_root_getter)
                return fn(*args, **kwargs)
        finally:
            self.mirror.close()
            clear_slices()

    def infos(self) -> dict[str, VarInfo]:
        """The variables this run created, keyed for ``params`` / ``state`` (creation order)."""
        graph = self.graph
        infos: dict[str, VarInfo] = {}
        shard_owner: dict[str, Any] = {}
        for pv in graph._partitioned_vars.values():
            for v in pv._get_variable_list():
                shard_owner[v._store_key] = pv
        for key, var in graph._vars.items():
            pv = shard_owner.get(key)
            if pv is not None:
                pkey = _params_key(pv.name)
                if pkey in infos:
                    continue
                shards = tuple((v._store_key, tuple(v._save_slice_info.var_offset),
                                tuple(v._save_slice_info.var_shape)) for v in pv._get_variable_list())
                infos[pkey] = VarInfo(pkey, tuple(pv.get_shape().as_list()),
                                      np.dtype(pv.dtype.as_numpy_dtype), bool(var._trainable),
                                      tuple(pv._get_partitions()), shards)
            else:
                pkey = _params_key(key)
                infos[pkey] = VarInfo(pkey, tuple(var._shape.as_list()), np.dtype(var._dtype.as_numpy_dtype),
                                      bool(var._trainable))
        return infos

    def values(self, keys: list[str]) -> dict[str, Any]:
        """The current values of the variables with ``params`` keys ``keys`` (after any ``assign`` in the function)."""
        graph = self.graph
        partitioned = {_params_key(k): pv for k, pv in graph._partitioned_vars.items()}
        plain = {_params_key(k): v for k, v in graph._vars.items()}
        out = {}
        for key in keys:
            pv = partitioned.get(key)
            out[key] = plain[key]._value if pv is None else pv.as_tensor()
        return out

    def assigned(self) -> list[str]:
        """The store keys of the variables assigned in the function: holding another array than the one handed
        out (or one not known)."""
        handed = self.handed
        return [k for k, v in self.graph._vars.items() if v._value is not handed.get(k)]

    def traced_values(self) -> bool:
        """Whether a variable holds a value computed from the traced arguments (an ``assign`` in ``init``)."""
        return any(isinstance(v._value, jax.core.Tracer) for v in self.graph._vars.values())


def _is_compat_tensor(x: Any) -> bool:
    return getattr(type(x), "_varscope_tensor", False) is True


def _plain(out: Any) -> Any:
    """``out`` with each ``varscope.compat`` Tensor replaced by its array: ``apply`` returns what a ``jnp`` model
    returns (a Tensor is recognised by its class attribute, so this module does not import varscope.compat)."""
    leaves, tree = jax.tree_util.tree_flatten(out, is_leaf=_is_compat_tensor)
    if not any(_is_compat_tensor(x) for x in leaves):
        return out
    return jax.tree_util.tree_unflatten(tree, [x._value if _is_compat_tensor(x) else x for x in leaves])


def _assemble(info: VarInfo, values: Mapping[str, np.ndarray]) -> np.ndarray:
    """The value of ``params[info.key]``: the variable's, or its shards' joined along the partition axis."""
    if info.partitions is None:
        return values[info.key]
    return np.concatenate([values[name] for name, _, _ in info.shards], axis=info.partition_axis)


def _split_static(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[list[Any], Callable[..., Any]]:
    """Array leaves of ``(args, kwargs)`` and a function rebuilding them from (abstract) arrays."""
    leaves, tree = jax.tree_util.tree_flatten((args, kwargs))
    dynamic = [i for i, x in enumerate(leaves) if isinstance(x, (jax.Array, np.ndarray))]

    def rebuild(*arrays: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
        new = list(leaves)
        for i, a in zip(dynamic, arrays):
            new[i] = a
        return jax.tree_util.tree_unflatten(tree, new)  # type: ignore[no-any-return]

    return [leaves[i] for i in dynamic], rebuild


# -- the public objects ------------------------------------------------------------------------------------
class Transformed:
    """A TF1-style function as ``init`` / ``apply`` (see :func:`transform`).

    Attributes:
        fn: The wrapped function.
        mesh: The ``jax.sharding.Mesh`` partitioned variables are sharded over (or None).
        mesh_axis: The mesh axis name they are sharded along.
        var_info: Metadata of every variable, filled in by ``init`` (keys as in ``params``).
    """

    _with_state = False

    def __init__(self, fn: Callable[..., Any], mesh: Any = None, mesh_axis: str | None = None,
                 rng: bool = False) -> None:
        self.fn = fn
        self.takes_rng = bool(rng)
        self.mesh = mesh
        if mesh is not None and mesh_axis is None:
            mesh_axis = mesh.axis_names[0]
        self.mesh_axis = mesh_axis
        self.var_info: dict[str, VarInfo] = {}
        self.__doc__ = getattr(fn, "__doc__", None)

    def _init(self, rng: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Params, Params]:
        traced_rng = isinstance(rng, jax.core.Tracer)
        random = _RandomSource(0 if rng is None else rng, None)  # init's random ops draw from its rng
        run = _Run(0 if traced_rng else seed_from_rng(rng), None, None, self._with_state, deferred=traced_rng,
                   random=random)
        arrays, rebuild = _split_static(args, kwargs)

        def traced(*xs: Any) -> None:
            a, kw = rebuild(*xs)
            run.call(self.fn, a, kw)

        jax.eval_shape(traced, *arrays)
        infos = run.infos()
        self.var_info = infos
        keys = list(infos)
        if traced_rng:
            # Under jit (or vmap over keys) the seed is not known while tracing: the NumPy initializers
            # run in a host callback, from the key's data, and give the values init gives outside jit.
            data, is_int = _rng_data(rng)

            # (64-bit dtypes become 32-bit ones without jax_enable_x64, as jnp.asarray makes them outside jit)
            specs = [jax.ShapeDtypeStruct(infos[key].shape, jax.dtypes.canonicalize_dtype(infos[key].dtype))
                     for key in keys]

            def host(key_data: Any) -> list[np.ndarray]:
                values = run.compute(_seed_from_data(np.asarray(key_data), is_int))
                return [_assemble(infos[key], values).astype(spec.dtype, copy=False)
                        for key, spec in zip(keys, specs)]

            arrays_out = jax.pure_callback(host, specs, data, vmap_method="sequential")
            if run.assigned():  # (the trace saw placeholders: run again from the initial values)
                arrays_out = self._rerun(dict(zip(keys, arrays_out)), keys, args, kwargs, rng)
        elif run.traced_values():
            # The function assigned values computed from its arguments (data-dependent initialization):
            # run it once more, not only traced, from the initial values.
            initial = {key: BACKEND.asarray(_assemble(infos[key], run.initial)) for key in keys}
            arrays_out = self._rerun(initial, keys, args, kwargs, rng)
        else:
            # The variables' values at the end of the function: the initial ones, or what the function
            # assigned (init_from_checkpoint, constants).
            final = run.values(keys)
            arrays_out = [final[key] for key in keys]
        params: Params = {}
        state: Params = {}
        for key, value in zip(keys, arrays_out):
            info = infos[key]
            target = state if (self._with_state and not info.trainable) else params
            target[key] = self._place(info, value)
        return params, state

    def _rerun(self, initial: Mapping[str, Any], keys: list[str], args: tuple[Any, ...],
               kwargs: dict[str, Any], rng: Any) -> list[Any]:
        """The variables' values (for ``keys``) after running the function from ``initial``: ``init``'s
        values when the function assigns (its random ops draw from init's ``rng``)."""
        run = _Run(0, initial, None, False, fixed=False, random=_RandomSource(0 if rng is None else rng, None))
        run.graph.initializing = True  # (still init: no training update runs)
        run.call(self.fn, args, kwargs)
        final = run.values(keys)
        return [final[key] for key in keys]

    def _place(self, info: VarInfo, value: Any) -> Any:
        if self.mesh is None:
            return jnp.asarray(value)
        assert self.mesh_axis is not None  # set from the mesh in __init__
        sharding = sharding_for(info, self.mesh, self.mesh_axis)
        if isinstance(value, jax.core.Tracer):
            return jax.lax.with_sharding_constraint(value, sharding)
        return jax.device_put(value, sharding)

    def _apply(self, params: Mapping[str, Any], state: Mapping[str, Any] | None, args: tuple[Any, ...],
               kwargs: dict[str, Any], with_params: bool = False) -> tuple[Any, Params, Params]:
        random = None
        if self.takes_rng:
            if not args:
                where = "params, state" if self._with_state else "params"
                raise TypeError(f"apply of a transform(fn, rng=True) takes ({where}, rng, *args): the rng is missing.")
            rng, args = args[0], args[1:]
            random = _RandomSource(rng, _NONE_RNG)
        run = _Run(0, params, state, self._with_state, random=random)
        out = _plain(run.call(self.fn, args, kwargs))
        for store_key in run.assigned():
            var = run.graph._vars[store_key]
            if not (with_params and var._trainable):  # (update returns the trainable variables' new values)
                self._check_assignment(var)
        new_state: Params = {}
        new_params: Params = {}
        if state or with_params:
            infos = run.infos()
            if state:
                new_state = dict(state)
                new_state.update(run.values([k for k in state if k in infos]))
            if with_params:
                new_params = dict(params)
                new_params.update(run.values([k for k in params if k in infos]))
        return out, new_params, new_state

    def _check_assignment(self, var: Any) -> None:
        """An ``assign`` inside ``apply`` must not be lost: only a state variable's new value comes back."""
        key = _params_key(var._store_key)
        if var._trainable:
            raise ValueError(
                f"Variable {key} is trainable and was assigned inside apply, but apply does not return params: "
                "the new value would be lost. Assign it inside init (init returns the values the function "
                "assigns: data-dependent initialization), run a training step with transform_with_state's update "
                "(it returns the new params: jax.grad of apply, then an optimizer's apply_gradients), or create "
                "it with trainable=False and use transform_with_state (apply returns its new value in new_state).")
        if not self._with_state:
            raise ValueError(
                f"Variable {key} was assigned inside apply, but transform's apply returns no variables: the new "
                "value would be lost. Use varscope.jax.transform_with_state: its apply returns the new values of "
                "non-trainable variables in new_state.")

    def init(self, rng: Any, *args: Any, **kwargs: Any) -> Params:
        """Run the function once (traced only) and return the initial ``params``.

        A variable the function assigns (``assign``, ``train.init_from_checkpoint``) has the assigned
        value; when that value is computed from the arguments (data-dependent initialization) the
        function runs once more, from the initial values.

        Args:
            rng: A JAX key (``jax.random.key(0)``), raw key data, or an int: it seeds the
                name-keyed initializers (same rng and name, same value).
            *args: Arguments of the function (arrays are only traced).
            **kwargs: Keyword arguments of the function.

        Returns:
            A flat dict from checkpoint key (``"tower/dense/w"``) to ``jax.Array``; a partitioned
            variable is one array under its full name (sharded when the transform has a mesh).
        """
        params, _ = self._init(rng, args, kwargs)
        return params

    def apply(self, params: Mapping[str, Any], *args: Any, **kwargs: Any) -> Any:
        """Run the function with the variables taken from ``params``; returns its output.

        ``get_variable`` hands out the arrays of ``params`` (tracers under ``jit``); scoping rules,
        reuse errors and shape/dtype checks apply as usual. With ``transform(fn, rng=True)`` the first
        argument after ``params`` is the rng random ops draw from: ``apply(params, rng, *args)``.

        Raises:
            ValueError: For a variable missing from ``params`` or whose shape/dtype differ, for an
                ``assign`` in the function (its value would be lost: ``apply`` returns no variables), and
                for a random op without an rng.
        """
        out, _, _ = self._apply(params, None, args, kwargs)
        return out


class TransformedWithState(Transformed):
    """Like :class:`Transformed`, with non-trainable variables in a separate ``state`` dict."""

    _with_state = True

    def init(self, rng: Any, *args: Any, **kwargs: Any) -> tuple[Params, Params]:  # type: ignore[override]
        """Like :meth:`Transformed.init`; returns ``(params, state)`` (state: non-trainable variables)."""
        return self._init(rng, args, kwargs)

    def apply(self, params: Mapping[str, Any], state: Mapping[str, Any], *args: Any,  # type: ignore[override]
              **kwargs: Any) -> tuple[Any, Params]:
        """Run the function; returns ``(out, new_state)``, the state after the function's assignments.

        With ``transform_with_state(fn, rng=True)``: ``apply(params, state, rng, *args)``.

        Raises:
            ValueError: As :meth:`Transformed.apply`; an ``assign`` to a trainable variable is an error
                (:meth:`update` returns their new values).
        """
        out, _, new_state = self._apply(params, state, args, kwargs)
        return out, new_state

    def update(self, params: Mapping[str, Any], state: Mapping[str, Any], *args: Any,
               **kwargs: Any) -> tuple[Any, Params, Params]:
        """Run a training step: like :meth:`apply`, and also return the trainable variables' values after the
        function's assignments: ``(out, new_params, new_state)``.

        An optimizer's ``apply_gradients`` inside the function assigns the new values of the trainable
        variables (they come back in ``new_params``) and of its slots and ``global_step`` (state).

        Example:
            >>> import jax, jax.numpy as jnp, numpy as np, varscope as tf1, varscope.jax as vj
            >>> from varscope import train
            >>> def step(grads):
            ...     w = tf1.get_variable("w", initializer=np.ones(2, np.float32))
            ...     train.GradientDescentOptimizer(0.5).apply_gradients(
            ...         [(grads["w"], w)], global_step=train.get_or_create_global_step())
            >>> m = vj.transform_with_state(step)
            >>> grads = {"w": jnp.ones(2)}
            >>> params, state = m.init(0, grads)
            >>> _, params, state = jax.jit(m.update)(params, state, grads)
            >>> params["w"].tolist(), int(state["global_step"])
            ([0.5, 0.5], 1)
        """
        return self._apply(params, state, args, kwargs, with_params=True)


def transform(fn: Callable[..., Any], *, rng: bool = False, mesh: Any = None,
              mesh_axis: str | None = None) -> Transformed:
    """Turn TF1-style ``fn`` (variables from ``get_variable``) into pure ``init`` / ``apply`` functions.

    Args:
        fn: The model function. It runs inside a fresh graph on every call, so templates made with
            ``make_template`` must be created inside it.
        rng: When True, ``apply`` takes an rng after ``params`` (``apply(params, rng, *args)``) for the
            random ops in ``fn`` (``tf.nn.dropout``, ``tf.random_normal``, ... of ``varscope.compat``).
        mesh: Optional ``jax.sharding.Mesh``: partitioned variables (``partitioner=...``) become one
            global array sharded along their partition axis; other variables are replicated.
        mesh_axis: The mesh axis to shard along (default: the mesh's first axis).

    Returns:
        A :class:`Transformed` with ``init(rng, *args, **kw) -> params`` and
        ``apply(params, *args, **kw) -> out``. All variables, trainable or not, are in ``params``.

    Example:
        >>> import jax, jax.numpy as jnp, varscope as tf1, varscope.jax as vj
        >>> def f(x):
        ...     with tf1.variable_scope("layer", reuse=tf1.AUTO_REUSE):
        ...         return x * tf1.get_variable("scale", [], initializer=tf1.ones_initializer())
        >>> m = vj.transform(f)
        >>> p = m.init(jax.random.key(1), 2.0)
        >>> float(jax.grad(lambda p: m.apply(p, 3.0))(p)["layer/scale"])
        3.0
    """
    return Transformed(fn, mesh, mesh_axis, rng)


def transform_with_state(fn: Callable[..., Any], *, rng: bool = False, mesh: Any = None,
                         mesh_axis: str | None = None) -> TransformedWithState:
    """Like :func:`transform`, keeping non-trainable variables in a functional ``state`` dict.

    Returns:
        A :class:`TransformedWithState` with ``init(rng, *args, **kw) -> (params, state)`` and
        ``apply(params, state, *args, **kw) -> (out, new_state)`` (``apply(params, state, rng, *args)``
        with ``rng=True``); ``assign``/``assign_add`` on a
        state variable inside ``apply`` produce ``new_state``.

    Example:
        >>> import jax.numpy as jnp, varscope as tf1, varscope.jax as vj
        >>> def f(x):
        ...     count = tf1.get_variable("count", [], trainable=False, initializer=tf1.zeros_initializer())
        ...     count.assign_add(1.0)
        ...     return x
        >>> m = vj.transform_with_state(f)
        >>> params, state = m.init(0, 1.0)          # (init's state: after the function's assign_add)
        >>> _, new_state = m.apply(params, state, 1.0)
        >>> params, float(state["count"]), float(new_state["count"])
        ({}, 1.0, 2.0)
    """
    return TransformedWithState(fn, mesh, mesh_axis, rng)
