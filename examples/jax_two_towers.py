"""Train a TF1-style two-tower model with JAX + optax, then save a TensorFlow checkpoint.

The model code is plain TF1 variable-scope code: a ``dense`` helper that shares its weights with
``AUTO_REUSE``, two towers that share one set of weights (``reuse=True``), and an embedding table
created with a partitioner. ``varscope.jax.transform`` turns it into pure ``init`` / ``apply``
functions that ``jax.jit`` and ``jax.grad`` accept; the trained params are saved as a TF checkpoint
(the embedding as TF's ``emb/part_N`` slices) that ``tf.train.load_checkpoint`` reads.

Run:  pip install "varscope-tf1[jax,examples]"  &&  python examples/jax_two_towers.py [/tmp/ckpt_dir]
"""

from __future__ import annotations

import os
import sys
import tempfile

import jax
import jax.numpy as jnp
import numpy as np
import optax

import varscope as tf1
import varscope.jax as vj

VOCAB, EMB, HIDDEN = 64, 16, 32


def dense(x: jax.Array, units: int, name: str, activation=None) -> jax.Array:
    """A TF1 layer helper: variables ``<scope>/<name>/kernel`` and ``.../bias``, shared on re-use."""
    with tf1.variable_scope(name, reuse=tf1.AUTO_REUSE):
        kernel = tf1.get_variable("kernel", [x.shape[-1], units],
                                  regularizer=tf1.regularizers.l2_regularizer(1e-4))
        bias = tf1.get_variable("bias", [units], initializer=tf1.zeros_initializer())
        y = jnp.dot(x, kernel) + bias
        return activation(y) if activation is not None else y


def tower(ids: jax.Array) -> jax.Array:
    """Embed token ids (a partitioned embedding), average, and run two dense layers."""
    emb = tf1.get_variable("embedding", [VOCAB, EMB], partitioner=tf1.fixed_size_partitioner(4),
                           initializer=tf1.random_normal_initializer(stddev=0.1))
    x = jnp.mean(jnp.take(emb.as_tensor(), ids, axis=0), axis=1)
    x = dense(x, HIDDEN, "hidden", jax.nn.relu)
    return dense(x, EMB, "out")


def model(left: jax.Array, right: jax.Array) -> jax.Array:
    """Similarity logits of two id sequences; both towers share all variables."""
    with tf1.variable_scope("tower"):
        a = tower(left)
    with tf1.variable_scope("tower", reuse=True):
        b = tower(right)
    return jnp.sum(a * b, axis=-1)


def synthetic_batch(rng: np.random.Generator, n: int = 64) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of id sequences; the label is 1 when both come from the same half of the vocabulary."""
    half = rng.integers(0, 2, size=(n, 2))
    left = rng.integers(0, VOCAB // 2, size=(n, 5)) + (VOCAB // 2) * half[:, :1]
    right = rng.integers(0, VOCAB // 2, size=(n, 5)) + (VOCAB // 2) * half[:, 1:]
    return left, right, (half[:, 0] == half[:, 1]).astype(np.float32)


def forward(left: jax.Array, right: jax.Array) -> tuple[jax.Array, jax.Array]:
    """Logits and the L2 regularization loss collected by the ``dense`` layers."""
    return model(left, right), vj.regularization_loss()


def main(out_dir: str | None = None, steps: int = 200) -> dict[str, object]:
    """Train on synthetic data, check that the loss went down, save a TF checkpoint."""
    net = vj.transform(forward)
    data = np.random.default_rng(0)
    left, right, _ = synthetic_batch(data)
    params = net.init(jax.random.key(0), left, right)
    print("variables:", {k: tuple(v.shape) for k, v in params.items()})

    def loss_fn(p, l, r, y):
        logits, reg = net.apply(p, l, r)
        return jnp.mean(optax.sigmoid_binary_cross_entropy(logits, y)) + reg

    opt = optax.adam(1e-2)
    opt_state = opt.init(params)

    @jax.jit
    def train_step(p, s, l, r, y):
        loss, grads = jax.value_and_grad(loss_fn)(p, l, r, y)
        updates, s = opt.update(grads, s, p)
        return optax.apply_updates(p, updates), s, loss

    first = last = None
    for step in range(steps):
        left, right, labels = synthetic_batch(data)
        params, opt_state, loss = train_step(params, opt_state, left, right, labels)
        first = float(loss) if first is None else first
        last = float(loss)
        if step % 50 == 0 or step == steps - 1:
            print(f"step {step:4d}  loss {last:.4f}")
    assert last < first, (first, last)

    out_dir = out_dir or tempfile.mkdtemp()
    prefix = os.path.join(out_dir, "model.ckpt-%d" % steps)
    vj.save_params(prefix, params, var_info=net.var_info)  # the embedding as TF's 4 slices
    print("saved TF checkpoint:", prefix)
    return {"first_loss": first, "last_loss": last, "prefix": prefix}


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
