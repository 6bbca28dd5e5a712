"""The PyTorch backend: variables hold ``torch.Tensor`` values (``Graph(backend="torch")``).

Initial values are computed by the core's name-keyed NumPy initializers (so NumPy, JAX and PyTorch
variables start from identical values) and converted here. Tensors live on CPU unless another device
is chosen with the ``VARSCOPE_TORCH_DEVICE`` environment variable (read at import) or
:func:`set_device`.

Dtypes map one to one: bool, (u)int8/16/32/64, float16, bfloat16, float32, float64, float8 (e5m2,
e4m3fn) and complex64/128. NumPy's ``ml_dtypes`` bfloat16 and float8 values go through float32 (exact).
TensorFlow strings have no PyTorch counterpart: a string variable raises ``TypeError``.

Training: :func:`parameters` makes the trainable variables' tensors ``requires_grad`` leaves and
returns them; :class:`VarscopeModule` exposes them as ``torch.nn.Parameter`` s of an ``nn.Module``
keyed by TF name. ``Variable.assign`` on such a parameter copies in place (see :meth:`TorchBackend.update`),
so an optimizer built before ``Saver.restore`` keeps training the restored values.

Example:
    >>> import torch, varscope as tf1
    >>> with tf1.Graph(backend="torch").as_default():
    ...     w = tf1.get_variable("w", initializer=[[1.0, 2.0], [3.0, 4.0]])
    >>> torch.matmul(torch.ones(1, 2), w).tolist(), type(w.value()).__name__, w.numpy().dtype.name
    ([[4.0, 6.0]], 'Tensor', 'float32')
"""

from __future__ import annotations

import os
import sys
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch

from varscope import regularizers as r
from varscope._dtypes import DType, as_dtype
from varscope._graph import GraphKeys, get_default_graph
from varscope._variables import Variable

__all__ = [
    "TorchBackend", "BACKEND", "set_device", "get_device", "to_torch_dtype", "to_numpy_dtype",
    "parameters", "named_parameters", "VarscopeModule", "regularization_losses", "regularization_loss",
]

_device = torch.device(os.environ.get("VARSCOPE_TORCH_DEVICE", "cpu"))

# NumPy scalar type -> torch dtype. ml_dtypes types cannot go through ``torch.from_numpy``; they are
# converted through float32 (``_VIA_FLOAT32``), and added by _add_ml_dtypes when first needed (importing
# ml_dtypes takes about 0.45 s).
_NP_TO_TORCH: dict[Any, torch.dtype] = {
    np.bool_: torch.bool,
    np.int8: torch.int8, np.int16: torch.int16, np.int32: torch.int32, np.int64: torch.int64,
    np.uint8: torch.uint8, np.uint16: torch.uint16, np.uint32: torch.uint32, np.uint64: torch.uint64,
    np.float16: torch.float16, np.float32: torch.float32, np.float64: torch.float64,
    np.complex64: torch.complex64, np.complex128: torch.complex128,
}
_TORCH_TO_NP: dict[torch.dtype, np.dtype] = {t: np.dtype(n) for n, t in _NP_TO_TORCH.items()}
_VIA_FLOAT32 = {torch.bfloat16, torch.float8_e5m2, torch.float8_e4m3fn}


def _add_ml_dtypes() -> None:
    import ml_dtypes

    pairs = {ml_dtypes.bfloat16: torch.bfloat16, ml_dtypes.float8_e5m2: torch.float8_e5m2,
             ml_dtypes.float8_e4m3fn: torch.float8_e4m3fn}
    _TORCH_TO_NP.update({t: np.dtype(n) for n, t in pairs.items()})
    _NP_TO_TORCH.update(pairs)


def set_device(device: str | torch.device) -> None:
    """Create new variable tensors on ``device`` (``"cpu"``, ``"cuda"``, ``"cuda:1"``, ...).

    Existing variables stay where they are. The default is ``VARSCOPE_TORCH_DEVICE`` or ``"cpu"``.

    Example:
        >>> from varscope.backends import torch_backend
        >>> torch_backend.set_device("cpu"); str(torch_backend.get_device())
        'cpu'
    """
    global _device
    _device = torch.device(device)


