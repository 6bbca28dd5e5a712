"""``tf.nn`` ops recorded on TensorFlow (activations, softmax, bias_add, moments, l2_normalize, the losses,
embedding_lookup, convolutions, pooling, dropout's argument handling): see _case.py for how a case is written.

float64 cases are NumPy-only (``jax=False``): JAX without x64 holds float64 as float32.
"""

from __future__ import annotations

import numpy as np
from _case import case, ints, rand

# the ops whose signature is recorded ("v2:" for a name TF exports only in TF 2: tf.nn.gelu)
OPS = ["nn.relu", "nn.relu6", "nn.elu", "nn.selu", "nn.leaky_relu", "v2:nn.gelu", "nn.sigmoid", "nn.tanh",
       "nn.softplus", "nn.softmax", "nn.log_softmax", "nn.bias_add", "nn.moments", "nn.l2_normalize", "nn.dropout",
       "nn.conv1d", "nn.conv2d", "nn.conv2d_transpose", "nn.depthwise_conv2d", "nn.separable_conv2d", "nn.max_pool",
       "nn.avg_pool", "nn.sigmoid_cross_entropy_with_logits", "nn.softmax_cross_entropy_with_logits",
       "nn.softmax_cross_entropy_with_logits_v2", "nn.sparse_softmax_cross_entropy_with_logits",
       "nn.embedding_lookup", "nn.xw_plus_b", "nn.batch_normalization", "nn.l2_loss", "nn.top_k", "nn.in_top_k",
       "nn.softsign"]

# inputs reaching every branch of the activations: both signs, near zero, large
EDGE = np.array([-100.0, -30.0, -8.0, -2.5, -1.0, -1e-4, 0.0, 1e-4, 0.5, 1.0, 3.0, 6.0, 7.5, 30.0, 100.0])
X = np.concatenate([EDGE, rand(30, seed=1, low=-9.0, high=9.0)]).astype(np.float32).reshape(5, 9)
X64 = X.astype(np.float64)


def _register(name, fn, jax=True, jit=True, **inputs):
    fn.__name__ = name
    case("nn", jax=jax, jit=jit, **inputs)(fn)


for _op in ("relu", "relu6", "elu", "selu", "sigmoid", "tanh", "softplus"):
    _register(_op, lambda tf, x, _op=_op: getattr(tf.nn, _op)(x), x=X)
    _register(f"{_op}_f64", lambda tf, x, _op=_op: getattr(tf.nn, _op)(x), jax=False, x=X64)
    _register(f"{_op}_named", lambda tf, x, _op=_op: [getattr(tf.nn, _op)(x, name="act"),
                                                       getattr(tf.nn, _op)(x, name="act")], x=X)


@case("nn", x=X)
def activations_in_scope(tf, x):
    with tf.name_scope("block"):
        return [tf.nn.relu(x), tf.nn.relu(x), tf.nn.leaky_relu(x), tf.nn.softmax(x), tf.sigmoid(x), tf.tanh(x)]


@case("nn", x=X)
def leaky_relu(tf, x):
    return [tf.nn.leaky_relu(x), tf.nn.leaky_relu(x, alpha=0.1), tf.nn.leaky_relu(x, 1.5, name="lr")]


@case("nn", jax=False, x=X64)
def leaky_relu_f64(tf, x):
    return tf.nn.leaky_relu(x, alpha=0.3)


@case("nn", i=np.array([-3, 0, 4], np.int32))
def relu_int(tf, i):
    return [tf.nn.relu(i), tf.nn.leaky_relu(i)]


@case("nn", x=X)
def sigmoid_tanh_toplevel(tf, x):
    return [tf.sigmoid(x), tf.tanh(x)]


LOGITS = rand(4, 6, seed=2, low=-4.0, high=4.0)
LOGITS3 = rand(2, 3, 5, seed=3, low=-3.0, high=3.0)
BIG = np.array([[1000.0, 999.0, -1000.0]], np.float32)


@case("nn", x=LOGITS, y=LOGITS3, big=BIG)
def softmax(tf, x, y, big):
    return [tf.nn.softmax(x), tf.nn.softmax(x, axis=0), tf.nn.softmax(x, dim=0), tf.nn.softmax(y, axis=1),
            tf.nn.softmax(x, axis=-1), tf.nn.softmax(x, name="probs"), tf.nn.softmax(big)]


