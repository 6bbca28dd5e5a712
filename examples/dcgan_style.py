"""A tiny DCGAN written as plain TF1 code (``tf.compat.v1`` graph mode), in the style of the well-known
TF1 DCGAN programs.

It uses ``variable_scope`` / ``get_variable`` for its convolutions (``generator/g_h1/w``, ``.../biases``), a batch
norm wrapper class around contrib's ``batch_norm`` (``updates_collections=None``: the moving statistics are
updated in place whenever a training-mode batch norm runs), a discriminator built twice (on real images and on
the generator's, the second time with ``reuse=True``), a sampler that reuses the generator's weights with batch
norm in inference, and two Adam optimizers on the variables split by name (``d_`` / ``g_``). It runs unchanged

* under TensorFlow 2.x with ``tf-slim`` and ``TF_USE_LEGACY_KERAS=1`` (``tools/record_tf_dcgan.py`` records TF's
  variables, checkpoints, outputs and one Adam step),
* under varscope, after ``varscope.compat.install_as_tensorflow()`` (``tests/compat/test_dcgan_style.py``).

Nothing here knows about varscope.
"""

import tensorflow.compat.v1 as tf

try:  # TF 1.x (and varscope's installation) have contrib; TF 2.x has tf-slim instead
    from tensorflow.contrib import layers as contrib_layers
except ImportError:
    import tf_slim as contrib_layers

tf.disable_v2_behavior()


class BatchNorm:
    """Batch normalization with its own scope name, usable in training and in inference mode."""

    def __init__(self, name, epsilon=1e-5, momentum=0.9):
        self.name = name
        self.epsilon = epsilon
        self.momentum = momentum

    def __call__(self, x, train=True):
        return contrib_layers.batch_norm(x, decay=self.momentum, epsilon=self.epsilon, scale=True,
                                         updates_collections=None, is_training=train, scope=self.name)


def lrelu(x, leak=0.2):
    return tf.maximum(x, leak * x)


def linear(x, n_out, scope, stddev=0.02, with_bias=True):
    with tf.variable_scope(scope):
        n_in = x.shape[-1].value
        matrix = tf.get_variable("Matrix", [n_in, n_out], tf.float32,
                                 tf.random_normal_initializer(stddev=stddev))
        y = tf.matmul(x, matrix)
        if not with_bias:
            return y
        return y + tf.get_variable("bias", [n_out], initializer=tf.constant_initializer(0.0))


def conv2d(x, n_out, scope, kernel=3, stride=2, stddev=0.02, with_bias=True):
    with tf.variable_scope(scope):
        w = tf.get_variable("w", [kernel, kernel, x.shape[-1].value, n_out],
                            initializer=tf.truncated_normal_initializer(stddev=stddev))
        y = tf.nn.conv2d(x, w, strides=[1, stride, stride, 1], padding="SAME")
        if not with_bias:
            return y
        return tf.nn.bias_add(y, tf.get_variable("biases", [n_out], initializer=tf.constant_initializer(0.0)))


def deconv2d(x, output_shape, scope, kernel=3, stride=2, stddev=0.02, with_bias=True):
    """A transposed convolution to ``output_shape`` (``[batch, height, width, channels]``)."""
    with tf.variable_scope(scope):
        # the kernel of a transposed convolution is [height, width, out_channels, in_channels]
        w = tf.get_variable("w", [kernel, kernel, output_shape[-1], x.shape[-1].value],
                            initializer=tf.random_normal_initializer(stddev=stddev))
        y = tf.nn.conv2d_transpose(x, w, output_shape=output_shape, strides=[1, stride, stride, 1])
        if not with_bias:
            return y
        b = tf.get_variable("biases", [output_shape[-1]], initializer=tf.constant_initializer(0.0))
        return tf.nn.bias_add(y, b)


class DCGAN:
    """Generator ``z [batch, z_dim] -> [batch, 8, 8, 1]`` images and a discriminator of such images.

    A layer that feeds a batch norm has no bias: the batch norm removes it, so its gradient would be
    rounding noise, which Adam (dividing by the gradient's root mean square) would turn into full steps.
    """

    def __init__(self, batch_size=4, z_dim=6, gf_dim=4, df_dim=4):
        self.batch_size = batch_size
        self.z_dim = z_dim
        self.gf_dim = gf_dim
        self.df_dim = df_dim
        self.d_bn1 = BatchNorm("d_bn1")
        self.g_bn0 = BatchNorm("g_bn0")
        self.g_bn1 = BatchNorm("g_bn1")

    def generator(self, z, train=True, reuse=False):
        with tf.variable_scope("generator", reuse=reuse):
            h0 = tf.reshape(linear(z, 2 * 2 * self.gf_dim * 2, "g_h0_lin", with_bias=False), [-1, 2, 2, self.gf_dim * 2])
            h0 = tf.nn.relu(self.g_bn0(h0, train=train))
            h1 = deconv2d(h0, [self.batch_size, 4, 4, self.gf_dim], "g_h1", with_bias=False)
            h1 = tf.nn.relu(self.g_bn1(h1, train=train))
            h2 = deconv2d(h1, [self.batch_size, 8, 8, 1], "g_h2")
            return tf.nn.tanh(h2)

    def sampler(self, z):
        """The generator's weights (reused) with batch norm in inference: the moving statistics."""
        return self.generator(z, train=False, reuse=True)

    def discriminator(self, image, reuse=False):
        with tf.variable_scope("discriminator") as scope:
            if reuse:
                scope.reuse_variables()
            h0 = lrelu(conv2d(image, self.df_dim, "d_h0_conv"))
            h1 = lrelu(self.d_bn1(conv2d(h0, self.df_dim * 2, "d_h1_conv", with_bias=False)))
            logits = linear(tf.reshape(h1, [self.batch_size, -1]), 1, "d_h2_lin")
            return tf.nn.sigmoid(logits), logits

    def build(self, images, z):
        """The whole model, in the usual order: generator, discriminator on real images, sampler,
        discriminator on generated images; the losses and the variables split by name."""
        self.G = self.generator(z)
        self.D, self.D_logits = self.discriminator(images)
        self.sample = self.sampler(z)
        self.D_, self.D_logits_ = self.discriminator(self.G, reuse=True)

        def xent(logits, labels):
            return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=logits, labels=labels))

        self.d_loss = xent(self.D_logits, tf.ones_like(self.D)) + xent(self.D_logits_, tf.zeros_like(self.D_))
        self.g_loss = xent(self.D_logits_, tf.ones_like(self.D_))
        t_vars = tf.trainable_variables()
        self.d_vars = [v for v in t_vars if "d_" in v.name]
        self.g_vars = [v for v in t_vars if "g_" in v.name]
        return self

    def train_ops(self, d_grads, g_grads, learning_rate=0.0002, beta1=0.5):
        """One Adam step of the discriminator and one of the generator, from their gradients (what
        ``minimize`` would compute), in ``var_list`` order; the discriminator's step counts ``global_step``."""
        global_step = tf.train.get_or_create_global_step()
        d_optim = tf.train.AdamOptimizer(learning_rate, beta1=beta1).apply_gradients(
            list(zip(d_grads, self.d_vars)), global_step=global_step)
        g_optim = tf.train.AdamOptimizer(learning_rate, beta1=beta1).apply_gradients(
            list(zip(g_grads, self.g_vars)))
        return d_optim, g_optim