def get_device() -> torch.device:
    """The device new variable tensors are created on."""
    return _device


def _string_error(what: Any) -> TypeError:
    return TypeError(f"The torch backend cannot hold strings ({what}): PyTorch has no string tensors. "
                     "Create string variables in a NumPy graph (Graph(backend='numpy')).")


def to_torch_dtype(dtype: Any) -> torch.dtype:
    """The ``torch.dtype`` for a varscope DType, NumPy dtype, dtype name or ``torch.dtype``.

    Raises:
        TypeError: For strings and for dtypes PyTorch lacks (quantized, resource, variant).

    Example:
        >>> import numpy as np, varscope as tf1
        >>> to_torch_dtype(tf1.bfloat16), to_torch_dtype(np.int32), to_torch_dtype("complex64")
        (torch.bfloat16, torch.int32, torch.complex64)
    """
    if isinstance(dtype, torch.dtype):
        return dtype
    if isinstance(dtype, DType):
        np_type = dtype.as_numpy_dtype
        if dtype.base_dtype.name == "string":
            raise _string_error("dtype string")
        if np_type is None:
            raise TypeError(f"The torch backend has no dtype for {dtype.name}.")
    elif isinstance(dtype, str):
        return to_torch_dtype(as_dtype(dtype))
    else:
        np_type = np.dtype(dtype).type
    found = _NP_TO_TORCH.get(np_type)
    if found is None and torch.bfloat16 not in _TORCH_TO_NP and "ml_dtypes" in sys.modules:
        _add_ml_dtypes()
        found = _NP_TO_TORCH.get(np_type)
    if found is None:
        if np_type in (np.object_, np.str_, np.bytes_):
            raise _string_error(f"dtype {np.dtype(np_type)}")
        raise TypeError(f"The torch backend has no dtype for {np.dtype(np_type)}.")
    return found


def to_numpy_dtype(dtype: torch.dtype) -> np.dtype:
    """The NumPy dtype (ml_dtypes for bfloat16/float8) of a ``torch.dtype``.

    Example:
        >>> import torch
        >>> to_numpy_dtype(torch.bfloat16).name, to_numpy_dtype(torch.bool).name
        ('bfloat16', 'bool')
    """
    try:
        return _TORCH_TO_NP[dtype]
    except KeyError:
        if dtype in _VIA_FLOAT32:
            _add_ml_dtypes()
            return _TORCH_TO_NP[dtype]
        raise TypeError(f"varscope has no NumPy dtype for {dtype}.") from None