@case("nn", x=LOGITS, y=LOGITS3, big=BIG)
def log_softmax(tf, x, y, big):
    return [tf.nn.log_softmax(x), tf.nn.log_softmax(x, axis=0), tf.nn.log_softmax(y, axis=-2),
            tf.nn.log_softmax(big), tf.nn.log_softmax(x, 1, name="lp")]


@case("nn", jax=False, x=LOGITS.astype(np.float64))
def softmax_f64(tf, x):
    return [tf.nn.softmax(x), tf.nn.log_softmax(x, axis=0)]


@case("nn", x=LOGITS)
def softmax_both_axis_and_dim(tf, x):
    return tf.nn.softmax(x, axis=0, dim=0)


X4 = rand(2, 5, 6, 3, seed=4, low=-2.0, high=3.0)
B3 = rand(3, seed=7)
B5 = rand(5, seed=8)


@case("nn", x=X4, b=B3, c=B5, m=rand(3, 4, seed=5), v=rand(4, seed=6))
def bias_add(tf, x, b, c, m, v):
    return [tf.nn.bias_add(m, v), tf.nn.bias_add(x, b), tf.nn.bias_add(x, c, data_format="NCHW"),
            tf.nn.bias_add(x, b, data_format="NHWC", name="plus")]


@case("nn", x=X4, b=B5)
def bias_add_wrong_size(tf, x, b):
    return tf.nn.bias_add(x, b)


@case("nn", x=X4)
def moments(tf, x):
    return [tf.nn.moments(x, [0]), tf.nn.moments(x, [0, 1, 2]), tf.nn.moments(x, [1, 2], keep_dims=True),
            tf.nn.moments(x, [0, 1, 2], keepdims=True), tf.nn.moments(x, axes=[-1], name="stats")]


@case("nn", jax=False, x=X4.astype(np.float64))
def moments_f64(tf, x):
    return tf.nn.moments(x, [0, 1])


@case("nn", jax=False, x=X4.astype(np.float16))
def moments_f16(tf, x):
    return tf.nn.moments(x, [0, 1, 2])


@case("nn", x=LOGITS, x4=X4, z=np.array([[0.0, 0.0], [3.0, 4.0]], np.float32))
def l2_normalize(tf, x, x4, z):
    return [tf.nn.l2_normalize(x), tf.nn.l2_normalize(x, axis=1), tf.nn.l2_normalize(x4, axis=[1, 2]),
            tf.nn.l2_normalize(x, dim=0), tf.nn.l2_normalize(x * 1e-3, axis=1, epsilon=1e-3),
            tf.nn.l2_normalize(z, 1)]


LABELS01 = rand(4, 6, seed=10, low=0.0, high=1.0)
ONE_HOT = np.eye(6, dtype=np.float32)[[1, 0, 5, 3]]
SOFT = np.random.RandomState(11).dirichlet(np.ones(6), 4).astype(np.float32)


@case("nn", z=LABELS01, x=LOGITS, ez=np.array([0.0, 1.0, 0.5, 1.0, 0.0], np.float32),
      ex=np.array([-50.0, -50.0, 0.0, 50.0, 50.0], np.float32))
def sigmoid_cross_entropy(tf, z, x, ez, ex):
    return [tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x),
            tf.nn.sigmoid_cross_entropy_with_logits(labels=ez, logits=ex, name="bce")]


@case("nn", jax=False, z=LABELS01.astype(np.float64), x=LOGITS.astype(np.float64))
def sigmoid_cross_entropy_f64(tf, z, x):
    return tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)


@case("nn", z=LABELS01[:2], x=LOGITS)
def sigmoid_cross_entropy_shapes(tf, z, x):
    return tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)


@case("nn", onehot=ONE_HOT, soft=SOFT, x=LOGITS)
def softmax_cross_entropy_v1(tf, onehot, soft, x):
    return [tf.nn.softmax_cross_entropy_with_logits(labels=onehot, logits=x),
            tf.nn.softmax_cross_entropy_with_logits(labels=soft, logits=x),
            tf.nn.softmax_cross_entropy_with_logits(labels=soft, logits=x, dim=0)]


