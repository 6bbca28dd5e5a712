"""Layer cases recorded on TensorFlow 2.21 (tf.layers from tf_keras, tf_slim): see _layer_case.py."""

from __future__ import annotations

from _layer_case import case, rand

X2 = rand(4, 6, seed=1)
X3 = rand(2, 5, 6, seed=2)
X4 = rand(2, 6, 6, 3, seed=3)
X4B = rand(3, 5, 5, 4, seed=4, low=-2.0, high=3.0)
X1D = rand(2, 9, 3, seed=5)


# -- tf.layers.dense / Dense ---------------------------------------------------------------------------------
@case("tf.layers.dense", x=X2)
def dense_names(tf, layers, slim, x):
    a = layers.dense(x, 4)
    b = layers.dense(a, 3, activation=tf.nn.relu)
    with tf.variable_scope("tower"):
        c = layers.dense(x, 2)
        d = layers.dense(c, 2, use_bias=False)
    with tf.variable_scope("tower_b"):
        e = layers.dense(x, 2)
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


@case("tf.layers.dense", x=X2)
def dense_named_and_reused(tf, layers, slim, x):
    a = layers.dense(x, 3, name="fc")
    b = layers.dense(x, 3, name="fc", reuse=True)
    with tf.variable_scope("shared", reuse=tf.AUTO_REUSE):
        d = layers.dense(x, 2, name="proj")
        e = layers.dense(x, 2, name="proj")
    return {"a": a, "b": b, "d": d, "e": e}


@case("tf.layers.dense", x=X2)
def dense_same_name_twice(tf, layers, slim, x):
    layers.dense(x, 3, name="fc")
    return {"b": layers.dense(x, 3, name="fc")}  # a named layer is its scope: TF refuses a second one


@case("tf.layers.dense", x=X3)
def dense_rank3_regularized(tf, layers, slim, x):
    y = layers.dense(x, 4, activation=tf.tanh, kernel_regularizer=slim.l2_regularizer(0.01),
                     bias_initializer=tf.constant_initializer(0.5),
                     name="logits")
    return {"y": y}


@case("tf.layers.Dense", x=X2)
def dense_class(tf, layers, slim, x):
    layer = layers.Dense(5, activation=tf.nn.sigmoid, kernel_initializer=tf.glorot_normal_initializer())
    a = layer(x)
    b = layer(x * 2.0)  # built: the same variables
    other = layers.Dense(2, name="head")
    with tf.variable_scope("outer"):
        c = other(a)
    d = layers.Dense(3)(x)
    return {"a": a, "b": b, "c": c, "d": d, "kernel": tf.identity(layer.kernel), "bias": tf.identity(layer.bias)}


# -- tf.layers.conv1d / conv2d / Conv2D / conv2d_transpose -------------------------------------------------
@case("tf.layers.conv1d", x=X1D)
def conv1d_cases(tf, layers, slim, x):
    a = layers.conv1d(x, 4, 3)
    b = layers.conv1d(x, 2, 3, strides=2, padding="same", activation=tf.nn.relu)
    c = layers.conv1d(x, 2, 2, dilation_rate=2, use_bias=False)
    return {"a": a, "b": b, "c": c}


@case("tf.layers.conv2d", x=X4)
def conv2d_cases(tf, layers, slim, x):
    a = layers.conv2d(x, 4, 3)
    b = layers.conv2d(x, 4, [3, 2], strides=2, padding="same", activation=tf.nn.relu)
    c = layers.conv2d(x, 2, 3, dilation_rate=2, padding="same")
    with tf.variable_scope("block"):
        d = layers.conv2d(x, 3, 1, strides=(2, 1), use_bias=False, name="proj")
        e = layers.conv2d(x, 2, 5, strides=3, padding="same",
                          kernel_regularizer=slim.l2_regularizer(0.1))
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


@case("tf.layers.Conv2D", x=X4)
def conv2d_class(tf, layers, slim, x):
    layer = layers.Conv2D(3, 2, padding="same")
    a = layer(x)
    b = layer(x + 1.0)
    return {"a": a, "b": b}


