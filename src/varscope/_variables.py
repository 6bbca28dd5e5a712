"""Variable objects: a name, a static shape and dtype, and a concrete backend array.

A :class:`Variable` is what ``get_variable`` returns. It holds its value from the moment it is
created (there is no session); ``assign`` replaces the value, applying the variable's constraint.
``==`` and ``hash`` are by identity, as in TF1 graph mode.

A large variable made by a built-in initializer holds a *pending* value (:class:`_Pending`) instead:
the initializer and its random key are recorded, and the value is computed, exactly as it would have
been at creation, on the first read. An ``assign`` before that (``Saver.restore``,
``init_from_checkpoint``) replaces it without computing it, as TF graph mode never runs the
initializers of restored variables.

Example:
    >>> import varscope as tf1
    >>> with tf1.Graph().as_default():
    ...     v = tf1.get_variable("v", initializer=[1.0, 2.0])
    ...     _ = v.assign_add([1.0, 1.0])
    >>> v.name, v.op.name, str(v.shape), v.dtype.name, v.numpy().tolist()
    ('v:0', 'v', '(2,)', 'float32', [2.0, 3.0])
"""

from __future__ import annotations

import enum
import operator
import os
import threading
import traceback
from typing import Any

import numpy as np

from varscope import _random
from varscope._convert import infer_dtype, to_numpy
from varscope._dtypes import DType, as_dtype
from varscope._graph import Graph, GraphKeys, get_default_graph
from varscope._shape import TensorShape, as_shape

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_OP_LOCK = threading.Lock()
# TF's ``_DEFAULT_USE_RESOURCE``: what ``use_resource=None`` means. True as TF 2's ``compat.v1`` starts;
# ``disable_resource_variables()`` (TF 1.x behaviour, as ``disable_v2_behavior()`` sets it) makes ref variables.
_default_use_resource = True


def enable_resource_variables() -> None:
    """``use_resource=None`` makes resource variables (``VarHandleOp``), process-wide: TF 2's default."""
    global _default_use_resource
    _default_use_resource = True


def disable_resource_variables() -> None:
    """``use_resource=None`` makes ref variables (``VariableV2``, dtype ``float32_ref``), process-wide: TF 1.x's.

    Example:
        >>> import varscope as tf1
        >>> tf1.disable_resource_variables()
        >>> with tf1.Graph().as_default():
        ...     v = tf1.get_variable("v", [1])
        >>> tf1.enable_resource_variables()
        >>> v.op.type, v.dtype.name
        ('VariableV2', 'float32_ref')
    """
    global _default_use_resource
    _default_use_resource = False


def resource_variables_enabled() -> bool:
    """True when ``use_resource=None`` makes resource variables."""
    return _default_use_resource
# Held while a pending initial value is computed or replaced: two threads reading a new variable at
# once compute its value once. (Built-in initializers read no variables, so one plain lock is enough.)
_INIT_LOCK = threading.Lock()

__all__ = ["Variable", "VariableSynchronization", "VariableAggregation", "validate_synchronization_aggregation_trainable",
           "new_variable", "graph_from_inputs", "set_operator_hook", "enable_resource_variables",
           "disable_resource_variables", "resource_variables_enabled"]



def _array_of(value: Any) -> Any:
    """The array of a ``varscope.compat`` Tensor (recognised by its class attribute: the core does not import
    compat), else ``value``: what ``assign`` takes from TF 1.x code, ``v.assign(v * 2)``."""
    return value._value if getattr(type(value), "_varscope_tensor", False) is True else value

class VariableSynchronization(enum.Enum):
    """When a distributed variable is synchronized (``tf.VariableSynchronization``)."""

    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


class VariableAggregation(enum.Enum):
    """How a distributed variable is aggregated (``tf.compat.v1.VariableAggregation``)."""

    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3
    ONLY_FIRST_TOWER = 3  # noqa: PIE796 - TF1 alias


