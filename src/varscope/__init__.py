"""varscope: TensorFlow 1.x variable scoping without TensorFlow.

``import varscope as tf1`` offers the ``tf.compat.v1`` names for variable scopes, ``get_variable``,
name scopes, graphs and collections, initializers, regularizers and partitioners, with TensorFlow's
graph-mode behaviour: the same names, ``_N`` numbering, reuse rules and error messages. Variables
hold NumPy arrays (or JAX / PyTorch arrays, see :mod:`varscope.backends`).

This module only re-exports; each concept lives in its own module.

Example:
    >>> import varscope as tf1
    >>> with tf1.Graph().as_default():
    ...     with tf1.variable_scope("model"):
    ...         w = tf1.get_variable("w", [3, 4])
    >>> w.name, str(w.shape)
    ('model/w:0', '(3, 4)')
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# (_console too: cli and demo import it, and the package namespace must be complete at import for doctest)
from varscope import _console, backends, errors, initializers, losses, partitioned_variables, regularizers, template
from varscope._convert import constant, convert_to_tensor
from varscope._dtypes import (
    DType,
    as_dtype,
    bfloat16,
    bool,
    complex64,
    complex128,
    double,
    float8_e4m3fn,
    float8_e5m2,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    qint8,
    qint16,
    qint32,
    quint8,
    quint16,
    resource,
    string,
    uint8,
    uint16,
    uint32,
    uint64,
    variant,
)
from varscope._graph import (
    Graph,
    GraphKeys,
    add_to_collection,
    add_to_collections,
    disable_eager_execution,
    enable_eager_execution,
    executing_eagerly,
    get_collection,
    get_collection_ref,
    get_default_graph,
    get_name_scope,
    global_variables,
    local_variables,
    model_variables,
    reset_default_graph,
    set_random_seed,
    trainable_variables,
)
from varscope._name_scope import name_scope
from varscope._scope import (AUTO_REUSE, VariableScope, get_local_variable, get_variable, get_variable_scope,
                             variable_op_scope, variable_scope)
from varscope._shape import TensorShape
from varscope._variables import Variable, VariableAggregation, VariableSynchronization
from varscope.initializers import (
    constant_initializer,
    glorot_normal_initializer,
    glorot_uniform_initializer,
    ones_initializer,
    orthogonal_initializer,
    random_normal_initializer,
    random_uniform_initializer,
    truncated_normal_initializer,
    uniform_unit_scaling_initializer,
    variance_scaling_initializer,
    zeros_initializer,
)
from varscope.partitioned import PartitionedVariable
from varscope.partitioned_variables import create_partitioned_variables
from varscope.partitioners import fixed_size_partitioner, min_max_variable_partitioner, variable_axis_size_partitioner
from varscope.regularizers import no_regularizer
from varscope.template import Template, make_template

# The heavier submodules are imported on first use (PEP 562): ``tf1.train.Saver`` works after ``import varscope``.
# They are not listed by dir() until then, so that introspection (help, inspect.getmembers) never imports one.
if TYPE_CHECKING:
    from varscope import checkpoint, cli, demo, jax, train
_ON_FIRST_USE = ("checkpoint", "cli", "demo", "jax", "train")


def __getattr__(name: str) -> Any:
    if name in _ON_FIRST_USE:
        return importlib.import_module(f"varscope.{name}")  # (the import sets it on the package for next time)
    raise AttributeError(f"module 'varscope' has no attribute {name!r}")


__version__ = "0.1.0"


__all__ = [
    "AUTO_REUSE", "DType", "Graph", "GraphKeys", "PartitionedVariable", "TensorShape", "Variable",
    "VariableAggregation", "VariableScope", "VariableSynchronization", "add_to_collection", "add_to_collections",
    "as_dtype", "bfloat16", "bool", "complex64", "complex128", "constant", "constant_initializer",
    "convert_to_tensor", "disable_eager_execution", "errors", "double", "enable_eager_execution", "executing_eagerly",
    "fixed_size_partitioner", "float8_e4m3fn", "float8_e5m2", "float16", "float32", "float64", "get_collection",
    "get_collection_ref", "get_default_graph", "get_local_variable", "get_name_scope", "get_variable",
    "get_variable_scope", "global_variables", "glorot_normal_initializer", "glorot_uniform_initializer", "half",
    "initializers", "int8", "int16", "int32", "int64", "local_variables", "min_max_variable_partitioner",
    "model_variables", "name_scope", "ones_initializer", "orthogonal_initializer", "qint8", "qint16", "qint32",
    "quint8", "quint16", "random_normal_initializer", "random_uniform_initializer", "reset_default_graph",
    "resource", "set_random_seed", "string", "trainable_variables", "truncated_normal_initializer",
    "uint8", "uint16", "uint32", "uint64", "uniform_unit_scaling_initializer", "variable_axis_size_partitioner",
    "variable_op_scope", "variable_scope", "variance_scaling_initializer", "variant", "zeros_initializer",
    "no_regularizer", "make_template", "Template", "create_partitioned_variables",
]
