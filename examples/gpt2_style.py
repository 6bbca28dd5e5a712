"""A GPT-2-style language model written as plain TF1 code (``tf.compat.v1`` graph mode).

This file is TF1 model code of the kind varscope exists for: it uses ``variable_scope`` /
``get_variable`` for its parameters (named like the released GPT-2 checkpoints: ``model/wte``,
``model/h0/attn/c_attn/w``, ``model/ln_f/g``, ...), TF1 shape idioms (``x.shape[-1].value``,
``x.shape.as_list()``, ``tf.shape``), and a ``tf.while_loop`` sampling loop whose key/value cache
(``past``) grows by one position per step. It runs unchanged

* under TensorFlow 2.x (``tools/record_tf_gpt2.py`` records TF's variables, checkpoint and outputs),
* under varscope, after ``varscope.compat.install_as_tensorflow()`` (``tests/compat/test_gpt2_style.py``).

Nothing here knows about varscope.
"""

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


class Config:
    """Model sizes (what GPT-2 keeps in an ``HParams``)."""

    def __init__(self, n_vocab=50, n_ctx=16, n_embd=16, n_head=2, n_layer=2):
        self.n_vocab = n_vocab
        self.n_ctx = n_ctx
        self.n_embd = n_embd
        self.n_head = n_head
        self.n_layer = n_layer


def dims(x):
    """The static dimensions of ``x``, with ``tf.shape`` entries where they are unknown."""
    static = x.shape.as_list()
    dynamic = tf.shape(x)
    return [dynamic[i] if d is None else d for i, d in enumerate(static)]


def gelu(x):
    return 0.5 * x * (1.0 + tf.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * tf.pow(x, 3))))


def layer_norm(x, scope, epsilon=1e-5):
    with tf.variable_scope(scope):
        width = x.shape[-1].value
        g = tf.get_variable("g", [width], initializer=tf.constant_initializer(1))
        b = tf.get_variable("b", [width], initializer=tf.constant_initializer(0))
        mean = tf.reduce_mean(x, axis=-1, keepdims=True)
        centered = x - mean
        var = tf.reduce_mean(tf.square(centered), axis=-1, keepdims=True)
        return centered * tf.rsqrt(var + epsilon) * g + b


def dense1d(x, scope, n_out, stddev=0.02):
    """A position-wise dense layer kept as a width-1 convolution kernel ``[1, n_in, n_out]``."""
    with tf.variable_scope(scope):
        *lead, n_in = dims(x)
        w = tf.get_variable("w", [1, n_in, n_out], initializer=tf.random_normal_initializer(stddev=stddev))
        b = tf.get_variable("b", [n_out], initializer=tf.constant_initializer(0))
        flat = tf.matmul(tf.reshape(x, [-1, n_in]), tf.reshape(w, [-1, n_out])) + b
        return tf.reshape(flat, lead + [n_out])


def causal_mask(n_dst, n_src, dtype):
    """1 where a destination position may look at a source position (the lower-right triangle)."""
    rows = tf.range(n_dst)[:, None]
    cols = tf.range(n_src)
    return tf.cast(rows >= cols - n_src + n_dst, dtype)


