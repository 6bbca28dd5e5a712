"""``install_as_tensorflow()``: register :mod:`varscope.compat.v1` as ``tensorflow`` and the TF 1.x module paths.

After it, ``import tensorflow as tf``, ``import tensorflow.compat.v1 as tf``, ``from tensorflow.contrib import
layers``, ``from tensorflow.contrib.framework import arg_scope``, ``from tensorflow.contrib.training import HParams``,
``import tf_slim as slim`` and the ``tensorflow.python.*`` paths model files import give varscope's modules, the
way ``pymysql.install_as_MySQLdb()`` stands in for ``MySQLdb``. Each registered module is a fresh module object
holding the names varscope implements for it (an attribute TF has and varscope lacks raises AttributeError).

The returned :class:`Installation` restores ``sys.modules`` (and the shape behaviour) on ``uninstall()`` or at the
end of a ``with`` block, so tests can install and remove it.

Example:
    >>> from varscope.compat import install_as_tensorflow
    >>> with install_as_tensorflow():
    ...     from tensorflow.contrib.training import HParams
    ...     import tensorflow.compat.v1 as tf
    ...     HParams(n_ctx=8).n_ctx, tf.placeholder(tf.int32, [None]).shape.as_list()
    (8, [None])
    >>> import sys; "tensorflow" in sys.modules
    False
"""

from __future__ import annotations

import sys
import types
from typing import Any

from varscope import _shape, _variables, initializers, regularizers
from varscope.compat import arg_scope, array_ops, errors, hparams, layers, nn, random_ops, slim, v1
from varscope.compat._tensor import Operation, Tensor

__all__ = ["install_as_tensorflow", "Installation", "MODULE_PATHS"]


def _public(module: Any) -> dict[str, Any]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in vars(module) if not n.startswith("_")]
    return {n: getattr(module, n) for n in names if hasattr(module, n)}


def _v1_names() -> dict[str, Any]:
    return {n: v for n, v in vars(v1).items() if not n.startswith("_") and not isinstance(v, types.ModuleType)
            or n in ("errors", "initializers", "regularizers", "losses", "train", "compat", "nn", "random", "layers", "summary")}


def _framework_ops() -> dict[str, Any]:
    names = _v1_names()
    keep = ["Graph", "GraphKeys", "get_default_graph", "reset_default_graph", "name_scope", "convert_to_tensor",
            "add_to_collection", "add_to_collections", "get_collection", "get_collection_ref", "control_dependencies",
            "device", "colocate_with", "get_name_scope", "is_tensor"]
    out = {n: names[n] for n in keep if n in names}
    out.update(Tensor=Tensor, Operation=Operation)
    return out


def _slim() -> dict[str, Any]:
    return {**_public(slim), "regularizers": regularizers, "initializers": initializers}


def _contrib_layers() -> dict[str, Any]:
    """``tf.contrib.layers``: slim's layers, regularizers and initializers (``arg_scope`` is in ``framework``)."""
    return {n: v for n, v in _public(slim).items() if n not in _public(arg_scope)}


def _contrib_framework() -> dict[str, Any]:
    return {**_public(arg_scope), "model_variable": slim.model_variable, "variable": slim.variable}


