"""Regularizers (TF1 contrib semantics), RegularizationLoss and the losses helpers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from _tf_fixture import load

from varscope import regularizers as R

DATA = load()


@pytest.mark.parametrize("case", DATA["regularizer_values"], ids=lambda c: f"{c['dtype']}-{c['scale']}")
def test_l1_l2_values_match_tf_ops(case: dict[str, Any]) -> None:
    w = np.array(case["weights"], dtype=case["dtype"])
    rtol = 2e-3 if case["dtype"] == "float16" else (1e-6 if case["dtype"] == "float32" else 1e-12)
    l1 = R.l1_regularizer(case["scale"])(w)
    l2 = R.l2_regularizer(case["scale"])(w)
    assert l1.dtype.name == case["l1_dtype"] and l2.dtype.name == case["l2_dtype"]
    assert np.ndim(l1) == 0 and isinstance(l1, np.generic)
    np.testing.assert_allclose(float(l1), case["l1"], rtol=rtol)
    np.testing.assert_allclose(float(l2), case["l2"], rtol=rtol)


def test_formulas_and_aliases() -> None:
    w = np.array([[1.0, -2.0], [3.0, 0.5]], np.float32)
    assert R.l1 is R.l1_regularizer and R.l2 is R.l2_regularizer and R.l1_l2 is R.l1_l2_regularizer
    assert R.l1(0.5)(w) == np.float32(0.5 * 6.5)
    assert R.l2(0.5)(w) == np.float32(0.5 * (1 + 4 + 9 + 0.25) / 2)
    assert R.l1_l2(0.5, 0.25)(w) == pytest.approx(0.5 * 6.5 + 0.25 * 14.25 / 2)
    assert R.l1_l2(0.5, 0.25)(w).dtype == np.float32


@pytest.mark.parametrize(
    ("factory", "scale", "exc", "message"),
    [
        (R.l1_regularizer, 1, ValueError, "scale cannot be an integer: 1"),
        (R.l2_regularizer, 2, ValueError, "scale cannot be an integer: 2"),
        (R.l1_regularizer, True, ValueError, "scale cannot be an integer: True"),
        (R.l1_regularizer, -0.5, ValueError, "Setting a scale less than 0 on a regularizer: -0.5"),
        (R.l2_regularizer, -0.5, ValueError, "Setting a scale less than 0 on a regularizer: -0.5."),
        (R.l2_regularizer, -1e-7, ValueError, "Setting a scale less than 0 on a regularizer: -1e-07."),
    ],
)
def test_contrib_scale_errors(factory: Any, scale: Any, exc: type, message: str) -> None:
    with pytest.raises(exc) as info:
        factory(scale)
    assert str(info.value) == message


def test_scale_greater_than_one_is_allowed() -> None:
    assert float(R.l1_regularizer(2.5)(np.ones(2, np.float32))) == 5.0


def test_zero_scale_disables() -> None:
    for factory in (R.l1_regularizer, R.l2_regularizer):
        reg = factory(0.0)
        assert reg(np.ones(3)) is None
    assert R.no_regularizer(np.ones(3)) is None
    assert R.make_regularization_loss("v", np.ones(3), R.l2_regularizer(0.0)) is None


def test_integer_weights_with_float_scale_fail_like_convert_to_tensor() -> None:
    with pytest.raises(TypeError, match=r"^Expected int32, but got 0.5 of type 'float'\.$"):
        R.l2_regularizer(0.5)(np.ones(2, np.int32))


def test_sum_regularizer() -> None:
    assert R.sum_regularizer([]) is None
    assert R.sum_regularizer([None, None]) is None
    reg = R.sum_regularizer([R.l1_regularizer(1.0), None, lambda w: np.float32(10.0)])
    assert float(reg(np.array([1.0, -1.0], np.float32))) == 12.0
    assert reg.op_name == "sum_regularizer"
    assert R.sum_regularizer([R.l1_regularizer(0.0)])(np.ones(2)) is None


def test_op_names() -> None:
    assert R.l1_regularizer(0.1).op_name == "l1_regularizer"
    assert R.l2_regularizer(0.1).op_name == "l2_regularizer"
    assert R.l1_l2_regularizer().op_name == "l1_l2_regularizer"
    assert R.l2_regularizer(0.1, scope="my_l2").op_name == "my_l2"

    def regsum(w: Any) -> Any:
        return np.sum(w)

    assert R.regularizer_op_name(regsum) == "regsum"
    assert R.regularizer_op_name(lambda w: w) == "Regularizer"


def test_regularization_loss_follows_variable() -> None:
    w = np.array([3.0, 4.0], np.float32)
    loss = R.make_regularization_loss("foo/v", w, R.l2_regularizer(0.5))
    assert loss is not None
    assert loss.name == "foo/v/Regularizer/l2_regularizer:0"
    assert loss.op.name == "foo/v/Regularizer/l2_regularizer"
    assert float(loss) == 6.25
    w[:] = [1.0, 0.0]
    assert float(loss) == 0.25 and loss.numpy() == np.float32(0.25) and loss.value().dtype == np.float32
    assert np.asarray(loss).shape == () and loss.dtype.name == "float32"
    assert loss + 1 == pytest.approx(1.25) and 1 + loss == pytest.approx(1.25)
    assert loss * 4 == pytest.approx(1.0) and 4 * loss == pytest.approx(1.0)
    assert loss + loss == pytest.approx(0.5)
    assert "foo/v/Regularizer/l2_regularizer:0" in repr(loss)
    assert loss.variable is w


def test_regularizer_called_once_at_creation() -> None:
    calls = []

    def reg(w: Any) -> Any:
        calls.append(1)
        return np.float32(1.0)

    loss = R.make_regularization_loss("a/b", np.ones(1), reg)
    assert len(calls) == 1 and loss is not None and loss.name == "a/b/Regularizer/reg:0"
    loss.value()
    assert len(calls) == 2


def test_losses_helpers_on_a_graph_collection() -> None:
    graph_mod = pytest.importorskip("varscope._graph")
    from varscope import losses

    g = graph_mod.Graph()
    with g.as_default():
        assert losses.get_regularization_losses() == []
        empty = losses.get_regularization_loss()
        assert empty == 0.0 and empty.dtype == np.float32
        w1 = np.array([1.0, 2.0], np.float32)
        w2 = np.array([3.0], np.float32)
        l1 = R.make_regularization_loss("a/w", w1, R.l2_regularizer(1.0))
        l2 = R.make_regularization_loss("b/w", w2, R.l1_regularizer(1.0))
        g.add_to_collection("regularization_losses", l1)
        g.add_to_collection("regularization_losses", l2)
        assert losses.get_regularization_losses() == [l1, l2]
        assert losses.get_regularization_losses("b") == [l2]
        assert losses.get_regularization_losses("a/w/Reg") == [l1]
        total = losses.get_regularization_loss()
        assert total == pytest.approx(2.5 + 3.0) and total.dtype == np.float32
        w2[0] = -1.0
        assert losses.get_regularization_loss("b/") == pytest.approx(1.0)


def test_apply_regularization() -> None:
    graph_mod = pytest.importorskip("varscope._graph")
    g = graph_mod.Graph()
    with g.as_default():
        with pytest.raises(ValueError, match=r"^No weights to regularize\.$"):
            R.apply_regularization(R.l1_regularizer(1.0))
        ws = [np.ones(2, np.float32), np.full(3, 2.0, np.float32)]
        value = R.apply_regularization(R.l1_regularizer(0.5), ws)
        assert value == pytest.approx(4.0)
        (loss,) = g.get_collection("regularization_losses")
        assert loss.name == "get_regularization_penalty:0"
        with pytest.raises(ValueError, match="rank 1"):
            R.apply_regularization(lambda w: np.asarray(w), ws)