class TorchBackend:
    """Variables hold ``torch.Tensor`` values on :func:`get_device`."""

    name = "torch"
    numpy = None  # (varscope.compat ops do not compute on torch tensors)

    def asarray(self, value: Any, dtype: Any = None) -> torch.Tensor:
        """``value`` as a tensor of ``dtype`` (NumPy, ml_dtypes, varscope or torch dtype).

        A tensor that already has the dtype is returned as it is (autograd history kept); NumPy
        input is always copied, so a variable never shares memory with the caller's array.

        Raises:
            TypeError: For string values or dtypes.
        """
        if isinstance(value, Variable):
            value = value._value
        target = None if dtype is None else to_torch_dtype(dtype)
        if isinstance(value, torch.Tensor):
            return value if target is None or value.dtype == target else value.to(target)
        if not isinstance(value, np.ndarray):
            to_numpy = getattr(value, "numpy", None)  # e.g. a TF or JAX-like array with .numpy()
            if to_numpy is not None and not isinstance(value, np.generic):
                value = to_numpy()
        if target is None:
            arr = np.asarray(value)
            if arr.dtype.kind in "OSU":
                raise _string_error(f"got a {arr.dtype} value")
            target = to_torch_dtype(arr.dtype)
        else:
            arr = np.asarray(value, dtype=None if target in _VIA_FLOAT32 else _TORCH_TO_NP[target])
            if arr.dtype.kind in "OSU":
                raise _string_error(f"got a {arr.dtype} value")
        if target in _VIA_FLOAT32:
            tensor = torch.from_numpy(np.array(arr, dtype=np.float32, order="C")).to(target)
        else:
            tensor = torch.from_numpy(np.array(arr, order="C"))  # a writable copy
        return tensor if _device.type == "cpu" else tensor.to(_device)

    def adopt(self, array: np.ndarray) -> torch.Tensor:
        """``array``, which nobody else holds (just read from a checkpoint), as a tensor without a copy.

        ``torch.from_numpy`` shares the array's memory when it is a writable, C-contiguous array
        of a dtype torch has and the device is the CPU; anything else is converted as by
        :meth:`asarray` (one copy).

        Example:
            >>> a = np.arange(3, dtype=np.float32)
            >>> np.shares_memory(BACKEND.adopt(a).numpy(), a)
            True
        """
        if (type(array) is np.ndarray and _device.type == "cpu" and array.flags.writeable
                and array.flags.c_contiguous and array.dtype.isnative and array.dtype.kind in "biufc"):
            try:
                tensor = torch.from_numpy(array)
            except TypeError:  # a dtype torch lacks (uint16 on old versions...)
                return self.asarray(array)
            if tensor.dtype not in _VIA_FLOAT32:
                return tensor
        return self.asarray(array)

    def to_numpy(self, value: Any) -> np.ndarray:
        """A NumPy copy of ``value``: detached, on CPU, bfloat16/float8 as ml_dtypes arrays."""
        if isinstance(value, Variable):
            value = value._value
        if not isinstance(value, torch.Tensor):
            return np.asarray(value)
        t = value.detach()
        if t.device.type != "cpu":
            t = t.cpu()
        if t.dtype in _VIA_FLOAT32:
            return t.float().numpy().astype(to_numpy_dtype(t.dtype))
        return t.resolve_conj().resolve_neg().numpy().copy()

    def is_array(self, value: Any) -> bool:
        """True for ``torch.Tensor`` (``nn.Parameter`` included)."""
        return isinstance(value, torch.Tensor)

    def concatenate(self, arrays: list[Any], axis: int) -> torch.Tensor:
        """``torch.cat(arrays, dim=axis)`` (differentiable: gradients reach each shard)."""
        return torch.cat([self.asarray(a) for a in arrays], dim=axis)

    def update(self, old: Any, new: torch.Tensor) -> torch.Tensor:
        """What ``Variable.assign`` stores: ``old`` updated in place when it is a parameter.

        A ``requires_grad`` leaf (a parameter an optimizer may hold) of the same shape and dtype
        gets ``new`` copied into it without recording autograd history; any other value is
        simply replaced by ``new``, as in the NumPy backend.
        """
        if (isinstance(old, torch.Tensor) and old.requires_grad and old.is_leaf and old is not new
                and old.shape == new.shape and old.dtype == new.dtype):
            with torch.no_grad():
                old.copy_(new)
            return old
        return new


BACKEND = TorchBackend()


# -- training helpers -----------------------------------------------------------------------------------
def _graph_variables(graph: Any, scope: str | None, trainable_only: bool) -> list[Variable]:
    graph = graph if graph is not None else get_default_graph()
    key = GraphKeys.TRAINABLE_VARIABLES if trainable_only else GraphKeys.GLOBAL_VARIABLES
    variables = graph.get_collection(key, scope)
    for v in variables:
        if not isinstance(v._value, torch.Tensor):
            raise TypeError(f"Variable {v.op.name} holds a {type(v._value).__name__}, not a torch.Tensor: "
                            "create it in a Graph(backend='torch').")
    return variables


def _as_parameter(v: Variable) -> torch.nn.Parameter:
    value = v._value
    if not isinstance(value, torch.nn.Parameter):
        if not (value.dtype.is_floating_point or value.dtype.is_complex):
            raise TypeError(f"Variable {v.op.name} of dtype {v.dtype.name} cannot require gradients; "
                            "make it trainable=False.")
        value = torch.nn.Parameter(value.detach(), requires_grad=True)
        v._value = value
    return value