def validate_synchronization_aggregation_trainable(
    synchronization: Any, aggregation: Any, trainable: Any, name: Any
) -> tuple[VariableSynchronization, VariableAggregation, Any]:
    """TF's normalisation of ``synchronization``, ``aggregation`` and the default of ``trainable``."""
    if aggregation is None:
        aggregation = VariableAggregation.NONE
    elif type(aggregation) is not VariableAggregation:
        try:
            aggregation = VariableAggregation(aggregation)
        except ValueError:
            raise ValueError(f"Invalid variable aggregation mode: {aggregation} for variable: {name}") from None
    if synchronization is None:
        synchronization = VariableSynchronization.AUTO
    elif type(synchronization) is not VariableSynchronization:
        try:
            synchronization = VariableSynchronization(synchronization)
        except ValueError:
            raise ValueError(f"Invalid variable synchronization mode: {synchronization} for variable: {name}") from None
    if trainable is None:
        trainable = synchronization is not VariableSynchronization.ON_READ
    return synchronization, aggregation, trainable


class _Op:
    """The stand-in for a variable's graph operation: its ``name``, ``graph`` and ``type``."""

    __slots__ = ("name", "graph", "type", "traceback")
    traceback: list[tuple[str, int, str, str | None]]

    def __init__(self, name: str, graph: Any, op_type: str) -> None:
        self.name = name
        self.graph = graph
        self.type = op_type

    def __repr__(self) -> str:
        return f"<varscope op name={self.name!r} type={self.type}>"


class _Pending:
    """A variable's initial value, not computed yet: what ``new_variable`` would have computed at creation.

    ``compute`` runs ``fn`` (the initializer with its shape and dtype bound) under the random key the
    variable was created with, and converts the result as creation does.
    """

    __slots__ = ("fn", "seed", "key", "dtype", "shape")

    def __init__(self, fn: Any, seed: int | None, key: str, dtype: DType, shape: TensorShape) -> None:
        self.fn = fn
        self.seed = seed
        self.key = key
        self.dtype = dtype
        self.shape = shape

    def compute(self, backend: Any, name: str) -> Any:
        old_key = _random.set_key(self.seed, self.key)
        try:
            raw = self.fn()
            value, _ = _as_value(backend, raw, self.dtype, None)
        except Exception as err:
            err.add_note(f"(while computing the initial value of variable {name} on its first read)")
            raise
        finally:
            _random.reset_key(old_key)
        if tuple(value.shape) != tuple(self.shape.as_list()):
            raise ValueError(f"The initializer of variable {name} returned shape {TensorShape(list(value.shape))}, "
                             f"not the variable's shape {self.shape}.")
        return value