@case("nn", soft=SOFT, x=LOGITS)
def softmax_cross_entropy_v1_axis(tf, soft, x):
    return tf.nn.softmax_cross_entropy_with_logits(labels=soft, logits=x, axis=0)  # dim=-1 by default: clash


@case("nn", soft=SOFT, x=LOGITS, z3=np.eye(5, dtype=np.float32)[ints(2, 3, seed=12, high=5)], y=LOGITS3,
      big=BIG, bz=np.array([[0.0, 1.0, 0.0]], np.float32))
def softmax_cross_entropy_v2(tf, soft, x, z3, y, big, bz):
    return [tf.nn.softmax_cross_entropy_with_logits_v2(soft, x),
            tf.nn.softmax_cross_entropy_with_logits_v2(labels=soft, logits=x, axis=0),
            tf.nn.softmax_cross_entropy_with_logits_v2(labels=z3, logits=y),
            tf.nn.softmax_cross_entropy_with_logits_v2(labels=bz, logits=big, name="xent")]


@case("nn", a=np.array([1, 0, 5, 3], np.int32), x=LOGITS, b=ints(2, 3, seed=13, high=5), y=LOGITS3)
def sparse_softmax_cross_entropy(tf, a, x, b, y):
    return [tf.nn.sparse_softmax_cross_entropy_with_logits(labels=a, logits=x),
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.cast(a, tf.int64), logits=x),
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=b, logits=y, name="ce")]


@case("nn", jax=False, a=np.array([1, 0, 5, 3], np.int32), x=LOGITS.astype(np.float64))
def sparse_softmax_cross_entropy_f64(tf, a, x):
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=a, logits=x)


@case("nn", jax=False, a=np.array([1, 7, 5, 3], np.int32), x=LOGITS)
def sparse_softmax_cross_entropy_bad_label(tf, a, x):
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=a, logits=x)


@case("nn", a=np.array([1, 0], np.int32), x=LOGITS)
def sparse_softmax_cross_entropy_shapes(tf, a, x):
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=a, logits=x)


TABLE = rand(10, 4, seed=14, low=-2.0, high=2.0)
IDS = np.array([[0, 9, 3], [4, 4, 7]], np.int32)


@case("nn", t=TABLE, ids=IDS, ids1=np.array([3, 1, 3], np.int32), one=np.array(5, np.int32),
      t3=rand(6, 2, 3, seed=15))
def embedding_lookup_single(tf, t, ids, ids1, one, t3):
    return [tf.nn.embedding_lookup(t, ids), tf.nn.embedding_lookup([t], ids1), tf.nn.embedding_lookup(t, one),
            tf.nn.embedding_lookup(t3, ids1[:2]), tf.nn.embedding_lookup(t, ids, name="emb")]


@case("nn", a=TABLE[0::3], b=TABLE[1::3], c=TABLE[2::3], ids=IDS)
def embedding_lookup_mod(tf, a, b, c, ids):
    return [tf.nn.embedding_lookup([a, b, c], ids), tf.nn.embedding_lookup([a, b, c], tf.reshape(ids, [-1]),
                                                                           partition_strategy="mod")]


@case("nn", a=TABLE[:4], b=TABLE[4:7], c=TABLE[7:], ids=IDS, d=TABLE[:5], e=TABLE[5:],
      all_ids=np.arange(10, dtype=np.int32))
def embedding_lookup_div(tf, a, b, c, ids, d, e, all_ids):
    return [tf.nn.embedding_lookup([a, b, c], ids, partition_strategy="div"),
            tf.nn.embedding_lookup([d, e], all_ids, partition_strategy="div")]


@case("nn", t=TABLE, a=TABLE[:4], b=TABLE[4:7], c=TABLE[7:], ids=IDS)
def embedding_lookup_max_norm(tf, t, a, b, c, ids):
    return [tf.nn.embedding_lookup(t * 3, ids, max_norm=1.5),
            tf.nn.embedding_lookup([a * 3, b * 3, c * 3], ids, partition_strategy="div", max_norm=2.0)]


@case("nn", a=TABLE[:4], b=TABLE[4:7], ids=IDS)
def embedding_lookup_bad_strategy(tf, a, b, ids):
    return tf.nn.embedding_lookup([a, b], ids, partition_strategy="foo")