def named_parameters(graph: Any = None, scope: str | None = None) -> OrderedDict[str, torch.nn.Parameter]:
    """The trainable variables of ``graph`` (default: the default graph) as ``nn.Parameter`` s.

    Each variable's value is turned into a ``torch.nn.Parameter`` (once; the variable keeps holding
    it), so gradients of expressions using the variable land in ``param.grad``. Keys are the TF
    names without ``:0`` (``"tower/dense/kernel"``; a partitioned variable's shards are
    ``"emb/part_0"``, ...), in creation order.

    Args:
        graph: The graph; None for the default graph.
        scope: Optional filter, as in ``get_collection`` (a regex matched from the start of the name).

    Raises:
        TypeError: For a variable not held as a tensor or of a dtype that cannot have gradients.

    Example:
        >>> import torch, varscope as tf1
        >>> from varscope.backends import torch_backend
        >>> with tf1.Graph(backend="torch").as_default() as g:
        ...     w = tf1.get_variable("w", [2], initializer=tf1.ones_initializer())
        >>> params = torch_backend.named_parameters(g)
        >>> list(params), params["w"] is w.value(), w.value().requires_grad
        (['w'], True, True)
    """
    return OrderedDict((v.op.name, _as_parameter(v)) for v in _graph_variables(graph, scope, True))


def parameters(graph: Any = None, scope: str | None = None) -> list[torch.nn.Parameter]:
    """The values of :func:`named_parameters`, for ``torch.optim.SGD(parameters(g), lr=0.1)``.

    Example:
        >>> import torch, varscope as tf1
        >>> from varscope.backends import torch_backend
        >>> with tf1.Graph(backend="torch").as_default() as g:
        ...     w = tf1.get_variable("w", initializer=[3.0])
        >>> opt = torch.optim.SGD(torch_backend.parameters(g), lr=0.5)
        >>> (w * w).sum().backward(); opt.step()
        >>> w.numpy().tolist()
        [0.0]
    """
    return list(named_parameters(graph, scope).values())


class VarscopeModule(torch.nn.Module):
    """An ``nn.Module`` whose parameters are a graph's trainable variables, keyed by TF name.

    ``module.named_parameters()`` yields ``("tower/dense/kernel", param)``; ``state_dict()`` has the
    same keys (all variables: non-trainable ones are exposed as buffers). PyTorch forbids ``.`` in
    attribute names, not ``/``; the parameters are stored in a ``ParameterDict`` internally and the
    public names are the TF names. ``forward`` calls ``fn(*args, **kwargs)`` inside the graph, so
    ``get_variable`` with ``reuse`` finds the variables created when the module was built.

    Args:
        graph: A ``Graph(backend="torch")`` whose variables already exist.
        fn: Optional model function run by ``forward`` with ``graph`` as default graph.
        scope: Optional ``get_collection`` filter for the variables.

    Example:
        >>> import torch, varscope as tf1
        >>> from varscope.backends.torch_backend import VarscopeModule
        >>> def net(x):
        ...     with tf1.variable_scope("lin", reuse=tf1.AUTO_REUSE):
        ...         return x @ tf1.get_variable("w", [2, 1])
        >>> g = tf1.Graph(backend="torch")
        >>> module = VarscopeModule(g, net)
        >>> _ = module(torch.ones(3, 2))  # the first call creates the variables
        >>> [name for name, _ in module.named_parameters()]
        ['lin/w']
    """

    def __init__(self, graph: Any, fn: Any = None, scope: str | None = None) -> None:
        super().__init__()
        self.graph = graph
        self.fn = fn
        self.scope = scope
        named_parameters(graph, scope)  # variables that exist already become parameters now

    def _variables(self) -> list[Variable]:
        return _graph_variables(self.graph, self.scope, False)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """``fn(*args, **kwargs)`` with the module's graph as the default graph."""
        if self.fn is None:
            raise NotImplementedError("VarscopeModule was built without fn: subclass it or pass fn.")
        with self.graph.as_default():
            return self.fn(*args, **kwargs)

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, torch.nn.Parameter]]:
        """``(tf_name, parameter)`` for each trainable variable (``prefix`` prepended)."""
        for name, param in named_parameters(self.graph, self.scope).items():
            yield prefix + name, param

    def parameters(self, recurse: bool = True) -> Iterator[torch.nn.Parameter]:
        """The trainable variables' parameters, for a ``torch.optim`` optimizer."""
        for _, param in self.named_parameters():
            yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, torch.Tensor]]:
        """``(tf_name, tensor)`` for each non-trainable variable."""
        trainable = set(_graph_variables(self.graph, self.scope, True))
        for v in self._variables():
            if v not in trainable:
                yield prefix + v.op.name, v._value

    def buffers(self, recurse: bool = True) -> Iterator[torch.Tensor]:
        """The non-trainable variables' tensors."""
        for _, buf in self.named_buffers():
            yield buf

    def state_dict(self, *args: Any, destination: Any = None, prefix: str = "",  # type: ignore[override]
                   keep_vars: bool = False) -> dict[str, torch.Tensor]:
        """Every variable's tensor (detached unless ``keep_vars``), keyed by TF name."""
        out: dict[str, torch.Tensor] = OrderedDict() if destination is None else destination
        for v in self._variables():
            out[prefix + v.op.name] = v._value if keep_vars else v._value.detach()
        return out

    def load_state_dict(self, state_dict: Any, strict: bool = True, assign: bool = False) -> Any:
        """Assign each ``state_dict[tf_name]`` to its variable (in place for parameters).

        Raises:
            KeyError: With ``strict``, for missing or unexpected keys.
        """
        variables = {v.op.name: v for v in self._variables()}
        missing = [k for k in variables if k not in state_dict]
        unexpected = [k for k in state_dict if k not in variables]
        if strict and (missing or unexpected):
            raise KeyError(f"load_state_dict: missing keys {missing}, unexpected keys {unexpected}")
        for name, value in state_dict.items():
            if name in variables:
                variables[name].assign(value)
        return torch.nn.modules.module._IncompatibleKeys(missing, unexpected)

    def extra_repr(self) -> str:
        return ", ".join(f"{v.op.name}: {tuple(v.shape.as_list())}" for v in self._variables())


