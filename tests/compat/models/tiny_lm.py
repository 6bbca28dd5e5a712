"""A tiny TF 1.x language model, written as TF 1.x code (``import tensorflow as tf``, contrib imports).

The tests import it only after ``varscope.compat.install_as_tensorflow()``: the file is not changed for varscope.
"""

import numpy as np
import tensorflow as tf
from tensorflow.contrib.framework import add_arg_scope, arg_scope
from tensorflow.contrib.training import HParams


def default_hparams():
    return HParams(vocab=11, width=8, heads=2, layers=2, context=16)


def dims_of(x):
    known = x.shape.as_list()
    dynamic = tf.shape(x)
    return [dynamic[i] if d is None else d for i, d in enumerate(known)]


@add_arg_scope
def dense(x, scope, units, stddev=0.02):
    with tf.variable_scope(scope):
        *lead, width = dims_of(x)
        kernel = tf.get_variable("kernel", [width, units], initializer=tf.random_normal_initializer(stddev=stddev))
        bias = tf.get_variable("bias", [units], initializer=tf.zeros_initializer())
        y = tf.matmul(tf.reshape(x, [-1, width]), kernel) + bias
        return tf.reshape(y, lead + [units])


def layer_norm(x, scope, eps=1e-5):
    with tf.variable_scope(scope):
        width = x.shape[-1].value
        scale = tf.get_variable("scale", [width], initializer=tf.ones_initializer())
        shift = tf.get_variable("shift", [width], initializer=tf.zeros_initializer())
        mean, var = tf.reduce_mean(x, -1, keepdims=True), tf.reduce_mean(tf.square(x - tf.reduce_mean(
            x, -1, keepdims=True)), -1, keepdims=True)
        return (x - mean) * tf.rsqrt(var + eps) * scale + shift


def causal_mask(rows, cols):
    r = tf.range(rows)[:, None]
    c = tf.range(cols)
    return tf.cast(r >= c - cols + rows, tf.float32)


def self_attention(x, scope, hp, cache=None):
    with tf.variable_scope(scope):
        batch, steps, width = dims_of(x)
        qkv = dense(x, "qkv", 3 * width)
        heads = [tf.transpose(tf.reshape(t, [batch, steps, hp.heads, width // hp.heads]), [0, 2, 1, 3])
                 for t in tf.split(qkv, 3, axis=2)]
        q, k, v = heads
        new_cache = tf.stack([k, v], axis=1)
        if cache is not None:
            old_k, old_v = tf.unstack(cache, axis=1)
            k, v = tf.concat([old_k, k], axis=-2), tf.concat([old_v, v], axis=-2)
        scores = tf.matmul(q, k, transpose_b=True) / np.sqrt(float(v.shape[-1].value))
        _, _, rows, cols = dims_of(scores)
        mask = tf.reshape(causal_mask(rows, cols), [1, 1, rows, cols])
        scores = scores * mask - 1e9 * (1.0 - mask)
        probs = tf.exp(scores - tf.reduce_max(scores, -1, keepdims=True))
        probs = probs / tf.reduce_sum(probs, -1, keepdims=True)
        out = tf.reshape(tf.transpose(tf.matmul(probs, v), [0, 2, 1, 3]), [batch, steps, width])
        with arg_scope([dense], stddev=0.01):
            return dense(out, "proj", width), new_cache


def model(hp, tokens, cache=None, reuse=False):
    with tf.variable_scope("lm", reuse=reuse):
        batch, steps = dims_of(tokens)
        embed = tf.get_variable("embed", [hp.vocab, hp.width], initializer=tf.random_normal_initializer(stddev=0.1))
        pos = tf.get_variable("pos", [hp.context, hp.width], initializer=tf.random_normal_initializer(stddev=0.1))
        start = 0 if cache is None else tf.shape(cache)[-2]
        h = tf.gather(embed, tokens) + tf.gather(pos, start + tf.range(steps))[tf.newaxis]
        caches = tf.unstack(cache, axis=1) if cache is not None else [None] * hp.layers
        new = []
        for i, c in enumerate(caches):
            a, n = self_attention(layer_norm(h, "ln_%d" % i), "layer_%d" % i, hp, cache=c)
            h = h + a
            new.append(n)
        h = layer_norm(h, "ln_out")
        logits = tf.matmul(tf.reshape(h, [batch * steps, hp.width]), embed, transpose_b=True)
        return {"logits": tf.reshape(logits, [batch, steps, hp.vocab]), "cache": tf.stack(new, axis=1)}


def greedy(hp, prompt, steps):
    first = model(hp, prompt, reuse=tf.AUTO_REUSE)
    token = tf.argmax(first["logits"][:, -1], axis=-1, output_type=tf.int32)

    def body(cache, prev, out):
        step = model(hp, prev[:, tf.newaxis], cache=cache, reuse=tf.AUTO_REUSE)
        nxt = tf.argmax(step["logits"][:, -1], axis=-1, output_type=tf.int32)
        return [tf.concat([cache, step["cache"]], axis=-2), nxt, tf.concat([out, nxt[:, None]], axis=1)]

    _, _, out = tf.while_loop(lambda *a: True, body, [first["cache"], token, tf.concat([prompt, token[:, None]], 1)],
                              maximum_iterations=steps - 1, back_prop=False)
    return out