@case("nn", ids=IDS)
def embedding_lookup_no_params(tf, ids):
    return tf.nn.embedding_lookup([], ids)


@case("nn", jax=False, t=TABLE, ids=np.array([1, 10], np.int32))
def embedding_lookup_bad_id(tf, t, ids):
    return tf.nn.embedding_lookup(t, ids)


@case("nn", ids=np.array([3, 0, 5], np.int32))
def embedding_lookup_partitioned_variable(tf, ids):
    def init(shape, dtype=None, partition_info=None):  # row r of the full table holds r * 10 + column
        start = partition_info.var_offset[0]
        rows = np.arange(start, start + shape[0], dtype=np.float32)[:, None] * 10
        return rows + np.arange(shape[1], dtype=np.float32)

    emb = tf.get_variable("emb", [7, 4], initializer=init, partitioner=tf.fixed_size_partitioner(3))
    return [tf.nn.embedding_lookup(emb, ids), tf.nn.embedding_lookup(emb, ids, partition_strategy="div")]


IMG = rand(2, 7, 6, 3, seed=20)
IMG_NCHW = np.ascontiguousarray(IMG.transpose(0, 3, 1, 2))
K33 = rand(3, 3, 3, 4, seed=21)
K23 = rand(2, 3, 3, 4, seed=22)
K44 = rand(4, 4, 3, 2, seed=23)
SIG = rand(2, 9, 3, seed=24)
K1D = rand(3, 3, 5, seed=25)


@case("nn", s=SIG, k=K1D, sn=np.ascontiguousarray(SIG.transpose(0, 2, 1)))
def conv1d(tf, s, k, sn):
    return [tf.nn.conv1d(s, k, 1, "SAME"), tf.nn.conv1d(s, k, 2, "VALID"),
            tf.nn.conv1d(value=s, filters=k, stride=2, padding="SAME"), tf.nn.conv1d(s, k, 1, "SAME", dilations=2),
            tf.nn.conv1d(sn, k, 2, "SAME", data_format="NCW"), tf.nn.conv1d(input=s, filters=k, stride=[1],
                                                                            padding="VALID", name="c1")]


@case("nn", x=IMG, k=K33)
def conv2d_padding_strides(tf, x, k):
    return [tf.nn.conv2d(x, k, [1, 1, 1, 1], "SAME"), tf.nn.conv2d(x, k, [1, 1, 1, 1], "VALID"),
            tf.nn.conv2d(x, k, [1, 2, 2, 1], "SAME"), tf.nn.conv2d(x, k, [1, 2, 2, 1], "VALID"),
            tf.nn.conv2d(x, k, 3, "SAME"), tf.nn.conv2d(x, k, [2, 1], "VALID", name="conv")]


@case("nn", x=IMG, k23=K23, k44=K44, k11=rand(1, 1, 3, 5, seed=26))
def conv2d_kernels(tf, x, k23, k44, k11):
    return [tf.nn.conv2d(x, k23, [1, 2, 3, 1], "SAME"), tf.nn.conv2d(x, k44, 1, "SAME"),
            tf.nn.conv2d(x, k44, [3, 3], "SAME"), tf.nn.conv2d(x, k23, 2, "VALID"), tf.nn.conv2d(x, k11, 1, "VALID"),
            tf.nn.conv2d(x, filters=k23, strides=1, padding="VALID")]


@case("nn", x=IMG, k=K33, k23=K23)
def conv2d_dilations(tf, x, k, k23):
    return [tf.nn.conv2d(x, k, [1, 1, 1, 1], "SAME", dilations=[1, 2, 2, 1]),
            tf.nn.conv2d(x, k23, [1, 1, 1, 1], "VALID", dilations=[1, 2, 1, 1]),
            tf.nn.conv2d(x, k23, 1, "SAME", dilations=2)]


@case("nn", x=IMG, k=K33, xn=IMG_NCHW)
def conv2d_explicit_and_nchw(tf, x, k, xn):
    return [tf.nn.conv2d(x, k, 1, [[0, 0], [1, 2], [0, 1], [0, 0]]),
            tf.nn.conv2d(xn, k, [1, 1, 2, 2], "SAME", data_format="NCHW"),
            tf.nn.conv2d(xn, k, 1, [[0, 0], [0, 0], [2, 0], [1, 1]], data_format="NCHW")]


