"""The layers inside ``varscope.jax``: ``training`` static under ``jit``, batch-norm state across steps, ``init``'s
moving statistics and what plain ``transform`` says about updates."""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")

import varscope.jax as vj  # noqa: E402
from varscope.compat import layers, slim  # noqa: E402

X = np.random.RandomState(0).uniform(-1, 1, (4, 3)).astype(np.float32)


def test_training_must_be_static_under_jit() -> None:
    m = vj.transform_with_state(lambda x, training: layers.batch_normalization(x, training=training))
    params, state = m.init(0, X, True)
    with pytest.raises(TypeError, match="`training` must be known while the model is built"):
        jax.jit(m.apply)(params, state, X, True)
    out, new_state = jax.jit(m.apply, static_argnums=3)(params, state, X, True)
    np.testing.assert_allclose(np.asarray(new_state["batch_normalization/moving_mean"]), 0.01 * X.mean(0),
                               rtol=1e-5, atol=1e-7)
    assert np.asarray(out).shape == X.shape


def test_batch_norm_updates_under_transform_with_state_accumulate() -> None:
    m = vj.transform_with_state(lambda x: slim.batch_norm(x, decay=0.5, updates_collections=None))
    params, state = m.init(0, X)
    assert sorted(params) == ["BatchNorm/beta"]
    step = jax.jit(m.apply)
    for _ in range(2):
        _, state = step(params, state, X)
    np.testing.assert_allclose(np.asarray(state["BatchNorm/moving_mean"]), 0.75 * X.mean(0), rtol=1e-5, atol=1e-7)


def test_init_gives_initial_moving_statistics_and_plain_transform_says_where_updates_go() -> None:
    m = vj.transform_with_state(lambda x: layers.batch_normalization(x, training=True))
    _, state = m.init(0, X)
    np.testing.assert_array_equal(np.asarray(state["batch_normalization/moving_mean"]), np.zeros(3))
    np.testing.assert_array_equal(np.asarray(state["batch_normalization/moving_variance"]), np.ones(3))
    plain = vj.transform(lambda x: layers.batch_normalization(x, training=True))
    params = plain.init(0, X)
    with pytest.raises(ValueError, match="Use varscope.jax.transform_with_state"):
        plain.apply(params, X)
    inference = vj.transform(lambda x: layers.batch_normalization(x, training=False))
    np.testing.assert_allclose(np.asarray(inference.apply(inference.init(0, X), X)), X / np.sqrt(1.001), rtol=1e-6)
