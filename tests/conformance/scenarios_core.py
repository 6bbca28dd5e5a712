"""Core conformance scenarios: variable scopes, name scopes, get_variable, reuse, collections, graphs, threads.

Every scenario is ``scn_<name>(tf1, h)``; ``SCENARIOS`` maps ``<name>`` to the function.  They use only the
``tf.compat.v1`` names of spec/api-surface.md plus the harness ``h`` (``h.op`` observes name scopes, ``h.value`` reads
initial values).  Spec references (R2.3, §4.4, ...) are to /work/shared/spec/variable-scope.md.

Do not edit a scenario to make varscope pass: the fixture recorded from TensorFlow is the truth.  Adding or changing
a scenario requires re-recording ``tests/fixtures/tf_core.json`` with ``tools/record_tf.py``.
"""

from __future__ import annotations

import math
import threading

import numpy as np

from .harness import scenario_registry

SCENARIOS, scenario, _family = scenario_registry()


# -- helpers ---------------------------------------------------------------------------------------------------------

def sc(h, label, s):
    """Log a VariableScope: name, original_name_scope, reuse."""
    h.log(label, s.name, s.original_name_scope, s.reuse)


def var(h, label, v):
    """Log a variable: name, op name, shape, dtype, trainable."""
    h.log(label, v.name, v.op.name, str(v.shape), v.dtype, v.trainable)


def names(xs):
    return [x.name for x in xs]


def colls(tf1, h, label="collections"):
    """Log the three standard variable collections as name lists."""
    h.log(label,
          names(tf1.global_variables()),
          names(tf1.trainable_variables()),
          names(tf1.local_variables()))


def z(tf1):
    return tf1.zeros_initializer()


REUSE_VALUES = {"F": False, "N": None, "T": True, "A": "AUTO"}


def _reuse(tf1, key):
    r = REUSE_VALUES[key]
    return tf1.AUTO_REUSE if r == "AUTO" else r


# =====================================================================================================================
# §0 / R0.1  graphs and per-graph state
# =====================================================================================================================

@scenario
def scn_root_scope_properties(tf1, h):
    s = tf1.get_variable_scope()
    h.log(s.name, s.original_name_scope, s.reuse, s.dtype, s.initializer, s.regularizer, s.caching_device,
          s.partitioner, s.custom_getter, s.constraint, s.use_resource)


@scenario
def scn_root_scope_is_stable(tf1, h):
    a = tf1.get_variable_scope()
    b = tf1.get_variable_scope()
    h.log(a is b)
    with tf1.variable_scope("x"):
        h.log(tf1.get_variable_scope() is a)
    h.log(tf1.get_variable_scope() is a)


@scenario
def scn_graph_default_inside_runner(tf1, h):
    g = tf1.get_default_graph()
    h.log(g is tf1.get_default_graph())
    g2 = tf1.Graph()
    h.log(g2 is g)
    with g2.as_default():
        h.log(tf1.get_default_graph() is g2)
    h.log(tf1.get_default_graph() is g)


@scenario
def scn_graph_per_graph_scope_store(tf1, h):
    with tf1.variable_scope("s"):
        with tf1.variable_scope(None, default_name="d") as d1:
            sc(h, "g1 d", d1)
        g2 = tf1.Graph()
        with g2.as_default():
            sc(h, "g2 root", tf1.get_variable_scope())
            with tf1.variable_scope(None, default_name="d") as d2:
                sc(h, "g2 d", d2)
            h.log("g2 op", h.op("c"))
        sc(h, "back g1", tf1.get_variable_scope())
        h.log("g1 op", h.op("c"))


@scenario
def scn_graph_separate_variable_stores(tf1, h):
    g1 = tf1.get_default_graph()
    v1 = tf1.get_variable("v", [1])
    g2 = tf1.Graph()
    with g2.as_default():
        v2 = tf1.get_variable("v", [1])
        var(h, "g2", v2)
        h.log(names(tf1.global_variables()))
    var(h, "g1", v1)
    h.log(v1.graph is g1, v2.graph is g2, v1 is v2)
    h.log(names(tf1.global_variables()))


@scenario
def scn_graph_separate_names_in_use(tf1, h):
    h.log(h.op("c"), h.op("c"))
    with tf1.Graph().as_default():
        h.log(h.op("c"))
        with tf1.name_scope("ns") as ns:
            h.log(ns)
    with tf1.name_scope("ns") as ns:
        h.log(ns)
    h.log(h.op("c"))


@scenario
def scn_graph_separate_collections(tf1, h):
    tf1.get_variable("a", [1])
    with tf1.Graph().as_default():
        tf1.get_variable("b", [1])
        colls(tf1, h, "g2")
    colls(tf1, h, "g1")


@scenario
def scn_graph_name_scope_stack_per_graph(tf1, h):
    with tf1.name_scope("outer"):
        h.log(tf1.get_default_graph().get_name_scope())
        with tf1.Graph().as_default():
            h.log(tf1.get_default_graph().get_name_scope(), h.op("c"))
        h.log(h.op("c"))


@scenario
def scn_graph_vs_cm_captures_construction_graph(tf1, h):
    g1 = tf1.get_default_graph()
    cm = tf1.variable_scope("cap")
    g2 = tf1.Graph()
    with g2.as_default():
        with cm as s:
            h.log("inside is g1", tf1.get_default_graph() is g1)
            v = tf1.get_variable("v", [1])
            h.log(v.name, v.graph is g1, h.op("c"))
            sc(h, "scope", s)
        h.log("after is g2", tf1.get_default_graph() is g2)
        h.log("g2 vars", names(tf1.global_variables()))
    h.log("g1 vars", names(tf1.global_variables()))


@scenario
def scn_graph_values_pick_graph(tf1, h):
    g1 = tf1.get_default_graph()
    a = tf1.get_variable("a", [1])
    g2 = tf1.Graph()
    with g2.as_default():
        with tf1.variable_scope("vs", values=[a]) as s:
            h.log(tf1.get_default_graph() is g1)
            v = tf1.get_variable("w", [1])
            h.log(v.name, v.graph is g1)
            sc(h, "s", s)
        h.log(tf1.get_default_graph() is g2, names(tf1.global_variables()))
    h.log(names(tf1.global_variables()))


@scenario
def scn_graph_values_default_name_pick_graph(tf1, h):
    g1 = tf1.get_default_graph()
    a = tf1.get_variable("a", [1])
    g2 = tf1.Graph()
    with g2.as_default():
        with tf1.variable_scope(None, default_name="dflt", values=[a]) as s:
            h.log(tf1.get_default_graph() is g1, s.name, h.op("c"))
            tf1.get_variable("w", [1])
    h.log(names(tf1.global_variables()))


@scenario
def scn_graph_values_non_tensors_ignored(tf1, h):
    g1 = tf1.get_default_graph()
    g2 = tf1.Graph()
    with g2.as_default():
        with tf1.variable_scope("vs", values=[3.0, "x", None]) as s:
            h.log(tf1.get_default_graph() is g2, tf1.get_default_graph() is g1, s.name)


@scenario
def scn_graph_values_same_graph_ok(tf1, h):
    a = tf1.get_variable("a", [1])
    b = tf1.get_variable("b", [1])
    with tf1.variable_scope("vs", values=[a, b, 2]) as s:
        sc(h, "s", s)
        h.log(tf1.get_variable("w", [1]).name)


@scenario
def scn_graph_values_two_graphs_error(tf1, h):
    a = tf1.get_variable("a", [1])
    with tf1.Graph().as_default():
        b = tf1.get_variable("b", [1])
    try:
        tf1.variable_scope("vs", values=[a, b])
        h.log("no error")
    except Exception as e:  # noqa: BLE001
        h.log("error", type(e).__name__, "must be from the same graph as" in str(e))


@scenario
def scn_graph_values_error_at_construction(tf1, h):
    a = tf1.get_variable("a", [1])
    with tf1.Graph().as_default():
        b = tf1.get_variable("b", [1])
    try:
        tf1.variable_scope(None, default_name="d", values=[b, a])
        h.log("no error")
    except Exception as e:  # noqa: BLE001
        h.log("error", type(e).__name__, "must be from the same graph as" in str(e))
    sc(h, "still root", tf1.get_variable_scope())


@scenario
def scn_graph_seed_default_none(tf1, h):
    h.log(tf1.get_default_graph().seed)


@scenario
def scn_graph_set_random_seed(tf1, h):
    tf1.set_random_seed(42)
    h.log(tf1.get_default_graph().seed)
    g2 = tf1.Graph()
    h.log(g2.seed)
    with g2.as_default():
        tf1.set_random_seed(7)
        h.log(tf1.get_default_graph().seed)
    h.log(tf1.get_default_graph().seed)


@scenario
def scn_graph_seed_attribute_setter(tf1, h):
    g = tf1.get_default_graph()
    g.seed = 3
    h.log(g.seed)
    tf1.set_random_seed(None)
    h.log(g.seed)


@scenario
def scn_graph_unique_name_mark_as_used(tf1, h):
    g = tf1.get_default_graph()
    h.log(g.unique_name("x", mark_as_used=False), g.unique_name("x", mark_as_used=False))
    h.log(g.unique_name("x"), g.unique_name("x"), g.unique_name("x", mark_as_used=False))
    h.log(h.op("x"))


@scenario
def scn_graph_unique_name_in_name_scope(tf1, h):
    g = tf1.get_default_graph()
    with tf1.name_scope("ns"):
        h.log(g.unique_name("y"), g.unique_name("y"), g.get_name_scope())
    h.log(g.unique_name("ns"), g.get_name_scope())


@scenario
def scn_graph_get_name_scope(tf1, h):
    h.log(tf1.get_default_graph().get_name_scope())
    with tf1.name_scope("a"):
        with tf1.name_scope("b"):
            h.log(tf1.get_default_graph().get_name_scope())
    with tf1.variable_scope("v"):
        h.log(tf1.get_default_graph().get_name_scope())
    h.log(tf1.get_default_graph().get_name_scope())


@scenario
def scn_graph_name_scope_method(tf1, h):
    g = tf1.get_default_graph()
    with g.name_scope("gm") as n:
        h.log(n, h.op("c"))
    with g.name_scope("gm") as n:
        h.log(n)


# =====================================================================================================================
# §1  variable_scope construction
# =====================================================================================================================

@scenario
def scn_ctor_no_name_no_default(tf1, h):
    h.expect_error(lambda: tf1.variable_scope(None))


@scenario
def scn_ctor_no_name_default_none_kw(tf1, h):
    h.expect_error(lambda: tf1.variable_scope(None, default_name=None, reuse=True))


@scenario
def scn_ctor_check_order_name_before_reuse(tf1, h):
    h.expect_error(lambda: tf1.variable_scope(None, reuse="yes"))


@scenario
def scn_ctor_check_order_reuse_before_aux(tf1, h):
    h.expect_error(lambda: tf1.variable_scope("a", reuse=1, auxiliary_name_scope="x"))


def _bad_reuse(tf1, h, value):
    h.expect_error(lambda: tf1.variable_scope("a", reuse=value))
    sc(h, "root unchanged", tf1.get_variable_scope())


_family("ctor_bad_reuse", [("str_yes", "yes"), ("int_1", 1), ("int_0", 0), ("float_2", 2.0), ("list", []),
                           ("str_empty", ""), ("str_auto", "AUTO_REUSE")], _bad_reuse)


def _good_reuse(tf1, h, key):
    with tf1.variable_scope("a", reuse=_reuse(tf1, key)) as s:
        sc(h, "a", s)


_family("ctor_reuse_accepted", [("false", "F"), ("none", "N"), ("true", "T"), ("auto", "A")], _good_reuse)


def _bad_aux(tf1, h, value):
    h.expect_error(lambda: tf1.variable_scope("a", auxiliary_name_scope=value))


_family("ctor_bad_aux", [("str", "invalid"), ("int_1", 1), ("int_0", 0), ("none", None)], _bad_aux)


@scenario
def scn_ctor_bad_name_type_raises_on_enter(tf1, h):
    cm = tf1.variable_scope(5)
    h.log("constructed")
    h.expect_error(lambda: cm.__enter__())
    sc(h, "root", tf1.get_variable_scope())
    h.log(h.op("c"))


def _bad_name_type(tf1, h, value):
    def enter():
        with tf1.variable_scope(value):
            h.log("entered")
    h.expect_error(enter)


_family("ctor_bad_name_type", [("int", 5), ("bytes", b"abc"), ("list", ["a"]), ("float", 1.5)], _bad_name_type)


@scenario
def scn_ctor_none_name_reuse_true_raises_on_enter(tf1, h):
    cm = tf1.variable_scope(None, default_name="d", reuse=True)
    h.log("constructed")

    def enter():
        with cm:
            h.log("entered")
    h.expect_error(enter)


@scenario
def scn_ctor_none_name_reuse_auto_raises_on_enter(tf1, h):
    def enter():
        with tf1.variable_scope(None, default_name="d", reuse=tf1.AUTO_REUSE):
            h.log("entered")
    h.expect_error(enter)


@scenario
def scn_ctor_none_name_reuse_false_ok(tf1, h):
    with tf1.variable_scope(None, default_name="d", reuse=False) as s:
        sc(h, "d", s)


