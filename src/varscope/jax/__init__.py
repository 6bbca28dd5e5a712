"""The JAX backend of varscope: TF1-style model code as pure, jittable JAX functions.

Install with ``pip install "varscope-tf1[jax]"`` (the import name is ``varscope``). The scoping core never imports JAX; this package and
:mod:`varscope.backends.jax_backend` do.

* :func:`transform` / :func:`transform_with_state`: ``init`` / ``apply`` pure functions from a
  function that uses ``get_variable`` (``params`` keyed by TF checkpoint names).
* Stateful mode: ``tf1.Graph(backend="jax")`` makes variables hold ``jax.Array`` values, and
  :class:`varscope.Variable` objects work directly in ``jnp`` code (they are pytrees).
* :func:`regularization_loss`: the regularization losses of the current call, as a ``jax.Array``.
* :func:`save_params` / :func:`load_params`: TF checkpoints (with TF's partition slices),
  safetensors and ``.npz``.
* :func:`shard_params`, :func:`partition_spec`: partitioned variables as sharded global arrays.

Example:
    >>> import jax, jax.numpy as jnp, varscope as tf1, varscope.jax as vj
    >>> def tower(x):
    ...     with tf1.variable_scope("tower", reuse=tf1.AUTO_REUSE):
    ...         return x @ tf1.get_variable("w", [2, 2])
    >>> model = vj.transform(lambda a, b: tower(a) + tower(b))
    >>> params = model.init(jax.random.key(0), jnp.ones((1, 2)), jnp.ones((1, 2)))
    >>> list(params)
    ['tower/w']
"""

from __future__ import annotations

try:
    import jax as _jax
except ModuleNotFoundError as _err:  # say which extra brings it
    raise ModuleNotFoundError('varscope.jax needs JAX, which is not installed: pip install "varscope-tf1[jax]"',
                              name=_err.name) from _err
del _jax

from varscope.jax.checkpoint import load_params, save_params
from varscope.jax.sharding import partition_spec, shard_params, sharding_for
from varscope.jax.transform import (
    Transformed,
    TransformedWithState,
    VarInfo,
    regularization_loss,
    regularization_losses,
    seed_from_rng,
    transform,
    transform_with_state,
)

__all__ = [
    "Transformed", "TransformedWithState", "VarInfo", "load_params", "partition_spec", "regularization_loss",
    "regularization_losses", "save_params", "seed_from_rng", "shard_params", "sharding_for", "transform",
    "transform_with_state",
]