@case("nn", jax=False, x=IMG.astype(np.float64), k=K33.astype(np.float64))
def conv2d_f64(tf, x, k):
    return tf.nn.conv2d(x, k, 2, "SAME")


@case("nn", x=IMG, k=rand(3, 3, 4, 2, seed=27))
def conv2d_wrong_channels(tf, x, k):
    return tf.nn.conv2d(x, k, 1, "SAME")


DY = rand(2, 4, 3, 4, seed=30)
KT = rand(3, 3, 5, 4, seed=31)


@case("nn", dy=DY, k=KT)
def conv2d_transpose(tf, dy, k):
    return [tf.nn.conv2d_transpose(dy, k, [2, 7, 6, 5], [1, 2, 2, 1], "SAME"),
            tf.nn.conv2d_transpose(dy, k, [2, 8, 6, 5], [1, 2, 2, 1], "SAME"),
            tf.nn.conv2d_transpose(dy, k, [2, 9, 7, 5], [1, 2, 2, 1], "VALID"),
            tf.nn.conv2d_transpose(dy, k, [2, 10, 8, 5], [1, 2, 2, 1], "VALID"),
            tf.nn.conv2d_transpose(dy, k, [2, 4, 3, 5], [1, 1, 1, 1], "SAME"),
            tf.nn.conv2d_transpose(value=dy, filter=k, output_shape=[2, 12, 9, 5], strides=[1, 3, 3, 1],
                                   padding="SAME", name="up"),
            tf.nn.conv2d_transpose(dy, k, np.array([2, 8, 6, 5], np.int32), 2)]


@case("nn", dy=DY, k=KT, dyn=np.ascontiguousarray(DY.transpose(0, 3, 1, 2)))
def conv2d_transpose_dilated_nchw(tf, dy, k, dyn):
    return [tf.nn.conv2d_transpose(dy, k, [2, 4, 3, 5], 1, "SAME", dilations=[1, 2, 2, 1]),
            tf.nn.conv2d_transpose(dyn, k, [2, 5, 7, 6], [1, 1, 2, 2], "SAME", data_format="NCHW")]


@case("nn", jax=False, dy=DY, k=KT)
def conv2d_transpose_wrong_shape(tf, dy, k):
    return tf.nn.conv2d_transpose(dy, k, [2, 7, 6, 4], 2)


KD = rand(3, 3, 3, 2, seed=40)
KP = rand(1, 1, 6, 4, seed=41)


@case("nn", x=IMG, k=KD, k1=rand(2, 2, 3, 1, seed=42), xn=IMG_NCHW)
def depthwise_conv2d(tf, x, k, k1, xn):
    return [tf.nn.depthwise_conv2d(x, k, [1, 1, 1, 1], "SAME"), tf.nn.depthwise_conv2d(x, k, [1, 2, 2, 1], "VALID"),
            tf.nn.depthwise_conv2d(x, k, [1, 2, 2, 1], "SAME"), tf.nn.depthwise_conv2d(x, k1, [1, 1, 1, 1], "SAME"),
            tf.nn.depthwise_conv2d(xn, k, [1, 1, 2, 2], "SAME", data_format="NCHW", name="dw")]


@case("nn", x=IMG, k=KD)
def depthwise_conv2d_rate(tf, x, k):
    return [tf.nn.depthwise_conv2d(x, k, [1, 1, 1, 1], "SAME", rate=[2, 2]),
            tf.nn.depthwise_conv2d(x, k, [1, 1, 1, 1], "VALID", rate=[2, 1]),
            tf.nn.depthwise_conv2d(x, k, [1, 1, 1, 1], "SAME", dilations=[2, 2])]


@case("nn", x=IMG, k=KD, p=KP, xn=IMG_NCHW)
def separable_conv2d(tf, x, k, p, xn):
    return [tf.nn.separable_conv2d(x, k, p, [1, 1, 1, 1], "SAME"),
            tf.nn.separable_conv2d(x, k, p, [1, 2, 2, 1], "VALID"),
            tf.nn.separable_conv2d(x, k, p, [1, 1, 1, 1], "SAME", rate=[2, 2]),
            tf.nn.separable_conv2d(xn, k, p, [1, 1, 1, 1], "VALID", data_format="NCHW", name="sep")]


