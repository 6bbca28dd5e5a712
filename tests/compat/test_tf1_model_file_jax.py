"""The unmodified TF 1.x model file of test_tf1_model_file.py inside varscope.compat.jax.transform: the decoding
loop agrees with the NumPy backend, logits under jit, gradients."""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")

import varscope  # noqa: E402
from compat.test_tf1_model_file import PROMPT, tiny_lm  # noqa: E402,F401  (the fixture)
from varscope.compat import v1  # noqa: E402
from varscope.compat.jax import transform  # noqa: E402


def test_greedy_decoding_grows_the_cache_and_agrees_across_backends(tiny_lm):
    hp = tiny_lm.default_hparams()
    with varscope.Graph().as_default():
        tokens_np = tiny_lm.greedy(hp, v1.constant(PROMPT), 5)
    assert tokens_np.shape.as_list() == [2, 8] and tokens_np.dtype.name == "int32"

    net = transform(lambda prompt: tiny_lm.greedy(hp, prompt, 5))
    params = net.init(0, PROMPT)
    assert sorted(params)[:2] == ["lm/embed", "lm/layer_0/proj/bias"]
    with varscope.Graph().as_default():  # same values as NumPy, from the same params
        for name, value in params.items():
            varscope.get_variable(name, initializer=np.asarray(value))
        with varscope.variable_scope("", reuse=True):
            reused = tiny_lm.greedy(hp, v1.constant(PROMPT), 5).numpy()
    np.testing.assert_array_equal(np.asarray(net.apply(params, PROMPT)), reused)
    np.testing.assert_array_equal(np.asarray(jax.jit(net.apply)(params, PROMPT)), reused)


def test_logits_jit_and_grad(tiny_lm):
    hp = tiny_lm.default_hparams()
    net = transform(lambda t: tiny_lm.model(hp, t)["logits"])
    params = net.init(1, PROMPT)
    logits = net.apply(params, PROMPT)
    np.testing.assert_allclose(np.asarray(jax.jit(net.apply)(params, PROMPT)), np.asarray(logits), rtol=1e-5,
                               atol=1e-6)
    grads = jax.grad(lambda p: net.apply(p, PROMPT).sum())(params)
    assert set(grads) == set(params) and all(np.isfinite(np.asarray(g)).all() for g in grads.values())