@case("tf.layers.conv2d_transpose", x=X4)
def conv2d_transpose_cases(tf, layers, slim, x):
    a = layers.conv2d_transpose(x, 2, 3)
    b = layers.conv2d_transpose(x, 4, 3, strides=2, padding="same")
    c = layers.conv2d_transpose(x, 2, [2, 3], strides=(2, 1), padding="valid", activation=tf.nn.relu)
    d = layers.conv2d_transpose(x, 2, 5, strides=2, padding="same", use_bias=False)
    return {"a": a, "b": b, "c": c, "d": d}


# -- tf.layers.batch_normalization ---------------------------------------------------------------------------
@case("tf.layers.batch_normalization", x=X4B)
def batch_normalization_train_4d(tf, layers, slim, x):
    y = layers.batch_normalization(x, training=True)
    with tf.variable_scope("block"):
        z = layers.batch_normalization(x, training=True, momentum=0.9, name="bn")
    return {"y": y, "z": z}


@case("tf.layers.batch_normalization", x=X4B)
def batch_normalization_train_unfused(tf, layers, slim, x):
    y = layers.batch_normalization(x, training=True, fused=False, epsilon=1e-6)
    z = layers.batch_normalization(x, training=True, fused=True, epsilon=1e-6)
    return {"y": y, "z": z}


@case("tf.layers.batch_normalization", x=X4B)
def batch_normalization_inference(tf, layers, slim, x):
    y = layers.batch_normalization(x, training=False)
    z = layers.batch_normalization(x, center=False, scale=False,
                                   moving_variance_initializer=tf.constant_initializer(4.0))
    return {"y": y, "z": z}


@case("tf.layers.batch_normalization", x=X2)
def batch_normalization_2d(tf, layers, slim, x):
    y = layers.batch_normalization(x, training=True, momentum=0.5)
    z = layers.batch_normalization(x, axis=0, training=True, gamma_initializer=tf.constant_initializer(2.0))
    return {"y": y, "z": z}


@case("tf.layers.BatchNormalization", x=X4B)
def batch_normalization_class(tf, layers, slim, x):
    layer = layers.BatchNormalization(axis=1, epsilon=1e-5)
    y = layer(x, training=True)
    return {"y": y}


# -- dropout / flatten / pooling -----------------------------------------------------------------------------
@case("tf.layers.dropout", random=("train",), x=X4)
def dropout_cases(tf, layers, slim, x):
    off = layers.dropout(x, rate=0.3)
    off2 = layers.dropout(x, rate=0.3, training=False)
    on = layers.dropout(x, rate=0.25, training=True)
    return {"off": off, "off2": off2, "train": on}


@case("tf.layers.flatten", x=X4)
def flatten_cases(tf, layers, slim, x):
    return {"a": layers.flatten(x), "b": layers.Flatten()(x), "c": layers.flatten(x[:, 0, 0, :])}


@case("tf.layers.max_pooling2d", x=X4)
def pooling2d_cases(tf, layers, slim, x):
    return {
        "max": layers.max_pooling2d(x, 2, 2),
        "max_same": layers.max_pooling2d(x, 3, 2, padding="same"),
        "avg": layers.average_pooling2d(x, 2, 2),
        "avg_same": layers.average_pooling2d(x, 3, 2, padding="same"),
        "avg_rect": layers.average_pooling2d(x, [2, 3], [1, 2]),
        "max_cls": layers.MaxPooling2D(2, 1)(x),
    }


@case("tf.layers.max_pooling1d", x=X1D)
def pooling1d_cases(tf, layers, slim, x):
    return {
        "max": layers.max_pooling1d(x, 2, 2),
        "max_same": layers.max_pooling1d(x, 3, 2, padding="same"),
        "avg": layers.average_pooling1d(x, 3, 1),
        "avg_same": layers.average_pooling1d(x, 2, 2, padding="same"),
    }