for _kind in ("max_pool", "avg_pool"):
    def _pools(tf, x, _kind=_kind):
        pool = getattr(tf.nn, _kind)
        return [pool(x, [1, k, k, 1], [1, s, s, 1], pad) for pad in ("SAME", "VALID")
                for k, s in ((2, 2), (3, 2), (3, 1), (2, 3))]

    def _pool_forms(tf, x, xn, _kind=_kind):
        pool = getattr(tf.nn, _kind)
        return [pool(x, 3, 2, "SAME"), pool(x, [1, 3, 2, 1], [1, 2, 1, 1], "SAME"),
                pool(xn, [1, 1, 3, 3], [1, 1, 2, 2], "SAME", data_format="NCHW"),
                pool(x, [1, 7, 6, 1], [1, 1, 1, 1], "SAME"), pool(x, [2, 2], [2, 2], "VALID", name="pool"),
                pool(None, [1, 2, 2, 1], [1, 2, 2, 1], "VALID", input=x)]

    _register(_kind, _pools, x=IMG)
    _register(f"{_kind}_forms", _pool_forms, x=IMG, xn=IMG_NCHW)
    _register(f"{_kind}_f64", lambda tf, x, _kind=_kind: getattr(tf.nn, _kind)(x, [1, 3, 3, 1], [1, 2, 2, 1], "SAME"),
              jax=False, x=IMG.astype(np.float64))


D = rand(40, 50, seed=50, low=2.0, high=4.0)


@case("nn", x=D)
def dropout_fast_path(tf, x):
    t = tf.identity(x)
    return [tf.nn.dropout(x, rate=0.0), tf.nn.dropout(x, keep_prob=1.0), tf.nn.dropout(t, rate=0.0)]


@case("nn", x=D)
def dropout_rate_and_keep_prob(tf, x):
    return tf.nn.dropout(x, keep_prob=0.5, rate=0.5)


@case("nn", x=D)
def dropout_no_rate(tf, x):
    return tf.nn.dropout(x)


@case("nn", x=D)
def dropout_rate_one(tf, x):
    return tf.nn.dropout(x, rate=1.0)


@case("nn", x=D)
def dropout_negative_rate(tf, x):
    return tf.nn.dropout(x, rate=-0.1)


@case("nn", i=np.ones(3, np.int32))
def dropout_int(tf, i):
    return tf.nn.dropout(i, rate=0.5)


# -- ops TF composes from others (nn_impl) -----------------------------------------------------------------
@case("nn", x=X[:, :4], w=rand(4, 3, seed=60), b=rand(3, seed=61))
def xw_plus_b(tf, x, w, b):
    x, w, b = tf.constant(x), tf.constant(w), tf.constant(b)
    return [tf.nn.xw_plus_b(x, w, b), tf.nn.xw_plus_b(x, w, b, name="fc"), tf.nn.xw_plus_b(x, w, b)]


@case("nn", x=rand(4, 3, seed=62), m=rand(3, seed=63), v=rand(3, seed=64, low=0.1, high=2.0), o=rand(3, seed=65),
      s=rand(3, seed=66))
def batch_normalization(tf, x, m, v, o, s):
    x, m, v, o, s = (tf.constant(a) for a in (x, m, v, o, s))
    return [tf.nn.batch_normalization(x, m, v, o, s, 1e-3), tf.nn.batch_normalization(x, m, v, None, None, 1e-3),
            tf.nn.batch_normalization(x, m, v, o, None, 1e-5, name="bn")]


@case("nn", x=X)
def l2_loss_softsign(tf, x):
    x = tf.constant(x)
    return [tf.nn.l2_loss(x), tf.nn.l2_loss(x, name="wd"), tf.nn.softsign(x), tf.nn.softsign(x, name="ss")]


@case("nn", p=np.array([[0.1, 0.8, 0.1, 0.8], [0.5, 0.2, 0.2, 0.1], [0.3, 0.3, 0.3, 0.1]], np.float32),
      t=np.array([3, 1, 0], np.int32))
def top_k_in_top_k(tf, p, t):
    p, t = tf.constant(p), tf.constant(t)
    values, indices = tf.nn.top_k(p, k=2)
    return [values, indices, tf.nn.in_top_k(p, t, 1), tf.nn.in_top_k(p, t, 2, name="hit")]
