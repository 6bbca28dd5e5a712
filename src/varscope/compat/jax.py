"""``varscope.compat.jax.transform``: ``varscope.jax.transform`` for TF 1.x model code, whose inputs were placeholders.

TF 1.x model code reads its inputs as Tensors (``x.shape[-1].value``, ``x.shape.as_list()``, ``x.dtype``). When the
function runs under :func:`varscope.jax.transform`, its inputs are arrays (tracers under ``jit``); this
``transform`` gives the function Tensors instead: each array argument (NumPy or JAX, at any depth of the arguments'
pytree) becomes a Tensor holding it, named as TF names placeholders (``Placeholder``, ``Placeholder_1``, ...).
Everything else is :func:`varscope.jax.transform`: ``init(rng, *args)`` / ``apply(params, *args)``, outputs as
plain arrays, ``jit`` / ``grad`` as usual. Importing this module imports JAX.

Example:
    >>> import jax.numpy as jnp
    >>> from varscope.compat import v1 as tf
    >>> from varscope.compat.jax import transform
    >>> def dense(x):
    ...     w = tf.get_variable("w", [x.shape[-1].value, 2])
    ...     return tf.matmul(x, w)
    >>> model = transform(dense)
    >>> params = model.init(0, jnp.ones((3, 4)))
    >>> params["w"].shape, model.apply(params, jnp.ones((3, 4))).shape
    ((4, 2), (3, 2))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import numpy as np

import varscope.jax as vj
from varscope.compat._op import convert, result

__all__ = ["transform", "transform_with_state", "as_inputs"]


def as_inputs(tree: Any) -> Any:
    """``tree`` with each NumPy/JAX array replaced by a Tensor named like a placeholder (``Placeholder_N``)."""
    leaves, treedef = jax.tree_util.tree_flatten(tree)
    out = []
    for leaf in leaves:
        if isinstance(leaf, (jax.Array, np.ndarray)):
            array, dtype = convert(leaf)
            leaf = result(array, "Placeholder", None, dtype=dtype)
        out.append(leaf)
    return jax.tree_util.tree_unflatten(treedef, out)


def _with_inputs(fn: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        args, kwargs = as_inputs((args, kwargs))
        return fn(*args, **kwargs)

    run.__doc__ = fn.__doc__
    run.__name__ = getattr(fn, "__name__", "run")
    return run


def transform(fn: Callable[..., Any], *, mesh: Any = None, mesh_axis: str | None = None) -> vj.Transformed:
    """:func:`varscope.jax.transform` of ``fn``, whose array arguments arrive as Tensors."""
    return vj.transform(_with_inputs(fn), mesh=mesh, mesh_axis=mesh_axis)


def transform_with_state(fn: Callable[..., Any], *, mesh: Any = None, mesh_axis: str | None = None
                         ) -> vj.TransformedWithState:
    """:func:`varscope.jax.transform_with_state` of ``fn``, whose array arguments arrive as Tensors."""
    return vj.transform_with_state(_with_inputs(fn), mesh=mesh, mesh_axis=mesh_axis)