# -- tf_slim / tf.contrib.layers -----------------------------------------------------------------------------
@case("slim.fully_connected", x=X2)
def slim_fully_connected(tf, layers, slim, x):
    a = slim.fully_connected(x, 4)
    b = slim.fully_connected(a, 3, activation_fn=None)
    with tf.variable_scope("head"):
        c = slim.fully_connected(x, 2, scope="logits", weights_regularizer=slim.l2_regularizer(0.05),
                                 biases_initializer=None)
    d = slim.fully_connected(x, 2, activation_fn=tf.nn.tanh,
                             weights_initializer=slim.variance_scaling_initializer(),
                             biases_initializer=tf.constant_initializer(0.1))
    return {"a": a, "b": b, "c": c, "d": d}


@case("slim.fully_connected", x=X3)
def slim_fully_connected_rank3_reuse(tf, layers, slim, x):
    a = slim.fully_connected(x, 4, scope="fc")
    b = slim.fully_connected(x, 4, scope="fc", reuse=True)
    return {"a": a, "b": b}


@case("slim.conv2d", x=X4)
def slim_conv2d(tf, layers, slim, x):
    a = slim.conv2d(x, 4, [3, 3])
    b = slim.conv2d(a, 2, 3, stride=2)
    c = slim.conv2d(x, 2, [3, 3], padding="VALID", rate=2, activation_fn=None, scope="dilated")
    d = slim.conv2d(x, 2, 1, weights_regularizer=slim.l2_regularizer(0.5), biases_initializer=None)
    return {"a": a, "b": b, "c": c, "d": d}


@case("slim.conv2d_transpose", x=X4)
def slim_conv2d_transpose(tf, layers, slim, x):
    a = slim.conv2d_transpose(x, 3, [3, 3], stride=2)
    b = slim.conv2d_transpose(x, 2, 2, stride=2, padding="VALID", activation_fn=None)
    c = slim.conv2d_transpose(x, 2, [5, 5], stride=1, scope="up")
    return {"a": a, "b": b, "c": c}


@case("slim.layer_norm", x=X3)
def slim_layer_norm(tf, layers, slim, x):
    a = slim.layer_norm(x)
    b = slim.layer_norm(x, begin_norm_axis=-1, begin_params_axis=-1, scope="ln")
    c = slim.layer_norm(x, center=False, scale=False)
    with tf.variable_scope("block"):
        d = slim.layer_norm(x * 3.0 + 1.0, begin_norm_axis=2, activation_fn=tf.nn.relu)
    return {"a": a, "b": b, "c": c, "d": d}


@case("slim.layer_norm", x=X4)
def slim_layer_norm_4d(tf, layers, slim, x):
    return {"a": slim.layer_norm(x), "b": slim.layer_norm(x, begin_norm_axis=1, begin_params_axis=1)}


@case("slim.batch_norm", x=X4B)
def slim_batch_norm_update_ops(tf, layers, slim, x):
    a = slim.batch_norm(x)
    b = slim.batch_norm(x, scale=True, decay=0.9, scope="bn")
    return {"a": a, "b": b}


@case("slim.batch_norm", x=X4B)
def slim_batch_norm_no_collection(tf, layers, slim, x):
    a = slim.batch_norm(x, updates_collections=None)
    b = slim.batch_norm(x, updates_collections=None, scale=True, epsilon=1e-6, decay=0.8)
    return {"a": a, "b": b}


@case("slim.batch_norm", x=X4B)
def slim_batch_norm_inference(tf, layers, slim, x):
    a = slim.batch_norm(x, is_training=False)
    b = slim.batch_norm(x, is_training=False, updates_collections=None,
                        param_initializers={"moving_variance": tf.constant_initializer(2.0),
                                            "moving_mean": tf.constant_initializer(0.5)})
    return {"a": a, "b": b}


@case("slim.batch_norm", x=X2)
def slim_batch_norm_2d(tf, layers, slim, x):
    a = slim.batch_norm(x, center=False, decay=0.5)
    b = slim.batch_norm(x, updates_collections=None, scale=True, decay=0.5)
    c = slim.batch_norm(x, fused=True, decay=0.5)
    return {"a": a, "b": b, "c": c}


