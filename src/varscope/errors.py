"""The errors of variable scoping, one class per failure, each a subclass of the type TensorFlow raises.

Every message is TensorFlow's, word for word, so code written against TF (``except ValueError``) keeps
working; the classes let new code catch one failure precisely.

Example:
    >>> import varscope as tf1
    >>> from varscope.errors import VariableExistsError
    >>> with tf1.Graph().as_default():
    ...     _ = tf1.get_variable("w", [1])
    ...     try:
    ...         tf1.get_variable("w", [1])
    ...     except VariableExistsError as e:
    ...         isinstance(e, ValueError), str(e)[:28]
    (True, 'Variable w already exists, d')
"""

from __future__ import annotations

__all__ = [
    "VariableExistsError", "VariableNotFoundError", "ShapeMismatchError", "DTypeMismatchError", "ReuseError",
    "PartitioningError", "ScopeNameError",
]


class VariableExistsError(ValueError):
    """``get_variable`` would create a variable (or partitioned variable) whose name is taken, outside reuse.

    Fix: enter the scope with ``reuse=True`` (or ``reuse=tf1.AUTO_REUSE``), or pick another name.

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     with tf1.variable_scope("a"):
        ...         _ = tf1.get_variable("v", [1])
        ...     with tf1.variable_scope("a"):
        ...         tf1.get_variable("v", [1])
        Traceback (most recent call last):
        ...
        varscope.errors.VariableExistsError: Variable a/v already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?
    """


class VariableNotFoundError(ValueError):
    """``get_variable`` under ``reuse=True`` asked for a variable that was never created with ``get_variable``.

    Fix: create it first, or enter the scope with ``reuse=tf1.AUTO_REUSE``.

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     with tf1.variable_scope("a", reuse=True):
        ...         tf1.get_variable("v", [1])
        Traceback (most recent call last):
        ...
        varscope.errors.VariableNotFoundError: Variable a/v does not exist, or was not created with tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope?
    """


class ShapeMismatchError(ValueError):
    """A reused variable was asked for with a shape that is not compatible with the one it has.

    Fix: pass the variable's own shape (or ``None``), or use another name.

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     _ = tf1.get_variable("v", [1])
        ...     with tf1.variable_scope("", reuse=True):
        ...         tf1.get_variable("v", [2])
        Traceback (most recent call last):
        ...
        varscope.errors.ShapeMismatchError: Trying to share variable v, but specified shape (2,) and found shape (1,).
    """


class DTypeMismatchError(ValueError):
    """A reused variable was asked for with another dtype (the scope's dtype, float32, when none is passed).

    Fix: pass ``dtype=`` the variable's dtype.

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     _ = tf1.get_variable("i", [1], dtype=tf1.int32)
        ...     with tf1.variable_scope("", reuse=True):
        ...         tf1.get_variable("i", [1])
        Traceback (most recent call last):
        ...
        varscope.errors.DTypeMismatchError: Trying to share variable i, but specified dtype float32 and found dtype int32.
    """


class ReuseError(ValueError):
    """A ``variable_scope`` was given a ``reuse`` it cannot take.

    Fix: pass ``True``, ``False``, ``None`` or ``tf1.AUTO_REUSE``, and a name when reusing.

    Example:
        >>> import varscope as tf1
        >>> tf1.variable_scope("a", reuse="yes")
        Traceback (most recent call last):
        ...
        varscope.errors.ReuseError: The reuse parameter must be True or False or None.
    """


class PartitioningError(ValueError):
    """A variable is asked for with partitioning that does not match how it was created.

    Fix: use the same partitioner (or none) for every ``get_variable`` of that name.

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     _ = tf1.get_variable("e", [4, 2], partitioner=tf1.fixed_size_partitioner(2))
        ...     tf1.get_variable("e", [4, 2])
        Traceback (most recent call last):
        ...
        varscope.errors.PartitioningError: No partitioner was provided, but a partitioned version of the variable was found: e/part_0. Perhaps a variable of the same name was already created with partitioning?
    """


class ScopeNameError(ValueError):
    """A name scope (and so a variable scope) name that TensorFlow does not accept.

    Fix: use letters, digits and ``_ . - / \\ >``; a name at the root may not start with ``_``, ``-`` or ``/``.

    Example:
        >>> import varscope as tf1
        >>> with tf1.Graph().as_default():
        ...     with tf1.variable_scope("a b"):
        ...         pass
        Traceback (most recent call last):
        ...
        varscope.errors.ScopeNameError: 'a b' is not a valid root scope name. A root scope name has to match the following pattern: ^[A-Za-z0-9.][A-Za-z0-9_.\\\\/>-]*$
    """
