"""Summary-op scenarios, TF1 code run on TensorFlow by ``tools/record_tf_summaries.py`` and on varscope by
``tests/compat/test_summary.py``. Each returns a dict of summary tensors (or None); imports only NumPy."""

from __future__ import annotations

import numpy as np

X = np.linspace(-1.0, 1.0, 2 * 4 * 4 * 3, dtype=np.float32).reshape(2, 4, 4, 3)


def dcgan_style(tf):
    """DCGAN's summaries: histograms, an image, scalars, then two merges (named and not)."""
    x = tf.constant(X)
    loss = tf.reduce_mean(x)
    out = {"z": tf.summary.histogram("z", x), "G": tf.summary.image("G", x),
           "d_loss": tf.summary.scalar("d_loss", loss), "d_loss_again": tf.summary.scalar("d_loss", loss)}
    out["merged"] = tf.summary.merge([out["z"], out["d_loss"]])
    out["merged_named"] = tf.summary.merge([out["G"]], name="g_sum")
    return out


def scoped_and_cleaned(tf):
    """In a name scope; a tag with characters TF cleans; a family; an explicit collection; merge_all."""
    x = tf.constant(X)
    with tf.name_scope("model"):
        out = {"scoped": tf.summary.scalar("loss", tf.reduce_sum(x)),
               "cleaned": tf.summary.histogram("bad name:1", x),
               "family": tf.summary.scalar("acc", tf.reduce_sum(x), family="train"),
               "mine": tf.summary.scalar("mine", tf.reduce_sum(x), collections=["my_summaries"]),
               "text": tf.summary.text("note", tf.constant("hello"))}
    out["all"] = tf.summary.merge_all()
    out["all_mine"] = tf.summary.merge_all(key="my_summaries")
    return out


def merge_all_empty(tf):
    """No summaries: merge_all gives None."""
    return {"all": tf.summary.merge_all()}


SCENARIOS = [dcgan_style, scoped_and_cleaned, merge_all_empty]