def to_heads(x, n_head):
    *lead, width = dims(x)
    x = tf.reshape(x, lead + [n_head, width // n_head])
    return tf.transpose(x, [0, 2, 1, 3])


def from_heads(x):
    x = tf.transpose(x, [0, 2, 1, 3])
    *lead, heads, depth = dims(x)
    return tf.reshape(x, lead + [heads * depth])


def attention(x, scope, width, past, config):
    assert x.shape.ndims == 3
    if past is not None:
        assert past.shape.ndims == 5
    with tf.variable_scope(scope):
        qkv = dense1d(x, "c_attn", width * 3)
        q, k, v = [to_heads(t, config.n_head) for t in tf.split(qkv, 3, axis=2)]
        present = tf.stack([k, v], axis=1)
        if past is not None:
            past_k, past_v = tf.unstack(past, axis=1)
            k = tf.concat([past_k, k], axis=-2)
            v = tf.concat([past_v, v], axis=-2)
        scores = tf.matmul(q, k, transpose_b=True)
        scores = scores * tf.rsqrt(tf.cast(v.shape[-1].value, scores.dtype))
        _, _, n_dst, n_src = dims(scores)
        mask = tf.reshape(causal_mask(n_dst, n_src, scores.dtype), [1, 1, n_dst, n_src])
        scores = scores * mask - tf.cast(1e10, scores.dtype) * (1 - mask)
        weights = tf.nn.softmax(scores, axis=-1)
        out = from_heads(tf.matmul(weights, v))
        return dense1d(out, "c_proj", width), present


def feed_forward(x, scope, hidden):
    with tf.variable_scope(scope):
        width = x.shape[-1].value
        return dense1d(gelu(dense1d(x, "c_fc", hidden)), "c_proj", width)


def block(x, scope, past, config):
    with tf.variable_scope(scope):
        width = x.shape[-1].value
        a, present = attention(layer_norm(x, "ln_1"), "attn", width, past, config)
        x = x + a
        x = x + feed_forward(layer_norm(x, "ln_2"), "mlp", width * 4)
        return x, present


def past_shape(config, batch_size=None, sequence=None):
    return [batch_size, config.n_layer, 2, config.n_head, sequence, config.n_embd // config.n_head]


def model(config, tokens, past=None, scope="model", reuse=False):
    """Logits ``[batch, sequence, n_vocab]`` and the new key/value cache ``present``."""
    with tf.variable_scope(scope, reuse=reuse):
        batch, sequence = dims(tokens)
        wpe = tf.get_variable("wpe", [config.n_ctx, config.n_embd],
                              initializer=tf.random_normal_initializer(stddev=0.01))
        wte = tf.get_variable("wte", [config.n_vocab, config.n_embd],
                              initializer=tf.random_normal_initializer(stddev=0.02))
        start = 0 if past is None else tf.shape(past)[-2]
        positions = tf.tile(tf.expand_dims(start + tf.range(sequence), 0), [batch, 1])
        h = tf.gather(wte, tokens) + tf.gather(wpe, positions)
        pasts = tf.unstack(past, axis=1) if past is not None else [None] * config.n_layer
        presents = []
        for i, layer_past in enumerate(pasts):
            h, present = block(h, "h%d" % i, layer_past, config)
            presents.append(present)
        h = layer_norm(h, "ln_f")
        logits = tf.matmul(tf.reshape(h, [batch * sequence, config.n_embd]), wte, transpose_b=True)
        return {"logits": tf.reshape(logits, [batch, sequence, config.n_vocab]),
                "present": tf.stack(presents, axis=1)}


def keep_top_k(logits, k):
    if k == 0:
        return logits

    def truncate():
        values, _ = tf.nn.top_k(logits, k=k)
        floor = values[:, -1, tf.newaxis]
        return tf.where(logits < floor, tf.ones_like(logits) * -1e10, logits)

    return tf.cond(tf.equal(k, 0), lambda: logits, truncate)


def sample(config, length, context, batch_size, temperature=1.0, top_k=0, forced=None):
    """Sample ``length`` tokens after ``context`` with a growing cache.

    Returns the tokens ``[batch, context + length]`` and every step's logits ``[batch, length, n_vocab]``.
    With ``forced`` (``[batch, length]`` tokens), those tokens are taken instead of sampled ones
    (teacher forcing: how the tests replay TensorFlow's samples).
    """

    def step(tokens, past=None):
        out = model(config, tokens, past=past, reuse=tf.AUTO_REUSE)
        presents = out["present"]
        presents.set_shape(past_shape(config, batch_size=batch_size))
        return out["logits"][:, -1, :], presents

    def choose(logits, i):
        logits = keep_top_k(logits / tf.to_float(temperature), top_k)
        if forced is not None:
            return forced[:, i:i + 1]
        return tf.multinomial(logits, num_samples=1, output_dtype=tf.int32, seed=7)

    with tf.name_scope("sample"):
        logits, past = step(context)
        chosen = choose(logits, 0)
        output = tf.concat([context, chosen], axis=1)
        seen = tf.expand_dims(logits, 1)

        def body(i, past, prev, output, seen):
            logits, present = step(prev[:, tf.newaxis], past=past)
            chosen = choose(logits, i)
            return [i + 1, tf.concat([past, present], axis=-2), tf.squeeze(chosen, axis=[1]),
                    tf.concat([output, chosen], axis=1), tf.concat([seen, tf.expand_dims(logits, 1)], axis=1)]

        _, _, _, tokens, seen = tf.while_loop(
            cond=lambda *args: True, body=body, maximum_iterations=length - 1,
            loop_vars=[tf.constant(1), past, tf.squeeze(chosen, axis=[1]), output, seen],
            shape_invariants=[tf.TensorShape([]), tf.TensorShape(past_shape(config, batch_size=batch_size)),
                              tf.TensorShape([batch_size]), tf.TensorShape([batch_size, None]),
                              tf.TensorShape([batch_size, None, config.n_vocab])],
            back_prop=False)
        return tokens, seen
