"""The global step against TF 2.21's recording (``tools/record_tf_train.py``): names, collections, errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import varscope as tf1
from varscope import train

DATA = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "tf_train" / "train.json")
                  .read_text(encoding="utf-8"))["global_step"]


def test_created_in_the_current_variable_scope_at_the_root_name_scope() -> None:
    rec = DATA["in_scope"]
    with tf1.Graph().as_default() as g:
        with tf1.variable_scope("outer"), tf1.name_scope("ns"):
            step = train.get_or_create_global_step()
        assert step.name == rec["name"] and step.dtype.base_dtype.name == rec["dtype"]
        assert step.shape.as_list() == rec["shape"] and step.trainable == rec["trainable"]
        assert [k for k in ("variables", "trainable_variables", "global_step") if step in g.get_collection(k)] == \
            rec["collections"]
        assert (train.get_global_step() is step) == rec["again"]
        assert step.numpy().dtype == np.int64 and int(step.numpy()) == 0
        with pytest.raises(ValueError) as e:
            train.create_global_step()
        assert str(e.value) == DATA["create_twice"]["message"]
        assert train.global_step(None, step) == 0


def test_none_without_one() -> None:
    with tf1.Graph().as_default():
        assert (train.get_global_step() is None) == DATA["none"]


@pytest.mark.parametrize("case, shape, dtype, use_resource", [
    ("float_by_name", [], tf1.float32, None), ("vector_by_name", [2], tf1.int64, None),
    ("int32_by_name", [], tf1.int32, None), ("float_ref_by_name", [], tf1.float32, False),
    ("vector_ref_by_name", [2], tf1.int64, False)])
def test_found_by_name_errors(case: str, shape: list[int], dtype: tf1.DType, use_resource: bool | None) -> None:
    """A variable named ``global_step`` outside the GLOBAL_STEP collection is found by its tensor's name; for a
    resource variable that tensor is the handle, so TF reports dtype ``resource`` whatever the variable's dtype."""
    with tf1.Graph().as_default():
        tf1.get_variable("global_step", shape, dtype=dtype, use_resource=use_resource)
        with pytest.raises(TypeError) as e:
            train.get_global_step()
        assert str(e.value) == DATA[case]["message"]


def test_ref_variable_found_by_name() -> None:
    rec = DATA["int32_ref_by_name"]
    with tf1.Graph().as_default():
        v = tf1.get_variable("global_step", [], dtype=tf1.int32, use_resource=False)
        found = train.get_global_step()
        assert found is v and found.name == rec["name"] and found.dtype.name == rec["dtype"]


def test_get_or_create_in_given_graph() -> None:
    g = tf1.Graph()
    step = train.get_or_create_global_step(g)
    assert step.graph is g and train.get_global_step(g) is step
    with tf1.Graph().as_default():
        assert train.get_global_step() is None