@scenario
def scn_ctor_aux_false_skips_validation(tf1, h):
    with tf1.variable_scope("a b", auxiliary_name_scope=False) as s:
        sc(h, "s", s)
        h.log(h.op("c"))
        h.log(tf1.get_variable("v", [1]).name)


@scenario
def scn_ctor_aux_false_invalid_leading_underscore(tf1, h):
    with tf1.variable_scope("_x", auxiliary_name_scope=False) as s:
        sc(h, "s", s)


@scenario
def scn_variable_op_scope_alias(tf1, h):
    with tf1.variable_op_scope([], "vo", "dflt") as s:
        sc(h, "vo", s)
    with tf1.variable_op_scope([], None, "dflt") as s:
        sc(h, "dflt", s)
    with tf1.variable_op_scope([], None, "dflt") as s:
        sc(h, "dflt2", s)


# =====================================================================================================================
# §2  entering scopes: names, name scopes, captured re-entry
# =====================================================================================================================

@scenario
def scn_nest_strings(tf1, h):
    with tf1.variable_scope("foo") as foo:
        with tf1.variable_scope("bar") as bar:
            sc(h, "foo", foo)
            sc(h, "bar", bar)
            v = tf1.get_variable("v", [1])
            var(h, "v", v)
            h.log(h.op("c"))


@scenario
def scn_reenter_string_twice(tf1, h):
    with tf1.variable_scope("foo") as s:
        sc(h, "1", s)
        h.log(h.op("c"))
    with tf1.variable_scope("foo") as s:
        sc(h, "2", s)
        h.log(h.op("c"))
    with tf1.variable_scope("foo") as s:
        sc(h, "3", s)


@scenario
def scn_reenter_string_var_exists(tf1, h):
    with tf1.variable_scope("foo"):
        tf1.get_variable("v", [1])
    with tf1.variable_scope("foo"):
        h.expect_error(lambda: tf1.get_variable("v", [1]))
        h.log(tf1.get_variable("w", [1]).name)


@scenario
def scn_captured_reentry_under_other(tf1, h):
    with tf1.variable_scope("outer"):
        with tf1.variable_scope("inner") as inner:
            pass
    with tf1.variable_scope("other"):
        with tf1.variable_scope(inner) as s:
            sc(h, "reentered", s)
            h.log(h.op("c"))
            h.log(tf1.get_variable("w", [1]).name)
            with tf1.variable_scope("deeper") as d:
                sc(h, "deeper", d)
                h.log(h.op("c"))
                h.log(tf1.get_variable("x", [1]).name)


@scenario
def scn_captured_reentry_returns_new_object(tf1, h):
    with tf1.variable_scope("a") as a:
        pass
    with tf1.variable_scope(a) as c:
        h.log(c is a, c.name == a.name, tf1.get_variable_scope() is c)
        c.reuse_variables()
        h.log(c.reuse, a.reuse)


@scenario
def scn_captured_reentry_at_root_twice(tf1, h):
    with tf1.variable_scope("s") as s:
        h.log(h.op("c"))
    with tf1.variable_scope(s) as s2:
        sc(h, "1", s2)
        h.log(h.op("c"))
    with tf1.variable_scope(s) as s3:
        sc(h, "2", s3)
        h.log(h.op("c"))


@scenario
def scn_captured_reentry_inside_itself(tf1, h):
    with tf1.variable_scope("s") as s:
        with tf1.variable_scope(s) as s2:
            sc(h, "inner", s2)
            h.log(h.op("c"), tf1.get_variable("v", [1]).name)


@scenario
def scn_original_name_scope_nested_in_name_scope(tf1, h):
    with tf1.name_scope("ns"):
        with tf1.variable_scope("vs") as s:
            sc(h, "vs", s)
            h.log(h.op("c"), tf1.get_variable("v", [1]).name)


@scenario
def scn_original_name_scope_captured_keeps(tf1, h):
    with tf1.variable_scope("scope1"):
        with tf1.variable_scope("tower") as t:
            pass
    with tf1.variable_scope("scope2"):
        with tf1.variable_scope(t) as t2:
            sc(h, "t2", t2)
            h.log(h.op("c"))


@scenario
def scn_root_reentry_under_name_scope(tf1, h):
    root = tf1.get_variable_scope()
    with tf1.name_scope("ns3"):
        with tf1.variable_scope(root) as r:
            sc(h, "root", r)
            h.log(h.op("c"), tf1.get_variable("rv", [1]).name, tf1.get_default_graph().get_name_scope())


@scenario
def scn_root_reentry_inside_scope(tf1, h):
    root = tf1.get_variable_scope()
    with tf1.variable_scope("a"):
        with tf1.variable_scope(root) as r:
            sc(h, "root", r)
            h.log(h.op("c"), tf1.get_variable("v", [1]).name)
            with tf1.variable_scope("b") as b:
                sc(h, "b", b)


@scenario
def scn_empty_string_scope_at_root(tf1, h):
    with tf1.variable_scope("") as s:
        sc(h, "s", s)
        h.log(tf1.get_variable("v", [1]).name, h.op("c"))


@scenario
def scn_empty_string_scope_inside_foo(tf1, h):
    with tf1.variable_scope("foo"):
        with tf1.variable_scope("") as s:
            sc(h, "s", s)
            h.log(tf1.get_variable("v", [1]).name, h.op("c"))


@scenario
def scn_empty_string_scope_under_name_scope(tf1, h):
    with tf1.name_scope("ns"):
        with tf1.variable_scope("") as s:
            sc(h, "s", s)
            h.log(h.op("c"))


@scenario
def scn_trailing_slash_scope(tf1, h):
    with tf1.variable_scope("a/") as s:
        sc(h, "s", s)
        h.log(tf1.get_variable("v", [1]).name, h.op("c"))


@scenario
def scn_trailing_slash_scope_reenters_absolute(tf1, h):
    with tf1.name_scope("a"):
        h.log(h.op("c"))
    with tf1.variable_scope("x"):
        with tf1.variable_scope("a/") as s:
            sc(h, "s", s)
            h.log(h.op("c"))


@scenario
def scn_slash_in_scope_name(tf1, h):
    with tf1.variable_scope("a/b") as s:
        sc(h, "a/b", s)
        h.log(tf1.get_variable("v", [1]).name)
    with tf1.variable_scope("a"):
        with tf1.variable_scope("b") as s2:
            sc(h, "a then b", s2)
            h.expect_error(lambda: tf1.get_variable("v", [1]))
    with tf1.variable_scope("x"):
        h.log(tf1.get_variable("a/b", [1]).name)


@scenario
def scn_aux_false_at_root(tf1, h):
    with tf1.variable_scope("scope", auxiliary_name_scope=False) as s:
        sc(h, "s", s)
        h.log(tf1.get_variable("w", [1]).name, h.op("c"))
    with tf1.name_scope("scope") as n:
        h.log(n)


@scenario
def scn_aux_false_inside_outer(tf1, h):
    with tf1.variable_scope("outer"):
        with tf1.variable_scope("inner", auxiliary_name_scope=False) as s:
            sc(h, "s", s)
            h.log(tf1.get_variable("w", [1]).name, h.op("c"))


@scenario
def scn_aux_false_inside_a_b(tf1, h):
    with tf1.variable_scope("a"):
        with tf1.variable_scope("b"):
            with tf1.variable_scope("c", auxiliary_name_scope=False) as s:
                sc(h, "s", s)
                h.log(h.op("op"))


@scenario
def scn_aux_false_not_inherited(tf1, h):
    with tf1.variable_scope("s", auxiliary_name_scope=False):
        with tf1.variable_scope("c") as c:
            sc(h, "c", c)
            h.log(h.op("x"))


@scenario
def scn_aux_false_captured_reentry(tf1, h):
    with tf1.variable_scope("top", auxiliary_name_scope=False) as top:
        pass
    with tf1.variable_scope("outer"):
        with tf1.variable_scope("mid") as mid:
            pass
    with tf1.variable_scope("elsewhere"):
        with tf1.variable_scope(top, auxiliary_name_scope=False) as t:
            sc(h, "top", t)
            h.log(h.op("c"))
        with tf1.variable_scope(mid, auxiliary_name_scope=False) as m:
            sc(h, "mid", m)
            h.log(h.op("c"), tf1.get_variable("v", [1]).name)


@scenario
def scn_aux_false_default_name(tf1, h):
    with tf1.variable_scope(None, default_name="d", auxiliary_name_scope=False) as s:
        sc(h, "1", s)
        h.log(h.op("c"))
    with tf1.variable_scope(None, default_name="d") as s:
        sc(h, "2", s)


@scenario
def scn_aux_false_under_name_scope(tf1, h):
    with tf1.name_scope("ns"):
        with tf1.variable_scope("vs", auxiliary_name_scope=False) as s:
            sc(h, "s", s)
            h.log(h.op("c"), tf1.get_default_graph().get_name_scope())


@scenario
def scn_aux_false_created_inside_outer_reentered(tf1, h):
    with tf1.variable_scope("outer"):
        with tf1.variable_scope("in", auxiliary_name_scope=False) as s:
            sc(h, "created", s)
    with tf1.variable_scope("else"):
        with tf1.variable_scope(s, auxiliary_name_scope=False) as r:
            sc(h, "aux false", r)
            h.log(h.op("c"))
        with tf1.variable_scope(s) as r:
            sc(h, "aux true", r)
            h.log(h.op("c"), tf1.get_variable("v", [1]).name)


@scenario
def scn_reenter_safely_idiom(tf1, h):
    with tf1.variable_scope("foo") as foo:
        pass
    with tf1.variable_scope("bar"):
        with tf1.variable_scope(foo, auxiliary_name_scope=False) as f:
            with tf1.name_scope(f.original_name_scope) as n:
                h.log(n, h.op("c"))
                h.log(tf1.get_variable("v", [1]).name)


@scenario
def scn_get_variable_scope_is_yielded(tf1, h):
    with tf1.variable_scope("a") as a:
        h.log(tf1.get_variable_scope() is a)
        with tf1.variable_scope("b") as b:
            h.log(tf1.get_variable_scope() is b)
        h.log(tf1.get_variable_scope() is a)
        with tf1.variable_scope(a) as a2:
            h.log(tf1.get_variable_scope() is a2, a2 is a)
        with tf1.variable_scope(None, default_name="d") as d:
            h.log(tf1.get_variable_scope() is d)


@scenario
def scn_improper_nesting_exit_outer_first(tf1, h):
    a = tf1.variable_scope("a")
    b = tf1.variable_scope("b")
    sa = a.__enter__()
    sb = b.__enter__()
    h.log(sa.name, sb.name)
    h.expect_error(lambda: a.__exit__(None, None, None))
    h.log("current", tf1.get_variable_scope().name)
    h.expect_error(lambda: b.__exit__(None, None, None))
    h.log("current", tf1.get_variable_scope().name)


@scenario
def scn_improper_nesting_captured(tf1, h):
    with tf1.variable_scope("s") as s:
        pass
    a = tf1.variable_scope(s)
    b = tf1.variable_scope("b")
    a.__enter__()
    b.__enter__()
    h.expect_error(lambda: a.__exit__(None, None, None))
    h.expect_error(lambda: b.__exit__(None, None, None))
    h.log("current", tf1.get_variable_scope().name)


@scenario
def scn_proper_manual_enter_exit(tf1, h):
    a = tf1.variable_scope("a")
    b = tf1.variable_scope("b")
    a.__enter__()
    sb = b.__enter__()
    sc(h, "b", sb)
    h.log(h.op("c"))
    b.__exit__(None, None, None)
    h.log(tf1.get_variable_scope().name, h.op("c"))
    a.__exit__(None, None, None)
    h.log(tf1.get_variable_scope().name, h.op("c"))


@scenario
def scn_cached_cm_string_reentry(tf1, h):
    cm = tf1.variable_scope("a")
    with cm as s:
        h.log(s.name, s.original_name_scope, h.op("c"))
    with cm as s:
        h.log(s.name, s.original_name_scope, h.op("c"))


@scenario
def scn_cached_cm_string_reentry_inside_reuse(tf1, h):
    cm = tf1.variable_scope("a")
    with cm as s:
        h.log(s.name, s.original_name_scope, h.op("c"), s.reuse)
    with tf1.variable_scope("zz", reuse=True):
        with cm as s:
            h.log(s.name, s.original_name_scope, h.op("c"), s.reuse)
    with cm as s:
        h.log(s.name, s.original_name_scope, h.op("c"), s.reuse)


@scenario
def scn_cached_cm_reuse_sticky(tf1, h):
    cm2 = tf1.variable_scope("b")
    with tf1.variable_scope("r", reuse=True):
        with cm2 as s:
            h.log(s.name, s.reuse)
    with cm2 as s:
        h.log(s.name, s.reuse)


@scenario
def scn_cached_cm_default_name(tf1, h):
    cm = tf1.variable_scope(None, default_name="d")
    with cm as s:
        h.log(s.name, s.original_name_scope, h.op("c"))
    with cm as s:
        h.log(s.name, s.original_name_scope, h.op("c"))
    with tf1.variable_scope(None, default_name="d") as s:
        h.log(s.name, s.original_name_scope)


