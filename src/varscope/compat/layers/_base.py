"""The base of ``tf.layers``' layers: TF1's legacy ``Layer`` (tf_keras' ``legacy_tf_layers/base.py``).

What it settles, as TF does:

* **The layer's name** (``layer.name``): ``name``, else the snake-cased class name made unique per graph
  (``dense``, ``dense_1``, ... whatever the variable scope), as Keras' ``unique_object_name``.
* **The variable scope**: given ``_scope`` (the functional forms pass their ``name``), the scope is entered once
  at construction under that exact name (a second layer named ``fc`` without ``reuse`` meets TF's
  "already exists" error); otherwise it is entered at the first call as
  ``variable_scope(None, default_name=<base name>)``, so names are uniquified per enclosing scope
  (``tower/dense``, ``tower/dense_1``). A built layer re-enters its scope with ``reuse=True``.
* **Op names**: the layer's ops go in the scope's original name scope (``dense/BiasAdd``, ``dense/Sigmoid_1`` on
  a second call; ``fc_1/BiasAdd`` for a layer that reuses ``fc``).
* **Collections**: weights come from ``get_variable`` (so ``GLOBAL_VARIABLES``, ``TRAINABLE_VARIABLES``,
  regularization losses under ``<scope>/<weight>/Regularizer/``); each update a call makes (batch norm's moving
  statistics) goes to ``UPDATE_OPS``.

Updates are applied when the layer is called (there is no Session to run ``UPDATE_OPS`` later): the moving
statistics hold their new values right after a training call, as they do in TF after one step that runs
``UPDATE_OPS``; inside :func:`varscope.jax.transform_with_state` they are the ``new_state``.

Example:
    >>> import numpy as np, varscope as tf1
    >>> from varscope.compat import layers
    >>> with tf1.Graph().as_default():
    ...     y = layers.dense(np.ones((2, 3), np.float32), 4)
    ...     with tf1.variable_scope("tower"):
    ...         z = layers.dense(y, 1, use_bias=False)
    >>> [v.name for v in tf1.global_variables()] == []  # each Graph has its own collections
    True
    >>> y.name, z.name
    ('dense/BiasAdd:0', 'tower/dense/MatMul:0')
"""

from __future__ import annotations

import re
import weakref
from typing import Any

import numpy as np

from varscope._dtypes import as_dtype, float32
from varscope._graph import GraphKeys, get_default_graph
from varscope._scope import VariableScope, get_variable, variable_scope
from varscope._shape import TensorShape

__all__ = ["Layer", "InputSpec", "to_snake_case", "unique_layer_name"]

_layer_uids: weakref.WeakKeyDictionary[Any, dict[str, int]] = weakref.WeakKeyDictionary()


def to_snake_case(name: str) -> str:
    """Keras' class-name conversion: ``Conv2DTranspose`` -> ``conv2d_transpose``, ``Dense`` -> ``dense``."""
    intermediate = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    insecure = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    if insecure[0] != "_":
        return insecure
    return "private" + insecure