@case("slim.batch_norm", x=X4B)
def slim_batch_norm_fused(tf, layers, slim, x):
    a = slim.batch_norm(x, fused=True, updates_collections=None, epsilon=1e-6)
    b = slim.batch_norm(x, fused=False, epsilon=1e-6)
    return {"a": a, "b": b}


@case("slim.fully_connected", x=X4B)
def slim_normalizer_fn(tf, layers, slim, x):
    h = slim.conv2d(x, 3, 3, normalizer_fn=slim.batch_norm, normalizer_params={"decay": 0.9, "scale": True})
    y = slim.fully_connected(slim.flatten(h), 2, normalizer_fn=slim.layer_norm)
    return {"h": h, "y": y}


@case("slim.flatten", x=X4)
def slim_flatten(tf, layers, slim, x):
    return {"a": slim.flatten(x), "b": slim.flatten(x, scope="flat")}


@case("slim.arg_scope", x=X4)
def slim_arg_scope(tf, layers, slim, x):
    with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.tanh,
                        weights_regularizer=slim.l2_regularizer(0.01)):
        with slim.arg_scope([slim.conv2d], padding="VALID", stride=2):
            a = slim.conv2d(x, 2, 3)
            b = slim.conv2d(x, 2, 3, padding="SAME")
        c = slim.fully_connected(slim.flatten(a), 3)
    return {"a": a, "b": b, "c": c}


@case("slim.add_arg_scope", x=X2)
def slim_add_arg_scope(tf, layers, slim, x):
    @slim.add_arg_scope
    def block(inputs, units=2, scale=1.0, scope=None):
        with tf.variable_scope(scope, "block"):
            return slim.fully_connected(inputs * scale, units)

    with slim.arg_scope([block], units=3, scale=2.0):
        a = block(x)
        b = block(x, units=1)
    return {"a": a, "b": b}


@case("slim.l2_regularizer", x=X2)
def slim_regularizers(tf, layers, slim, x):
    a = slim.fully_connected(x, 3, weights_regularizer=slim.l2_regularizer(0.25),
                             biases_regularizer=slim.l1_regularizer(0.5),
                             biases_initializer=tf.constant_initializer(0.3))
    b = layers.dense(x, 2, kernel_regularizer=slim.l2_regularizer(1.0),
                     bias_regularizer=slim.l2_regularizer(2.0), bias_initializer=tf.ones_initializer())
    return {"a": a, "b": b}


@case("slim.xavier_initializer", x=X2)
def slim_initializers(tf, layers, slim, x):
    a = slim.fully_connected(x, 64, weights_initializer=slim.xavier_initializer(uniform=False), scope="xn")
    b = slim.fully_connected(x, 64, weights_initializer=slim.variance_scaling_initializer(factor=1.0,
                                                                                        mode="FAN_AVG"),
                             scope="vs")
    c = slim.fully_connected(x, 64, weights_initializer=slim.xavier_initializer(), scope="xu")
    return {"a": a, "b": b, "c": c}


# -- as model files use them ---------------------------------------------------------------------------------
@case("tf.layers.dense", x=X3)
def bert_style_dense_and_layer_norm(tf, layers, slim, x):
    with tf.variable_scope("bert"):
        with tf.variable_scope("encoder/layer_0/attention/output"):
            h = layers.dense(x, 6, kernel_initializer=tf.truncated_normal_initializer(stddev=0.02))
            h = layers.dropout(h, rate=0.1)  # training defaults to False: the identity
            y = slim.layer_norm(inputs=h + x, begin_norm_axis=-1, begin_params_axis=-1, scope="LayerNorm")
        with tf.variable_scope("pooler"):
            pooled = layers.dense(y[:, 0], 6, activation=tf.tanh,
                                  kernel_initializer=tf.truncated_normal_initializer(stddev=0.02))
    return {"y": y, "pooled": pooled}


@case("slim.batch_norm", x=X4B)
def dcgan_style_batch_norm_train(tf, layers, slim, x):
    with tf.variable_scope("generator"):
        h = slim.conv2d_transpose(x, 3, [5, 5], stride=2, activation_fn=None,
                                  weights_initializer=tf.random_normal_initializer(stddev=0.02), scope="g_h1")
        h = slim.batch_norm(h, decay=0.9, updates_collections=None, epsilon=1e-5, scale=True, is_training=True,
                            scope="g_bn1")
        y = tf.nn.relu(h)
    return {"y": y}


