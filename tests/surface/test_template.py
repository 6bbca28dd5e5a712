"""make_template / Template / EagerTemplate (spec §12, rules T1-T14).

Every expected value below was observed on TensorFlow 2.21 in graph mode
(``tf1.disable_eager_execution()``), except the eager tests, which were observed in TF's
default eager mode. Op names: where TF built an op (``x + y``, ``tf.no_op(name=...)``) the
varscope test asks ``get_default_graph().unique_name(name)``.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import varscope as tf1
from varscope.template import EagerTemplate, Template, _skip_common_stack_elements

EXISTS = "Variable {} already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?"
MISSING = ("Variable {} does not exist, or was not created with tf.get_variable(). Did you mean to set "
           "reuse=tf.AUTO_REUSE in VarScope?")
NEW_TRAINABLE = ("Trainable variable created when calling a template after the first time, perhaps you used "
                 "tf.Variable when you meant tf.get_variable: {}")
ORIGIN = "\n\noriginally defined at:\n"


@pytest.fixture(autouse=True)
def graph() -> Iterator[tf1.Graph]:
    g = tf1.Graph(eager=False)
    with g.as_default():
        yield g


@pytest.fixture
def eager_graph() -> Iterator[tf1.Graph]:
    g = tf1.Graph(eager=True)
    with g.as_default():
        yield g


def dummy() -> Any:
    return tf1.get_variable("dummy", [1])


def op(name: str) -> str:
    return tf1.get_default_graph().unique_name(name)


def message(exc: pytest.ExceptionInfo[BaseException]) -> str:
    """The exception's message without the template's ``originally defined at`` suffix."""
    return str(exc.value).split(ORIGIN)[0]


def names(variables: list[Any]) -> list[str]:
    return [v.name for v in variables]


# -- construction (T1, T2, make_template) -------------------------------------------------------------
@pytest.mark.parametrize("now", [False, True])
def test_t1_name_none(now: bool) -> None:
    with pytest.raises(ValueError, match=r"^name cannot be None\.$"):
        tf1.make_template(None, dummy, create_scope_now_=now)  # type: ignore[arg-type]


def test_make_template_returns_template_and_binds_kwargs() -> None:
    t = tf1.make_template("k", lambda shape: tf1.get_variable("v", shape), shape=[3])
    assert isinstance(t, tf1.Template) and type(t) is Template
    assert t.func.keywords == {"shape": [3]}  # type: ignore[attr-defined]
    assert t().shape.as_list() == [3]
    assert t.name == "k"


def test_make_template_without_kwargs_keeps_func() -> None:
    t = tf1.make_template("k", dummy)
    assert t.func is dummy


def test_make_template_has_no_create_graph_function_parameter() -> None:
    # TF 2.21's tf.compat.v1.make_template has no such parameter (tests/fixtures/tf_signatures.json), and
    # passing it fails in TF too; here it is one more keyword bound into the function.
    t = tf1.make_template("k", dummy, create_graph_function_=True)
    with pytest.raises(TypeError, match="create_graph_function_"):
        t()


def test_t2_create_scope_now_scope_has_bare_name_scope_and_float32() -> None:
    with tf1.variable_scope("h", dtype=tf1.float16):
        t = tf1.make_template("i", dummy, create_scope_now_=True)
        d = tf1.make_template("d", dummy)
        # Observed (float32, float32, float16) for immediate / immediate-var / deferred-var.
        assert (t.variable_scope.dtype, t().dtype.base_dtype, d().dtype.base_dtype) == (
            tf1.float32, tf1.float32, tf1.float16)
    assert t.variable_scope.name == "h/i"
    assert t.variable_scope.original_name_scope == "i"
    assert d.variable_scope.original_name_scope == "h/d/"


def test_t2_create_scope_now_enters_no_name_scope() -> None:
    t = tf1.make_template("foo", dummy, create_scope_now_=True)
    assert op("foo") == "foo"  # the template did not use the name scope "foo"
    assert t.variable_scope_name == "foo/"


def test_t2_create_scope_now_inherits_reuse() -> None:
    with tf1.variable_scope("h", reuse=True):
        t = tf1.make_template("i", dummy, create_scope_now_=True)
    assert t.variable_scope.reuse is True
    assert t.variable_scope.name == "h/i"


def test_t2_create_scope_now_with_custom_getter_on_scope() -> None:
    def getter(g: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return g(*args, **kwargs)

    t = tf1.make_template("cg", dummy, create_scope_now_=True, custom_getter_=getter)
    assert t.variable_scope.custom_getter is getter


def test_t2_create_scope_now_unique_name_and_counter() -> None:
    t1 = tf1.make_template("_", dummy, create_scope_now_=True, unique_name_="s1")
    t2 = tf1.make_template("x", dummy, create_scope_now_=True)
    assert (t1.variable_scope.name, t1.variable_scope.original_name_scope) == ("s1", "s1")
    assert [t1().name, t2().name] == ["s1/dummy:0", "x/dummy:0"]
    # The create_scope_now scope counts as a use of the name for default_name scopes.
    with tf1.variable_scope(None, default_name="x") as vs:
        assert vs.name == "x_1"


# -- deferred capture (T3) and re-entry (T4) ------------------------------------------------------------
def test_t3_deferred_scope_is_none_until_first_call() -> None:
    t = tf1.make_template("p", dummy)
    assert t.variable_scope is None and t.variable_scope_name is None and t.var_scope is None
    t()
    assert t.variable_scope.name == "p"
    assert t.variable_scope.original_name_scope == "p/"


def test_t4_name_scopes_recreated_each_call_deferred() -> None:
    def lin(x: int) -> tuple[str, Any, str, str]:
        tf1.get_variable("w", [1])
        s = tf1.get_variable_scope()
        return op("add"), s.reuse, s.original_name_scope, tf1.get_name_scope()

    t = tf1.make_template("s1", lin)
    assert [t(1), t(1), t(1)] == [("s1/add", False, "s1/", "s1"), ("s1_1/add", True, "s1/", "s1_1"),
                                  ("s1_2/add", True, "s1/", "s1_2")]


def test_t4_scope_inside_calls() -> None:
    def f() -> list[Any]:
        s = tf1.get_variable_scope()
        return [s.name, s.reuse, s.original_name_scope, tf1.get_name_scope()]

    t = tf1.make_template("m", f)
    t2 = tf1.make_template("m", f, create_scope_now_=True)
    assert [t(), t(), t2(), t2()] == [["m_1", False, "m/", "m"], ["m_1", True, "m/", "m_1"],
                                      ["m", False, "m", "m_2"], ["m", True, "m", "m_3"]]


def test_t4_default_name_subscopes_are_the_same_every_call() -> None:
    def f() -> str:
        with tf1.variable_scope(None, default_name="layer"):
            return tf1.get_variable("w", [1]).name

    t = tf1.make_template("m", f)
    assert [t(), t(), t()] == ["m/layer/w:0"] * 3


def test_t4_auto_reuse_capture() -> None:
    t = tf1.make_template("s", dummy)
    with tf1.variable_scope("a", reuse=tf1.AUTO_REUSE):
        v = t()
    assert v.name == "a/s/dummy:0" and t.variable_scope.reuse is tf1.AUTO_REUSE
    assert t() is v


# -- naming oracle (T5) --------------------------------------------------------------------------------
def test_t5_two_templates_same_name() -> None:
    t1 = tf1.make_template("s1", dummy)
    t2 = tf1.make_template("s1", dummy)
    assert [t1().name, t2().name, t1().name, t2().name] == ["s1/dummy:0", "s1_1/dummy:0", "s1/dummy:0",
                                                            "s1_1/dummy:0"]


def test_t5_scope_captured_at_first_call() -> None:
    t1 = tf1.make_template("s1", dummy)
    t2 = tf1.make_template("s1", dummy)
    with tf1.variable_scope("scope"):
        first = [t1().name, t2().name]
    with tf1.variable_scope("scope2"):
        later = [t1().name, t2().name]
    assert first == ["scope/s1/dummy:0", "scope/s1_1/dummy:0"]
    assert later == first


def test_t5_internal_scopes() -> None:
    def inner() -> Any:
        with tf1.variable_scope("test"):
            return dummy()

    t1 = tf1.make_template("s1", inner)
    t2 = tf1.make_template("s1", inner)
    assert [t1().name, t2().name, t1().name] == ["s1/test/dummy:0", "s1_1/test/dummy:0", "s1/test/dummy:0"]


def test_t5_nested_templates() -> None:
    def nested() -> tuple[str, str]:
        n1 = tf1.make_template("nested", dummy)
        n2 = tf1.make_template("nested", dummy)
        return n1().name, n2().name

    t1 = tf1.make_template("s1", nested)
    t2 = tf1.make_template("s1", nested)
    assert [t1(), t2()] == [("s1/nested/dummy:0", "s1/nested_1/dummy:0"),
                            ("s1_1/nested/dummy:0", "s1_1/nested_1/dummy:0")]


def test_t5_immediate_vs_deferred() -> None:
    with tf1.variable_scope("ctor_scope"):
        ta = tf1.make_template("a", dummy, create_scope_now_=True)
        tb = tf1.make_template("b", dummy)
    with tf1.variable_scope("call_scope"):
        assert [ta().name, tb().name] == ["ctor_scope/a/dummy:0", "call_scope/b/dummy:0"]


def test_t5_create_scope_now_names_before_call() -> None:
    with tf1.variable_scope("foo"):
        ta = tf1.make_template("bar", dummy, True)
        tb = tf1.make_template("bar", dummy, True)
    assert [ta.variable_scope.name, tb.variable_scope.name] == ["foo/bar", "foo/bar_1"]
    assert ta.variable_scope.original_name_scope == "bar"
    assert [ta().name, tb().name] == ["foo/bar/dummy:0", "foo/bar_1/dummy:0"]


def test_t5_deferred_created_in_foo_2_called_at_top() -> None:
    for _ in range(2):
        with tf1.variable_scope("foo"):
            pass
    with tf1.variable_scope("foo") as scope:
        assert scope.original_name_scope == "foo_2/"
        t = tf1.make_template("blah", dummy)
    assert t().name == "blah/dummy:0"
    assert (t.variable_scope.name, t.variable_scope.original_name_scope) == ("blah", "blah/")


# -- name-scope oracle (T6) ----------------------------------------------------------------------------
def test_t6_name_scopes_for_variable_scopes() -> None:
    def linear(x: int) -> str:
        tf1.get_variable("w", [1])
        return op("add")

    linear1 = tf1.make_template("foo", linear, create_scope_now_=True)
    linear2 = tf1.make_template("foo", linear, create_scope_now_=True)
    assert linear1.variable_scope.name == "foo"
    assert [linear1(1), linear1(1)] == ["foo/add", "foo_1/add"]
    assert linear2.variable_scope.name == "foo_1"
    assert [linear2(1), linear2(1)] == ["foo_1_1/add", "foo_1_2/add"]
    assert linear1(1) == "foo_2/add"


# -- call semantics (T7) -------------------------------------------------------------------------------
def test_t7_failed_first_call_resets_first_call_and_keeps_scope() -> None:
    def f(x: int) -> Any:
        op("add")
        return tf1.get_variable("v", [1])

    t = tf1.make_template("f1", f)
    with pytest.raises(TypeError) as info:
        t(1, bogus=2)
    assert "got an unexpected keyword argument 'bogus'" in message(info)
    assert ORIGIN in str(info.value)
    assert (t._variables_created, t._first_call) == (False, True)
    assert (t.variable_scope.name, t.variable_scope_name) == ("f1", "f1/")
    assert t.variables == []

    def g(x: int) -> Any:
        return op("add"), tf1.get_variable("v", [1])

    t._func = g  # the next call's ops are in f1_1/
    add, v = t(1)
    assert (add, v.name) == ("f1_1/add", "f1/v:0")
    assert (t._variables_created, t._first_call) == (True, False)
    assert op("q") == "q"


def test_t7_first_call_flag_is_cleared_before_running() -> None:
    seen: list[tuple[bool, bool]] = []

    def f() -> None:
        seen.append((t._first_call, t._variables_created))

    t = tf1.make_template("f", f)
    t()
    t()
    assert seen == [(False, False), (False, True)]


def test_t7_trainable_variable_on_later_call() -> None:
    def f() -> Any:
        v = tf1.get_variable("v", [1])
        tf1.Variable(1.0)
        return v

    t = tf1.make_template("s", f)
    t()
    with pytest.raises(ValueError) as info:
        t()
    assert message(info) == NEW_TRAINABLE.format("[<tf.Variable 's_1/Variable:0' shape=() dtype=float32>]")
    assert ORIGIN in str(info.value)


def test_t7_new_get_variable_on_later_call_does_not_exist() -> None:
    def f(i: int) -> Any:
        return tf1.get_variable("v%d" % i, [1])

    t = tf1.make_template("s", f)
    t(0)
    with pytest.raises(ValueError) as info:
        t(1)
    assert message(info) == MISSING.format("s/v1")


def test_t7_new_non_trainable_variable_logs_info(caplog: pytest.LogCaptureFixture) -> None:
    def f() -> Any:
        tf1.Variable(1.0, trainable=False, name="nt")
        return dummy()

    t = tf1.make_template("s", f)
    t()
    with caplog.at_level(logging.INFO, logger="varscope"):
        t()
    assert any("New variables created when calling a template after the first time" in r.getMessage()
               and "s_1/nt:0" in r.getMessage() for r in caplog.records)


def test_t7_every_exception_gets_origin_appended() -> None:
    def f() -> None:
        raise KeyError(3, 4)

    t = tf1.make_template("e", f)
    with pytest.raises(KeyError) as info:
        t()
    arg0 = info.value.args[0]
    assert isinstance(arg0, str) and arg0.startswith("3" + ORIGIN)
    assert info.value.args[1:] == (4,)


def test_t7_exception_without_args() -> None:
    def f() -> None:
        raise RuntimeError()

    t = tf1.make_template("e", f)
    with pytest.raises(RuntimeError) as info:
        t()
    assert len(info.value.args) == 1 and info.value.args[0].startswith(ORIGIN)


def test_t7_base_exceptions_are_not_rewritten() -> None:
    def f() -> None:
        raise KeyboardInterrupt("stop")

    t = tf1.make_template("e", f)
    with pytest.raises(KeyboardInterrupt) as info:
        t()
    assert info.value.args == ("stop",)
    assert t._first_call is True


def test_t7_nested_templates_append_twice() -> None:
    def f() -> None:
        raise ValueError("boom")

    inner = tf1.make_template("i", f)
    outer = tf1.make_template("o", lambda: inner())
    with pytest.raises(ValueError) as info:
        outer()
    assert str(info.value).startswith("boom" + ORIGIN)
    assert str(info.value).count("originally defined at:") == 2


def _build_template() -> Template:
    return tf1.make_template("s1", dummy)


def _call(t: Template) -> Any:
    return t()


def test_t7_trace_is_construction_stack_minus_shared_frames() -> None:
    t = _build_template()
    tf1.get_variable("s1/dummy", [1])
    with pytest.raises(ValueError) as info:
        _call(t)
    text = str(info.value)
    head, trace = text.split(ORIGIN)
    assert head == EXISTS.format("s1/dummy")
    frames = traceback.extract_stack()
    # The trace starts at this test function (the first frame that differs) and ends at the
    # make_template call in _build_template; varscope's own frames are not in it.
    assert trace.startswith(f'  File "{__file__}", line ')
    assert "in test_t7_trace_is_construction_stack_minus_shared_frames\n    t = _build_template()\n" in trace
    assert trace.endswith('in _build_template\n    return tf1.make_template("s1", dummy)\n')
    assert "varscope/template.py" not in trace
    assert len(frames) > 2


def test_t7_trace_when_built_and_called_on_one_line() -> None:
    tf1.get_variable("s1/dummy", [1])
    with pytest.raises(ValueError) as info:
        tf1.make_template("s1", dummy)()
    trace = str(info.value).split(ORIGIN)[1]
    assert trace.count("  File ") == 1
    assert trace.endswith('    tf1.make_template("s1", dummy)()\n')


def test_t7_trace_of_directly_built_template_drops_the_caller_frame() -> None:
    # TF keeps format_stack()[:-2] in Template.__init__: built directly, the caller's line goes too.
    def build() -> Template:
        return tf1.Template("s1", dummy)

    t = build()
    tf1.get_variable("s1/dummy", [1])
    with pytest.raises(ValueError) as info:
        t()
    trace = str(info.value).split(ORIGIN)[1]
    assert trace.endswith("    t = build()\n")


def test_skip_common_stack_elements() -> None:
    assert _skip_common_stack_elements(["a", "b", "c"], ["a", "x"]) == ["b", "c"]
    assert _skip_common_stack_elements(["a", "b"], ["a", "b", "c"]) == ["b"]
    assert _skip_common_stack_elements(["a"], []) == ["a"]
    assert _skip_common_stack_elements([], ["a"]) == []


def test_t7_concurrent_first_call_runs_plain() -> None:
    started = threading.Event()
    release = threading.Event()
    calls: list[str] = []

    def f() -> None:
        calls.append(tf1.get_variable_scope().name)
        if len(calls) == 1:
            started.set()
            release.wait(5)

    t = tf1.make_template("c", f, create_scope_now_=True)
    g = tf1.get_default_graph()

    def first() -> None:
        with g.as_default():
            t()

    worker = threading.Thread(target=first)
    worker.start()
    assert started.wait(5)
    t()  # _first_call is False but _variables_created is not yet True
    release.set()
    worker.join()
    assert calls == ["c", "c"] and t._variables_created


# -- unique_name_ (T8) ---------------------------------------------------------------------------------
def test_t8_unique_name_is_verbatim_and_clashes() -> None:
    t1 = tf1.make_template("_", dummy, unique_name_="s1")
    t2 = tf1.make_template("_", dummy, unique_name_="s1")
    v1 = t1()
    assert v1.name == "s1/dummy:0" and t1.name == "_"
    with pytest.raises(ValueError) as info:
        t2()
    assert message(info) == EXISTS.format("s1/dummy")
    assert ORIGIN in str(info.value)
    tf1.get_variable_scope().reuse_variables()
    t3 = tf1.make_template("_", dummy, unique_name_="s1")
    assert t3() is v1


def test_t8_unique_name_not_uniquified_twice() -> None:
    t1 = tf1.make_template("a", lambda: op("x"), unique_name_="u")
    t2 = tf1.make_template("a", lambda: op("x"), unique_name_="u")
    assert (t1(), t2()) == ("u/x", "u_1/x")
    assert (t1.variable_scope.name, t2.variable_scope.name) == ("u", "u")


# -- poisoning (T9) ------------------------------------------------------------------------------------
def test_t9_first_call_in_reuse_scope_poisons() -> None:
    t = tf1.make_template("s", dummy)
    with tf1.variable_scope("r", reuse=True):
        with pytest.raises(ValueError) as info:
            t()
    assert message(info) == MISSING.format("r/s/dummy")
    assert (t.variable_scope.name, t.variable_scope.reuse, t._first_call) == ("r/s", True, True)
    with pytest.raises(ValueError) as info:
        t()
    assert message(info) == MISSING.format("r/s/dummy")


# -- properties (T10) ----------------------------------------------------------------------------------
def test_t10_properties() -> None:
    def f() -> Any:
        a = tf1.get_variable("a", [1])
        tf1.get_variable("b", [1], trainable=False)
        tf1.get_local_variable("c", [1])
        return a

    t = tf1.make_template("p", f)
    assert (t.name, t.variable_scope, t.variable_scope_name) == ("p", None, None)
    for prop in ("variables", "trainable_variables", "global_variables", "local_variables",
                 "non_trainable_variables", "weights", "trainable_weights", "non_trainable_weights"):
        assert getattr(t, prop) == []
    t()
    assert t.variable_scope_name == "p/"
    assert names(t.variables) == ["p/a:0", "p/b:0", "p/c:0"]
    assert names(t.trainable_variables) == ["p/a:0"]
    assert names(t.global_variables) == ["p/a:0", "p/b:0"]
    assert names(t.local_variables) == ["p/c:0"]
    assert names(t.non_trainable_variables) == ["p/b:0"]
    assert t.weights == t.variables
    assert t.trainable_weights == t.trainable_variables
    assert t.non_trainable_weights == t.non_trainable_variables
    assert t.var_scope is t.variable_scope
    assert "p/" in repr(t)


def test_t10_variables_are_regex_prefix_matches() -> None:
    t = tf1.make_template("p", dummy)
    t()
    with tf1.variable_scope("p/x"):
        other = tf1.get_variable("other", [1])
    with tf1.variable_scope("pq"):
        tf1.get_variable("no", [1])
    assert names(t.variables) == ["p/dummy:0", other.name]


def test_t10_variable_scope_name_with_trailing_slash() -> None:
    with tf1.variable_scope("outer"):
        t = tf1.make_template("", dummy)
        t()
    assert (t.variable_scope.name, t.variable_scope_name) == ("outer/", "outer/")


# -- empty name (T11) ----------------------------------------------------------------------------------
def test_t11_empty_name() -> None:
    with tf1.variable_scope("outer"):
        x = tf1.get_variable("x", [1])
        t = tf1.make_template("", dummy)
        v = t()
        assert v.name == "outer//dummy:0" and t() is v
    assert t.variable_scope_name == "outer/"
    assert t.variables == [x, v]


def test_t11_empty_name_at_root() -> None:
    t = tf1.make_template("", dummy)
    assert t().name == "dummy:0"
    assert t.variable_scope_name == ""
    t2 = tf1.make_template("", dummy)
    with pytest.raises(ValueError) as info:
        t2()
    assert message(info) == ("'_1/dummy' is not a valid root scope name. A root scope name has to match the "
                             "following pattern: ^[A-Za-z0-9.][A-Za-z0-9_.\\\\/>-]*$")
    assert ORIGIN in str(info.value)


# -- custom_getter_ (T12) ------------------------------------------------------------------------------
@pytest.mark.parametrize("now", [False, True])
def test_t12_custom_getter_called_every_call(now: bool) -> None:
    count = [0]

    def getter(getter: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        count[0] += 1
        return getter(*args, **kwargs)

    t = tf1.make_template("g", dummy, create_scope_now_=now, custom_getter_=getter)
    v = t()
    assert count[0] == 1
    assert t() is v
    assert count[0] == 2


def test_t12_custom_getter_chains_with_outer_getter() -> None:
    order: list[str] = []

    def outer(g: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        order.append("outer")
        return g(*args, **kwargs)

    def inner(g: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        order.append("inner")
        return g(*args, **kwargs)

    with tf1.variable_scope("o", custom_getter=outer):
        t = tf1.make_template("g", dummy, custom_getter_=inner)
        t()
    assert order == ["inner", "outer"]


# -- trainable=False tf.Variable on later calls (T13) ------------------------------------------------------
def test_t13_non_trainable_variable_allowed() -> None:
    def f() -> Any:
        tf1.Variable(1.0, trainable=False)
        return tf1.get_variable("v", [1])

    t = tf1.make_template("n", f)
    assert t() is t()
    assert len(tf1.global_variables()) == 3


# -- eager (T14) ---------------------------------------------------------------------------------------
def test_t14_eager_template_same_variables(eager_graph: tf1.Graph) -> None:
    t = tf1.make_template("s1", dummy)
    t2 = tf1.make_template("s1", dummy)
    assert type(t) is EagerTemplate
    a, b, c = t(), t(), t2()
    assert a is b
    assert (a.name, c.name) == ("s1/dummy:0", "s1_1/dummy:0")
    assert (names(t.variables), names(t2.variables)) == (["s1/dummy:0"], ["s1_1/dummy:0"])
    assert t.variable_scope_name == "s1/"


def test_t14_eager_unique_name_rejected(eager_graph: tf1.Graph) -> None:
    with pytest.raises(ValueError, match=r"^unique_name_ cannot be used when eager execution is enabled\.$"):
        tf1.make_template("s", dummy, unique_name_="u")


def test_t14_eager_template_in_graph_mode_raises() -> None:
    with pytest.raises(RuntimeError) as info:
        EagerTemplate("s", dummy)
    assert str(info.value) == ("<class 'varscope.template.EagerTemplate'> objects can only be used when eager "
                               "execution is enabled, use tf.Template for graph construction")


def test_t14_eager_variables_only_own_store(eager_graph: tf1.Graph) -> None:
    with tf1.variable_scope("outer"):
        tf1.get_variable("x", [1])
        t = tf1.make_template("", dummy)
        v = t()
    assert v.name == "outer//dummy:0"
    assert t.variables == [v] and t.trainable_variables == [v]
    assert t.variable_scope_name == "outer/"


def test_t14_eager_nested(eager_graph: tf1.Graph) -> None:
    def nested() -> Any:
        return tf1.make_template("nested", lambda: tf1.get_variable("d", [1]))()

    t = tf1.make_template("outer", nested)
    a, b = t(), t()
    assert a.name == "outer/nested/d:0" and a is b
    assert t.variables == [a]


def test_t14_eager_properties_and_subscope_counts(eager_graph: tf1.Graph) -> None:
    def f() -> str:
        tf1.get_variable("v", [1])
        tf1.get_variable("w", [1], trainable=False)
        with tf1.variable_scope(None, default_name="layer"):
            return tf1.get_variable("u", [1]).name

    t = tf1.make_template("q", f, create_scope_now_=True)
    assert t.variables == [] and t.variable_scope.name == "q"
    assert [t(), t()] == ["q/layer/u:0", "q/layer/u:0"]
    assert names(t.variables) == ["q/layer/u:0", "q/v:0", "q/w:0"]
    assert names(t.trainable_variables) == ["q/layer/u:0", "q/v:0"]
    assert names(t.non_trainable_variables) == ["q/w:0"]
    assert t.global_variables == t.variables and t.local_variables == []


def test_t14_eager_scope_reuse_and_getter(eager_graph: tf1.Graph) -> None:
    count = [0]

    def getter(getter: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        count[0] += 1
        return getter(*args, **kwargs)

    def f() -> tuple[str, bool]:
        tf1.get_variable("v", [1])
        return tf1.get_variable_scope().name, tf1.get_variable_scope().reuse is tf1.AUTO_REUSE

    t = tf1.make_template("y", f, custom_getter_=getter)
    assert [t(), t()] == [("y", True), ("y", True)]
    assert count[0] == 2


def test_t14_eager_new_trainable_variable_on_later_call(eager_graph: tf1.Graph) -> None:
    i = [0]

    def f() -> Any:
        i[0] += 1
        return tf1.get_variable("v%d" % i[0], [1])

    t = tf1.make_template("z", f)
    t()
    with pytest.raises(ValueError) as info:
        t()
    assert message(info).startswith(NEW_TRAINABLE.format("[<tf.Variable 'z/v2:0' shape=(1,) dtype=float32"))
    assert ORIGIN in str(info.value)


def test_t14_eager_failed_first_call(eager_graph: tf1.Graph) -> None:
    def f(x: int) -> Any:
        return dummy()

    t = tf1.make_template("f", f)
    with pytest.raises(TypeError) as info:
        t()
    assert ORIGIN in str(info.value)
    assert t._variables_created is False and t.variables == []
    assert t(1).name == "f/dummy:0"
    assert names(t.variables) == ["f/dummy:0"]


def test_enable_eager_execution_switch() -> None:
    tf1.enable_eager_execution()
    try:
        with tf1.Graph().as_default():
            assert isinstance(tf1.make_template("e", dummy), EagerTemplate)
    finally:
        tf1.disable_eager_execution()
    with tf1.Graph().as_default():
        assert type(tf1.make_template("e", dummy)) is Template