@scenario
def scn_cached_cm_captured_object(tf1, h):
    with tf1.variable_scope("obj") as o:
        pass
    cm = tf1.variable_scope(o)
    with cm as s:
        h.log(s.name, s.original_name_scope, h.op("c"))
    with tf1.variable_scope("elsewhere"):
        with cm as s:
            h.log(s.name, s.original_name_scope, h.op("c"))


@scenario
def scn_cached_cm_nested_reentry_name(tf1, h):
    cm = tf1.variable_scope("leaf")
    with tf1.variable_scope("p1"):
        with cm as s:
            h.log(s.name, h.op("c"), tf1.get_variable("v", [1]).name)
    with tf1.variable_scope("p2"):
        with cm as s:
            h.log(s.name, h.op("c"), tf1.get_variable("v", [1]).name)


# -- default_name numbering (R2.14 - R2.22) ---------------------------------------------------------------------------

@scenario
def scn_default_name_three_times(tf1, h):
    for _ in range(3):
        with tf1.variable_scope(None, default_name="layer") as s:
            sc(h, "layer", s)
            h.log(tf1.get_variable("w", [1]).name)


@scenario
def scn_default_name_after_explicit(tf1, h):
    with tf1.variable_scope("layer") as s:
        sc(h, "explicit", s)
    for _ in range(2):
        with tf1.variable_scope(None, default_name="layer") as s:
            sc(h, "default", s)
    with tf1.variable_scope("layer") as s:
        sc(h, "explicit2", s)
    with tf1.variable_scope(None, default_name="layer") as s:
        sc(h, "default3", s)


@scenario
def scn_default_name_diverges_from_name_scope(tf1, h):
    seq = [None, "layer", None, "layer_1", None]
    for x in seq:
        if x is None:
            cm = tf1.variable_scope(None, default_name="layer")
        else:
            cm = tf1.variable_scope(x)
        with cm as s:
            h.log(s.name, s.original_name_scope)


@scenario
def scn_default_name_skips_used_suffix(tf1, h):
    with tf1.variable_scope("layer_1") as s:
        sc(h, "explicit", s)
    for _ in range(2):
        with tf1.variable_scope(None, default_name="layer") as s:
            sc(h, "default", s)


@scenario
def scn_default_name_interleaved_substrings(tf1, h):
    out = []
    for n in ["defaultScope1", "defaultScope1", "defaultScope", "defaultScope1"]:
        with tf1.variable_scope(None, default_name=n) as s:
            out.append(s.name)
    h.log(out)


@scenario
def scn_default_name_counters_reset_on_parent_exit(tf1, h):
    with tf1.variable_scope("foo") as foo:
        for _ in range(2):
            with tf1.variable_scope(None, default_name="bar") as b:
                h.log("first", b.name)
    with tf1.variable_scope(foo):
        with tf1.variable_scope(None, default_name="bar") as b:
            h.log("obj reentry", b.name)
    with tf1.variable_scope("foo"):
        with tf1.variable_scope(None, default_name="bar") as b:
            h.log("string reentry", b.name)


@scenario
def scn_default_name_object_snapshot(tf1, h):
    with tf1.variable_scope("default") as default:
        with tf1.variable_scope(None, default_name="layer") as s:
            h.log(s.name)
        with tf1.variable_scope(None, default_name="layer") as s:
            h.log(s.name)
        with tf1.variable_scope(default):
            pass
        with tf1.variable_scope(None, default_name="layer") as s:
            h.log(s.name)


@scenario
def scn_default_name_object_snapshot_inside(tf1, h):
    with tf1.variable_scope("default") as default:
        pass
    with tf1.variable_scope(default):
        with tf1.variable_scope(None, default_name="layer") as s:
            h.log(s.name)
    with tf1.variable_scope(default):
        with tf1.variable_scope(None, default_name="layer") as s:
            h.log(s.name)


@scenario
def scn_default_name_with_slash(tf1, h):
    for _ in range(2):
        with tf1.variable_scope(None, default_name="a/b") as s:
            sc(h, "a/b", s)
    with tf1.variable_scope("a"):
        with tf1.variable_scope(None, default_name="b") as s:
            sc(h, "a then b", s)


@scenario
def scn_default_name_empty_inside_outer(tf1, h):
    with tf1.variable_scope("outer"):
        with tf1.variable_scope(None, default_name="") as s:
            sc(h, "empty", s)
            h.log(h.op("c"))
            h.log(tf1.get_variable("v", [1]).name)


@scenario
def scn_default_name_empty_at_root(tf1, h):
    with tf1.variable_scope(None, default_name="") as s:
        sc(h, "empty", s)
        h.log(h.op("c"), tf1.get_variable("v", [1]).name)
    with tf1.variable_scope(None, default_name="") as s:
        sc(h, "empty2", s)


@scenario
def scn_default_name_nested_counters(tf1, h):
    with tf1.variable_scope(None, default_name="blk") as a:
        with tf1.variable_scope(None, default_name="blk") as b:
            h.log(a.name, b.name)
        with tf1.variable_scope(None, default_name="blk") as b:
            h.log(b.name)
    with tf1.variable_scope(None, default_name="blk") as a:
        with tf1.variable_scope(None, default_name="blk") as b:
            h.log(a.name, b.name, b.original_name_scope)


@scenario
def scn_default_name_case_sensitive_counters(tf1, h):
    out = []
    for n in ["Layer", "layer", "Layer", "LAYER"]:
        with tf1.variable_scope(None, default_name=n) as s:
            out.append((s.name, s.original_name_scope))
    h.log(out)


@scenario
def scn_default_name_counts_fed_by_object_entry(tf1, h):
    with tf1.variable_scope("p") as p:
        pass
    with tf1.variable_scope(p):
        pass
    with tf1.variable_scope(None, default_name="p") as s:
        sc(h, "p", s)


@scenario
def scn_default_name_with_name_given_ignores_default(tf1, h):
    with tf1.variable_scope("given", default_name="dflt") as s:
        sc(h, "1", s)
    with tf1.variable_scope("given", default_name="dflt") as s:
        sc(h, "2", s)
    with tf1.variable_scope(None, default_name="dflt") as s:
        sc(h, "3", s)


@scenario
def scn_default_name_invalid_type(tf1, h):
    def enter():
        with tf1.variable_scope(None, default_name=123):
            h.log("entered")
    h.expect_error(enter)


@scenario
def scn_default_name_under_reuse_parent(tf1, h):
    with tf1.variable_scope("p", reuse=True):
        with tf1.variable_scope(None, default_name="d") as s:
            sc(h, "d", s)


@scenario
def scn_default_name_deep_numbering(tf1, h):
    out = []
    for _ in range(12):
        with tf1.variable_scope(None, default_name="x") as s:
            out.append(s.name)
    h.log(out)


# -- reuse table (§2.3) -----------------------------------------------------------------------------------------------

def _reuse_string_child(tf1, h, params):
    parent, child = params
    with tf1.variable_scope("p", reuse=_reuse(tf1, parent)) as p:
        sc(h, "parent", p)
        with tf1.variable_scope("c", reuse=_reuse(tf1, child)) as c:
            sc(h, "child", c)
            h.expect_error(lambda: tf1.get_variable("new", [1]).name)


_family("reuse_string_child",
        [("parent%s_child%s" % (p, c), (p, c)) for p in "FTA" for c in "NFTA"],
        _reuse_string_child)


def _reuse_captured_child(tf1, h, params):
    cap, parent, child = params
    with tf1.variable_scope("cap", reuse=_reuse(tf1, cap)) as S:
        pass
    with tf1.variable_scope("outer", reuse=_reuse(tf1, parent)):
        with tf1.variable_scope(S, reuse=_reuse(tf1, child)) as c:
            sc(h, "child", c)
            h.expect_error(lambda: tf1.get_variable("new", [1]).name)


_family("reuse_captured_child",
        [("cap%s_parent%s_child%s" % (s, p, c), (s, p, c)) for s in "FTA" for p in "FT" for c in "NTA"]
        + [("capF_parentA_childN", ("F", "A", "N")), ("capT_parentF_childF", ("T", "F", "F"))],
        _reuse_captured_child)


@scenario
def scn_reuse_chain_observed(tf1, h):
    with tf1.variable_scope("a") as a:
        sc(h, "a", a)
        with tf1.variable_scope("b", reuse=True) as b:
            sc(h, "b", b)
            with tf1.variable_scope("c", reuse=False) as c:
                sc(h, "c", c)
            with tf1.variable_scope("c3", reuse=tf1.AUTO_REUSE) as c3:
                sc(h, "c3", c3)
        with tf1.variable_scope("d", reuse=tf1.AUTO_REUSE) as d:
            with tf1.variable_scope("e", reuse=True) as e:
                sc(h, "e", e)
            with tf1.variable_scope("f") as f:
                sc(h, "f", f)


@scenario
def scn_reuse_string_child_of_reentered_object(tf1, h):
    with tf1.variable_scope("objT", reuse=True) as S:
        pass
    with tf1.variable_scope(S) as s:
        with tf1.variable_scope("kid") as k:
            sc(h, "kid", k)
    with tf1.variable_scope("objF") as F:
        pass
    with tf1.variable_scope("outer", reuse=True):
        with tf1.variable_scope(F) as s:
            with tf1.variable_scope("kid") as k:
                sc(h, "kid of F", k)


@scenario
def scn_reuse_true_returns_same_object(tf1, h):
    with tf1.variable_scope("foo"):
        v = tf1.get_variable("v", [1])
    with tf1.variable_scope("foo", reuse=True):
        v2 = tf1.get_variable("v", [1])
    with tf1.variable_scope("foo", reuse=tf1.AUTO_REUSE):
        v3 = tf1.get_variable("v", [1])
        v4 = tf1.get_variable("w", [1])
        v5 = tf1.get_variable("w", [1])
    h.log(v is v2, v is v3, v4 is v5, v4.name)
    colls(tf1, h)


@scenario
def scn_reuse_variables_in_scope(tf1, h):
    with tf1.variable_scope("foo") as s:
        v = tf1.get_variable("v", [1])
        s.reuse_variables()
        sc(h, "after", s)
        h.log(tf1.get_variable("v", [1]) is v)
        h.expect_error(lambda: tf1.get_variable("nope", [1]))
        with tf1.variable_scope("child") as c:
            sc(h, "child", c)
    with tf1.variable_scope("foo") as s2:
        sc(h, "string reentry", s2)
    with tf1.variable_scope(s) as s3:
        sc(h, "object reentry", s3)


@scenario
def scn_reuse_variables_on_root(tf1, h):
    tf1.get_variable_scope().reuse_variables()
    sc(h, "root", tf1.get_variable_scope())
    with tf1.variable_scope("x") as x:
        sc(h, "x", x)
        h.expect_error(lambda: tf1.get_variable("v", [1]))
    h.expect_error(lambda: tf1.get_variable("w", [1]))
    with tf1.variable_scope("y", reuse=tf1.AUTO_REUSE) as y:
        sc(h, "y", y)
        h.log(tf1.get_variable("v", [1]).name)


@scenario
def scn_reuse_root_per_graph(tf1, h):
    tf1.get_variable_scope().reuse_variables()
    with tf1.Graph().as_default():
        sc(h, "g2 root", tf1.get_variable_scope())
        h.log(tf1.get_variable("v", [1]).name)


@scenario
def scn_reuse_false_cannot_undo(tf1, h):
    with tf1.variable_scope("capT", reuse=True) as capT:
        pass
    with tf1.variable_scope(capT, reuse=False) as s:
        sc(h, "s", s)
    with tf1.variable_scope("t", reuse=True):
        with tf1.variable_scope("u", reuse=False) as u:
            sc(h, "u", u)


@scenario
def scn_auto_reuse_create_then_reuse(tf1, h):
    with tf1.variable_scope("a", reuse=tf1.AUTO_REUSE):
        v1 = tf1.get_variable("v", [2], initializer=z(tf1))
    with tf1.variable_scope("a", reuse=tf1.AUTO_REUSE):
        v2 = tf1.get_variable("v", [2])
    h.log(v1 is v2, v1.name)
    colls(tf1, h)


@scenario
def scn_auto_reuse_shape_mismatch(tf1, h):
    with tf1.variable_scope("a", reuse=tf1.AUTO_REUSE):
        tf1.get_variable("v", [2])
        h.expect_error(lambda: tf1.get_variable("v", [3]))


# =====================================================================================================================
# §3  VariableScope object
# =====================================================================================================================

@scenario
def scn_vscope_missing_reuse(tf1, h):
    h.expect_error(lambda: tf1.VariableScope())


@scenario
def scn_vscope_defaults(tf1, h):
    s = tf1.VariableScope(False)
    h.log(s.name, s.original_name_scope, s.reuse, s.dtype, s.initializer, s.regularizer, s.caching_device,
          s.partitioner, s.custom_getter, s.constraint, s.use_resource)


@scenario
def scn_vscope_ctor_args(tf1, h):
    s = tf1.VariableScope(True, name="a/b", name_scope="zz/", dtype=tf1.float64, caching_device="/cpu:0",
                          use_resource=True)
    h.log(s.name, s.original_name_scope, s.reuse, s.dtype, s.caching_device, s.use_resource)