def unique_layer_name(base: str) -> str:
    """``base``, ``base_1``, ... per graph (Keras' ``unique_object_name``: the variable scope plays no part)."""
    uids = _layer_uids.setdefault(get_default_graph(), {})
    n = uids.get(base, 0)
    uids[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


class InputSpec:
    """What a layer accepts (kept for model code that reads or sets ``layer.input_spec``)."""

    def __init__(self, dtype: Any = None, shape: Any = None, ndim: Any = None, max_ndim: Any = None,
                 min_ndim: Any = None, axes: Any = None) -> None:
        self.dtype, self.shape, self.ndim = dtype, shape, ndim
        self.max_ndim, self.min_ndim, self.axes = max_ndim, min_ndim, axes or {}


class Layer:
    """TF1's ``tf.layers.Layer``: a callable that creates its variables at the first call.

    Subclasses implement ``build(input_shape)`` (creating weights with :meth:`add_weight`) and
    ``call(inputs, ...)``.

    Args:
        trainable: Whether the layer's variables are trainable.
        name: The layer's name (default: the snake-cased class name, unique per graph).
        dtype: The weights' dtype (default: the first input's).
    """

    def __init__(self, trainable: bool = True, name: Any = None, dtype: Any = None, **kwargs: Any) -> None:
        scope = kwargs.pop("_scope", None)
        self._reuse = kwargs.pop("_reuse", None)
        kwargs.pop("autocast", None)
        kwargs.pop("input_shape", None)
        if kwargs:
            raise TypeError(f"Keyword argument not understood: {sorted(kwargs)[0]!r}")
        self.trainable = trainable
        self.built = False
        self._dtype = None if dtype is None else as_dtype(dtype)
        base = to_snake_case(type(self).__name__)
        if isinstance(name, VariableScope):
            self._name, self._base_name = unique_layer_name(base), name.name
        elif name:
            self._name, self._base_name = name, name
        else:
            self._name, self._base_name = unique_layer_name(base), base
        self._scope: VariableScope | None = None
        if scope:
            with variable_scope(scope) as captured:
                self._scope = captured
        self._current_scope: VariableScope | None = None
        self._trainable_weights: list[Any] = []
        self._non_trainable_weights: list[Any] = []
        self._updates: list[Any] = []
        self._losses: list[Any] = []
        self.input_spec: Any = None

    # -- attributes model code reads -------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The layer's name (``dense_1``)."""
        return self._name

    @property
    def dtype(self) -> Any:
        """The weights' dtype name (None before the first call when not given)."""
        return None if self._dtype is None else self._dtype.name

    @property
    def scope_name(self) -> str:
        """The variable scope's name (known after the first call).

        Raises:
            ValueError: Before the first call, with TF's message.
        """
        if not self._scope:
            raise ValueError(f'No name available for layer scope because the layer "{self._name}" has not been '
                             "used yet. The scope name  is determined the first time the layer instance is called. "
                             "You must therefore call the layer before querying `scope_name`.")
        return str(self._scope.name)

    @property
    def trainable_weights(self) -> list[Any]:
        """The trainable variables, in creation order (none when the layer is not trainable)."""
        return list(self._trainable_weights) if self.trainable else []

    @property
    def non_trainable_weights(self) -> list[Any]:
        """The non-trainable variables (all of them when the layer is not trainable)."""
        if self.trainable:
            return list(self._non_trainable_weights)
        return self._trainable_weights + self._non_trainable_weights

    @property
    def weights(self) -> list[Any]:
        """Trainable then non-trainable variables."""
        return self.trainable_weights + self.non_trainable_weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    @property
    def updates(self) -> list[Any]:
        """The update ops of the calls so far (batch norm's ``AssignMovingAvg``)."""
        return list(self._updates)

    @property
    def losses(self) -> list[Any]:
        """The regularization losses of the layer's weights."""
        return list(self._losses)

    # -- building -----------------------------------------------------------------------------------------
    def build(self, input_shape: Any) -> None:
        """Create the weights (subclasses)."""
        self.built = True

    def call(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        """The computation (subclasses)."""
        return inputs

    def _set_scope(self, scope: Any = None) -> None:
        if self._scope is None:
            if self._reuse:
                with variable_scope(scope if scope is not None else self._base_name) as captured:
                    self._scope = captured
            else:
                with variable_scope(scope, default_name=self._base_name) as captured:
                    self._scope = captured

    def add_weight(self, name: str, shape: Any, dtype: Any = None, initializer: Any = None,
                   regularizer: Any = None, trainable: Any = None, constraint: Any = None,
                   partitioner: Any = None, **kwargs: Any) -> Any:
        """Create (or, once built, reuse) the weight ``<scope>/<name>`` with ``get_variable``."""
        if trainable is None:
            trainable = True
        if dtype is None:
            dtype = self._dtype or float32
        self._set_scope(None)
        assert self._scope is not None
        reuse = self.built or self._reuse
        graph = get_default_graph()
        before = len(graph.get_collection(GraphKeys.REGULARIZATION_LOSSES))
        with variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as scope:
            self._current_scope = scope
            with graph.name_scope(scope.original_name_scope):
                if initializer is None:
                    initializer = scope.initializer
                variable = get_variable(name, shape, dtype=as_dtype(dtype), initializer=initializer,
                                        regularizer=regularizer, trainable=trainable and self.trainable,
                                        constraint=constraint, partitioner=partitioner)
        self._losses += graph.get_collection(GraphKeys.REGULARIZATION_LOSSES)[before:]
        if trainable and self.trainable:
            self._trainable_weights.append(variable)
        else:
            self._non_trainable_weights.append(variable)
        return variable

    def add_update(self, update: Any) -> None:
        """Record an update op (it goes to ``UPDATE_OPS`` when the call returns)."""
        self._updates.append(update)

    # -- calling ------------------------------------------------------------------------------------------
    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        """Enter the layer's scope, build at the first call, run ``call``; add new updates to ``UPDATE_OPS``."""
        scope = kwargs.pop("scope", None)
        self._set_scope(scope)
        assert self._scope is not None
        reuse = True if self.built else self._reuse
        graph = get_default_graph()
        before = len(self._updates)
        with variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as sc:
            self._current_scope = sc
            with graph.name_scope(sc.original_name_scope):
                if not self.built:
                    if self._dtype is None:
                        self._dtype = _dtype_of(inputs)
                    self.build(_shape_of(inputs))
                    self.built = True
                outputs = self.call(inputs, *args, **kwargs)
        collection = graph.get_collection_ref(GraphKeys.UPDATE_OPS)
        for update in self._updates[before:]:
            if not any(update is u for u in collection):
                collection.append(update)
        return outputs

    def apply(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        """Alias of calling the layer."""
        return self(inputs, *args, **kwargs)


def _shape_of(inputs: Any) -> TensorShape:
    shape = getattr(inputs, "shape", None)
    if shape is None:
        shape = np.shape(inputs)
    return shape if isinstance(shape, TensorShape) else TensorShape(list(shape))


def _dtype_of(inputs: Any) -> Any:
    dtype = getattr(inputs, "dtype", None)
    if dtype is None:
        return float32
    try:
        dt = as_dtype(dtype).base_dtype
    except (TypeError, ValueError):
        return float32
    return dt if dt.is_floating else float32

