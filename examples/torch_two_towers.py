"""Train a TF1-style two-tower model with PyTorch autograd + ``torch.optim``, then save a TF checkpoint.

The model code is plain TF1 variable-scope code running in a ``Graph(backend="torch")``: a ``dense``
helper whose weights are shared with ``AUTO_REUSE``, two towers that share one set of weights
(``reuse=True``), and an embedding table created with a partitioner (read whole with
``as_tensor()``, which is differentiable, so every shard gets gradients). Variables hold
``torch.Tensor`` s; :class:`~varscope.backends.torch_backend.VarscopeModule` exposes the trainable
ones as ``nn.Parameter`` s keyed by TF name, and ``tf1.train.Saver`` writes a TensorFlow checkpoint
(the embedding as TF's ``emb/part_N`` slices).

Run:  pip install "varscope-tf1[torch]"  &&  python examples/torch_two_towers.py [/tmp/ckpt_dir]
"""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Any

import torch

import varscope as tf1
from varscope.backends.torch_backend import VarscopeModule, regularization_loss

VOCAB, EMB, HIDDEN = 64, 16, 32


def dense(x: torch.Tensor, units: int, name: str, activation: Any = None) -> torch.Tensor:
    """A TF1 layer helper: variables ``<scope>/<name>/kernel`` and ``.../bias``, shared on re-use."""
    with tf1.variable_scope(name, reuse=tf1.AUTO_REUSE):
        kernel = tf1.get_variable("kernel", [x.shape[-1], units],
                                  regularizer=tf1.regularizers.l2_regularizer(1e-4))
        bias = tf1.get_variable("bias", [units], initializer=tf1.zeros_initializer())
        y = torch.matmul(x, kernel) + bias  # torch functions take variables directly
        return activation(y) if activation is not None else y


def tower(ids: torch.Tensor) -> torch.Tensor:
    """Embed token ids (a partitioned embedding), average, and run two dense layers."""
    emb = tf1.get_variable("embedding", [VOCAB, EMB], partitioner=tf1.fixed_size_partitioner(4),
                           initializer=tf1.random_normal_initializer(stddev=0.1))
    x = emb.as_tensor()[ids].mean(dim=1)
    x = dense(x, HIDDEN, "hidden", torch.relu)
    return dense(x, EMB, "out")


def model(left: torch.Tensor, right: torch.Tensor, reuse: Any = None) -> torch.Tensor:
    """Similarity logits of two id sequences; both towers share all variables.

    The first call (``reuse=None``) creates the variables; later calls pass ``AUTO_REUSE`` (the
    stateful analogue of building a TF1 graph once and running it many times).
    """
    with tf1.variable_scope("tower", reuse=reuse):
        a = tower(left)
    with tf1.variable_scope("tower", reuse=True):
        b = tower(right)
    return torch.sum(a * b, dim=-1)


def synthetic_batch(gen: torch.Generator, n: int = 64) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Pairs of id sequences; the label is 1 when both come from the same half of the vocabulary."""
    half = torch.randint(0, 2, (n, 2), generator=gen)
    left = torch.randint(0, VOCAB // 2, (n, 5), generator=gen) + (VOCAB // 2) * half[:, :1]
    right = torch.randint(0, VOCAB // 2, (n, 5), generator=gen) + (VOCAB // 2) * half[:, 1:]
    return left, right, (half[:, 0] == half[:, 1]).float()


def main(out_dir: str | None = None, steps: int = 200) -> dict[str, object]:
    """Train on synthetic data, check that the loss went down, save a TF checkpoint."""
    graph = tf1.Graph(backend="torch")
    graph.seed = 0  # name-keyed initial values: identical to a NumPy or JAX graph with this seed
    gen = torch.Generator().manual_seed(0)
    with graph.as_default():
        model(*synthetic_batch(gen)[:2])  # creates the variables
    net = VarscopeModule(graph, lambda l, r: model(l, r, reuse=tf1.AUTO_REUSE))
    print("parameters:", {k: tuple(p.shape) for k, p in net.named_parameters()})

    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    first = last = None
    for step in range(steps):
        left, right, labels = synthetic_batch(gen)
        opt.zero_grad()
        logits = net(left, right)
        with graph.as_default():
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, labels) + regularization_loss()
        loss.backward()
        opt.step()
        first = loss.item() if first is None else first
        last = loss.item()
        if step % 50 == 0 or step == steps - 1:
            print(f"step {step:4d}  loss {last:.4f}")
    assert last < first, (first, last)

    out_dir = out_dir or tempfile.mkdtemp()
    with graph.as_default():
        prefix = tf1.train.Saver().save(None, os.path.join(out_dir, "model.ckpt"), global_step=steps)
    print("saved TF checkpoint:", prefix)
    return {"first_loss": first, "last_loss": last, "prefix": prefix}


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