@scenario
def scn_vscope_ctor_auto_reuse(tf1, h):
    s = tf1.VariableScope(tf1.AUTO_REUSE, name="q")
    h.log(s.reuse, s.name)


@scenario
def scn_vscope_manual_enter(tf1, h):
    with tf1.variable_scope(tf1.VariableScope(False, name="manual")) as s:
        sc(h, "manual", s)
        h.log(h.op("c"), tf1.get_variable("v", [1]).name)


@scenario
def scn_vscope_manual_enter_nested_name(tf1, h):
    with tf1.variable_scope(tf1.VariableScope(True, name="a/b", name_scope="zz/")) as s:
        sc(h, "ab", s)
        h.log(h.op("c"))
        h.expect_error(lambda: tf1.get_variable("v", [1]))


@scenario
def scn_vscope_manual_enter_trailing_slash(tf1, h):
    with tf1.name_scope("ns"):
        with tf1.variable_scope(tf1.VariableScope(False, name="m/")) as s:
            sc(h, "m/", s)
            h.log(h.op("c"), tf1.get_variable("v", [1]).name)


@scenario
def scn_vscope_manual_float64(tf1, h):
    with tf1.variable_scope(tf1.VariableScope(False, name="m", dtype=tf1.float64)) as s:
        h.log(s.dtype, tf1.get_variable("v", [1]).dtype)


@scenario
def scn_vscope_public_members(tf1, h):
    h.log(sorted(n for n in dir(tf1.VariableScope) if not n.startswith("_")))


@scenario
def scn_vscope_no_set_constraint_or_reuse(tf1, h):
    s = tf1.get_variable_scope()
    h.log(hasattr(s, "set_constraint"), hasattr(s, "set_reuse"))


@scenario
def scn_vscope_readonly_properties(tf1, h):
    with tf1.variable_scope("ro") as s:
        def set_name():
            s.name = "x"
        def set_reuse():
            s.reuse = True
        h.expect_error(set_name)
        h.expect_error(set_reuse)
        h.log(s.name, s.reuse)


@scenario
def scn_vscope_set_initializer(tf1, h):
    with tf1.variable_scope("s") as s:
        s.set_initializer(tf1.constant_initializer(2.0))
        v = tf1.get_variable("v", [2])
        h.log(v.name, h.value(v))
        with tf1.variable_scope("child"):
            w = tf1.get_variable("w", [1])
            h.log(w.name, h.value(w))
    with tf1.variable_scope(s):
        u = tf1.get_variable("u", [1])
        h.log(u.name, h.value(u))


@scenario
def scn_vscope_set_dtype(tf1, h):
    with tf1.variable_scope("s") as s:
        s.set_dtype(tf1.float64)
        h.log(s.dtype, tf1.get_variable("v", [1]).dtype)
        with tf1.variable_scope("c") as c:
            h.log(c.dtype, tf1.get_variable("w", [1]).dtype)
    with tf1.variable_scope(s) as s2:
        h.log(s2.dtype)


@scenario
def scn_vscope_set_use_resource(tf1, h):
    with tf1.variable_scope("s") as s:
        h.log(s.use_resource)
        s.set_use_resource(True)
        h.log(s.use_resource)
        with tf1.variable_scope("c") as c:
            h.log(c.use_resource)


@scenario
def scn_vscope_set_caching_device(tf1, h):
    with tf1.variable_scope("s") as s:
        s.set_caching_device("/cpu:0")
        h.log(s.caching_device)
        with tf1.variable_scope("c") as c:
            h.log(c.caching_device)


@scenario
def scn_vscope_caching_device_ctor_arg(tf1, h):
    with tf1.variable_scope("s", caching_device="/cpu:0") as s:
        h.log(s.caching_device)
        with tf1.variable_scope("c") as c:
            h.log(c.caching_device)


@scenario
def scn_vscope_mutating_reentered_copy_does_not_affect_original(tf1, h):
    with tf1.variable_scope("s") as s:
        pass
    with tf1.variable_scope(s) as c:
        c.set_dtype(tf1.float16)
        c.reuse_variables()
    h.log(s.dtype, s.reuse)


@scenario
def scn_vscope_mutation_visible_on_reentry(tf1, h):
    with tf1.variable_scope("s") as s:
        s.set_dtype(tf1.float16)
    with tf1.variable_scope(s) as c:
        h.log(c.dtype, tf1.get_variable("v", [1]).dtype)
    with tf1.variable_scope("s") as c2:
        h.log("string reentry", c2.dtype)


@scenario
def scn_vscope_dtype_inheritance(tf1, h):
    with tf1.variable_scope("f16", dtype=tf1.float16) as f16:
        var(h, "v", tf1.get_variable("v", [1]))
        with tf1.variable_scope("n") as n:
            h.log(n.dtype)
            var(h, "nv", tf1.get_variable("v", [1]))
            var(h, "explicit", tf1.get_variable("e", [1], dtype=tf1.float32))
    with tf1.variable_scope(f16) as s:
        h.log(s.dtype)
    with tf1.variable_scope(f16, dtype=tf1.float64) as s:
        h.log(s.dtype, tf1.get_variable("w", [1]).dtype)


@scenario
def scn_vscope_initializer_inherited_and_overridden(tf1, h):
    with tf1.variable_scope("s", initializer=tf1.constant_initializer(3.0)) as s:
        h.log(h.value(tf1.get_variable("a", [1])))
        with tf1.variable_scope("c"):
            h.log(h.value(tf1.get_variable("b", [1])))
        with tf1.variable_scope("d", initializer=tf1.constant_initializer(4.0)):
            h.log(h.value(tf1.get_variable("c", [1])))
        h.log(h.value(tf1.get_variable("e", [1], initializer=tf1.constant_initializer(5.0))))
    with tf1.variable_scope(s):
        h.log(h.value(tf1.get_variable("f", [1])))


@scenario
def scn_vscope_get_collection_helpers(tf1, h):
    with tf1.variable_scope("testGetCollection_foo") as foo:
        tf1.get_variable("a", [1])
        tf1.get_variable("b", [1], trainable=False)
        tf1.get_local_variable("l", [1])
    with tf1.variable_scope("testGetCollection_foo_"):
        tf1.get_variable("a", [1])
    h.log(names(foo.global_variables()), names(foo.trainable_variables()), names(foo.local_variables()))
    h.log(names(foo.get_collection(tf1.GraphKeys.GLOBAL_VARIABLES)))
    root = tf1.get_variable_scope()
    h.log(names(root.global_variables()), names(root.local_variables()))


@scenario
def scn_vscope_get_collection_regex_dot(tf1, h):
    with tf1.variable_scope("a.c") as ac:
        tf1.get_variable("v", [1])
    with tf1.variable_scope("abc"):
        tf1.get_variable("v", [1])
    h.log(names(ac.global_variables()))


@scenario
def scn_vscope_get_collection_nested_prefix(tf1, h):
    with tf1.variable_scope("m") as m:
        tf1.get_variable("v", [1])
        with tf1.variable_scope("n") as n:
            tf1.get_variable("v", [1])
    with tf1.variable_scope("mm"):
        tf1.get_variable("v", [1])
    h.log(names(m.global_variables()), names(n.global_variables()))


@scenario
def scn_vscope_get_collection_reentered(tf1, h):
    with tf1.variable_scope("m") as m:
        tf1.get_variable("v", [1])
    with tf1.variable_scope("other"):
        with tf1.variable_scope(m) as m2:
            tf1.get_variable("w", [1])
            h.log(names(m2.global_variables()))


@scenario
def scn_vscope_constraint_not_inherited(tf1, h):
    def con(x):
        return x
    with tf1.variable_scope("c", constraint=con) as c:
        h.log(c.constraint is con)
        with tf1.variable_scope("child") as ch:
            h.log("child", ch.constraint)
    with tf1.variable_scope(c) as c2:
        h.log("reentered", c2.constraint)
    with tf1.variable_scope(c, constraint=con) as c3:
        h.log("reentered with", c3.constraint is con)


@scenario
def scn_vscope_reentry_initializer_override(tf1, h):
    with tf1.variable_scope("s", initializer=tf1.constant_initializer(1.0)) as s:
        pass
    with tf1.variable_scope(s, initializer=tf1.constant_initializer(2.0)) as s2:
        h.log(h.value(tf1.get_variable("a", [1])))
    with tf1.variable_scope(s):
        h.log(h.value(tf1.get_variable("b", [1])))


@scenario
def scn_vscope_isinstance(tf1, h):
    with tf1.variable_scope("a") as a:
        h.log(isinstance(a, tf1.VariableScope), isinstance(tf1.get_variable_scope(), tf1.VariableScope))
    with tf1.variable_scope(a) as b:
        h.log(isinstance(b, tf1.VariableScope))


# =====================================================================================================================
# §4  name scopes
# =====================================================================================================================

@scenario
def scn_ns_op_numbering(tf1, h):
    h.log([h.op("c") for _ in range(4)])


@scenario
def scn_ns_op_numbering_existing_suffix(tf1, h):
    h.log(h.op("c_1"), h.op("c"), h.op("c"), h.op("c"))


@scenario
def scn_ns_op_case_insensitive(tf1, h):
    h.log(h.op("C"), h.op("c"), h.op("c"), h.op("C_1"))


@scenario
def scn_ns_case_insensitive_with_vs(tf1, h):
    with tf1.name_scope("Foo") as n:
        h.log(n)
    with tf1.variable_scope("foo") as s:
        sc(h, "foo", s)
        h.log(tf1.get_variable("v", [1]).name)
    with tf1.name_scope("FOO") as n:
        h.log(n)


@scenario
def scn_ns_reenter_numbering(tf1, h):
    out = []
    for _ in range(3):
        with tf1.name_scope("n") as n:
            out.append(n)
            out.append(h.op("c"))
    h.log(out)


@scenario
def scn_ns_nested(tf1, h):
    with tf1.name_scope("a") as a:
        with tf1.name_scope("b") as b:
            h.log(a, b, h.op("c"))
        with tf1.name_scope("b") as b:
            h.log(b)


@scenario
def scn_ns_none_resets(tf1, h):
    with tf1.name_scope("a"):
        with tf1.name_scope(None) as n:
            h.log(n, h.op("c"), tf1.get_default_graph().get_name_scope())
        h.log(h.op("c"))


@scenario
def scn_ns_empty_resets(tf1, h):
    with tf1.name_scope("a"):
        with tf1.name_scope("") as n:
            h.log(n, h.op("c"))


@scenario
def scn_ns_absolute_trailing_slash(tf1, h):
    with tf1.name_scope("abs") as n:
        h.log(n, h.op("c"))
    with tf1.name_scope("x"):
        with tf1.name_scope("abs/") as n:
            h.log(n, h.op("c"))
    with tf1.name_scope("abs/") as n:
        h.log(n, h.op("d"))


@scenario
def scn_ns_absolute_never_used(tf1, h):
    with tf1.name_scope("nev/") as n:
        h.log(n, h.op("c"))
    with tf1.name_scope("nev") as n:
        h.log(n)


@scenario
def scn_ns_inside_vs(tf1, h):
    with tf1.variable_scope("v"):
        with tf1.name_scope("n") as n:
            h.log(n, h.op("c"), tf1.get_variable("w", [1]).name)


@scenario
def scn_ns_vs_inside_ns(tf1, h):
    with tf1.name_scope("n"):
        with tf1.variable_scope("v") as s:
            sc(h, "v", s)
            h.log(h.op("c"), tf1.get_variable("w", [1]).name)


@scenario
def scn_ns_op_then_scope_same_name(tf1, h):
    h.log(h.op("x"))
    with tf1.name_scope("x") as n:
        h.log(n)
    with tf1.variable_scope("x") as s:
        sc(h, "x", s)


@scenario
def scn_ns_scope_then_op_same_name(tf1, h):
    with tf1.name_scope("x") as n:
        h.log(n)
    h.log(h.op("x"))


@scenario
def scn_ns_slash_name_scope(tf1, h):
    with tf1.name_scope("a/b") as n:
        h.log(n, h.op("c"))
    with tf1.name_scope("a") as n:
        h.log(n)
        with tf1.name_scope("b") as m:
            h.log(m)


@scenario
def scn_ns_op_name_with_slash(tf1, h):
    h.log(h.op("p/q"), h.op("p/q"))
    with tf1.name_scope("p") as n:
        h.log(n)


def _root_name_validation(tf1, h, name):
    def enter():
        with tf1.name_scope(name) as n:
            h.log("ns", n)
    h.expect_error(enter)

    def enter_vs():
        with tf1.variable_scope(name) as s:
            sc(h, "vs", s)
    h.expect_error(enter_vs)


_VALIDATION_NAMES = [("space", "a b"), ("underscore", "_x"), ("dash", "-x"), ("colon", "x:y"),
                     ("inner_dash", "x-y"), ("dot", "x.y"), ("gt", "x>y"), ("leading_dot", ".x"),
                     ("leading_digit", "1x"), ("backslash", "x\\y"), ("inner_underscore", "x_y"),
                     ("unicode", "caf\u00e9"), ("star", "a*b"), ("leading_gt", ">x")]

