"""``tf.compat.v1.losses`` regularization helpers over the ``regularization_losses`` collection.

Example:
    >>> import varscope as tf1  # doctest: +SKIP
    >>> v = tf1.get_variable("w", [2], initializer=tf1.ones_initializer(),
    ...                      regularizer=tf1.regularizers.l2(0.5))  # doctest: +SKIP
    >>> [l.name for l in get_regularization_losses()]  # doctest: +SKIP
    ['w/Regularizer/l2_regularizer:0']
    >>> float(get_regularization_loss())  # doctest: +SKIP
    0.5
"""

from __future__ import annotations

from typing import Any

import numpy as np

from varscope._graph import get_collection

__all__ = ["get_regularization_losses", "get_regularization_loss", "REGULARIZATION_LOSSES"]

REGULARIZATION_LOSSES = "regularization_losses"


def get_regularization_losses(scope: str | None = None) -> list[Any]:
    """The ``regularization_losses`` collection, filtered by ``re.match(scope, loss.name)``.

    Args:
        scope: Optional regex matched at the start of each loss's name.

    Returns:
        A list of losses (:class:`varscope.regularizers.RegularizationLoss`).

    Example:
        >>> get_regularization_losses("nothing-matches/")  # doctest: +SKIP
        []
    """
    return list(get_collection(REGULARIZATION_LOSSES, scope))


def get_regularization_loss(scope: str | None = None, name: str = "total_regularization_loss") -> Any:
    """The sum of the current values of the regularization losses (``0.0`` float32 when none).

    Args:
        scope: Optional regex filter, as in :func:`get_regularization_losses`.
        name: The name TensorFlow gives the sum op (unused: the result is a NumPy scalar).

    Returns:
        A NumPy scalar.

    Example:
        >>> float(get_regularization_loss("nothing-matches/"))  # doctest: +SKIP
        0.0
    """
    losses = get_regularization_losses(scope)
    if not losses:
        return np.float32(0.0)
    total = np.asarray(losses[0].value() if hasattr(losses[0], "value") else losses[0])
    for loss in losses[1:]:
        total = total + np.asarray(loss.value() if hasattr(loss, "value") else loss)
    return np.asarray(total)[()]
