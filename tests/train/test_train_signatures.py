"""The training callables take TF's parameters: names, kinds, order and defaults, recorded from TF 2.21's
``tf.compat.v1.train`` by ``tools/record_tf_train.py`` (with ``tools/record_tf_signatures.py``'s ``params``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from varscope import train

SIGNATURES = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "tf_train" / "train.json")
                        .read_text(encoding="utf-8"))["signatures"]
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from record_tf_signatures import params  # noqa: E402  (what the recording does, applied to varscope)


@pytest.mark.parametrize("name", sorted(SIGNATURES["functions"]))
def test_train_signature_equals_tensorflows(name: str) -> None:
    assert params(getattr(train, name), skip_self=True) == SIGNATURES["functions"][name]


@pytest.mark.parametrize("name", sorted(SIGNATURES["methods"]))
def test_train_method_signature_equals_tensorflows(name: str) -> None:
    cls, method = name.split(".")
    assert params(getattr(getattr(train, cls), method), skip_self=True) == SIGNATURES["methods"][name]


def test_assign_moving_average_signature_equals_tensorflows() -> None:
    from varscope.train import moving_averages

    assert params(moving_averages.assign_moving_average, skip_self=False) == SIGNATURES["assign_moving_average"]