_family("ns_root_validation", _VALIDATION_NAMES, _root_name_validation)


def _nested_name_validation(tf1, h, name):
    def enter():
        with tf1.name_scope("outer"):
            with tf1.name_scope(name) as n:
                h.log("ns", n)
    h.expect_error(enter)

    def enter_vs():
        with tf1.variable_scope("vouter"):
            with tf1.variable_scope(name) as s:
                sc(h, "vs", s)
    h.expect_error(enter_vs)


_family("ns_nested_validation", _VALIDATION_NAMES, _nested_name_validation)


@scenario
def scn_ns_validation_default_name(tf1, h):
    def enter():
        with tf1.variable_scope(None, default_name="_d") as s:
            sc(h, "d", s)
    h.expect_error(enter)

    def enter_nested():
        with tf1.variable_scope("o"):
            with tf1.variable_scope(None, default_name="_d") as s:
                sc(h, "d", s)
    h.expect_error(enter_nested)


@scenario
def scn_ns_validation_captured_last_component(tf1, h):
    with tf1.variable_scope("ok"):
        with tf1.variable_scope("_inner") as inner:
            pass
    def enter():
        with tf1.variable_scope(inner) as s:
            sc(h, "inner", s)
            h.log(h.op("c"))
    h.expect_error(enter)


@scenario
def scn_ns_validation_error_leaves_state(tf1, h):
    def enter():
        with tf1.variable_scope("bad name"):
            pass
    h.expect_error(enter)
    sc(h, "root", tf1.get_variable_scope())
    h.log(tf1.get_default_graph().get_name_scope(), h.op("c"))
    with tf1.variable_scope(None, default_name="d") as s:
        sc(h, "d", s)


# -- §4.4 get_variable ignores the name scope; op-name collisions ---------------------------------------------------

@scenario
def scn_gv_ignores_name_scope(tf1, h):
    with tf1.name_scope("ns"):
        v = tf1.get_variable("v", [1])
        var(h, "v", v)
        h.log(h.op("c"))


@scenario
def scn_gv_ignores_name_scope_inside_vs(tf1, h):
    with tf1.variable_scope("vs"):
        with tf1.name_scope("ns"):
            var(h, "v", tf1.get_variable("v", [1]))


@scenario
def scn_gv_ignores_uniquified_name_scope(tf1, h):
    with tf1.variable_scope("vs"):
        pass
    with tf1.variable_scope("vs", reuse=tf1.AUTO_REUSE) as s:
        sc(h, "s", s)
        var(h, "v", tf1.get_variable("v", [1]))


@scenario
def scn_gv_collides_with_tf_variable(tf1, h):
    x = tf1.Variable(1.0, name="v")
    h.log(x.name)
    v = tf1.get_variable("v", [1])
    var(h, "gv", v)
    h.expect_error(lambda: tf1.get_variable("v", [1]))
    with tf1.variable_scope("", reuse=True):
        h.log(tf1.get_variable("v", [1]) is v)


@scenario
def scn_gv_collides_with_name_scope(tf1, h):
    with tf1.name_scope("foo"):
        pass
    var(h, "foo", tf1.get_variable("foo", [1]))


@scenario
def scn_gv_collides_with_op(tf1, h):
    h.log(h.op("bar"))
    var(h, "bar", tf1.get_variable("bar", [1]))


@scenario
def scn_gv_collides_case_insensitive(tf1, h):
    with tf1.name_scope("Mixed"):
        pass
    var(h, "mixed", tf1.get_variable("mixed", [1]))


@scenario
def scn_gv_two_case_variants(tf1, h):
    a = tf1.get_variable("Foo", [1])
    b = tf1.get_variable("foo", [1])
    var(h, "Foo", a)
    var(h, "foo", b)
    with tf1.variable_scope("", reuse=True):
        h.log(tf1.get_variable("foo", [1]) is b, tf1.get_variable("Foo", [1]) is a)
    h.log(names(tf1.global_variables()))


@scenario
def scn_gv_collision_then_names(tf1, h):
    h.log(h.op("v"))
    v = tf1.get_variable("v", [1])
    h.log(v.name, h.op("v"))
    with tf1.name_scope("v") as n:
        h.log(n)


@scenario
def scn_gv_then_op_same_name(tf1, h):
    tf1.get_variable("w", [1])
    h.log(h.op("w"))
    with tf1.name_scope("w") as n:
        h.log(n)
    with tf1.variable_scope("w") as s:
        sc(h, "w", s)


@scenario
def scn_gv_then_scope_same_full_name(tf1, h):
    with tf1.variable_scope("a"):
        tf1.get_variable("b", [1])
    with tf1.variable_scope("a"):
        with tf1.variable_scope("b") as s:
            sc(h, "a/b", s)
            h.log(tf1.get_variable("c", [1]).name, h.op("c"))


@scenario
def scn_gv_internal_op_names(tf1, h):
    tf1.get_variable("v", [1])
    h.log(h.op("v/Assign"), h.op("v/Read"), h.op("v/Initializer"))


@scenario
def scn_gv_collision_in_scope(tf1, h):
    with tf1.name_scope("s"):
        h.log(h.op("v"))
    with tf1.variable_scope("s") as s:
        sc(h, "s", s)
        v = tf1.get_variable("v", [1])
        var(h, "v", v)


def _gv_invalid_root_name(tf1, h, name):
    h.expect_error(lambda: tf1.get_variable(name, [1]).name)
    with tf1.variable_scope("outer"):
        h.expect_error(lambda: tf1.get_variable(name, [1]).name)
    colls(tf1, h)


_family("gv_name_validation", [("underscore", "_v"), ("space", "a b"), ("colon", "v:0"), ("dash", "-v"),
                               ("dot", ".v"), ("digit", "1v"), ("gt", "v>w")], _gv_invalid_root_name)


@scenario
def scn_gv_name_none_at_root(tf1, h):
    var(h, "none", tf1.get_variable(None, [1]))


@scenario
def scn_gv_name_none_twice(tf1, h):
    a = tf1.get_variable(None, [1])
    h.expect_error(lambda: tf1.get_variable(None, [1]).name)
    h.log(a.name)


@scenario
def scn_gv_name_empty_at_root(tf1, h):
    var(h, "empty", tf1.get_variable("", [1]))


@scenario
def scn_gv_name_empty_in_scope(tf1, h):
    with tf1.variable_scope("sc"):
        var(h, "empty", tf1.get_variable("", [1]))


@scenario
def scn_gv_name_int_at_root(tf1, h):
    h.expect_error(lambda: tf1.get_variable(5, [1]))


@scenario
def scn_gv_name_int_in_scope(tf1, h):
    with tf1.variable_scope("sc"):
        h.expect_error(lambda: tf1.get_variable(5, [1]))


@scenario
def scn_gv_name_with_slash(tf1, h):
    var(h, "a/b", tf1.get_variable("a/b", [1]))
    with tf1.variable_scope("a"):
        h.expect_error(lambda: tf1.get_variable("b", [1]).name)
    with tf1.variable_scope("a", reuse=True):
        h.log(tf1.get_variable("b", [1]).name)


@scenario
def scn_tf_variable_follows_name_scope(tf1, h):
    with tf1.name_scope("ns"):
        a = tf1.Variable(1.0)
        b = tf1.Variable(2.0, name="x")
        c = tf1.Variable(3.0)
    var(h, "a", a)
    var(h, "b", b)
    var(h, "c", c)
    with tf1.variable_scope("vs"):
        d = tf1.Variable(4.0)
        var(h, "d", d)
    colls(tf1, h)


@scenario
def scn_tf_variable_not_in_store(tf1, h):
    with tf1.variable_scope("s"):
        tf1.Variable(1.0, name="v")
    with tf1.variable_scope("s", reuse=True):
        h.expect_error(lambda: tf1.get_variable("v", [1]))
    with tf1.variable_scope("s"):
        var(h, "gv", tf1.get_variable("v", []))


# =====================================================================================================================
# §5  get_variable: shapes, dtypes, initializers, errors
# =====================================================================================================================

def _shape_form(tf1, h, shape):
    v = tf1.get_variable("v", shape, initializer=z(tf1))
    var(h, "v", v)


_family("gv_shape_form", [("int", 5), ("tuple", (2, 3)), ("list", [2, 3]), ("np_int", np.int64(3)),
                          ("np_int_list", [np.int32(2), np.int64(2)]), ("empty_list", []), ("empty_tuple", ()),
                          ("np_array", np.array([2, 2])), ("zero_dim", [0, 3]), ("rank3", [1, 2, 3])],
        _shape_form)


