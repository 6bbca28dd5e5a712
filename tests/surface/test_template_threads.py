"""Templates called from many threads at once (real threads, started together by a barrier)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

import varscope as tf1

THREADS = 12


def _run_together(n: int, fn: Any) -> list[BaseException]:
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        barrier.wait()
        try:
            fn(i)
        except BaseException as e:  # noqa: BLE001 - collected for the assertion
            with lock:
                errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def _layer() -> Any:
    a = tf1.get_variable("w", [3])
    for _ in range(50):  # a first call that takes a while: other threads arrive meanwhile
        tf1.get_default_graph().unique_name("op")
    b = tf1.get_variable("b", [3])
    return a, b


@pytest.mark.parametrize("create_scope_now", [False, True])
def test_concurrent_first_calls_create_once_and_share(create_scope_now: bool) -> None:
    for _ in range(10):
        graph = tf1.Graph()
        with graph.as_default():
            tpl = tf1.make_template("t", _layer, create_scope_now_=create_scope_now)
        results: list[Any] = []

        def call(_: int) -> None:
            with graph.as_default():
                results.append(tpl())

        errors = _run_together(THREADS, call)
        assert not errors, errors[:3]
        assert len({(id(a), id(b)) for a, b in results}) == 1
        assert [v.name for v in graph.get_collection("variables")] == ["t/w:0", "t/b:0"]


def test_later_calls_ignore_variables_other_threads_create() -> None:
    graph = tf1.Graph()
    with graph.as_default():
        tpl = tf1.make_template("t", _layer)
        tpl()

    def call(i: int) -> None:
        with graph.as_default():
            if i % 2:
                for j in range(20):
                    tf1.get_variable(f"other_{i}_{j}", [1])
            else:
                for _ in range(20):
                    tpl()

    errors = _run_together(THREADS, call)
    assert not errors, errors[:3]


def test_a_later_call_that_creates_a_variable_still_fails() -> None:
    calls = []

    def grows() -> Any:
        calls.append(1)
        return tf1.Variable(float(len(calls)))

    with tf1.Graph().as_default():
        tpl = tf1.make_template("g", grows)
        tpl()
        with pytest.raises(ValueError, match="Trainable variable created when calling a template after the first time"):
            tpl()


def test_failed_first_call_lets_the_next_caller_create() -> None:
    attempts: list[int] = []

    def flaky() -> Any:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("first call fails")
        return tf1.get_variable("w", [1])

    with tf1.Graph().as_default():
        tpl = tf1.make_template("f", flaky)
        with pytest.raises(RuntimeError):
            tpl()
        assert tpl().name == "f/w:0" and tpl() is tpl()