@case("slim.batch_norm", x=X4B)
def dcgan_style_batch_norm_inference(tf, layers, slim, x):
    y = slim.batch_norm(x, decay=0.9, updates_collections=None, epsilon=1e-5, scale=True, is_training=False,
                        scope="d_bn1",
                        param_initializers={"moving_mean": tf.constant_initializer(0.25),
                                            "moving_variance": tf.constant_initializer(1.5)})
    return {"y": tf.nn.leaky_relu(y, 0.2)}


@case("tf.layers.dense", x=X2)
def dense_not_trainable(tf, layers, slim, x):
    a = layers.dense(x, 3, trainable=False)
    layer = layers.Dense(2, trainable=False, name="frozen")
    b = layer(a)
    return {"a": a, "b": b}


@case("slim.fully_connected", x=X2)
def slim_collections(tf, layers, slim, x):
    a = slim.fully_connected(x, 3, variables_collections=["my_vars"], outputs_collections="my_outputs")
    b = slim.fully_connected(a, 2, variables_collections={"weights": ["just_weights"]}, trainable=False)
    return {"a": a, "b": b}


@case("slim.conv2d", x=X4B)
def slim_conv2d_normalizer_inference(tf, layers, slim, x):
    with slim.arg_scope([slim.batch_norm], is_training=False, decay=0.9):
        y = slim.conv2d(x, 2, 3, normalizer_fn=slim.batch_norm, normalizer_params={"scale": True})
    return {"y": y}


@case("tf.layers.batch_normalization", x=X4B)
def batch_normalization_training_tensor(tf, layers, slim, x):
    return {"y": layers.batch_normalization(x, training=tf.constant(True), axis=3, scale=False)}


@case("tf.layers.conv2d", x=X4)
def conv2d_named_and_reused(tf, layers, slim, x):
    a = layers.conv2d(x, 2, 3, padding="same", name="c")
    b = layers.conv2d(x * 0.5, 2, 3, padding="same", name="c", reuse=True)
    with tf.variable_scope("tower", reuse=tf.AUTO_REUSE):
        c = layers.conv2d(x, 2, (1, 3), strides=(1, 2), name="c")
        d = layers.conv2d(x, 2, (1, 3), strides=(1, 2), name="c")
    return {"a": a, "b": b, "c": c, "d": d}


@case("tf.layers.conv2d", x=X4)
def conv_layers_channels_first(tf, layers, slim, x):
    xt = tf.transpose(x, [0, 3, 1, 2])
    a = layers.conv2d(xt, 2, 3, padding="same", data_format="channels_first")
    b = layers.max_pooling2d(xt, 2, 2, data_format="channels_first")
    c = layers.flatten(xt, data_format="channels_first")
    return {"a": a, "b": b, "c": c}


@case("tf.layers.Conv1D", x=X1D)
def conv_classes(tf, layers, slim, x):
    conv = layers.Conv1D(3, 2, strides=2, activation=tf.nn.relu)
    a = conv(x)
    b = conv(x * 2.0)
    up = layers.Conv2DTranspose(2, 2, strides=2, name="up")
    c = up(tf.reshape(x, [2, 1, 9, 3]))
    pool = layers.AveragePooling1D(3, 2, padding="same")
    d = pool(x)
    return {"a": a, "b": b, "c": c, "d": d}


@case("tf.layers.dropout", random=("train",), x=X4)
def dropout_class(tf, layers, slim, x):
    layer = layers.Dropout(0.25, seed=7)
    return {"off": layer(x), "off2": layer(x, training=False), "train": layer(x, training=True)}


@case("tf.layers.batch_normalization", x=X4B)
def batch_normalization_several_axes(tf, layers, slim, x):
    return {"y": layers.batch_normalization(x, axis=[1, 3], training=True, momentum=0.8)}
