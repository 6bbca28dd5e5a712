"""The global step: ``get_global_step``, ``create_global_step``, ``get_or_create_global_step``, ``assert_global_step``.

TF's ``tf.compat.v1.train`` functions, with TF's variable and errors: ``global_step`` is an int64
scalar made by ``get_variable`` (so it is named by the current *variable* scope, at the root name
scope), not trainable, starting at 0, in ``GLOBAL_VARIABLES`` and ``GLOBAL_STEP``. An optimizer's
``apply_gradients(..., global_step=step)`` adds 1 to it.

Example:
    >>> import varscope as tf1
    >>> from varscope import train
    >>> with tf1.Graph().as_default():
    ...     step = train.get_or_create_global_step()
    ...     again = train.get_or_create_global_step()
    >>> step is again, step.name, step.dtype.name, int(step.numpy()), step.trainable
    (True, 'global_step:0', 'int64', 0, False)
"""

from __future__ import annotations

import logging
from typing import Any

from varscope._graph import Graph, GraphKeys, get_default_graph
from varscope._scope import get_variable
from varscope._variables import Variable, VariableAggregation
from varscope.initializers import zeros_initializer
from varscope import _dtypes

__all__ = ["assert_global_step", "create_global_step", "get_global_step", "get_or_create_global_step", "global_step"]

_log = logging.getLogger("varscope")


def _by_name(graph: Graph, tensor_name: str) -> Any:
    """The variable of ``graph`` whose tensor is named ``tensor_name`` (TF's ``get_tensor_by_name``), or None."""
    for key in (GraphKeys.GLOBAL_VARIABLES, GraphKeys.LOCAL_VARIABLES):
        for v in graph.get_collection(key):
            if getattr(v, "name", None) == tensor_name:
                return v
    for v in list(graph._vars.values()):
        if v.name == tensor_name:
            return v
    return None


def get_global_step(graph: Graph | None = None) -> Any:
    """The global step variable: the one in ``GLOBAL_STEP``, else the variable named ``global_step:0``; or None.

    Raises:
        TypeError: When the one found is not an integer scalar variable (TF's messages). As in TF, a
            resource variable named ``global_step`` outside the collection is found by its tensor
            name, which is its handle's, so TF's error reports dtype ``resource`` for any dtype.
    """
    graph = graph or get_default_graph()
    found = graph.get_collection(GraphKeys.GLOBAL_STEP)
    if len(found) == 1:
        step = found[0]
    elif not found:
        step = _by_name(graph, "global_step:0")
        if step is None:
            return None
        if getattr(step, "_is_resource", False):
            # TF finds the tensor named global_step:0, which for a resource variable is its handle
            raise TypeError(f'Existing "global_step" does not have integer type: {_dtypes.resource}')
    else:
        _log.error("Multiple tensors in global_step collection.")
        return None
    assert_global_step(step)
    return step


def create_global_step(graph: Graph | None = None) -> Variable:
    """Create the global step in ``graph`` (default: the default graph): an int64 scalar starting at 0.

    Raises:
        ValueError: ``"global_step" already exists.`` when the graph has one.
    """
    graph = graph or get_default_graph()
    if get_global_step(graph) is not None:
        raise ValueError('"global_step" already exists.')
    with graph.as_default(), graph.name_scope(None):
        return get_variable(  # type: ignore[no-any-return]
            GraphKeys.GLOBAL_STEP, shape=[], dtype=_dtypes.int64, initializer=zeros_initializer(),
            trainable=False, aggregation=VariableAggregation.ONLY_FIRST_REPLICA,
            collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP])


def get_or_create_global_step(graph: Graph | None = None) -> Variable:
    """The global step of ``graph``, created first when there is none (TF's ``get_or_create_global_step``)."""
    graph = graph or get_default_graph()
    step = get_global_step(graph)
    if step is None:
        step = create_global_step(graph)
    return step  # type: ignore[no-any-return]


def assert_global_step(global_step_tensor: Any) -> None:
    """Raise TF's ``TypeError`` unless ``global_step_tensor`` is an integer scalar variable."""
    if not isinstance(global_step_tensor, Variable) and not hasattr(global_step_tensor, "dtype"):
        raise TypeError(f'Existing "global_step" must be a Variable or Tensor: {global_step_tensor}.')
    dtype = global_step_tensor.dtype
    if not dtype.base_dtype.is_integer:
        raise TypeError(f'Existing "global_step" does not have integer type: {dtype}')
    shape = global_step_tensor.get_shape()
    if shape.ndims != 0 and shape.is_fully_defined():
        raise TypeError(f'Existing "global_step" is not scalar: {shape}')


def global_step(sess: Any, global_step_tensor: Any) -> int:
    """The global step's value as an int (``sess`` is ignored: there is no session)."""
    return int(global_step_tensor.numpy())