class Variable:
    """A named variable holding a concrete array of its graph's backend.

    Created by ``get_variable`` (or directly, for TF's ``tf.Variable``). Attributes mirror TF:
    ``name`` (``"scope/v:0"``), ``op.name``, ``shape``, ``dtype``, ``trainable``, ``graph``,
    ``constraint``; the value through ``value()``, ``read_value()``, ``numpy()``, the array
    protocols and arithmetic operators.
    """

    __slots__ = ("_op", "_graph", "_name", "_val", "_pending", "_shape", "_dtype", "_trainable", "_constraint", "_backend",
                 "_caching_device", "_synchronization", "_aggregation", "_save_slice_info", "_is_resource",
                 "_store_key", "_creator_thread", "_initial", "__weakref__")
    _op: _Op | None
    _graph: Any
    _name: str
    _val: Any  # the value (None while pending)
    _pending: _Pending | None
    _shape: TensorShape
    _dtype: DType
    _trainable: Any
    _constraint: Any
    _backend: Any
    _caching_device: Any
    _synchronization: VariableSynchronization
    _aggregation: VariableAggregation
    _save_slice_info: Any
    _is_resource: bool
    _store_key: Any
    _creator_thread: int
    # NumPy defers ``ndarray @ variable`` to the variable's reflected operator, which computes on the value (a
    # tracer under jax.grad / jit) instead of converting the variable to a NumPy array.
    __array_priority__ = 100
    _initial: Any

    # -- construction ------------------------------------------------------------------------------
    @classmethod
    def _create(cls, graph: Any, op_name: str, value: Any, shape: TensorShape, dtype: DType, trainable: Any,
                constraint: Any, caching_device: Any, synchronization: VariableSynchronization,
                aggregation: VariableAggregation, is_resource: bool, store_key: Any, backend: Any = None) -> Variable:
        """Build a variable from parts already checked (``value`` is a backend array), outside any store.

        ``graph`` may be None (a variable rebuilt outside any graph, e.g. by a JAX pytree), then
        ``backend`` must be given.
        """
        self = object.__new__(cls)
        self._init(graph, op_name, value, shape, dtype, trainable, constraint, caching_device, synchronization,
                   aggregation, is_resource, store_key, backend)
        return self

    def _init(self, graph: Any, op_name: str, value: Any, shape: TensorShape, dtype: DType, trainable: Any,
              constraint: Any, caching_device: Any, synchronization: VariableSynchronization,
              aggregation: VariableAggregation, is_resource: bool, store_key: Any, backend: Any = None) -> None:
        self._graph = graph
        self._op = None  # made by the ``op`` property on first use: most variables never need it
        self._name = op_name + ":0"
        self._val = value
        self._pending = None
        self._initial = value  # (what the initializer gave: TF's initial_value, which assign does not change)
        self._shape = shape
        self._dtype = dtype
        self._trainable = trainable
        self._constraint = constraint
        self._backend = backend if backend is not None else graph._backend
        self._caching_device = caching_device
        self._synchronization = synchronization
        self._aggregation = aggregation
        self._save_slice_info = None
        self._is_resource = is_resource
        self._store_key = store_key
        self._creator_thread = threading.get_ident()  # (templates tell their own new variables by it)

    def __init__(self, initial_value: Any = None, trainable: bool | None = None, collections: Any = None,
                 validate_shape: bool = True, caching_device: Any = None, name: str | None = None,
                 variable_def: Any = None, dtype: Any = None, expected_shape: Any = None,
                 import_scope: Any = None, constraint: Any = None, use_resource: bool | None = None,
                 synchronization: Any = VariableSynchronization.AUTO,
                 aggregation: Any = VariableAggregation.NONE, shape: Any = None) -> None:
        """``tf.compat.v1.Variable``: a variable named by the current *name scope* (not the variable scope).

        Example:
            >>> import varscope as tf1
            >>> with tf1.Graph().as_default():
            ...     with tf1.name_scope("ns"):
            ...         v = tf1.Variable(1.0)
            >>> v.name
            'ns/Variable:0'
        """
        if initial_value is None:
            raise ValueError("The `initial_value` arg to `tf.Variable` must be specified except when you are not "
                             "providing a `variable_def`. You provided neither.")
        graph = get_default_graph()
        new_variable(graph, name, initial_value, dtype=None if dtype is None else as_dtype(dtype),
                     shape=None if shape is None else as_shape(shape), validate_shape=validate_shape,
                     trainable=trainable, collections=collections, caching_device=caching_device,
                     constraint=constraint, use_resource=use_resource, synchronization=synchronization,
                     aggregation=aggregation, store_key=None, into=self)

    # -- TF properties -----------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The tensor name, ``"<op name>:0"``."""
        return self._name

    @property
    def op(self) -> _Op:
        """The variable's operation stand-in (``op.name`` is the name without ``:0``)."""
        op = self._op
        if op is None:
            made = _Op(self._name[:-2], self._graph, "VarHandleOp" if self._is_resource else "VariableV2")
            with _OP_LOCK:  # one op object per variable, even when threads ask at once
                op = self._op
                if op is None:
                    op = self._op = made
        return op

    @property
    def graph(self) -> Any:
        """The graph this variable belongs to."""
        return self._graph

    @property
    def shape(self) -> TensorShape:
        """The static shape (unknown dims are None)."""
        return self._shape

    def get_shape(self) -> TensorShape:
        """Alias of :attr:`shape`."""
        return self._shape

    @property
    def dtype(self) -> DType:
        """The variable's :class:`~varscope.DType` (``float32_ref`` for a ``use_resource=False`` variable)."""
        return self._dtype if self._is_resource else self._dtype._as_ref

    @property
    def ndim(self) -> int:
        """The rank of the value, as NumPy and JAX arrays have it (``jax.lax`` functions read it)."""
        rank = self._shape.ndims  # (known without computing a pending value)
        return int(self._value.ndim) if rank is None else rank

    @property
    def trainable(self) -> bool:
        """Whether the variable is in ``TRAINABLE_VARIABLES`` (unless collections said otherwise)."""
        return self._trainable

    @property
    def constraint(self) -> Any:
        """The projection applied by ``assign`` (None when there is none)."""
        return self._constraint

    @property
    def device(self) -> str:
        """Always ``""`` (varscope places nothing)."""
        return ""

    @property
    def synchronization(self) -> VariableSynchronization:
        """The synchronization mode."""
        return self._synchronization

    @property
    def aggregation(self) -> VariableAggregation:
        """The aggregation mode."""
        return self._aggregation

    @property
    def caching_device(self) -> Any:
        """The caching device the variable was created with."""
        return self._caching_device

    @property
    def initial_value(self) -> Any:
        """The value the variable was created with (``assign`` does not change it), as TF's ``initial_value``.

        TF runs every initializer before any assignment, so what is made from ``initial_value`` (a
        moving average's shadow) starts from it even when made after an ``assign``. (A PyTorch
        parameter is updated in place, so on that backend it is the live tensor.)
        """
        if type(self._initial) is _Pending:  # (a restored variable's initial value is still the initializer's)
            self._compute_initial()
        return self._initial

    # -- values ------------------------------------------------------------------------------------
    @property
    def _value(self) -> Any:
        """The backend array; a pending initial value is computed here, on the first read."""
        if self._pending is not None:
            self._compute_initial()
        return self._val

    @_value.setter
    def _value(self, value: Any) -> None:
        if self._pending is None:
            self._val = value
            return
        with _INIT_LOCK:  # (not while another thread computes the pending value)
            self._pending = None
            self._val = value

    def _compute_initial(self) -> None:
        """Compute the pending initial value, once across threads. ``_pending`` is the same object as
        ``_initial`` until an assignment drops it: then only the initial value is computed."""
        with _INIT_LOCK:
            pending = self._initial
            if type(pending) is not _Pending:  # (computed by another thread meanwhile)
                return
            value = self._initial = pending.compute(self._backend, self._name[:-2])
            if self._pending is pending:  # (not assigned yet: it is the current value too)
                self._val = value
                self._pending = None

    def _is_pending(self) -> bool:
        """True while the initial value has not been computed (nor replaced by an assignment)."""
        return self._pending is not None

    def value(self) -> Any:
        """The current value as a backend array."""
        return self._value

    def read_value(self) -> Any:
        """The current value as a backend array."""
        return self._value

    def numpy(self) -> np.ndarray:
        """The current value as a NumPy array of the variable's dtype.

        (A JAX variable of a 64-bit dtype holds a 32-bit array unless ``jax_enable_x64`` is set;
        its NumPy value, and so what ``Saver`` writes, has the declared dtype, as TF's has.)
        """
        arr = self._backend.to_numpy(self._value)
        want = self._dtype.as_numpy_dtype
        return arr if arr.dtype == want else arr.astype(want)

    def eval(self, session: Any = None) -> np.ndarray:
        """The current value as a NumPy array (``session`` is ignored)."""
        return self.numpy()

    def _new_value(self, value: Any) -> Any:
        backend = self._backend
        value = _array_of(value)
        if not backend.is_array(value):
            value = backend.asarray(to_numpy(value, self._dtype), self._dtype.as_numpy_dtype)
        elif value.dtype != self._dtype.as_numpy_dtype:
            value = backend.asarray(value, self._dtype.as_numpy_dtype)
        if not self._shape.is_compatible_with(tuple(value.shape)):
            raise ValueError(
                f"Cannot assign value of shape {TensorShape(list(value.shape))} to variable {self.op.name} "
                f"of shape {self._shape}."
            )
        if self._constraint is not None:
            value = backend.asarray(self._constraint(value), self._dtype.as_numpy_dtype)
        return value

    def assign(self, value: Any, use_locking: Any = None, name: Any = None, read_value: bool = True) -> Variable:
        """Replace the value (the constraint, if any, is applied). Returns the variable."""
        update = getattr(self._backend, "update", None)  # optional hook: e.g. torch copies into parameters
        new = self._new_value(value)
        # A pending initial value is replaced without being computed.
        self._value = new if update is None or self._pending is not None else update(self._value, new)
        return self

    def assign_add(self, delta: Any, use_locking: Any = None, name: Any = None, read_value: bool = True) -> Variable:
        """Add ``delta`` to the value. Returns the variable."""
        return self.assign(self._value + self._backend.asarray(_array_of(delta), self._dtype.as_numpy_dtype))

    def assign_sub(self, delta: Any, use_locking: Any = None, name: Any = None, read_value: bool = True) -> Variable:
        """Subtract ``delta`` from the value. Returns the variable."""
        return self.assign(self._value - self._backend.asarray(_array_of(delta), self._dtype.as_numpy_dtype))

    def load(self, value: Any, session: Any = None) -> None:
        """Assign ``value`` (``session`` is ignored)."""
        self.assign(value)

    def initialized_value(self) -> Any:
        """The current value."""
        return self._value

    # -- partitioning ------------------------------------------------------------------------------
    def _set_save_slice_info(self, save_slice_info: Any) -> None:
        self._save_slice_info = save_slice_info

    def _get_save_slice_info(self) -> Any:
        return self._save_slice_info

    # -- Python protocols --------------------------------------------------------------------------
    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        arr = self.numpy()
        return arr if dtype is None else arr.astype(dtype)

    def __repr__(self) -> str:
        return f"<tf.Variable '{self._name}' shape={self._shape} dtype={self.dtype.name}>"

    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __len__(self) -> int:
        return len(self._value)

    def __getitem__(self, key: Any) -> Any:
        hook = _operator_hook
        if hook is not None:
            out = hook("getitem", self, key)
            if out is not NotImplemented:
                return out
        return self._value[key]

    def __iter__(self) -> Any:
        return iter(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __float__(self) -> float:
        return float(self._value)

    def __int__(self) -> int:
        return int(self._value)

    def __neg__(self) -> Any:
        hook = _operator_hook
        if hook is not None:
            out = hook("neg", self, None)
            if out is not NotImplemented:
                return out
        return -self._value

    def __abs__(self) -> Any:
        hook = _operator_hook
        if hook is not None:
            out = hook("abs", self, None)
            if out is not NotImplemented:
                return out
        return abs(self._value)

    def __jax_array__(self) -> Any:
        return self._value

    @classmethod
    def __torch_function__(cls, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        """PyTorch's dispatch protocol: ``torch.f(x, v)`` runs on the variables' values (no torch import)."""
        def unwrap(x: Any) -> Any:
            if isinstance(x, Variable):
                return x._value
            return type(x)(unwrap(y) for y in x) if type(x) in (list, tuple) else x

        return func(*unwrap(tuple(args)), **{k: unwrap(a) for k, a in (kwargs or {}).items()})


# TF 1.x operators on variables. When set (varscope.compat sets it), ``_operator_hook(name, variable, other)``
# computes the operator ``name`` ("add", "radd", "lt", "neg", "getitem", ...) as TF's op and returns a Tensor, or
# NotImplemented (TF 2 behaviour, or a backend it does not compute on): then the operator works on the value.
_operator_hook: Any = None


def set_operator_hook(hook: Any) -> None:
    """Install ``hook`` for variables' operators (None removes it); see ``_operator_hook``."""
    global _operator_hook
    _operator_hook = hook


def _binary(op: Any, name: str, reflected: bool = False) -> Any:
    def method(self: Variable, other: Any) -> Any:
        hook = _operator_hook
        if hook is not None:
            out = hook(name, self, other)
            if out is not NotImplemented:
                return out
        if isinstance(other, Variable):
            other = other._value
        return op(other, self._value) if reflected else op(self._value, other)

    return method


for _name, _fn in [("add", operator.add), ("sub", operator.sub), ("mul", operator.mul),
                   ("truediv", operator.truediv), ("floordiv", operator.floordiv), ("mod", operator.mod),
                   ("pow", operator.pow), ("matmul", operator.matmul), ("and", operator.and_),
                   ("or", operator.or_), ("xor", operator.xor)]:
    setattr(Variable, f"__{_name}__", _binary(_fn, _name))
    setattr(Variable, f"__r{_name}__", _binary(_fn, "r" + _name, reflected=True))
for _name, _fn in [("lt", operator.lt), ("le", operator.le), ("gt", operator.gt), ("ge", operator.ge)]:
    setattr(Variable, f"__{_name}__", _binary(_fn, _name))


def creation_traceback() -> list[tuple[str, int, str, str | None]]:
    """The current stack, innermost last, for RefVariable "Originally defined at" messages."""
    frames = traceback.extract_stack()
    while frames and frames[-1].filename.startswith(_PACKAGE_DIR):  # varscope's own frames
        frames.pop()
    return [(f.filename, f.lineno or 0, f.name, f.line) for f in frames]


def _check_variable_args(collections: Any, constraint: Any, is_resource: bool) -> Any:
    """The Variable constructor's checks, in TF's order; returns the collections (default: GLOBAL)."""
    if collections is None:
        collections = [GraphKeys.GLOBAL_VARIABLES]
    elif not isinstance(collections, (list, tuple, set)):
        raise ValueError("collections argument to Variable constructor must be a list, tuple, or set. Got "
                         f"{collections} of type {type(collections)}")
    if constraint is not None and not callable(constraint):
        if is_resource:
            raise ValueError(f"Argument `constraint` must be None or a callable. a callable. Got a "
                             f"{type(constraint)}:  {constraint}")
        raise ValueError("The `constraint` argument must be a callable.")
    return collections


def _as_value(backend: Any, raw: Any, dtype: DType | None, initial_value: Any) -> tuple[Any, DType]:
    """The initial value ``raw`` as an array of ``backend`` (TF's ``convert_to_tensor(raw, dtype)``)."""
    if dtype is None:
        dtype = infer_dtype(raw)
    np_dtype = dtype.as_numpy_dtype
    if backend.is_array(raw) and raw.dtype == np_dtype:
        # A NumPy array given as the value itself is copied: the variable must not alias the caller's array.
        return (raw.copy() if raw is initial_value and isinstance(raw, np.ndarray) else raw), dtype
    if backend.is_array(raw) and not isinstance(raw, np.ndarray):
        # Converted by the backend: a JAX tracer has no NumPy value, and JAX keeps a 64-bit dtype
        # 32-bit without ``jax_enable_x64``.
        return backend.asarray(raw, np_dtype), dtype
    return backend.asarray(to_numpy(raw, dtype), np_dtype), dtype


def new_variable(graph: Graph, name: Any, initial_value: Any, *, dtype: DType | None, shape: TensorShape | None,
                 validate_shape: Any, trainable: Any, collections: Any, caching_device: Any, constraint: Any,
                 use_resource: Any, synchronization: Any, aggregation: Any, store_key: Any,
                 into: Variable | None = None, lazy: bool = False) -> Variable:
    """TF's Variable constructor in graph mode (``VariableV1``), the one way variables are made.

    The op is named by the current name scope (``get_variable`` calls it at the root, with the full
    name), and the names of the ops TF builds beside it count as used: the initial value is computed
    inside ``<op>/Initializer/``, then ``IsInitialized`` (resource variables), ``Assign`` and ``Read``
    (``read`` for ref variables) are marked. ``initial_value`` is a value or a callable computing it;
    random initializers inside draw from the generator keyed by the graph seed and ``store_key``
    (the op name when None). ``into``: fill this (``tf1.Variable(...)``) instead of a new object.
    In graph mode the variable joins its collections here (an eager graph's store adds them).

    ``lazy`` (the store decides): ``initial_value`` is ``functools.partial(initializer, shape, dtype=...)``
    of a built-in initializer whose errors do not depend on the dimensions, ``dtype`` and a fully defined
    ``shape`` are given. The initializer then runs once at creation on a shape of the same rank with
    every dimension at most 1, so that any error it raises is raised here as before, and the real value
    is computed on the first read (see :class:`_Pending`).
    """
    synchronization, aggregation, trainable = validate_synchronization_aggregation_trainable(
        synchronization, aggregation, trainable, name)
    is_resource = _default_use_resource if use_resource is None else bool(use_resource)
    collections = _check_variable_args(collections, constraint, is_resource)
    from_fn = callable(initial_value)
    op_type = "VarHandleOp" if is_resource else "VariableV2"
    old_stack, scope = graph._enter_name_scope(name if name is not None else "Variable")
    try:
        op_name = scope[:-1]
        prefix = scope if op_name else ""  # (the names of the ops TF makes beside the variable start with it)
        pending = None
        if lazy or from_fn or is_resource:
            graph._enter_name_scope("Initializer")
            key = op_name if store_key is None else store_key
            old_key = _random.set_key(graph.seed, key)
            try:
                if lazy:  # raises what the real call would (see above); the value is computed on first read
                    initial_value.func([min(d, 1) for d in initial_value.args[0]], *initial_value.args[1:],
                                       **initial_value.keywords)
                    assert dtype is not None and shape is not None
                    pending = _Pending(initial_value, graph.seed, key, dtype, shape)
                else:
                    raw = initial_value() if from_fn else initial_value
            finally:
                _random.reset_key(old_key)
                graph._set_name_stack(op_name)
        else:
            raw = initial_value
            graph._names.unique(prefix + "initial_value")
        if pending is not None:
            value, value_shape = None, pending.shape
            dtype = pending.dtype
        else:
            value, dtype = _as_value(graph._backend, raw, dtype, initial_value)
            value_shape = TensorShape(list(value.shape))
        if shape is None:
            shape = value_shape if (is_resource or validate_shape) else TensorShape(None)
        elif not shape.is_compatible_with(value_shape):
            if is_resource:
                raise ValueError(f"In this `tf.Variable` creation, the initial value's shape ({value_shape}) is not "
                                 f"compatible with the explicitly supplied `shape` argument ({shape}).")
            if validate_shape:
                raise ValueError(f"Shapes {shape} and {value_shape} are incompatible")
        # An empty name gives a tensor named ":0" whose op TF names (uniquely) after its type.
        typed_op_name = None if op_name else graph._names.unique(op_type)
        if is_resource:
            graph._names.unique(prefix + "IsInitialized")
        graph._names.unique(prefix + "Assign")
        graph._names.unique(prefix + ("Read" if is_resource else "read"))
    finally:
        graph._set_name_stack(old_stack)
    variable = object.__new__(Variable) if into is None else into
    variable._init(graph, op_name, value, shape, dtype, trainable, constraint, caching_device, synchronization,
                   aggregation, is_resource, store_key)
    if pending is not None:
        variable._pending = variable._initial = pending
    if typed_op_name is not None:
        variable._op = _Op(typed_op_name, graph, op_type)
    if not is_resource:
        variable.op.traceback = creation_traceback()
    if not graph._eager:
        names = list(collections)
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in names:
            names.append(GraphKeys.TRAINABLE_VARIABLES)
        graph.add_to_collections(names, variable)
    return variable


def graph_from_inputs(values: Any) -> Graph:
    """TF's ``_get_graph_from_inputs``: the graph of the variables in ``values``, else the default graph."""
    graph: Graph | None = None
    first: Any = None
    for value in values:
        g = value._graph if isinstance(value, Variable) else None
        if g is None:
            continue
        if graph is None:
            graph, first = g, value
        elif g is not graph:
            raise ValueError(f"{value!r} must be from the same graph as {first!r} (graphs are {g!r} and {graph!r}).")
    return graph if graph is not None else get_default_graph()
