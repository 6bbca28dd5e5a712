"""``Optimizer``: TF1's optimizer base class, applying gradients that come from outside (``jax.grad``).

The update runs when ``apply_gradients`` is called (there is no session): the variables, the slots
and ``global_step`` are assigned their new values at once, with TF's kernels' arithmetic in the
variable's dtype. Slots (``<v>/Adam``, ...) and the optimizer's other variables (``beta1_power``)
get TF's names, collections and creation order, so a TF training checkpoint restores into them and
one written here restores in TF.

Inside ``varscope.jax.transform_with_state`` the slots and ``global_step`` are state (not trainable)
and their new values come back in ``new_state``; ``TransformedWithState.update`` also returns the
new trainable values. ``init`` creates the slots but runs no step, as TF's initializers run none.

There are no graph gradients: ``compute_gradients`` and ``minimize`` raise ``NotImplementedError``
saying to take ``jax.grad`` of the model's ``apply`` and pass the result to ``apply_gradients``.

Example:
    >>> import numpy as np, varscope as tf1
    >>> from varscope import train
    >>> with tf1.Graph().as_default():
    ...     w = tf1.get_variable("w", initializer=np.array([1.0, 2.0], np.float32))
    ...     step = train.get_or_create_global_step()
    ...     op = train.GradientDescentOptimizer(0.5).apply_gradients([(np.ones(2, np.float32), w)],
    ...                                                             global_step=step)
    >>> op.name, w.numpy().tolist(), int(step.numpy())
    ('GradientDescent', [0.5, 1.5], 1)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from varscope._dtypes import as_dtype
from varscope._graph import Graph, GraphKeys, get_default_graph
from varscope._name_scope import name_scope
from varscope._scope import VariableScope, get_variable, variable_scope
from varscope._store import VariableSpec, store_for
from varscope._variables import Variable, _Op
from varscope.train import slot_creator
from varscope.train._arrays import cast, check_backend, namespace, raw, tensor
from varscope.train._per_graph import PerGraph

__all__ = ["Optimizer"]

_NO_GRAPH_GRADIENTS = (
    "{what} needs TensorFlow's graph gradients, which varscope does not have (there is no tf.gradients). "
    "Take the gradients with jax.grad of the model's transformed apply (varscope.jax.transform_with_state) "
    "and pass them to apply_gradients: grads = jax.grad(loss_fn)(params); "
    "opt.apply_gradients([(grads[v.op.name], v) for v in tf1.trainable_variables()]). "
    "See docs/porting.md, section 'Training'."
)


def _no_step_in_init(apply_gradients: Callable[..., Any]) -> Callable[..., Any]:
    """A subclass's own ``apply_gradients`` (TF1 code that assigns the new values itself, as bert's
    ``AdamWeightDecayOptimizer``), made to run no step inside ``varscope.jax``'s ``init``.

    TF's initializers never run the train op: after them every variable holds its initial value (or the one
    ``init_from_checkpoint`` gave it). So inside ``init`` (``Graph.initializing``) the variables and slots are
    made, and each one's value is put back afterwards: a variable that existed before the call gets the value
    it had, one made by the call (a slot) its initial value.
    """

    @functools.wraps(apply_gradients)
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        graph = get_default_graph()
        if not getattr(graph, "initializing", False):
            return apply_gradients(self, *args, **kwargs)
        before = {key: var._value for key, var in graph._vars.items()}
        out = apply_gradients(self, *args, **kwargs)
        for key, var in graph._vars.items():
            value = before[key] if key in before else var.initial_value
            if var._value is not value:
                var._value = value
        return out

    return run


class Optimizer:
    """Base class of the optimizers (``tf.compat.v1.train.Optimizer``).

    Subclasses define ``_create_slots(var_list)``, ``_prepare()``, ``_apply_dense(grad, var)`` and
    optionally ``_finish()``, as TF's do; ``grad`` and the values are arrays of the variable's backend.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("apply_gradients")
        if own is not None:  # (TF1 code's own step: no step inside varscope.jax's init, as TF's initializers)
            cls.apply_gradients = _no_step_in_init(own)  # type: ignore[method-assign]

    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2

    def __init__(self, use_locking: bool, name: str, use_own_namescope_for_non_slot_vars: bool = False) -> None:
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._use_own_namescope_for_non_slot_vars = use_own_namescope_for_non_slot_vars
        self._non_slot_variable_scope: VariableScope | None = None
        if use_own_namescope_for_non_slot_vars:
            with variable_scope(None, default_name=name) as vs:
                self._non_slot_variable_scope = vs
        # ("slot", slot name, primary op name) or ("non_slot", name) -> variable, per graph
        self._vars = PerGraph()

    def get_name(self) -> str:
        """The optimizer's name (its slots' suffix and its name scope)."""
        return self._name

    # -- gradients come from outside ----------------------------------------------------------------
    def compute_gradients(self, loss: Any, var_list: Any = None, gate_gradients: int = GATE_OP,
                          aggregation_method: Any = None, colocate_gradients_with_ops: bool = False,
                          grad_loss: Any = None) -> Any:
        """Not available: raises ``NotImplementedError`` saying what to do instead (``jax.grad``)."""
        raise NotImplementedError(_NO_GRAPH_GRADIENTS.format(what="Optimizer.compute_gradients"))

    def minimize(self, loss: Any, global_step: Any = None, var_list: Any = None, gate_gradients: int = GATE_OP,
                 aggregation_method: Any = None, colocate_gradients_with_ops: bool = False, name: str | None = None,
                 grad_loss: Any = None) -> Any:
        """Not available: raises ``NotImplementedError`` saying what to do instead (``jax.grad``, then
        :meth:`apply_gradients`)."""
        raise NotImplementedError(_NO_GRAPH_GRADIENTS.format(what="Optimizer.minimize"))

    # -- the step -----------------------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars: Iterable[tuple[Any, Any]], global_step: Any = None,
                        name: str | None = None, skip_gradients_aggregation: bool = False) -> _Op:
        """Apply one step of the gradients to their variables, then add 1 to ``global_step`` (if given).

        Args:
            grads_and_vars: ``(gradient, variable)`` pairs; a gradient is an array (``jax.grad``'s, a
                NumPy array in a NumPy graph) of the variable's shape and dtype, or None (skipped).
            global_step: The global step variable, incremented after the update.
            name: The name of the returned op (default: the optimizer's name).
            skip_gradients_aggregation: Accepted for TF's signature (there is no distribution strategy).

        Returns:
            The train op (``op.name``, in ``GraphKeys.TRAIN_OP``); the update has been applied.

        Raises:
            ValueError: No pairs, no gradient at all (TF's messages), or a gradient of the wrong shape.
            TypeError: A gradient that is not an array, or of another dtype than its variable.
        """
        pairs = tuple(grads_and_vars)
        if not pairs:
            raise ValueError("No variables provided.")
        converted = []
        for g, v in pairs:
            if not isinstance(v, Variable):
                raise NotImplementedError("Trying to optimize unsupported type ", v)
            check_backend(v, "apply_gradients")
            converted.append((None if g is None else self._gradient(g, v), v))
        var_list = [v for g, v in converted if g is not None]
        if not var_list:
            raise ValueError(f"No gradients provided for any variable: {[str(v) for _, v in converted]}.")
        graph = var_list[0].graph
        with graph.as_default():
            self._create_slots(var_list)
            # (init of varscope.jax.transform: the variables are made, no step runs, as TF's initializers)
            run = not getattr(graph, "initializing", False)
            # The same step again in this graph is the train op run again (a training loop in a NumPy graph):
            # it keeps its name, and its name scopes and train op are not made once per step.
            key = ("train_op", tuple(v.op.name for v in var_list), None if global_step is None else global_step.op.name,
                   name, graph.get_name_scope())
            again = self._vars.get_name(graph, key)
            op_type = "NoOp" if global_step is None else "AssignAddVariableOp"
            if again is not None:
                self._prepare()
                if run:
                    self._run(converted, var_list, global_step)
                return _Op(again, graph, op_type)
            with name_scope(name, self._name) as scope:
                self._prepare()
                if run:
                    self._run(converted, var_list, global_step)
                op = _Op(scope[:-1], graph, op_type)
            graph.get_collection_ref(GraphKeys.TRAIN_OP).append(op)
            self._vars.set_name(graph, key, op.name)
        return op

    def _run(self, converted: list[tuple[Any, Variable]], var_list: list[Variable], global_step: Any) -> None:
        """One step: each variable's update (in TF's ``update_<var>`` name scope), ``_finish``, then ``global_step``."""
        for grad, var in converted:
            if grad is not None:
                with name_scope("update_" + var.op.name):
                    self._apply_dense(grad, var)
        self._finish(var_list)
        if global_step is not None:
            global_step.assign_add(1)

    def _gradient(self, g: Any, v: Variable) -> Any:
        """The gradient ``g`` for ``v`` as an array of ``v``'s backend, checked against ``v``'s shape and dtype."""
        g = raw(g)
        if isinstance(g, (int, float, list, tuple)):
            g = v._backend.asarray(np.asarray(g, v._value.dtype))
        elif not hasattr(g, "shape") or not hasattr(g, "dtype"):
            raise TypeError(f"Gradient must be convertible to a Tensor or IndexedSlices, or None: {g}")
        if np.dtype(g.dtype) != np.dtype(v._value.dtype):
            # (TF builds such a step and fails when it runs)
            raise TypeError(f"The gradient for variable {v.op.name} has dtype {np.dtype(g.dtype).name}, but the "
                            f"variable has dtype {np.dtype(v._value.dtype).name}: cast the gradient to it.")
        if tuple(g.shape) != tuple(v._value.shape):
            raise ValueError(f"The gradient for variable {v.op.name} has shape {tuple(g.shape)}, but the variable "
                             f"has shape {tuple(v._value.shape)}.")
        if not v._backend.is_array(g):
            g = v._backend.asarray(g)
        return g

    # -- slots ----------------------------------------------------------------------------------------
    def get_slot(self, var: Any, name: str) -> Variable | None:
        """The slot ``name`` (``"m"``, ``"momentum"``, ...) of ``var``, or None."""
        return self._vars.get(var.graph, ("slot", name, var.op.name))  # type: ignore[no-any-return]

    def get_slot_names(self) -> list[str]:
        """The names of the slots this optimizer makes, sorted (in the graphs it has run in)."""
        return sorted({str(k[1]) for k in self._vars.keys() if k[0] == "slot"})  # type: ignore[index]

    def variables(self) -> list[Variable]:
        """The optimizer's variables in the default graph (slots and non-slot ones), sorted by name."""
        return sorted(self._vars.values(get_default_graph()), key=lambda v: v.name)

    def _slot(self, var: Variable, slot_name: str, make: Any) -> Variable:
        key = ("slot", slot_name, var.op.name)
        slot = self._vars.get(var.graph, key)
        if slot is None:
            slot = make()
            self._vars.set(var.graph, key, slot)
        return slot  # type: ignore[no-any-return]

    def _zeros_slot(self, var: Variable, slot_name: str, op_name: str) -> Variable:
        """The slot ``slot_name`` of ``var`` (zeros, named ``<var>/<op_name>``), made on first use."""
        return self._slot(var, slot_name, lambda: slot_creator.create_zeros_slot(var, op_name))

    def _get_or_make_slot(self, var: Variable, val: Any, slot_name: str, op_name: str) -> Variable:
        """The slot ``slot_name`` of ``var`` holding ``val``, made on first use."""
        return self._slot(var, slot_name, lambda: slot_creator.create_slot(var, val, op_name))

    def _get_or_make_slot_with_initializer(self, var: Variable, initializer: Any, shape: Any, dtype: Any,
                                           slot_name: str, op_name: str) -> Variable:
        """The slot ``slot_name`` of ``var`` made by ``initializer``, on first use."""
        return self._slot(var, slot_name, lambda: slot_creator.create_slot_with_initializer(
            var, initializer, shape, dtype, op_name))

    def _create_non_slot_variable(self, initial_value: Any, name: str, colocate_with: Variable) -> Variable:
        """The optimizer's variable ``name`` in ``colocate_with``'s graph (TF: a ``tf.Variable`` named by the
        current name scope, so ``beta1_power`` or ``scope/beta1_power``), made on first use.

        It is made through the variable store under the name TF gives it, so that
        ``varscope.jax.transform_with_state`` keeps it in ``state``.
        """
        graph = colocate_with.graph
        v = self._vars.get(graph, ("non_slot", name))
        if v is None:
            if self._non_slot_variable_scope is not None:
                with name_scope(""), variable_scope(self._non_slot_variable_scope):
                    v = get_variable(name, initializer=initial_value, trainable=False,
                                     use_resource=colocate_with._is_resource)
            else:
                op_name = graph.unique_name(name, mark_as_used=False)
                value = tensor(initial_value, namespace(initial_value))
                spec = VariableSpec(op_name, dtype=as_dtype(value.dtype), initializer=value, reuse=False, trainable=False,
                                    collections=[GraphKeys.GLOBAL_VARIABLES], use_resource=colocate_with._is_resource)
                with graph.name_scope(None):
                    v = store_for(graph).get(spec)
            self._vars.set(graph, ("non_slot", name), v)
        return v  # type: ignore[no-any-return]

    def _get_non_slot_variable(self, name: str, graph: Graph | None = None) -> Variable | None:
        return self._vars.get(graph if graph is not None else get_default_graph(),  # type: ignore[no-any-return]
                              ("non_slot", name))

    # -- what subclasses define -------------------------------------------------------------------------
    def _create_slots(self, var_list: list[Variable]) -> None:
        pass

    def _prepare(self) -> None:
        pass

    def _apply_dense(self, grad: Any, var: Variable) -> None:
        raise NotImplementedError()

    def _finish(self, var_list: list[Variable]) -> None:
        pass

    def _call_if_callable(self, param: Any) -> Any:
        return param() if callable(param) else param

    @staticmethod
    def _hyper(value: Any) -> Any:
        """A hyperparameter as TF's ``convert_to_tensor`` makes it (Python floats are float32)."""
        return tensor(value, namespace(value))

    @staticmethod
    def _cast_to(value: Any, var: Variable) -> Any:
        """``value`` cast to the dtype of ``var``'s array (TF casts every hyperparameter to the variable's dtype)."""
        return cast(value, var._value.dtype, namespace(value, var))
