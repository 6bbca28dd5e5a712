"""A tiny BERT-style encoder and classifier written as plain TF1 code (``tf.compat.v1`` graph mode).

The model is named like the released BERT checkpoints (``bert/embeddings/word_embeddings``,
``bert/encoder/layer_0/attention/self/query/kernel``, ``bert/pooler/dense/bias``, ``output_weights``),
built from ``tf.layers.dense`` and contrib's ``layer_norm``, with an attention mask, the tanh form of
gelu and dropout as a flag (off when the probabilities are 0.0). Training uses ``global_step``, a
polynomial decay with a linear warmup and a decoupled-weight-decay Adam written here on top of
``tf.train.Optimizer``; warm starts use an assignment map for ``tf.train.init_from_checkpoint``.

It runs unchanged

* under TensorFlow 2.x with ``tf_keras`` and ``tf_slim`` (``tools/record_tf_bert.py`` records TF's variables,
  checkpoint, outputs and one optimizer step),
* under varscope, after ``varscope.compat.install_as_tensorflow()`` (``tests/compat/test_bert_style.py``).

The gradients are an argument of :func:`train_op`: TensorFlow's recorder passes ``tf.gradients``,
varscope's tests pass ``jax.grad`` of the model's ``apply``. Nothing here knows about varscope.
"""

import collections
import math
import re

import tensorflow.compat.v1 as tf

try:  # TF 1.x (and varscope.compat) have contrib; TF 2.x has the same layers in tf_slim
    from tensorflow.contrib import layers as contrib_layers
except ImportError:
    import tf_slim as contrib_layers

tf.disable_v2_behavior()


class Config:
    """The model's sizes and probabilities (what BERT reads from ``bert_config.json``)."""

    def __init__(self, vocab_size=40, hidden_size=16, num_layers=2, num_heads=2, intermediate_size=32,
                 hidden_dropout_prob=0.0, attention_dropout_prob=0.0, max_positions=16, type_vocab_size=2,
                 initializer_range=0.02):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.num_heads = num_heads
        self.intermediate_size = intermediate_size
        self.hidden_dropout_prob = hidden_dropout_prob
        self.attention_dropout_prob = attention_dropout_prob
        self.max_positions = max_positions
        self.type_vocab_size = type_vocab_size
        self.initializer_range = initializer_range


def init(config):
    return tf.truncated_normal_initializer(stddev=config.initializer_range)


def gelu(x):
    """The tanh approximation of the Gaussian error linear unit."""
    return x * 0.5 * (1.0 + tf.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * tf.pow(x, 3))))


def maybe_dropout(x, prob):
    """Dropout with probability ``prob``; the identity when it is 0.0 (how evaluation runs)."""
    if not prob:
        return x
    return tf.nn.dropout(x, rate=prob)


def norm(x, scope):
    return contrib_layers.layer_norm(inputs=x, begin_norm_axis=-1, begin_params_axis=-1, scope=scope)


def static_shape(x):
    return x.shape.as_list()


def embed(config, input_ids, token_type_ids, one_hot_words=False):
    """Word (a gather, or a one-hot matmul), token-type (one-hot matmul) and position embeddings, normalized."""
    batch, length = static_shape(input_ids)
    width = config.hidden_size
    table = tf.get_variable("word_embeddings", [config.vocab_size, width], initializer=init(config))
    if one_hot_words:
        flat = tf.one_hot(tf.reshape(input_ids, [-1]), depth=config.vocab_size)
        words = tf.reshape(tf.matmul(flat, table), [batch, length, width])
    else:
        words = tf.gather(table, input_ids)
    types = tf.get_variable("token_type_embeddings", [config.type_vocab_size, width], initializer=init(config))
    type_one_hot = tf.one_hot(tf.reshape(token_type_ids, [-1]), depth=config.type_vocab_size)
    out = words + tf.reshape(tf.matmul(type_one_hot, types), [batch, length, width])
    check = tf.assert_less_equal(length, config.max_positions)
    with tf.control_dependencies([check]):
        positions = tf.get_variable("position_embeddings", [config.max_positions, width], initializer=init(config))
        used = tf.slice(positions, [0, 0], [length, -1])
        out += tf.reshape(used, [1, length, width])
    return maybe_dropout(norm(out, "LayerNorm"), config.hidden_dropout_prob)


