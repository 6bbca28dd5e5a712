"""The end-to-end demo behind ``varscope demo`` and ``python -m varscope``.

It builds a small TF1-style model on NumPy: an ``AUTO_REUSE`` layer helper, a stack of
``default_name`` layers, and two towers that share their weights through ``reuse=True``; runs a
forward pass; and prints every variable with its shape, dtype and parameter count.

Example:
    >>> from varscope.demo import build_model
    >>> import varscope as tf1, numpy as np
    >>> with tf1.Graph().as_default():
    ...     out_a, out_b = build_model(np.ones((2, 8), np.float32))
    ...     [v.op.name for v in tf1.trainable_variables()][:3]
    ['model/tower/dense/w', 'model/tower/dense/b', 'model/tower/norm/gain']
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

import varscope as tf1
from varscope._console import RICH_HINT, have_rich, render_table


def dense(x: np.ndarray, units: int, name: str | None = None, activation: Any = None) -> np.ndarray:
    """A TF1-style dense layer: ``default_name`` scope, ``w`` and ``b`` from ``get_variable``."""
    with tf1.variable_scope(name, default_name="dense"):
        w = tf1.get_variable("w", [x.shape[-1], units])
        b = tf1.get_variable("b", [units], initializer=tf1.zeros_initializer())
        y = x @ w.numpy() + b.numpy()
        return activation(y) if activation is not None else y


def embed_norm(x: np.ndarray) -> np.ndarray:
    """An ``AUTO_REUSE`` helper: the first call creates ``norm/gain``, every later call shares it."""
    with tf1.variable_scope("norm", reuse=tf1.AUTO_REUSE):
        gain = tf1.get_variable("gain", [x.shape[-1]], initializer=tf1.ones_initializer())
        centered = x - x.mean(axis=-1, keepdims=True)
        return gain.numpy() * centered / (centered.std(axis=-1, keepdims=True) + 1e-6)


def tower(x: np.ndarray) -> np.ndarray:
    """Two default-named dense layers (``dense``, ``dense_1``) and the shared norm."""
    h = dense(x, 16, activation=lambda t: np.maximum(t, 0))
    h = embed_norm(h)
    return dense(h, 4)


def build_model(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two towers over the halves of a batch, sharing every weight (``reuse=True`` on the second)."""
    with tf1.variable_scope("model"):
        with tf1.variable_scope("tower") as scope:
            out_a = tower(x)
        with tf1.variable_scope(scope, reuse=True):
            out_b = tower(x[::-1])
            tf1.add_to_collection("demo_name_scopes", tf1.get_name_scope())
        with tf1.variable_scope("head"):
            embed_norm(out_a)
    return out_a, out_b


def main(argv: list[str] | None = None) -> int:
    """Build the model, run a forward pass and print the variable table (rich if installed, else plain)."""
    del argv
    graph = tf1.Graph()
    with graph.as_default():
        tf1.set_random_seed(0)
        x = np.random.default_rng(0).standard_normal((3, 8)).astype(np.float32)
        out_a, out_b = build_model(x)
        variables = tf1.global_variables()
        title = "varscope demo: TF1-style model on NumPy"
        rows = []
        total = 0
        for v in variables:
            n = int(np.prod(v.shape.as_list(), dtype=np.int64))
            total += n
            rows.append([v.name, str(v.shape), v.dtype.name, f"{n:,}"])
        columns = [(c, "right" if c == "parameters" else "left") for c in ("name", "shape", "dtype", "parameters")]
        footer = [f"total ({len(variables)} variables)", "", "", f"{total:,}"]
        shared = np.allclose(out_a, tower_output_again(x))
        lines = [f"forward pass: tower output {out_a.shape}, second tower {out_b.shape}; "
                 f"towers share weights: {shared}",
                 f"second tower: variables from 'model/tower', ops in name scope "
                 f"{graph.get_collection('demo_name_scopes')[0]!r}"]
        if have_rich():
            from rich.console import Console
            from rich.markup import escape
            from rich.table import Table

            console = Console()
            table = Table(title=title)
            for column, justify in columns:
                table.add_column(column, justify=justify)  # type: ignore[arg-type]
            for row in rows:
                table.add_row(*row)
            table.add_section()
            table.add_row(*footer)
            console.print(table)
            for line in lines:
                console.print(escape(line))
        else:
            render_table(columns, rows + [footer], title=title)
            print("\n".join(lines))
            print(f"hint: {RICH_HINT}", file=sys.stderr)
    return 0


def tower_output_again(x: np.ndarray) -> np.ndarray:
    """Re-run the first tower with ``reuse=True``: the same weights give the same output."""
    with tf1.variable_scope("model/tower", reuse=True):
        return tower(x)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
