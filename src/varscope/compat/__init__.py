"""``varscope.compat``: TF 1.x model files run unchanged, on NumPy or JAX.

* :mod:`varscope.compat.v1`: the ``tf.compat.v1`` names model code uses (scoping from the core, TF's ops,
  Tensors with TF's names, shapes and dtype rules);
* :func:`install_as_tensorflow`: registers it as ``tensorflow`` (and ``tensorflow.compat.v1``, the
  ``tensorflow.contrib`` / ``tensorflow.python`` paths, ``tf_slim``), so ``import tensorflow as tf`` in an
  unmodified model file gets varscope.

Importing this package switches shapes to TF 1.x behaviour (``x.shape[-1].value``; the entries are
``Dimension`` s, for variables too), as TF's ``disable_v2_behavior()`` does; ``import varscope as tf1`` alone
keeps TF 2's ``compat.v1`` behaviour (ints). ``v1.enable_v2_tensorshape()`` switches back.

Example:
    >>> import varscope.compat
    >>> with varscope.compat.install_as_tensorflow():
    ...     import tensorflow as tf
    ...     from tensorflow.contrib import layers
    ...     tf.compat.v1.get_variable is tf.get_variable
    True
"""

from __future__ import annotations

from varscope._shape import disable_v2_tensorshape
from varscope.compat import v1
from varscope.compat._install import Installation, install_as_tensorflow
from varscope.compat._tensor import Operation, Tensor

__all__ = ["v1", "install_as_tensorflow", "Installation", "Tensor", "Operation"]

disable_v2_tensorshape()