def attention_bias(input_mask, length):
    """``[batch, 1, length, length]``: 0 where a position may be attended to, -10000 where it is padding."""
    batch = static_shape(input_mask)[0]
    keys = tf.cast(tf.reshape(input_mask, [batch, 1, length]), tf.float32)
    grid = tf.ones([batch, length, 1], tf.float32) * keys
    return tf.expand_dims((1.0 - grid) * -10000.0, axis=1)


def split_heads(x, batch, length, heads, depth):
    return tf.transpose(tf.reshape(x, [batch, length, heads, depth]), [0, 2, 1, 3])


def self_attention(config, x, bias):
    """Multi-head self-attention of ``x`` (``[batch * length, width]``), in the ``self`` scope."""
    batch, length = bias.shape.as_list()[0], bias.shape.as_list()[-1]
    heads = config.num_heads
    depth = config.hidden_size // heads

    def project(name):
        y = tf.layers.dense(x, heads * depth, name=name, kernel_initializer=init(config))
        return split_heads(y, batch, length, heads, depth)

    q, k, v = project("query"), project("key"), project("value")
    scores = tf.matmul(q, k, transpose_b=True) * (1.0 / math.sqrt(float(depth))) + bias
    probs = maybe_dropout(tf.nn.softmax(scores), config.attention_dropout_prob)
    context = tf.transpose(tf.matmul(probs, v), [0, 2, 1, 3])
    return tf.reshape(context, [batch * length, heads * depth])


def encoder(config, x, bias):
    """The transformer layers over ``x`` (``[batch, length, width]``); returns every layer's output."""
    batch, length, width = static_shape(x)
    h = tf.reshape(x, [-1, width])
    outputs = []
    for i in range(config.num_layers):
        with tf.variable_scope("layer_%d" % i):
            with tf.variable_scope("attention"):
                with tf.variable_scope("self"):
                    attended = self_attention(config, h, bias)
                with tf.variable_scope("output"):
                    attended = tf.layers.dense(attended, width, kernel_initializer=init(config))
                    attended = maybe_dropout(attended, config.hidden_dropout_prob)
                    attended = norm(attended + h, "LayerNorm")
            with tf.variable_scope("intermediate"):
                inner = tf.layers.dense(attended, config.intermediate_size, activation=gelu,
                                        kernel_initializer=init(config))
            with tf.variable_scope("output"):
                out = tf.layers.dense(inner, width, kernel_initializer=init(config))
                out = maybe_dropout(out, config.hidden_dropout_prob)
                h = norm(out + attended, "LayerNorm")
            outputs.append(tf.reshape(h, [batch, length, width]))
    return outputs


def bert(config, input_ids, input_mask, token_type_ids, one_hot_words=False, scope="bert"):
    """The encoder's outputs: ``sequence`` ``[batch, length, width]`` and ``pooled`` ``[batch, width]``."""
    length = static_shape(input_ids)[1]
    with tf.variable_scope(scope):
        with tf.variable_scope("embeddings"):
            embedded = embed(config, input_ids, token_type_ids, one_hot_words)
        with tf.variable_scope("encoder"):
            layers = encoder(config, embedded, attention_bias(input_mask, length))
        sequence = layers[-1]
        with tf.variable_scope("pooler"):
            first = tf.squeeze(sequence[:, 0:1, :], axis=1)
            pooled = tf.layers.dense(first, config.hidden_size, activation=tf.tanh, kernel_initializer=init(config))
    return {"sequence": sequence, "pooled": pooled}


def classifier(config, input_ids, input_mask, token_type_ids, labels, num_labels, training=False):
    """Pooled output, logits and the mean cross-entropy loss of a sentence classifier on top of :func:`bert`."""
    pooled = bert(config, input_ids, input_mask, token_type_ids)["pooled"]
    weights = tf.get_variable("output_weights", [num_labels, config.hidden_size],
                              initializer=tf.truncated_normal_initializer(stddev=0.02))
    bias = tf.get_variable("output_bias", [num_labels], initializer=tf.zeros_initializer())
    with tf.variable_scope("loss"):
        if training:
            pooled = tf.nn.dropout(pooled, rate=0.1)
        logits = tf.nn.bias_add(tf.matmul(pooled, weights, transpose_b=True), bias)
        log_probs = tf.nn.log_softmax(logits, axis=-1)
        targets = tf.one_hot(labels, depth=num_labels, dtype=tf.float32)
        per_example = -tf.reduce_sum(targets * log_probs, axis=-1)
        loss = tf.reduce_mean(per_example)
    return {"pooled": pooled, "logits": logits, "loss": loss}


