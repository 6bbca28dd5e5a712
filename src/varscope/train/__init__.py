"""``varscope.train``: TF1's checkpoint API (``tf.compat.v1.train``) on TensorFlow's own file format.

TF-compatible names: :class:`Saver`, :func:`list_variables`, :func:`load_variable`,
:func:`load_checkpoint` and :func:`NewCheckpointReader` (a :class:`CheckpointReader`), :func:`latest_checkpoint`,
:func:`get_checkpoint_state`, :func:`init_from_checkpoint`. There is no session: ``save`` and
``restore`` also accept TF's ``(sess, save_path, ...)`` call form and ignore the session.

Training (TF's names, variables and numbers; the gradients come from ``jax.grad``): the global step
(:func:`get_or_create_global_step`, :func:`get_global_step`, :func:`create_global_step`), the
learning-rate schedules (:func:`exponential_decay`, :func:`polynomial_decay`, ...), the optimizers
(:class:`GradientDescentOptimizer`, :class:`MomentumOptimizer`, :class:`AdamOptimizer`,
:class:`RMSPropOptimizer`, :class:`AdagradOptimizer`, base :class:`Optimizer`) and
:class:`ExponentialMovingAverage`.

Beyond TF: :func:`save_variables` / :func:`load_variables` (safetensors / npz / TF format by
suffix, key remapping, strict missing+unexpected reporting, shape and dtype checks).

Example:
    >>> import os, tempfile, numpy as np, varscope as tf1
    >>> from varscope import train
    >>> d = tempfile.mkdtemp()
    >>> with tf1.Graph().as_default():
    ...     with tf1.variable_scope("model"):
    ...         w = tf1.get_variable("w", initializer=np.ones((2, 2), np.float32))
    ...     prefix = train.Saver().save(None, os.path.join(d, "model.ckpt"), global_step=1)
    >>> train.latest_checkpoint(d) == prefix, train.list_variables(d)
    (True, [('model/w', [2, 2])])
"""

from __future__ import annotations

from . import slot_creator
from .adagrad import AdagradOptimizer
from .adam import AdamOptimizer
from .errors import CheckpointMismatchError, NotFoundError
from .gradient_descent import GradientDescentOptimizer
from .init_from_checkpoint import init_from_checkpoint
from .learning_rate_decay import (
    cosine_decay,
    cosine_decay_restarts,
    exponential_decay,
    inverse_time_decay,
    linear_cosine_decay,
    natural_exp_decay,
    noisy_linear_cosine_decay,
    piecewise_constant,
    piecewise_constant_decay,
    polynomial_decay,
)
from .loading import LoadResult, load_variables, save_variables
from .momentum import MomentumOptimizer
from .moving_averages import ExponentialMovingAverage
from .optimizer import Optimizer
from .reader import (
    CheckpointReader,
    NewCheckpointReader,
    checkpoint_exists,
    get_checkpoint_state,
    latest_checkpoint,
    list_variables,
    load_checkpoint,
    load_variable,
)
from .rmsprop import RMSPropOptimizer
from .saver import Saver, remove_checkpoint
from .training_util import (
    assert_global_step,
    create_global_step,
    get_global_step,
    get_or_create_global_step,
    global_step,
)

__all__ = [
    "AdagradOptimizer",
    "AdamOptimizer",
    "CheckpointMismatchError",
    "ExponentialMovingAverage",
    "GradientDescentOptimizer",
    "MomentumOptimizer",
    "Optimizer",
    "RMSPropOptimizer",
    "assert_global_step",
    "cosine_decay",
    "cosine_decay_restarts",
    "create_global_step",
    "exponential_decay",
    "get_global_step",
    "get_or_create_global_step",
    "global_step",
    "inverse_time_decay",
    "linear_cosine_decay",
    "natural_exp_decay",
    "noisy_linear_cosine_decay",
    "piecewise_constant",
    "piecewise_constant_decay",
    "polynomial_decay",
    "slot_creator",
    "CheckpointReader",
    "LoadResult",
    "NewCheckpointReader",
    "NotFoundError",
    "Saver",
    "checkpoint_exists",
    "get_checkpoint_state",
    "init_from_checkpoint",
    "latest_checkpoint",
    "list_variables",
    "load_checkpoint",
    "load_variable",
    "load_variables",
    "remove_checkpoint",
    "save_variables",
]
