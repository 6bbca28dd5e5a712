"""``ExponentialMovingAverage`` and ``assign_moving_average``, with TF's shadow names and numbers.

``ema.apply(var_list)`` makes, once per variable, the shadow ``<v>/ExponentialMovingAverage`` (a
slot: not trainable, in ``GLOBAL_VARIABLES``; the variable joins ``MOVING_AVERAGE_VARIABLES``),
then updates every shadow: ``shadow -= (shadow - var) * (1 - decay)``, with
``decay = min(decay, (1 + num_updates) / (10 + num_updates))`` when ``num_updates`` is given, in
float32 as TF computes it. There is no session, so the update runs when ``apply`` is called; call it
once per training step (inside ``varscope.jax.transform_with_state`` the shadows are state, and
``init`` makes them without updating them).

A shadow starts from its variable's *initial* value, as in TF, where every initializer runs before
a data-dependent initialization assigns new values: a shadow made after such an ``assign`` still
starts from the initializer's value.

Example:
    >>> import numpy as np, varscope as tf1
    >>> from varscope import train
    >>> with tf1.Graph().as_default():
    ...     w = tf1.get_variable("w", initializer=np.float32(1.0))
    ...     _ = w.assign(5.0)                     # a data-dependent init pass
    ...     ema = train.ExponentialMovingAverage(0.9)
    ...     _ = ema.apply([w])                    # one step: 0.9 * 1.0 + 0.1 * 5.0
    >>> ema.average(w).name, round(float(ema.average(w).numpy()), 6), ema.average_name(w)
    ('w/ExponentialMovingAverage:0', 1.4, 'w/ExponentialMovingAverage')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from varscope import _dtypes
from varscope._graph import GraphKeys, get_collection, get_default_graph, global_variables, trainable_variables
from varscope._name_scope import name_scope
from varscope._scope import get_variable, get_variable_scope, variable_scope
from varscope._variables import Variable, _Op
from varscope.initializers import zeros_initializer
from varscope.train import slot_creator
from varscope.train._arrays import cast, check_backend, namespace, raw, tensor
from varscope.train._per_graph import PerGraph

__all__ = ["ExponentialMovingAverage", "assign_moving_average"]

_FLOATS = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64), _dtypes.bfloat16.as_numpy_dtype)


def _initializing(graph: Any) -> bool:
    """Whether ``graph`` is a ``varscope.jax.transform`` init run: variables are made, no update runs."""
    return bool(getattr(graph, "initializing", False))


def assign_moving_average(variable: Variable, value: Any, decay: Any, zero_debias: bool = True,
                          name: str | None = None) -> Any:
    """``variable -= (variable - value) * (1 - decay)`` (TF's ``moving_averages.assign_moving_average``).

    With ``zero_debias`` (TF's default) the average is kept in ``<v>/biased`` with a step count in
    ``<v>/local_step`` (made in ``variable_scope(<v's name>)``, relative to the current scope, as TF
    does) and ``variable`` becomes ``biased / (1 - (1 - decay) ** local_step)``. Each call is one
    update; with ``zero_debias`` each call also makes its own ``biased`` / ``local_step`` pair, as
    each call builds new ops in TF.

    Returns:
        The variable's new value.
    """
    check_backend(variable, "assign_moving_average")
    with name_scope(name, "AssignMovingAvg"):
        graph = variable.graph
        xp = namespace(variable, value, decay)
        if isinstance(decay, (int, float)):
            one_minus = tensor(1.0 - decay, xp)  # (TF subtracts Python numbers in Python)
        else:
            one_minus = 1.0 - tensor(decay, xp)
        dtype = variable._value.dtype
        if one_minus.dtype != dtype:
            one_minus = one_minus.astype(dtype)
        value = raw(value)
        if zero_debias:
            return _zero_debias(variable, value, one_minus, xp)
        if _initializing(graph):
            return variable.value()
        variable.assign_sub((variable.value() - value) * one_minus)
        return variable.value()


def _zero_debias(unbiased: Variable, value: Any, decay: Any, xp: Any) -> Any:
    with variable_scope(unbiased.name[:-len(":0")]):
        def unique(name: str) -> str:
            scope = get_variable_scope()
            if scope.reuse:
                return name
            taken = {x.op.name for x in scope.global_variables()}
            full = scope.name + "/" + name
            if full not in taken:
                return name
            i = 1
            while full + "_%d" % i in taken:
                i += 1
            return name + "_%d" % i

        biased = get_variable(unique("biased"), initializer=zeros_initializer(), shape=unbiased.get_shape(),
                              dtype=unbiased.dtype.base_dtype, trainable=False)
        local_step = get_variable(unique("local_step"), shape=[], dtype=unbiased.dtype.base_dtype,
                                  initializer=zeros_initializer(), trainable=False)
    if _initializing(unbiased.graph):
        return unbiased.value()
    biased.assign_sub((biased.value() - value) * decay)
    local_step.assign_add(1)
    bias_factor = 1 - xp.power(1.0 - decay, local_step.value())
    unbiased.assign(biased.value() / bias_factor)
    return unbiased.value()


class ExponentialMovingAverage:
    """Shadow copies of variables that follow them with exponential decay (``tf.train.ExponentialMovingAverage``).

    Args:
        decay: The decay (e.g. 0.999).
        num_updates: Optional step count (a number, array or the global step variable): the decay
            used is ``min(decay, (1 + num_updates) / (10 + num_updates))``.
        zero_debias: TF applies it to averages of tensors only; varscope averages variables only,
            so it has no effect (accepted for TF's signature).
        name: The shadows' suffix and the update's name scope.
    """

    def __init__(self, decay: Any, num_updates: Any = None, zero_debias: bool = False,
                 name: str = "ExponentialMovingAverage") -> None:
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages = PerGraph()  # (graph, variable op name) -> shadow

    @property
    def name(self) -> str:
        """The shadows' suffix (``ExponentialMovingAverage``)."""
        return self._name

    def apply(self, var_list: Any = None) -> _Op:
        """Make the shadows of ``var_list`` (default: the trainable variables) where missing, then update them all.

        Returns:
            The update op (named ``ExponentialMovingAverage``); the update has been applied.

        Raises:
            TypeError: For a variable that is not half, float or double (TF's message), or a value
                that is not a variable.
        """
        if var_list is None:
            var_list = trainable_variables()
        var_list = list(var_list)
        for var in var_list:
            if not isinstance(var, Variable):
                raise TypeError(f"varscope's ExponentialMovingAverage averages variables only, got {var!r}: make "
                                "it a variable (tf1.get_variable) or use assign_moving_average on one.")
            check_backend(var, "ExponentialMovingAverage.apply")
            if np.dtype(var.dtype.base_dtype.as_numpy_dtype) not in _FLOATS:
                raise TypeError(f"The variables must be half, float, or double: {var.name}")
            graph = var.graph
            if self._averages.get(graph, var.op.name) is None:
                with graph.as_default():
                    avg = slot_creator.create_slot(var, var.initial_value, self.name)
                    graph.add_to_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, var)
                self._averages.set(graph, var.op.name, avg)
        graph = var_list[0].graph if var_list else get_default_graph()
        with graph.as_default():
            # the same update again in this graph is the op run again: no new name scopes per step
            key = ("apply", tuple(v.op.name for v in var_list), graph.get_name_scope())
            again = self._averages.get_name(graph, key)
            if again is not None:
                self._update(var_list)
                return _Op(again, graph, "NoOp")
            with name_scope(self.name) as scope:
                self._update(var_list)
                self._averages.set_name(graph, key, scope[:-1])
                return _Op(scope[:-1], graph, "NoOp")

    def _update(self, var_list: list[Variable]) -> None:
        xp = namespace(self._decay, self._num_updates, *var_list)
        decay = cast(self._decay, np.float32, xp)
        if self._num_updates is not None:
            n = cast(self._num_updates, np.float32, xp)
            decay = xp.minimum(decay, (1.0 + n) / (10.0 + n))
        for var in var_list:
            avg = self._averages.get(var.graph, var.op.name)
            assign_moving_average(avg, var, decay, zero_debias=False)

    def average(self, var: Any) -> Variable | None:
        """The shadow of ``var``, or None when ``apply`` has not made one."""
        return self._averages.get(var.graph, var.op.name)  # type: ignore[no-any-return]

    def average_name(self, var: Any) -> str:
        """The shadow's op name: the existing shadow's, else the name one made now would get."""
        avg = self.average(var)
        if avg is not None:
            return avg.name[:-len(":0")]
        return get_default_graph().unique_name(var.name[:-len(":0")] + "/" + self.name,  # type: ignore[no-any-return]
                                               mark_as_used=False)

    def variables_to_restore(self, moving_avg_variables: Any = None) -> dict[str, Variable]:
        """TF's map for a ``Saver`` that restores the averages into the variables: ``{shadow name: variable}``
        for the averaged variables (default: trainable and ``MOVING_AVERAGE_VARIABLES``), ``{op name: v}``
        for every other global variable."""
        if moving_avg_variables is None:
            moving_avg_variables = trainable_variables() + get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES)
        averaged = list(dict.fromkeys(moving_avg_variables))
        name_map: dict[str, Variable] = {}
        for v in averaged:
            name_map[self.average_name(v)] = v
        averaged_names = {v.name for v in averaged}
        for v in dict.fromkeys(global_variables()):
            if v.name not in averaged_names and v.op.name not in name_map:
                name_map[v.op.name] = v
        return name_map