class AdamWeightDecay(tf.train.Optimizer):
    """Adam with weight decay applied to the weights directly (not through the gradients), no bias correction."""

    def __init__(self, learning_rate, weight_decay=0.0, beta_1=0.9, beta_2=0.999, epsilon=1e-6, no_decay=None,
                 name="AdamWeightDecay"):
        super(AdamWeightDecay, self).__init__(False, name)
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.no_decay = list(no_decay or [])

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        updates = []
        for grad, var in grads_and_vars:
            if grad is None or var is None:
                continue
            base = self._get_variable_name(var.name)
            m = tf.get_variable(base + "/adam_m", shape=var.shape.as_list(), dtype=tf.float32, trainable=False,
                                initializer=tf.zeros_initializer())
            v = tf.get_variable(base + "/adam_v", shape=var.shape.as_list(), dtype=tf.float32, trainable=False,
                                initializer=tf.zeros_initializer())
            new_m = tf.multiply(self.beta_1, m) + tf.multiply(1.0 - self.beta_1, grad)
            new_v = tf.multiply(self.beta_2, v) + tf.multiply(1.0 - self.beta_2, tf.square(grad))
            step = new_m / (tf.sqrt(new_v) + self.epsilon)
            if self._decays(base):
                step += self.weight_decay * var
            updates += [tf.assign(var, var - self.learning_rate * step), tf.assign(m, new_m), tf.assign(v, new_v)]
        return tf.group(*updates, name=name)

    def _decays(self, name):
        if not self.weight_decay:
            return False
        return not any(re.search(pattern, name) for pattern in self.no_decay)

    def _get_variable_name(self, name):
        """``"a/b:0"`` -> ``"a/b"``."""
        found = re.match("^(.*):\\d+$", name)
        return found.group(1) if found else name


def learning_rate(init_lr, num_train_steps, num_warmup_steps):
    """Linear decay to 0 over ``num_train_steps``, after a linear warmup over the first ``num_warmup_steps``."""
    global_step = tf.train.get_or_create_global_step()
    lr = tf.constant(value=init_lr, shape=[], dtype=tf.float32)
    lr = tf.train.polynomial_decay(lr, global_step, num_train_steps, end_learning_rate=0.0, power=1.0,
                                   cycle=False)
    if num_warmup_steps:
        done = tf.cast(tf.cast(global_step, tf.int32), tf.float32)
        warmup = tf.cast(tf.constant(num_warmup_steps, dtype=tf.int32), tf.float32)
        warm_lr = init_lr * (done / warmup)
        warming = tf.cast(done < warmup, tf.float32)
        lr = (1.0 - warming) * lr + warming * warm_lr
    return global_step, lr


def train_op(grads, tvars, init_lr=1e-3, num_train_steps=10, num_warmup_steps=2):
    """One training step from ``grads`` (one per ``tvars``): clip, AdamWeightDecay, then ``global_step + 1``."""
    global_step, lr = learning_rate(init_lr, num_train_steps, num_warmup_steps)
    optimizer = AdamWeightDecay(lr, weight_decay=0.01, no_decay=["LayerNorm", "layer_norm", "bias"])
    grads, _ = tf.clip_by_global_norm(grads, clip_norm=1.0)
    op = optimizer.apply_gradients(zip(grads, tvars), global_step=global_step)
    with tf.control_dependencies([op]):  # (the step's learning rate reads global_step before it moves)
        increment = tf.identity(global_step + 1, name="step_update")
    return tf.group(op, [global_step.assign(increment)])


def assignment_map(tvars, checkpoint):
    """The variables of ``tvars`` found in ``checkpoint``: ``{checkpoint name: name}``, and their ``name:0`` set."""
    by_name = collections.OrderedDict()
    for var in tvars:
        found = re.match("^(.*):\\d+$", var.name)
        by_name[found.group(1) if found else var.name] = var
    mapping = collections.OrderedDict()
    loaded = {}
    for name, _ in tf.train.list_variables(checkpoint):
        if name in by_name:
            mapping[name] = name
            loaded[name + ":0"] = 1
    return mapping, loaded


def warm_start(checkpoint):
    """Initialize every trainable variable that ``checkpoint`` holds from it; returns the names it covered."""
    tvars = tf.trainable_variables()
    mapping, loaded = assignment_map(tvars, checkpoint)
    tf.train.init_from_checkpoint(checkpoint, mapping)
    return sorted(loaded)