# -- regularization ---------------------------------------------------------------------------------------
def _regularize(reg: Any, weights: Any) -> Any:
    if isinstance(reg, (r._L1, r._L2)):
        w = weights._value if isinstance(weights, Variable) else BACKEND.asarray(weights)
        scale = torch.as_tensor(float(reg.scale), dtype=w.dtype, device=w.device)
        if isinstance(reg, r._L1):
            return scale * torch.sum(torch.abs(w))
        return scale * (torch.sum(w * w) / 2)
    if isinstance(reg, r._Sum):
        values = [v for v in (_regularize(x, weights) for x in reg.regularizers) if v is not None]
        return sum(values[1:], values[0]) if values else None
    if isinstance(reg, r._Disabled):
        return None
    return reg(weights)


def regularization_losses(scope: str | None = None, graph: Any = None) -> list[torch.Tensor]:
    """The graph's ``REGULARIZATION_LOSSES`` computed with torch ops (differentiable).

    ``tf1.losses.get_regularization_losses`` computes NumPy values, which carry no gradient; this
    recomputes the built-in regularizers (``l1``, ``l2``, ``l1_l2``, ``sum``) from the variables'
    tensors. A custom regularizer is called with the :class:`Variable` (torch functions accept it).

    Example:
        >>> import varscope as tf1
        >>> from varscope.backends import torch_backend
        >>> with tf1.Graph(backend="torch").as_default():
        ...     w = tf1.get_variable("w", initializer=[1.0, 2.0],
        ...                          regularizer=tf1.regularizers.l2_regularizer(0.5))
        ...     [float(x) for x in torch_backend.regularization_losses()]
        [1.25]
    """
    graph = graph if graph is not None else get_default_graph()
    out = []
    for loss in graph.get_collection(GraphKeys.REGULARIZATION_LOSSES, scope):
        reg, var = getattr(loss, "regularizer", None), getattr(loss, "variable", None)
        value = _regularize(reg, var) if reg is not None else loss
        if value is not None:
            out.append(BACKEND.asarray(value))
    return out


def regularization_loss(scope: str | None = None, graph: Any = None) -> torch.Tensor:
    """The sum of :func:`regularization_losses` (a 0-d tensor; ``0.0`` when there are none)."""
    losses = regularization_losses(scope, graph)
    if not losses:
        return torch.zeros((), device=_device)
    return torch.stack([x.to(losses[0].dtype) for x in losses]).sum()