@scenario
def scn_gv_shape_negative(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v", [-1]))
    colls(tf1, h)


@scenario
def scn_gv_shape_float(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v", [2.5]))


@scenario
def scn_gv_shape_string(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v", ["a"]))


@scenario
def scn_gv_shape_none_dim_default_init(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v", [None, 3]))


@scenario
def scn_gv_shape_none_dim_zeros_init(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v", [None, 3], initializer=tf1.zeros_initializer()))


@scenario
def scn_gv_shape_none_dim_zero_arg_callable(tf1, h):
    v = tf1.get_variable("v", [None, 3], initializer=lambda: np.ones((2, 3), np.float32))
    var(h, "v", v)
    h.log(h.value(v))


@scenario
def scn_gv_zero_arg_callable_no_shape(tf1, h):
    v = tf1.get_variable("v", initializer=lambda: np.full((2,), 1.5, np.float32))
    var(h, "v", v)
    h.log(h.value(v))


@scenario
def scn_gv_zero_arg_callable_with_shape(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v", [2], initializer=lambda: np.zeros((2,), np.float32)))


@scenario
def scn_gv_one_arg_callable_no_shape(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v", initializer=lambda x: [2]))


@scenario
def scn_gv_no_initializer_no_shape(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v"))
    with tf1.variable_scope("s"):
        h.expect_error(lambda: tf1.get_variable("v"))


@scenario
def scn_gv_scope_zeros_initializer_no_shape(tf1, h):
    with tf1.variable_scope("s", initializer=tf1.zeros_initializer()):
        h.expect_error(lambda: tf1.get_variable("v"))


@scenario
def scn_gv_constant_initializer_with_shape(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v", [2], initializer=np.array([1.0, 2.0], np.float32)))
    h.expect_error(lambda: tf1.get_variable("w", [], initializer=4.0))


@scenario
def scn_gv_scope_constant_initializer(tf1, h):
    with tf1.variable_scope("d", initializer=tf1.constant([1.0, 2.0])):
        v = tf1.get_variable("v")
        var(h, "v", v)
        h.log(h.value(v))
        h.expect_error(lambda: tf1.get_variable("w", [2]))
        i = tf1.get_variable("i", dtype=tf1.int32)
        var(h, "i", i)


@scenario
def scn_gv_scope_numpy_initializer_not_dtype_checked(tf1, h):
    with tf1.variable_scope("d", initializer=np.array([1.0, 2.0], np.float32)):
        i = tf1.get_variable("i", dtype=tf1.int32)
        var(h, "i", i)
        h.log(h.value(i))


@scenario
def scn_gv_initializer_type_mismatch_int_float32(tf1, h):
    h.expect_error(lambda: tf1.get_variable("f", initializer=4, dtype=tf1.float32))


@scenario
def scn_gv_initializer_type_mismatch_float_float64(tf1, h):
    h.expect_error(lambda: tf1.get_variable("f", initializer=4.0, dtype=tf1.float64))


@scenario
def scn_gv_initializer_type_mismatch_int_int64(tf1, h):
    h.expect_error(lambda: tf1.get_variable("f", initializer=4, dtype=tf1.int64))


@scenario
def scn_gv_initializer_type_match_int_int32(tf1, h):
    v = tf1.get_variable("f", initializer=4, dtype=tf1.int32)
    var(h, "f", v)
    h.log(h.value(v))


@scenario
def scn_gv_initializer_numpy_int64_explicit(tf1, h):
    v = tf1.get_variable("f", initializer=np.array([1, 2, 3]), dtype=tf1.int64)
    var(h, "f", v)
    h.log(h.value(v))


@scenario
def scn_gv_initializer_numpy_float32_vs_float64(tf1, h):
    h.expect_error(lambda: tf1.get_variable("f", initializer=np.array([1.0], np.float32), dtype=tf1.float64))


@scenario
def scn_gv_initializer_dict(tf1, h):
    h.expect_error(lambda: tf1.get_variable("f", initializer={}))


@scenario
def scn_gv_value_initializer_list_int(tf1, h):
    v = tf1.get_variable("l", initializer=[1, 2, 3])
    var(h, "l", v)
    h.log(h.value(v))
    with tf1.variable_scope("", reuse=True):
        h.expect_error(lambda: tf1.get_variable("l"))
        h.log(tf1.get_variable("l", dtype=tf1.int32) is v)


@scenario
def scn_gv_value_initializer_float(tf1, h):
    v = tf1.get_variable("f", initializer=4.0)
    var(h, "f", v)
    h.log(h.value(v))


@scenario
def scn_gv_value_initializer_nested_list(tf1, h):
    v = tf1.get_variable("m", initializer=[[1.0, 2.0], [3.0, 4.0]])
    var(h, "m", v)
    h.log(h.value(v))


@scenario
def scn_gv_value_initializer_numpy_float64(tf1, h):
    v = tf1.get_variable("n", initializer=np.array([1.0, 2.0]))
    var(h, "n", v)
    h.log(h.value(v))


@scenario
def scn_gv_value_initializer_numpy_int32(tf1, h):
    v = tf1.get_variable("n", initializer=np.array([[1, 2]], np.int32))
    var(h, "n", v)
    h.log(h.value(v))


@scenario
def scn_gv_value_initializer_bool(tf1, h):
    v = tf1.get_variable("b", initializer=True)
    var(h, "b", v)
    h.log(h.value(v))


@scenario
def scn_gv_value_initializer_ignores_scope_dtype(tf1, h):
    with tf1.variable_scope("f16", dtype=tf1.float16):
        var(h, "t", tf1.get_variable("t", initializer=tf1.constant(1)))
        var(h, "l", tf1.get_variable("l", initializer=[1, 2]))
        var(h, "f", tf1.get_variable("f", initializer=2.0))


@scenario
def scn_gv_value_initializer_tensor(tf1, h):
    c = tf1.constant([1.0, 2.0, 3.0])
    v = tf1.get_variable("t", initializer=c)
    var(h, "t", v)
    h.log(h.value(v))


@scenario
def scn_gv_validate_shape_false_numpy(tf1, h):
    v = tf1.get_variable("v", initializer=np.array([1.0, 2.0], np.float32), validate_shape=False)
    var(h, "v", v)


@scenario
def scn_gv_class_initializer(tf1, h):
    v = tf1.get_variable("v", [2], initializer=tf1.zeros_initializer)
    var(h, "v", v)
    h.log(h.value(v))


@scenario
def scn_gv_callable_with_shape_and_dtype(tf1, h):
    seen = []

    def init(shape, dtype=None, partition_info=None):
        seen.append((list(shape), dtype, partition_info))
        return np.full(shape, 7, dtype=np.float32)
    v = tf1.get_variable("v", [2, 1], initializer=init)
    var(h, "v", v)
    h.log(seen)
    h.log(h.value(v))


@scenario
def scn_gv_callable_no_partition_info_arg(tf1, h):
    seen = []

    def init(shape, dtype=None):
        seen.append((list(shape), dtype))
        return np.ones(shape, dtype=np.float64)
    v = tf1.get_variable("v", [3], dtype=tf1.float64, initializer=init)
    var(h, "v", v)
    h.log(seen, h.value(v))


@scenario
def scn_gv_dtype_forms(tf1, h):
    var(h, "str", tf1.get_variable("a", [1], dtype="float64"))
    var(h, "np", tf1.get_variable("b", [1], dtype=np.float16))
    var(h, "tf", tf1.get_variable("c", [1], dtype=tf1.int64))
    var(h, "np_int", tf1.get_variable("d", [1], dtype=np.int32))


@scenario
def scn_gv_scope_constant_initializer_int_dtype(tf1, h):
    with tf1.variable_scope("a", initializer=tf1.constant_initializer(3.0)):
        h.expect_error(lambda: tf1.get_variable("z", [1], dtype=tf1.int32))


@scenario
def scn_gv_custom_getter_not_callable(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v", [1], custom_getter=3))
    colls(tf1, h)


@scenario
def scn_gv_scope_custom_getter_not_callable(tf1, h):
    with tf1.variable_scope("s", custom_getter=3) as s:
        h.log(s.custom_getter)
        h.expect_error(lambda: tf1.get_variable("v", [1]))


@scenario
def scn_gv_partitioner_not_callable(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v", [2], partitioner=3))
    colls(tf1, h)


@scenario
def scn_gv_partitioner_skipped_for_scalar(tf1, h):
    var(h, "list", tf1.get_variable("s", [], partitioner=3))
    var(h, "tuple", tf1.get_variable("t", (), partitioner=3))


@scenario
def scn_gv_validate_shape_false_tensor(tf1, h):
    v = tf1.get_variable("v", initializer=tf1.constant([1.0, 2.0]), validate_shape=False)
    var(h, "v", v)


# -- errors on existing / missing names -------------------------------------------------------------------------------

@scenario
def scn_err_already_exists(tf1, h):
    with tf1.variable_scope("foo"):
        tf1.get_variable("v", [1])
        h.expect_error(lambda: tf1.get_variable("v", [1]))
    colls(tf1, h)


@scenario
def scn_err_already_exists_root(tf1, h):
    tf1.get_variable("v", [1])
    h.expect_error(lambda: tf1.get_variable("v", [1]))


@scenario
def scn_err_already_exists_diff_shape(tf1, h):
    tf1.get_variable("v", [1])
    h.expect_error(lambda: tf1.get_variable("v", [5], dtype=tf1.int32))


@scenario
def scn_err_does_not_exist(tf1, h):
    with tf1.variable_scope("foo", reuse=True):
        h.expect_error(lambda: tf1.get_variable("v", [1]))
    colls(tf1, h)


@scenario
def scn_err_does_not_exist_nested(tf1, h):
    with tf1.variable_scope("a", reuse=True):
        with tf1.variable_scope("b"):
            h.expect_error(lambda: tf1.get_variable("v", [1]))


@scenario
def scn_err_share_shape_mismatch(tf1, h):
    with tf1.variable_scope("foo"):
        tf1.get_variable("v", [1])
    with tf1.variable_scope("foo", reuse=True):
        h.expect_error(lambda: tf1.get_variable("v", [2]))
        h.expect_error(lambda: tf1.get_variable("v", []))
        h.expect_error(lambda: tf1.get_variable("v", [1, 1]))
        h.log(tf1.get_variable("v", [None]).name)
        h.log(tf1.get_variable("v").name)


@scenario
def scn_err_share_partial_shape(tf1, h):
    with tf1.variable_scope("p"):
        tf1.get_variable("v", [None, 3], initializer=lambda: np.zeros((2, 3), np.float32))
    with tf1.variable_scope("p", reuse=True):
        h.expect_error(lambda: tf1.get_variable("v", [2, 3]).name)
        h.expect_error(lambda: tf1.get_variable("v", [5, 3]).name)
        h.expect_error(lambda: tf1.get_variable("v", [5, 4]).name)
        h.expect_error(lambda: tf1.get_variable("v", [5]).name)


@scenario
def scn_err_share_dtype_mismatch(tf1, h):
    with tf1.variable_scope("foo"):
        tf1.get_variable("v", [1])
    with tf1.variable_scope("foo", reuse=True):
        h.expect_error(lambda: tf1.get_variable("v", [1], dtype=tf1.int32))
        h.expect_error(lambda: tf1.get_variable("v", [1], dtype=tf1.float64))
        h.log(tf1.get_variable("v", [1], dtype=tf1.float32).name)


@scenario
def scn_err_share_int_var_without_dtype(tf1, h):
    with tf1.variable_scope("i"):
        tf1.get_variable("iv", [1], dtype=tf1.int32)
    with tf1.variable_scope("i", reuse=True):
        h.expect_error(lambda: tf1.get_variable("iv"))
        h.log(tf1.get_variable("iv", dtype=tf1.int32).name)


@scenario
def scn_err_share_shape_checked_before_dtype(tf1, h):
    tf1.get_variable("v", [1])
    with tf1.variable_scope("", reuse=True):
        h.expect_error(lambda: tf1.get_variable("v", [2], dtype=tf1.int32))


@scenario
def scn_err_share_under_scope_dtype(tf1, h):
    tf1.get_variable("v", [1])
    with tf1.variable_scope("", reuse=True, dtype=tf1.float64):
        h.expect_error(lambda: tf1.get_variable("v", [1]))


@scenario
def scn_err_already_exists_check_before_shape(tf1, h):
    tf1.get_variable("v", [1], dtype=tf1.int32)
    h.expect_error(lambda: tf1.get_variable("v", [3]))


@scenario
def scn_err_already_exists_value_initializer(tf1, h):
    tf1.get_variable("v", initializer=[1.0])
    h.expect_error(lambda: tf1.get_variable("v", initializer=[1.0]))


@scenario
def scn_err_does_not_exist_before_initializer_checks(tf1, h):
    with tf1.variable_scope("r", reuse=True):
        h.expect_error(lambda: tf1.get_variable("v"))


@scenario
def scn_err_complex_default_initializer(tf1, h):
    h.expect_error(lambda: tf1.get_variable("c64", [1], dtype=tf1.complex64))
    with tf1.variable_scope("s"):
        h.expect_error(lambda: tf1.get_variable("c64", [1], dtype=tf1.complex64))


@scenario
def scn_err_complex_with_zeros_ok(tf1, h):
    v = tf1.get_variable("c64", [2], dtype=tf1.complex64, initializer=tf1.zeros_initializer())
    var(h, "c64", v)


@scenario
def scn_reuse_ignores_other_args(tf1, h):
    with tf1.variable_scope("s"):
        v = tf1.get_variable("v", [1], initializer=tf1.constant_initializer(1.0))
    with tf1.variable_scope("s", reuse=True):
        v2 = tf1.get_variable("v", [1], initializer=tf1.constant_initializer(9.0), trainable=False,
                              collections=["other"])
    h.log(v is v2, v2.trainable, h.value(v2))
    colls(tf1, h)
    h.log(names(tf1.get_collection("other")))


# -- default initializers and value checks --------------------------------------------------------------------------

def _default_init_dtype(tf1, h, dtname):
    dt = getattr(tf1, dtname)
    v = tf1.get_variable("v", [2], dtype=dt)
    var(h, "v", v)
    val = h.value(v)
    if dt.is_floating:
        limit = math.sqrt(3.0 / 2.0)
        h.log("within", bool(np.all(np.abs(val.astype(np.float64)) <= limit + 1e-6)))
    else:
        h.log(val)


_family("default_init_dtype", [(d, d) for d in ["float16", "float32", "float64", "int32", "int64", "bool",
                                                "string"]], _default_init_dtype)


def _glorot_bounds(tf1, h, shape):
    v = tf1.get_variable("v", shape)
    var(h, "v", v)
    val = h.value(v).astype(np.float64)
    if len(shape) == 0:
        fan_in = fan_out = 1
    elif len(shape) == 1:
        fan_in = fan_out = shape[0]
    elif len(shape) == 2:
        fan_in, fan_out = shape
    else:
        r = int(np.prod(shape[:-2]))
        fan_in, fan_out = shape[-2] * r, shape[-1] * r
    n = max(1.0, (fan_in + fan_out) / 2.0)
    limit = math.sqrt(3.0 / n)
    h.log("shape", list(val.shape), "within", bool(np.all(np.abs(val) <= limit * (1 + 1e-6))))


_family("glorot_bounds", [("scalar", []), ("vec5", [5]), ("mat3x4", [3, 4]), ("mat1000x10", [1000, 10]),
                          ("rank4", [2, 3, 4, 5]), ("conv", [3, 3, 64, 128]), ("empty0x3", [0, 3])],
        _glorot_bounds)


@scenario
def scn_glorot_explicit_initializer(tf1, h):
    v = tf1.get_variable("v", [4, 6], initializer=tf1.glorot_uniform_initializer())
    var(h, "v", v)
    val = h.value(v)
    h.log(bool(np.all(np.abs(val) <= math.sqrt(3.0 / 5.0) * (1 + 1e-6))))


@scenario
def scn_init_zeros_values(tf1, h):
    v = tf1.get_variable("z", [2, 2], initializer=tf1.zeros_initializer())
    var(h, "z", v)
    h.log(h.value(v))


@scenario
def scn_init_zeros_int64(tf1, h):
    v = tf1.get_variable("z", [3], dtype=tf1.int64, initializer=tf1.zeros_initializer())
    var(h, "z", v)
    h.log(h.value(v))


@scenario
def scn_init_zeros_bool(tf1, h):
    v = tf1.get_variable("z", [2], dtype=tf1.bool, initializer=tf1.zeros_initializer())
    var(h, "z", v)
    h.log(h.value(v))


@scenario
def scn_init_ones_values(tf1, h):
    v = tf1.get_variable("o", [3], initializer=tf1.ones_initializer())
    var(h, "o", v)
    h.log(h.value(v))
    w = tf1.get_variable("oi", [2, 1], dtype=tf1.int32, initializer=tf1.ones_initializer())
    var(h, "oi", w)
    h.log(h.value(w))


@scenario
def scn_init_ones_float64_scalar(tf1, h):
    v = tf1.get_variable("o", [], dtype=tf1.float64, initializer=tf1.ones_initializer())
    var(h, "o", v)
    h.log(h.value(v))


@scenario
def scn_init_constant_scalar(tf1, h):
    v = tf1.get_variable("c", [2, 3], initializer=tf1.constant_initializer(0.5))
    var(h, "c", v)
    h.log(h.value(v))


@scenario
def scn_init_constant_list(tf1, h):
    v = tf1.get_variable("c", [2, 2], initializer=tf1.constant_initializer([1.0, 2.0, 3.0, 4.0]))
    var(h, "c", v)
    h.log(h.value(v))


@scenario
def scn_init_constant_int(tf1, h):
    v = tf1.get_variable("c", [2], dtype=tf1.int32, initializer=tf1.constant_initializer(7))
    var(h, "c", v)
    h.log(h.value(v))


@scenario
def scn_init_constant_float64(tf1, h):
    v = tf1.get_variable("c", [2], dtype=tf1.float64, initializer=tf1.constant_initializer(0.1))
    var(h, "c", v)
    h.log(h.value(v))


@scenario
def scn_init_constant_float16(tf1, h):
    v = tf1.get_variable("c", [2], dtype=tf1.float16, initializer=tf1.constant_initializer(0.1))
    var(h, "c", v)
    h.log(h.value(v))


@scenario
def scn_init_constant_numpy(tf1, h):
    v = tf1.get_variable("c", [3], initializer=tf1.constant_initializer(np.array([1.0, 2.0, 3.0])))
    var(h, "c", v)
    h.log(h.value(v))


@scenario
def scn_init_constant_default_zero(tf1, h):
    v = tf1.get_variable("c", [2], initializer=tf1.constant_initializer())
    h.log(h.value(v))


@scenario
def scn_init_value_float32_precision(tf1, h):
    v = tf1.get_variable("p", initializer=np.array([0.1, 0.2], np.float32))
    var(h, "p", v)
    h.log(h.value(v))


# -- synchronization / aggregation ------------------------------------------------------------------------------------

@scenario
def scn_sync_invalid_aggregation_int(tf1, h):
    h.expect_error(lambda: tf1.get_variable("r6", [1], aggregation=9))


@scenario
def scn_sync_invalid_aggregation_str(tf1, h):
    h.expect_error(lambda: tf1.get_variable("r8", [1], aggregation="sum"))


@scenario
def scn_sync_invalid_synchronization(tf1, h):
    h.expect_error(lambda: tf1.get_variable("r5", [1], synchronization=7))


@scenario
def scn_sync_invalid_in_scope(tf1, h):
    with tf1.variable_scope("s"):
        h.expect_error(lambda: tf1.get_variable("r", [1], synchronization=7))
        h.expect_error(lambda: tf1.get_variable("r", [1], aggregation=9))


@scenario
def scn_sync_none_values_ok(tf1, h):
    v = tf1.get_variable("v", [1], synchronization=None, aggregation=None)
    var(h, "v", v)


@scenario
def scn_sync_int_values_convert(tf1, h):
    v = tf1.get_variable("v", [1], synchronization=1, aggregation=1)
    var(h, "v", v)


def _sync_trainable(tf1, h, params):
    mode, trainable = params
    sync = getattr(tf1.VariableSynchronization, mode)
    v = tf1.get_variable("v", [1], synchronization=sync, trainable=trainable)
    var(h, "v", v)
    colls(tf1, h)


_family("sync_trainable", [("%s_%s" % (m, str(t).lower()), (m, t)) for m in ["AUTO", "ON_READ", "ON_WRITE", "NONE"]
                           for t in [None, True, False]], _sync_trainable)


@scenario
def scn_aggregation_modes_accepted(tf1, h):
    for i, mode in enumerate(["NONE", "SUM", "MEAN", "ONLY_FIRST_REPLICA"]):
        v = tf1.get_variable("v%d" % i, [1], aggregation=getattr(tf1.VariableAggregation, mode))
        h.log(mode, v.name)


# =====================================================================================================================
# §8  collections, trainable, local variables
# =====================================================================================================================

@scenario
def scn_coll_default(tf1, h):
    tf1.get_variable("a", [1])
    tf1.get_variable("b", [1], trainable=False)
    tf1.get_variable("c", [1], trainable=True)
    colls(tf1, h)
    h.log(names(tf1.get_collection(tf1.GraphKeys.GLOBAL_VARIABLES)),
          names(tf1.get_collection(tf1.GraphKeys.TRAINABLE_VARIABLES)))


@scenario
def scn_coll_custom_list(tf1, h):
    tf1.get_variable("c", [1], collections=["foo"])
    colls(tf1, h)
    h.log(names(tf1.get_collection("foo")))


@scenario
def scn_coll_empty_list(tf1, h):
    tf1.get_variable("c", [1], collections=[])
    tf1.get_variable("d", [1], collections=[], trainable=False)
    colls(tf1, h)


@scenario
def scn_coll_tuple_and_set(tf1, h):
    tf1.get_variable("t", [1], collections=("foo", tf1.GraphKeys.GLOBAL_VARIABLES))
    tf1.get_variable("s", [1], collections={"bar"})
    colls(tf1, h)
    h.log(names(tf1.get_collection("foo")), names(tf1.get_collection("bar")))


@scenario
def scn_coll_string_error(tf1, h):
    h.expect_error(lambda: tf1.get_variable("s", [1], collections="foo"))
    colls(tf1, h)


@scenario
def scn_coll_explicit_trainable_key(tf1, h):
    tf1.get_variable("a", [1], collections=[tf1.GraphKeys.TRAINABLE_VARIABLES, "x"])
    colls(tf1, h)
    h.log(names(tf1.get_collection("x")))


@scenario
def scn_coll_non_trainable_with_trainable_key(tf1, h):
    tf1.get_variable("a", [1], trainable=False, collections=[tf1.GraphKeys.TRAINABLE_VARIABLES])
    colls(tf1, h)


@scenario
def scn_coll_creation_order(tf1, h):
    with tf1.variable_scope("z"):
        tf1.get_variable("b", [1])
    tf1.get_variable("a", [1])
    with tf1.variable_scope("m"):
        tf1.get_variable("c", [1])
    colls(tf1, h)


@scenario
def scn_coll_resource_keys_empty(tf1, h):
    tf1.get_variable("a", [1])
    h.log(names(tf1.get_collection(tf1.GraphKeys.TRAINABLE_RESOURCE_VARIABLES)),
          len(tf1.get_collection(tf1.GraphKeys.RESOURCES)),
          names(tf1.get_collection(tf1.GraphKeys.MODEL_VARIABLES)),
          names(tf1.model_variables()))


@scenario
def scn_coll_graphkeys_values(tf1, h):
    keys = ["GLOBAL_VARIABLES", "TRAINABLE_VARIABLES", "LOCAL_VARIABLES", "REGULARIZATION_LOSSES",
            "MODEL_VARIABLES", "CONCATENATED_VARIABLES", "METRIC_VARIABLES", "MOVING_AVERAGE_VARIABLES",
            "TRAINABLE_RESOURCE_VARIABLES", "RESOURCES", "LOCAL_RESOURCES", "UPDATE_OPS", "LOSSES", "SUMMARIES",
            "WEIGHTS", "BIASES", "ACTIVATIONS", "GLOBAL_STEP", "INIT_OP", "LOCAL_INIT_OP", "READY_OP",
            "READY_FOR_LOCAL_INIT_OP", "SUMMARY_OP", "EVAL_STEP", "TRAIN_OP", "QUEUE_RUNNERS",
            "TABLE_INITIALIZERS", "ASSET_FILEPATHS", "SAVERS", "SAVEABLE_OBJECTS", "COND_CONTEXT",
            "WHILE_CONTEXT"]
    h.log({k: getattr(tf1.GraphKeys, k) for k in keys})


@scenario
def scn_coll_get_collection_regex(tf1, h):
    with tf1.variable_scope("a"):
        tf1.get_variable("v", [1])
    with tf1.variable_scope("ab"):
        tf1.get_variable("v", [1])
    with tf1.variable_scope("b"):
        with tf1.variable_scope("a"):
            tf1.get_variable("v", [1])
    g = tf1.GraphKeys.GLOBAL_VARIABLES
    h.log(names(tf1.get_collection(g, "a")), names(tf1.get_collection(g, "a/")),
          names(tf1.get_collection(g, ".*a/")), names(tf1.get_collection(g, "b")),
          names(tf1.get_collection(g, "a|b")), names(tf1.get_collection(g, "")))


@scenario
def scn_coll_get_collection_scope_none_copy(tf1, h):
    tf1.get_variable("a", [1])
    lst = tf1.get_collection(tf1.GraphKeys.GLOBAL_VARIABLES)
    lst.append("junk")
    h.log(names(tf1.get_collection(tf1.GraphKeys.GLOBAL_VARIABLES)))
    ref = tf1.get_collection_ref("mine")
    ref.append(1)
    h.log(tf1.get_collection("mine"), tf1.get_collection_ref("mine") is ref)


@scenario
def scn_coll_items_without_name_skipped(tf1, h):
    tf1.add_to_collection("foo", 3)
    tf1.add_to_collection("foo", "x")
    tf1.get_variable("v", [1], collections=["foo"])
    h.log(len(tf1.get_collection("foo")), names(tf1.get_collection("foo", "v")))
    h.log(names(tf1.get_collection("foo", "")))


@scenario
def scn_coll_missing_key(tf1, h):
    h.log(tf1.get_collection("nope"), tf1.get_collection("nope", "a"))


@scenario
def scn_coll_graph_methods(tf1, h):
    g = tf1.get_default_graph()
    tf1.get_variable("a", [1])
    g.add_to_collection("k", 1)
    h.log(names(g.get_collection(tf1.GraphKeys.GLOBAL_VARIABLES)), g.get_collection("k"),
          g.get_collection_ref("k") is g.get_collection_ref("k"))


@scenario
def scn_coll_add_to_collection_variable(tf1, h):
    v = tf1.get_variable("a", [1])
    tf1.add_to_collection(tf1.GraphKeys.MODEL_VARIABLES, v)
    h.log(names(tf1.model_variables()))


@scenario
def scn_local_basic(tf1, h):
    v = tf1.get_local_variable("l", [1])
    var(h, "l", v)
    colls(tf1, h)


@scenario
def scn_local_trainable_forced_false(tf1, h):
    v = tf1.get_local_variable("l", [1], trainable=True)
    var(h, "l", v)
    colls(tf1, h)


@scenario
def scn_local_collections_mutated(tf1, h):
    my = ["mine"]
    v = tf1.get_local_variable("l", [1], collections=my)
    h.log(my, v.name)
    colls(tf1, h)
    h.log(names(tf1.get_collection("mine")))


@scenario
def scn_local_collections_tuple(tf1, h):
    h.expect_error(lambda: tf1.get_local_variable("l", [1], collections=("mine",)).name)
    colls(tf1, h)


@scenario
def scn_local_in_scope_and_reuse(tf1, h):
    with tf1.variable_scope("s"):
        l1 = tf1.get_local_variable("l", [1])
        h.expect_error(lambda: tf1.get_local_variable("l", [1]))
    with tf1.variable_scope("s", reuse=True):
        h.log(tf1.get_local_variable("l", [1]) is l1, tf1.get_variable("l", [1]) is l1)
        h.expect_error(lambda: tf1.get_local_variable("m", [1]))
    var(h, "l", l1)
    colls(tf1, h)


@scenario
def scn_local_value_initializer(tf1, h):
    v = tf1.get_local_variable("l", initializer=[1, 2])
    var(h, "l", v)
    h.log(h.value(v))


@scenario
def scn_local_default_initializer_zeros_int(tf1, h):
    v = tf1.get_local_variable("l", [2], dtype=tf1.int32)
    var(h, "l", v)
    h.log(h.value(v))


@scenario
def scn_local_shares_name_with_global(tf1, h):
    tf1.get_variable("x", [1])
    h.expect_error(lambda: tf1.get_local_variable("x", [1]))


@scenario
def scn_local_scope_helper(tf1, h):
    with tf1.variable_scope("s") as s:
        tf1.get_local_variable("l", [1])
        tf1.get_variable("g", [1])
    h.log(names(s.local_variables()), names(s.global_variables()), names(s.trainable_variables()))


# =====================================================================================================================
# §13  threads
# =====================================================================================================================

def _run_thread(target):
    errors = []

    def wrapped():
        try:
            target()
        except Exception as e:  # noqa: BLE001
            errors.append(e)
    t = threading.Thread(target=wrapped)
    t.start()
    t.join()
    if errors:
        raise errors[0]


@scenario
def scn_thread_root_scope(tf1, h):
    g = tf1.get_default_graph()
    with tf1.variable_scope("main"):
        with tf1.name_scope("ns"):
            def body():
                with g.as_default():
                    sc(h, "thread root", tf1.get_variable_scope())
                    h.log("thread ns", tf1.get_default_graph().get_name_scope(), h.op("c"))
            _run_thread(body)
            sc(h, "main", tf1.get_variable_scope())
            h.log("main ns", tf1.get_default_graph().get_name_scope())


@scenario
def scn_thread_default_graph_not_inherited(tf1, h):
    g = tf1.get_default_graph()
    seen = []

    def body():
        seen.append(tf1.get_default_graph() is g)
    _run_thread(body)
    h.log(seen)


@scenario
def scn_thread_default_name_counters(tf1, h):
    g = tf1.get_default_graph()
    with tf1.variable_scope("main") as main:
        with tf1.variable_scope(None, default_name="layer") as s:
            h.log("main first", s.name)

        def body():
            with g.as_default():
                with tf1.variable_scope(None, default_name="layer") as t:
                    sc(h, "thread", t)
                with tf1.variable_scope(main):
                    with tf1.variable_scope(None, default_name="layer") as t:
                        sc(h, "thread in main", t)
        _run_thread(body)
        with tf1.variable_scope(None, default_name="layer") as s:
            sc(h, "main second", s)


@scenario
def scn_thread_shared_store_already_exists(tf1, h):
    g = tf1.get_default_graph()
    with tf1.variable_scope("main"):
        tf1.get_variable("v", [1])

    def body():
        with g.as_default():
            with tf1.variable_scope("main") as s:
                sc(h, "thread main", s)
                h.expect_error(lambda: tf1.get_variable("v", [1]))
    _run_thread(body)


@scenario
def scn_thread_shared_names_in_use(tf1, h):
    g = tf1.get_default_graph()
    with tf1.variable_scope("main") as main:
        h.log(h.op("c"))

    def body():
        with g.as_default():
            with tf1.variable_scope("main") as s:
                sc(h, "string", s)
            with tf1.variable_scope(main) as s:
                sc(h, "object", s)
                h.log(h.op("c"))
    _run_thread(body)
    with tf1.name_scope("main") as n:
        h.log(n)


@scenario
def scn_thread_captured_scope_prefix(tf1, h):
    g = tf1.get_default_graph()
    with tf1.variable_scope("main") as main:
        pass

    def body():
        with g.as_default():
            with tf1.variable_scope(main):
                with tf1.variable_scope("foo"):
                    h.log(tf1.get_variable("v", [1]).name)
            with tf1.variable_scope("bar"):
                h.log(tf1.get_variable("v", [1]).name)
    _run_thread(body)
    h.log(names(tf1.global_variables()))


@scenario
def scn_thread_reuse_variables_is_thread_local(tf1, h):
    g = tf1.get_default_graph()
    tf1.get_variable_scope().reuse_variables()

    def body():
        with g.as_default():
            sc(h, "thread root", tf1.get_variable_scope())
            h.log(tf1.get_variable("t", [1]).name)
    _run_thread(body)
    sc(h, "main root", tf1.get_variable_scope())


@scenario
def scn_thread_reuse_created_in_thread(tf1, h):
    g = tf1.get_default_graph()
    made = []

    def body():
        with g.as_default():
            with tf1.variable_scope("t"):
                made.append(tf1.get_variable("v", [1]))
    _run_thread(body)
    with tf1.variable_scope("t", reuse=True):
        h.log(tf1.get_variable("v", [1]) is made[0], made[0].name)
    colls(tf1, h)


@scenario
def scn_thread_auto_reuse_8_threads(tf1, h):
    # TF's variable store is not thread-safe under truly simultaneous creation (it races and may create v_1 ... or
    # raise "dictionary changed size during iteration"), so the calls are serialized here: what is checked is that
    # the store is shared by all threads of the graph, each starting at its own root scope.
    g = tf1.get_default_graph()
    lock = threading.Lock()
    got = []
    roots = []

    def body():
        with g.as_default():
            roots.append(tf1.get_variable_scope().name)
            with tf1.variable_scope("s", reuse=tf1.AUTO_REUSE):
                with lock:
                    got.append(tf1.get_variable("v", [1]))
    ts = [threading.Thread(target=body) for _ in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    h.log(len(got), len({id(v) for v in got}), sorted({v.name for v in got}), roots)
    colls(tf1, h)


@scenario
def scn_thread_name_scopes_shared_numbering(tf1, h):
    g = tf1.get_default_graph()
    out = []

    def body():
        with g.as_default():
            with tf1.name_scope("w") as n:
                out.append(n)
    for _ in range(3):
        _run_thread(body)
    with tf1.name_scope("w") as n:
        out.append(n)
    h.log(out)


@scenario
def scn_thread_default_name_with_shared_name_scopes(tf1, h):
    g = tf1.get_default_graph()
    out = []

    def body():
        with g.as_default():
            with tf1.variable_scope(None, default_name="blk") as s:
                out.append((s.name, s.original_name_scope))
    for _ in range(2):
        _run_thread(body)
    with tf1.variable_scope(None, default_name="blk") as s:
        out.append((s.name, s.original_name_scope))
    h.log(out)


# =====================================================================================================================
# misc combinations
# =====================================================================================================================

@scenario
def scn_combo_vs_ns_vs(tf1, h):
    with tf1.variable_scope("a"):
        with tf1.name_scope("n"):
            with tf1.variable_scope("b") as b:
                sc(h, "b", b)
                h.log(h.op("c"), tf1.get_variable("v", [1]).name)


@scenario
def scn_combo_name_scope_absolute_then_vs(tf1, h):
    with tf1.variable_scope("a"):
        with tf1.name_scope("/"):
            pass
        with tf1.name_scope("q/") as n:
            with tf1.variable_scope("b") as b:
                sc(h, "b", b)
                h.log(n, h.op("c"))


@scenario
def scn_combo_many_vars_names(tf1, h):
    with tf1.variable_scope("net"):
        for i in range(3):
            with tf1.variable_scope("layer%d" % i):
                tf1.get_variable("w", [2, 2])
                tf1.get_variable("b", [2], initializer=tf1.zeros_initializer())
    colls(tf1, h)


@scenario
def scn_combo_tower_sharing(tf1, h):
    out = []
    for i in range(3):
        with tf1.name_scope("tower_%d" % i):
            with tf1.variable_scope("model", reuse=(i > 0)) as s:
                v = tf1.get_variable("w", [1])
                out.append((s.name, s.original_name_scope, s.reuse, v.name, h.op("mul")))
    h.log(out)
    colls(tf1, h)


@scenario
def scn_combo_auto_reuse_function(tf1, h):
    def layer(x):
        with tf1.variable_scope("dense", reuse=tf1.AUTO_REUSE):
            return tf1.get_variable("k", [1]), h.op("y")
    a = layer(1)
    b = layer(2)
    h.log(a[0] is b[0], a[0].name, a[1], b[1])


@scenario
def scn_combo_default_name_layers_with_reuse(tf1, h):
    with tf1.variable_scope("m"):
        with tf1.variable_scope(None, default_name="dense") as d0:
            tf1.get_variable("k", [1])
        with tf1.variable_scope(None, default_name="dense") as d1:
            tf1.get_variable("k", [1])
    with tf1.variable_scope("m", reuse=True):
        with tf1.variable_scope(None, default_name="dense") as r0:
            h.log(tf1.get_variable("k", [1]).name)
        with tf1.variable_scope(None, default_name="dense") as r1:
            h.log(tf1.get_variable("k", [1]).name)
    h.log(d0.name, d1.name, r0.name, r1.name, r0.original_name_scope, r1.original_name_scope)


@scenario
def scn_combo_exception_inside_scope_restores(tf1, h):
    def body():
        with tf1.variable_scope("a"):
            with tf1.name_scope("n"):
                raise KeyError("boom")
    h.expect_error(body)
    sc(h, "root", tf1.get_variable_scope())
    h.log(tf1.get_default_graph().get_name_scope(), h.op("c"))
    with tf1.variable_scope("a") as a:
        sc(h, "a again", a)


@scenario
def scn_combo_exception_inside_default_name_scope(tf1, h):
    def body():
        with tf1.variable_scope(None, default_name="d"):
            raise ValueError("x")
    h.expect_error(body)
    with tf1.variable_scope(None, default_name="d") as s:
        sc(h, "d", s)


@scenario
def scn_combo_scope_name_numeric(tf1, h):
    with tf1.variable_scope("0") as s:
        sc(h, "0", s)
        h.log(tf1.get_variable("1", [1]).name)


@scenario
def scn_combo_scope_name_dots(tf1, h):
    with tf1.variable_scope("..") as s:
        sc(h, "..", s)
        h.log(tf1.get_variable("v", [1]).name, h.op("c"))


@scenario
def scn_combo_double_slash_names(tf1, h):
    with tf1.variable_scope("a//b") as s:
        sc(h, "a//b", s)
        h.log(tf1.get_variable("v", [1]).name)


@scenario
def scn_combo_get_variable_returns_same_after_reuse_variables(tf1, h):
    with tf1.variable_scope("s") as s:
        a = tf1.get_variable("a", [2])
        tf1.get_variable_scope().reuse_variables()
        h.log(tf1.get_variable("a", [2]) is a, tf1.get_variable("a") is a)


@scenario
def scn_combo_reuse_true_shape_none_returns(tf1, h):
    with tf1.variable_scope("s"):
        a = tf1.get_variable("a", [2, 3])
    with tf1.variable_scope("s", reuse=True):
        b = tf1.get_variable("a")
        h.log(a is b, str(b.shape))


@scenario
def scn_combo_op_names_after_default_name(tf1, h):
    with tf1.variable_scope(None, default_name="conv"):
        h.log(h.op("conv"))
    h.log(h.op("conv"), h.op("conv_1"))
    with tf1.variable_scope(None, default_name="conv") as s:
        sc(h, "conv", s)


@scenario
def scn_combo_variable_dtype_float64_values(tf1, h):
    v = tf1.get_variable("v", [2], dtype=tf1.float64, initializer=tf1.constant_initializer(1.0 / 3.0))
    var(h, "v", v)
    h.log(h.value(v))


# =====================================================================================================================
# Issue 12 item 6: rules recorded from TF 2.21
# =====================================================================================================================

@scenario
def scn_rule_default_graph_is_per_thread(tf1, h):
    g = tf1.get_default_graph()  # the scenario's graph, entered with as_default() in this thread
    seen = []

    def work():
        seen.append(tf1.get_default_graph())

    for _ in range(2):
        t = threading.Thread(target=work)
        t.start()
        t.join()
    h.log(seen[0] is g, seen[0] is seen[1], tf1.get_default_graph() is g)
    # Each thread has its own global default graph: TF's default-graph stack, global graph included, is
    # a threading.local.


@scenario
def scn_rule_getter_chain_runs_at_root_name_scope(tf1, h):
    def getter(getter, name, *args, **kwargs):
        g = tf1.get_default_graph()
        h.log("in getter", name, g.get_name_scope(), g.unique_name("made", mark_as_used=False))
        return getter(name, *args, **kwargs)

    with tf1.name_scope("ns"):
        with tf1.variable_scope("vs", custom_getter=getter):
            h.log("outside", tf1.get_default_graph().get_name_scope())
            v = tf1.get_variable("v", [1], initializer=tf1.zeros_initializer())
            h.log(v.name, v.op.name, tf1.get_default_graph().get_name_scope())


@scenario
def scn_rule_initializer_runs_under_variable_initializer_scope(tf1, h):
    def init(shape, dtype=None, partition_info=None):
        h.log("init", tf1.get_default_graph().get_name_scope())
        return tf1.zeros(shape, dtype) if hasattr(tf1, "zeros") else [0.0] * shape[0]

    with tf1.name_scope("ns"), tf1.variable_scope("vs"):
        tf1.get_variable("v", [2], initializer=init)


@scenario
def scn_rule_partitioned_invalid_root_name(tf1, h):
    h.expect_error(lambda: tf1.get_variable("a b", [4], partitioner=tf1.fixed_size_partitioner(2)))
    h.expect_error(lambda: tf1.get_variable("_x", [4], partitioner=tf1.fixed_size_partitioner(2)))
    with tf1.variable_scope("s"):
        h.expect_error(lambda: tf1.get_variable("c$", [4], partitioner=tf1.fixed_size_partitioner(2)))


@scenario
def scn_rule_collection_keys_any_hashable(tf1, h):
    g = tf1.get_default_graph()
    tf1.add_to_collection(("k", 1), 5)
    tf1.add_to_collection(3, "x")
    tf1.add_to_collection("plain", 1.5)
    tf1.add_to_collections([("k", 1), "plain"], 6)
    h.log(tf1.get_collection(("k", 1)), tf1.get_collection(3), tf1.get_collection("plain"))
    h.log(sorted(g.get_all_collection_keys()))
    h.log(g.get_collection_ref(("k", 1)) is g.get_collection_ref(("k", 1)))


@scenario
def scn_rule_unique_name_bytes(tf1, h):
    g = tf1.get_default_graph()
    h.log(g.unique_name(b"foo"), g.unique_name(b"foo"), g.unique_name("foo"), g.unique_name(b"FOO", False))
    with tf1.name_scope("ns"):
        h.expect_error(lambda: g.unique_name(b"bar"))
    h.expect_error(lambda: g.unique_name(5))


@scenario
def scn_rule_variable_side_op_names(tf1, h):
    g = tf1.get_default_graph()
    h.log(g.unique_name("x/Assign"))
    tf1.get_variable("x", [1])
    tf1.get_variable("r", [1], use_resource=False)
    tf1.get_variable("u", initializer=[1.0, 2.0], use_resource=False)
    tf1.get_variable("c", initializer=[1.0, 2.0])
    for base in ("x", "r", "u", "c"):
        h.log(base, [g.unique_name(f"{base}/{tail}", mark_as_used=False)
                     for tail in ("Initializer", "IsInitialized", "Assign", "Read", "read", "initial_value")])
    with tf1.variable_scope("s"):
        tf1.get_variable("", [1])
    h.log(g.unique_name("s", False), g.unique_name("s/Initializer", False), g.unique_name("VarHandleOp", False))