# path -> the names its module holds (a function, so each installation gets fresh dicts)
MODULE_PATHS: dict[str, Any] = {
    "tensorflow": _v1_names,
    "tensorflow.compat": lambda: {},
    "tensorflow.compat.v1": _v1_names,
    "tensorflow.contrib": lambda: {},
    "tensorflow.layers": lambda: _public(layers),
    "tensorflow.contrib.layers": _contrib_layers,
    "tensorflow.contrib.framework": _contrib_framework,
    "tensorflow.contrib.framework.python": lambda: {},
    "tensorflow.contrib.framework.python.ops": lambda: _public(arg_scope),
    "tensorflow.contrib.framework.python.ops.arg_scope": lambda: _public(arg_scope),
    "tensorflow.contrib.training": lambda: _public(hparams),
    "tensorflow.contrib.slim": _slim,
    "tf_slim": _slim,
    "tensorflow.python": lambda: {},
    "tensorflow.python.framework": lambda: {},
    "tensorflow.python.framework.ops": _framework_ops,
    "tensorflow.python.framework.dtypes": lambda: {**{n: v for n, v in _v1_names().items()
                                                      if isinstance(v, v1.DType)}, "DType": v1.DType,
                                                   "as_dtype": v1.as_dtype},
    "tensorflow.python.framework.tensor_shape": lambda: _public(_shape),
    "tensorflow.python.framework.constant_op": lambda: {"constant": array_ops.constant},
    "tensorflow.python.framework.errors": lambda: _public(errors),
    "tensorflow.python.ops": lambda: {},
    "tensorflow.python.ops.array_ops": _v1_names,
    "tensorflow.python.ops.math_ops": _v1_names,
    "tensorflow.python.ops.control_flow_ops": _v1_names,
    "tensorflow.python.ops.state_ops": _v1_names,
    "tensorflow.python.ops.variables": _v1_names,
    "tensorflow.python.ops.variable_scope": _v1_names,
    "tensorflow.python.ops.init_ops": lambda: _public(initializers),
    "tensorflow.python.ops.nn": lambda: {**_v1_names(), **_public(nn)},
    "tensorflow.python.ops.nn_ops": lambda: {**_v1_names(), **_public(nn)},
    "tensorflow.python.ops.random_ops": lambda: {**_v1_names(), **_public(random_ops)},
    "tensorflow.python.ops.clip_ops": _v1_names,
    "tensorflow.python.ops.standard_ops": _v1_names,
}


class Installation:
    """What :func:`install_as_tensorflow` did: ``uninstall()`` (or leaving a ``with`` block) undoes it."""

    def __init__(self, saved: dict[str, Any], shape_v2: bool, resource: bool) -> None:
        self._saved = saved
        self._shape_v2 = shape_v2
        self._resource = resource
        self.installed = True

    def uninstall(self) -> None:
        """Put ``sys.modules`` back as it was (``tensorflow`` entries removed or restored) and the shape behaviour."""
        if not self.installed:
            return
        self.installed = False
        for path, previous in self._saved.items():
            if previous is None:
                sys.modules.pop(path, None)
            else:
                sys.modules[path] = previous
        if self._shape_v2:
            _shape.enable_v2_tensorshape()
        if self._resource:
            _variables.enable_resource_variables()

    def __enter__(self) -> Installation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.uninstall()


def install_as_tensorflow() -> Installation:
    """Register varscope.compat as ``tensorflow`` (and the paths of :data:`MODULE_PATHS`) in ``sys.modules``.

    Also switches to TF 1.x behaviour, as ``disable_v2_behavior()``: shapes give ``Dimension`` s and
    ``get_variable`` makes ref variables. Returns an :class:`Installation`; use it as a context manager, or call
    ``uninstall()``, to restore the previous modules and behaviour.
    """
    saved = {path: sys.modules.get(path) for path in MODULE_PATHS}
    modules = {}
    for path, names in MODULE_PATHS.items():
        module = types.ModuleType(path, f"varscope.compat's stand-in for {path}")
        module.__dict__.update(names())
        modules[path] = module
    modules["tensorflow.compat"].v1 = modules["tensorflow.compat.v1"]  # type: ignore[attr-defined]
    modules["tensorflow"].compat = modules["tensorflow.compat"]  # type: ignore[attr-defined]
    modules["tensorflow.compat.v1"].compat = modules["tensorflow.compat"]  # type: ignore[attr-defined]
    for path, module in modules.items():  # each child is an attribute of its parent
        parent, _, child = path.rpartition(".")
        if parent in modules and not hasattr(modules[parent], child):
            setattr(modules[parent], child, module)
    modules["tensorflow"].contrib = modules["tensorflow.contrib"]  # type: ignore[attr-defined]
    sys.modules.update(modules)
    installation = Installation(saved, _shape.v2_tensorshape_enabled(), _variables.resource_variables_enabled())
    _shape.disable_v2_tensorshape()
    _variables.disable_resource_variables()
    return installation
