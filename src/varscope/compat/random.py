"""``tf.random``: TF 1's ``tf.compat.v1.random`` names of the random ops (``tf.random.normal`` is
``tf.random_normal``...), drawn as :mod:`varscope.compat.random_ops` describes.

Example:
    >>> from varscope.compat import v1 as tf
    >>> tf.random.normal is tf.random_normal, tf.random.categorical is tf.random.categorical
    (True, True)
"""

from __future__ import annotations

from varscope._graph import set_random_seed
from varscope.compat.random_ops import categorical, multinomial
from varscope.compat.random_ops import random_normal as normal
from varscope.compat.random_ops import random_shuffle as shuffle
from varscope.compat.random_ops import random_uniform as uniform
from varscope.compat.random_ops import truncated_normal

__all__ = ["categorical", "multinomial", "normal", "set_random_seed", "shuffle", "truncated_normal", "uniform"]
