"""Surface conformance scenarios: initializers (§6), regularizers (§7), custom getters (§9), partitioning (§10),
use_resource / caching_device / constraint (§11), make_template / Template (§12) and create_partitioned_variables.

Every scenario is ``scn_<name>(tf1, h)``; ``SCENARIOS`` maps ``<name>`` to the function.  Spec references are to
/work/shared/spec/variable-scope.md.  Random initializers can't match TensorFlow bit-for-bit, so their scenarios log
shape, dtype and *tolerant* statistics over large variables (``round(std / expected, 1)``, booleans such as
``max|x| <= limit``); deterministic initializers log exact values.  Backend differences go through ``h`` hooks
(``h.op``, ``h.value``, ``h.regularizer``, ``h.partition_info``).

Do not edit a scenario to make varscope pass: the fixture recorded from TensorFlow is the truth.  Adding or changing
a scenario requires re-recording ``tests/fixtures/tf_surface.json`` with ``tools/record_tf.py --suite surface``.
"""

from __future__ import annotations

import math

import numpy as np

from .harness import error_type_name, normalize_message, scenario_registry

SCENARIOS, scenario, _family = scenario_registry()


# -- helpers ---------------------------------------------------------------------------------------------------------

def tagging_getter(log, tag):
    """A pass-through custom getter that appends ``tag`` to ``log`` on every call."""
    def g(getter, *a, **k):
        log.append(tag)
        return getter(*a, **k)
    return g


def names(xs):
    return [x.name for x in xs]


def var(h, label, v):
    """Log a variable: name, shape, dtype, trainable."""
    h.log(label, v.name, str(v.shape), v.dtype, v.trainable)


def val(h, label, v):
    """Log a variable's exact initial value (deterministic initializers only)."""
    h.log(label, h.value(v))


def stats(h, label, v, limit=None, std=None, mean=0.0, lower=None, upper=None):
    """Log tolerant statistics of a (large) randomly initialized variable.

    ``limit``: log ``max|x - mean| <= limit`` and ``max|x - mean| >= 0.9 * limit`` (the bound is reached);
    ``std``: log ``round(std(x) / std, 1)``; always log ``|mean(x) - mean| < 0.05 * scale``;
    ``lower``/``upper``: log ``min(x) >= lower`` / ``max(x) < upper``."""
    a = np.asarray(h.value(v), dtype=np.float64)
    rec = [label, str(v.shape), v.dtype]
    scale = limit if limit is not None else (std if std is not None else 1.0)
    rtol = {"float16": 1e-3, "bfloat16": 1e-2}.get(v.dtype.name, 1e-5)  # rounding of the limit in the variable dtype
    if limit is not None:
        m = float(np.max(np.abs(a - mean)))
        rec += ["max<=limit", bool(m <= limit * (1 + rtol) + 1e-7), "max>=0.9limit", bool(m >= 0.9 * limit)]
    if std is not None:
        rec += ["std/expected", round(float(a.std()) / std, 1)]
    rec += ["mean~", bool(abs(float(a.mean()) - mean) < 0.05 * scale)]
    if lower is not None:
        rec += ["min>=lower", bool(float(a.min()) >= lower)]
    if upper is not None:
        rec += ["max<upper", bool(float(a.max()) < upper)]
    h.log(*rec)


def colls(tf1, h, label="collections"):
    h.log(label, names(tf1.global_variables()), names(tf1.trainable_variables()), names(tf1.local_variables()))


def losses(tf1):
    return tf1.get_collection(tf1.GraphKeys.REGULARIZATION_LOSSES)


def loss_values(h, ls):
    return [round(float(h.value(x)), 5) for x in ls]


def terr(h, fn):
    """Run ``fn()`` (typically a template call).  On error log the type, the message before
    ``"\\n\\noriginally defined at:"`` and whether that suffix (with a ``File`` line) is present."""
    try:
        result = fn()
    except Exception as e:  # noqa: BLE001
        msg = e.args[0] if e.args and isinstance(e.args[0], str) else str(e)
        head, sep, tail = msg.partition("\n\noriginally defined at:")
        h.log("error", error_type_name(e), normalize_message(head), bool(sep), bool(sep) and "File " in tail)
        return None
    h.log("ok", result)
    return result


def glorot_limit(fan_in, fan_out, scale=1.0):
    return math.sqrt(3.0 * scale / max(1.0, (fan_in + fan_out) / 2.0))


# =====================================================================================================================
# §6  initializers: deterministic values
# =====================================================================================================================

def _zeros_body(tf1, h, dt):
    v = tf1.get_variable("z", [2, 3], dtype=getattr(tf1, dt), initializer=tf1.zeros_initializer())
    var(h, "var", v)
    val(h, "value", v)


_family("init_zeros", [(d, d) for d in ("float32", "float64", "float16", "int32", "int64", "uint8", "bool")],
        _zeros_body)


def _ones_body(tf1, h, dt):
    v = tf1.get_variable("o", [3, 2], dtype=getattr(tf1, dt), initializer=tf1.ones_initializer())
    var(h, "var", v)
    val(h, "value", v)


_family("init_ones", [(d, d) for d in ("float32", "float64", "int32", "int64", "bool")], _ones_body)


@scenario
def scn_init_zeros_string(tf1, h):
    v = tf1.get_variable("s", [2], dtype=tf1.string, initializer=tf1.zeros_initializer())
    var(h, "var", v)
    h.log([bytes(x) for x in h.value(v).tolist()] == [b"", b""])


@scenario
def scn_init_zeros_scalar_and_rank3(tf1, h):
    a = tf1.get_variable("a", [], initializer=tf1.zeros_initializer())
    b = tf1.get_variable("b", [2, 1, 2], initializer=tf1.zeros_initializer())
    var(h, "a", a)
    val(h, "a", a)
    var(h, "b", b)
    val(h, "b", b)


@scenario
def scn_init_zeros_initializer_dtype_overridden_by_variable(tf1, h):
    v = tf1.get_variable("v", [2], dtype=tf1.float64, initializer=tf1.zeros_initializer(dtype=tf1.int32))
    var(h, "var", v)
    val(h, "value", v)


@scenario
def scn_init_ones_initializer_class_not_instance(tf1, h):
    v = tf1.get_variable("v", [2], initializer=tf1.ones_initializer)
    var(h, "var", v)
    val(h, "value", v)


@scenario
def scn_init_initializers_namespace_zeros_ones(tf1, h):
    a = tf1.get_variable("a", [2], initializer=tf1.initializers.zeros())
    b = tf1.get_variable("b", [2], initializer=tf1.initializers.ones())
    c = tf1.get_variable("c", [2], initializer=tf1.initializers.constant(7.0))
    for x in (a, b, c):
        val(h, x.name, x)


def _const_body(tf1, h, p):
    value, shape, dt = p
    v = h.expect_error(lambda: tf1.get_variable("c", shape, dtype=getattr(tf1, dt),
                                                initializer=tf1.constant_initializer(value)))
    if v is not None:
        var(h, "var", v)
        val(h, "value", v)


_family("init_constant", [
    ("scalar_fill", (3.5, [2, 2], "float32")),
    ("scalar_fill_int", (7, [3], "int32")),
    ("scalar_fill_float64", (0.25, [2, 1], "float64")),
    ("list_exact", ([1.0, 2.0, 3.0, 4.0], [4], "float32")),
    ("list_reshaped_2x2", ([1.0, 2.0, 3.0, 4.0], [2, 2], "float32")),
    ("list_reshaped_2x3", ([1, 2, 3, 4, 5, 6], [2, 3], "int32")),
    ("nested_list_reshaped", ([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [2, 3], "float32")),
    ("list_shorter_pads_last", ([1.0, 2.0], [2, 3], "float32")),
    ("list_longer_error", ([1.0, 2.0, 3.0, 4.0, 5.0], [2, 2], "float32")),
    ("numpy_array", (np.arange(6, dtype=np.float32), [3, 2], "float32")),
    ("float_into_int_error", (3.0, [2], "int32")),
    ("int_into_float", (3, [2], "float32")),
    ("bool_value", (True, [2], "bool")),
    ("negative_into_uint8", (-1, [2], "uint8")),
    ("list_into_scalar_shape", ([5.0], [], "float32")),
    ("rank3", ([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2], "int64")),
], _const_body)


@scenario
def scn_init_constant_scope_initializer(tf1, h):
    with tf1.variable_scope("s", initializer=tf1.constant_initializer(2.0)):
        a = tf1.get_variable("a", [2])
        b = tf1.get_variable("b", [2], dtype=tf1.float64)
        c = tf1.get_variable("c", [2], initializer=tf1.ones_initializer())
    for x in (a, b, c):
        var(h, "var", x)
        val(h, "value", x)


def _identity_body(tf1, h, p):
    shape, gain, dt = p
    kw = {} if gain is None else {"gain": gain}
    v = h.expect_error(lambda: tf1.get_variable("i", shape, dtype=getattr(tf1, dt),
                                                initializer=tf1.initializers.identity(**kw)))
    if v is not None:
        var(h, "var", v)
        val(h, "value", v)


_family("init_identity", [
    ("square", ([3, 3], None, "float32")),
    ("wide", ([2, 4], None, "float32")),
    ("tall", ([4, 2], None, "float32")),
    ("gain", ([2, 2], 2.5, "float32")),
    ("float64", ([2, 2], None, "float64")),
    ("rank1_error", ([3], None, "float32")),
    ("rank3_error", ([2, 2, 2], None, "float32")),
], _identity_body)


def _orth_body(tf1, h, p):
    shape, gain = p
    kw = {} if gain is None else {"gain": gain}
    v = h.expect_error(lambda: tf1.get_variable("q", shape, initializer=tf1.orthogonal_initializer(**kw)))
    if v is None:
        return
    var(h, "var", v)
    a = np.asarray(h.value(v), dtype=np.float64)
    g = 1.0 if gain is None else gain
    flat = a.reshape(-1, a.shape[-1])
    rows, cols = flat.shape
    if rows >= cols:
        gram = flat.T @ flat
        h.log("columns orthonormal * gain^2", bool(np.allclose(gram, g * g * np.eye(cols), atol=1e-4)))
    else:
        gram = flat @ flat.T
        h.log("rows orthonormal * gain^2", bool(np.allclose(gram, g * g * np.eye(rows), atol=1e-4)))


_family("init_orthogonal", [
    ("square", ([6, 6], None)),
    ("tall", ([8, 3], None)),
    ("wide", ([3, 8], None)),
    ("rank3", ([2, 3, 4], None)),
    ("rank4", ([2, 2, 3, 5], None)),
    ("gain", ([5, 5], 3.0)),
    ("rank1_error", ([4], None)),
    ("scalar_error", ([], None)),
], _orth_body)


@scenario
def scn_init_orthogonal_namespace_alias(tf1, h):
    v = tf1.get_variable("q", [4, 4], initializer=tf1.initializers.orthogonal())
    a = np.asarray(h.value(v), dtype=np.float64)
    var(h, "var", v)
    h.log(bool(np.allclose(a.T @ a, np.eye(4), atol=1e-4)))


@scenario
def scn_init_orthogonal_float64(tf1, h):
    v = tf1.get_variable("q", [5, 3], dtype=tf1.float64, initializer=tf1.orthogonal_initializer())
    a = np.asarray(h.value(v))
    var(h, "var", v)
    h.log(bool(np.allclose(a.T @ a, np.eye(3), atol=1e-8)))


# =====================================================================================================================
# §6  initializers: random ones (tolerant statistics over large variables)
# =====================================================================================================================

def _fans(shape):
    if len(shape) < 1:
        return 1.0, 1.0
    if len(shape) == 1:
        return float(shape[0]), float(shape[0])
    if len(shape) == 2:
        return float(shape[0]), float(shape[1])
    r = 1.0
    for d in shape[:-2]:
        r *= d
    return float(shape[-2] * r), float(shape[-1] * r)


def _vs_n(shape, mode):
    fan_in, fan_out = _fans(shape)
    if mode == "fan_in":
        return max(1.0, fan_in)
    if mode == "fan_out":
        return max(1.0, fan_out)
    return max(1.0, (fan_in + fan_out) / 2.0)


_VS_SHAPES = {"200x200": [200, 200], "100x400": [100, 400], "conv3x3x64x128": [3, 3, 64, 128],
              "r3_4x50x200": [4, 50, 200], "r1_40000": [40000]}


def _vs_body(tf1, h, p):
    shape_key, mode, dist, scale = p
    shape = _VS_SHAPES[shape_key]
    init = tf1.variance_scaling_initializer(scale=scale, mode=mode, distribution=dist)
    v = tf1.get_variable("w", shape, initializer=init)
    n = _vs_n(shape, mode)
    if dist == "uniform":
        stats(h, "uniform", v, limit=math.sqrt(3.0 * scale / n))
    elif dist == "untruncated_normal":
        stats(h, "untruncated", v, std=math.sqrt(scale / n))
    else:  # truncated_normal / normal
        sd = math.sqrt(scale / n)
        stats(h, "truncated", v, limit=2.0 * sd / 0.87962566103423978, std=sd)


_family("init_vs", [
    ("uniform_fan_in_100x400", ("100x400", "fan_in", "uniform", 1.0)),
    ("uniform_fan_out_100x400", ("100x400", "fan_out", "uniform", 1.0)),
    ("uniform_fan_avg_100x400", ("100x400", "fan_avg", "uniform", 1.0)),
    ("uniform_fan_in_conv", ("conv3x3x64x128", "fan_in", "uniform", 2.0)),
    ("uniform_fan_out_conv", ("conv3x3x64x128", "fan_out", "uniform", 2.0)),
    ("uniform_fan_avg_conv", ("conv3x3x64x128", "fan_avg", "uniform", 1.0)),
    ("uniform_fan_in_rank3", ("r3_4x50x200", "fan_in", "uniform", 1.0)),
    ("uniform_fan_out_rank3", ("r3_4x50x200", "fan_out", "uniform", 1.0)),
    ("uniform_rank1", ("r1_40000", "fan_avg", "uniform", 1.0)),
    ("truncated_fan_in_200x200", ("200x200", "fan_in", "truncated_normal", 1.0)),
    ("truncated_fan_out_100x400", ("100x400", "fan_out", "truncated_normal", 2.0)),
    ("normal_alias_is_truncated", ("100x400", "fan_in", "normal", 1.0)),
    ("untruncated_fan_avg_100x400", ("100x400", "fan_avg", "untruncated_normal", 1.0)),
    ("untruncated_fan_in_conv", ("conv3x3x64x128", "fan_in", "untruncated_normal", 2.0)),
], _vs_body)


@scenario
def scn_init_vs_default_args_truncated_fan_in(tf1, h):
    v = tf1.get_variable("w", [100, 400], initializer=tf1.variance_scaling_initializer())
    sd = math.sqrt(1.0 / 100)
    stats(h, "default", v, limit=2.0 * sd / 0.87962566103423978, std=sd)


@scenario
def scn_init_vs_errors(tf1, h):
    h.expect_error(lambda: type(tf1.variance_scaling_initializer(scale=0.0)).__name__)
    h.expect_error(lambda: type(tf1.variance_scaling_initializer(scale=-1.0)).__name__)
    h.expect_error(lambda: type(tf1.variance_scaling_initializer(mode="fan_sum")).__name__)
    h.expect_error(lambda: type(tf1.variance_scaling_initializer(distribution="gamma")).__name__)


@scenario
def scn_init_vs_distribution_case_insensitive(tf1, h):
    init = h.expect_error(lambda: tf1.variance_scaling_initializer(distribution="Uniform") is not None)
    if init:
        v = tf1.get_variable("w", [200, 200], initializer=tf1.variance_scaling_initializer(distribution="Uniform"))
        stats(h, "uniform", v, limit=math.sqrt(3.0 / 200))


@scenario
def scn_init_vs_scalar_shape(tf1, h):
    v = tf1.get_variable("s", [], initializer=tf1.variance_scaling_initializer(distribution="uniform"))
    var(h, "var", v)
    h.log(bool(abs(float(h.value(v))) <= math.sqrt(3.0)))


def _named_vs_body(tf1, h, p):
    ctor, shape, kind, scale, mode = p
    init = getattr(tf1.initializers, ctor)()
    v = tf1.get_variable("w", shape, initializer=init)
    n = _vs_n(shape, mode)
    if kind == "uniform":
        stats(h, ctor, v, limit=math.sqrt(3.0 * scale / n))
    else:
        sd = math.sqrt(scale / n)
        stats(h, ctor, v, limit=2.0 * sd / 0.87962566103423978, std=sd)


_family("init_named", [
    ("glorot_uniform", ("glorot_uniform", [100, 400], "uniform", 1.0, "fan_avg")),
    ("glorot_normal", ("glorot_normal", [100, 400], "truncated", 1.0, "fan_avg")),
    ("he_uniform", ("he_uniform", [100, 400], "uniform", 2.0, "fan_in")),
    ("he_normal", ("he_normal", [100, 400], "truncated", 2.0, "fan_in")),
    ("lecun_uniform", ("lecun_uniform", [100, 400], "uniform", 1.0, "fan_in")),
    ("lecun_normal", ("lecun_normal", [100, 400], "truncated", 1.0, "fan_in")),
    ("glorot_uniform_conv", ("glorot_uniform", [3, 3, 64, 128], "uniform", 1.0, "fan_avg")),
    ("he_normal_conv", ("he_normal", [3, 3, 64, 128], "truncated", 2.0, "fan_in")),
], _named_vs_body)


@scenario
def scn_init_glorot_uniform_initializer_toplevel(tf1, h):
    v = tf1.get_variable("w", [1000, 10], initializer=tf1.glorot_uniform_initializer())
    stats(h, "glorot_uniform", v, limit=glorot_limit(1000, 10))


@scenario
def scn_init_glorot_normal_initializer_toplevel(tf1, h):
    v = tf1.get_variable("w", [300, 100], initializer=tf1.glorot_normal_initializer())
    sd = math.sqrt(1.0 / 200)
    stats(h, "glorot_normal", v, limit=2.0 * sd / 0.87962566103423978, std=sd)


def _glorot_limit_body(tf1, h, shape):
    v = tf1.get_variable("w", shape, initializer=tf1.glorot_uniform_initializer())
    fi, fo = _fans(shape)
    lim = glorot_limit(fi, fo)
    a = np.asarray(h.value(v), dtype=np.float64)
    h.log(str(v.shape), v.dtype, bool(float(np.max(np.abs(a))) <= lim * (1 + 1e-5)) if a.size else None,
          round(lim, 6))


_family("init_glorot_limit", [
    ("r1_5", [5]), ("r2_3x4", [3, 4]), ("r4_2x3x4x5", [2, 3, 4, 5]), ("empty_0x3", [0, 3]),
], _glorot_limit_body)


def _ru_body(tf1, h, p):
    lo, hi, dt = p
    kw = {}
    if lo is not None:
        kw["minval"] = lo
    if hi is not None:
        kw["maxval"] = hi
    v = tf1.get_variable("u", [200, 200], dtype=getattr(tf1, dt),
                         initializer=tf1.random_uniform_initializer(**kw))
    lo = 0 if lo is None else lo
    hi = (1 if dt.startswith("float") else None) if hi is None else hi
    a = np.asarray(h.value(v), dtype=np.float64)
    width = hi - lo
    h.log(str(v.shape), v.dtype, bool(a.min() >= lo), bool(a.max() < hi),
          bool(a.min() < lo + 0.01 * width), bool(a.max() > hi - 0.01 * width - (1 if dt.startswith("int") else 0)),
          bool(abs(a.mean() - (lo + hi) / 2.0 - (-0.5 if dt.startswith("int") else 0)) < 0.02 * width))


_family("init_random_uniform", [
    ("default_float", (None, None, "float32")),
    ("range_float", (-3.0, 5.0, "float32")),
    ("range_float64", (2.0, 2.5, "float64")),
    ("int32", (0, 10, "int32")),
    ("int64", (-5, 5, "int64")),
], _ru_body)


def _rn_body(tf1, h, p):
    mean, sd, truncated, dt = p
    ctor = tf1.truncated_normal_initializer if truncated else tf1.random_normal_initializer
    v = tf1.get_variable("n", [200, 200], dtype=getattr(tf1, dt), initializer=ctor(mean=mean, stddev=sd))
    if truncated:
        stats(h, "truncated", v, limit=2.0 * sd, std=sd, mean=mean)
    else:
        stats(h, "normal", v, std=sd, mean=mean)


_family("init_random_normal", [
    ("standard", (0.0, 1.0, False, "float32")),
    ("shifted", (2.0, 0.5, False, "float32")),
    ("float64", (-1.0, 3.0, False, "float64")),
    ("float16", (0.0, 0.1, False, "float16")),
    ("truncated_standard", (0.0, 1.0, True, "float32")),
    ("truncated_shifted", (5.0, 0.2, True, "float32")),
    ("truncated_float64", (0.0, 2.0, True, "float64")),
], _rn_body)


@scenario
def scn_init_random_normal_defaults(tf1, h):
    v = tf1.get_variable("n", [200, 200], initializer=tf1.random_normal_initializer())
    stats(h, "normal", v, std=1.0)
    w = tf1.get_variable("t", [200, 200], initializer=tf1.truncated_normal_initializer())
    stats(h, "truncated", w, limit=2.0, std=1.0)


@scenario
def scn_init_random_float_only_errors(tf1, h):
    h.expect_error(lambda: type(tf1.random_normal_initializer(dtype=tf1.int32)).__name__)
    h.expect_error(lambda: type(tf1.truncated_normal_initializer(dtype=tf1.int32)).__name__)
    h.expect_error(lambda: type(tf1.glorot_uniform_initializer(dtype=tf1.int32)).__name__)
    h.expect_error(lambda: type(tf1.orthogonal_initializer(dtype=tf1.int32)).__name__)
    h.expect_error(lambda: type(tf1.random_uniform_initializer(dtype=tf1.int32)).__name__)
    h.expect_error(lambda: type(tf1.zeros_initializer(dtype=tf1.int32)).__name__)


def _uus_body(tf1, h, p):
    shape, factor = p
    kw = {} if factor is None else {"factor": factor}
    v = tf1.get_variable("w", shape, initializer=tf1.uniform_unit_scaling_initializer(**kw))
    input_size = 1.0
    for d in shape[:-1]:
        input_size *= d
    input_size = max(input_size, 1.0)
    stats(h, "uus", v, limit=math.sqrt(3.0 / input_size) * (1.0 if factor is None else factor))


_family("init_uniform_unit_scaling", [
    ("default_200x200", ([200, 200], None)),
    ("factor_100x400", ([100, 400], 1.43)),
    ("rank3", ([4, 50, 200], None)),
    ("rank1", ([40000], 2.0)),
], _uus_body)


@scenario
def scn_init_seeded_same_values(tf1, h):
    a = tf1.get_variable("a", [20, 20], initializer=tf1.random_normal_initializer(seed=7))
    b = tf1.get_variable("b", [20, 20], initializer=tf1.random_normal_initializer(seed=7))
    c = tf1.get_variable("c", [20, 20], initializer=tf1.random_normal_initializer())
    d = tf1.get_variable("d", [20, 20], initializer=tf1.random_normal_initializer())
    h.log("same seed equal", bool(np.array_equal(h.value(a), h.value(b))))
    h.log("unseeded differ", not bool(np.array_equal(h.value(c), h.value(d))))


@scenario
def scn_init_random_values_differ_between_variables(tf1, h):
    init = tf1.glorot_uniform_initializer()
    a = tf1.get_variable("a", [10, 10], initializer=init)
    b = tf1.get_variable("b", [10, 10], initializer=init)
    h.log(not bool(np.array_equal(h.value(a), h.value(b))))


# -- §6.1 default initializer by dtype ---------------------------------------------------------------------------------

def _default_body(tf1, h, dt):
    v = h.expect_error(lambda: tf1.get_variable("d", [100, 100], dtype=getattr(tf1, dt)))
    if v is None:
        return
    var(h, "var", v)
    if dt.startswith("float") or dt == "bfloat16":
        stats(h, "glorot", v, limit=glorot_limit(100, 100))
    elif dt == "string":
        h.log(set(bytes(x) for x in np.asarray(h.value(v)).ravel().tolist()))
    else:
        a = np.asarray(h.value(v))
        h.log("all zero", bool(np.all(a == 0)), a.dtype.kind)


_family("init_default", [(d, d) for d in (
    "float16", "float32", "float64", "bfloat16", "int8", "int16", "int32", "int64", "uint8", "uint16",
    "uint32", "uint64", "bool", "string", "complex64", "complex128")], _default_body)


@scenario
def scn_init_default_scope_dtype_float64(tf1, h):
    with tf1.variable_scope("s", dtype=tf1.float64):
        v = tf1.get_variable("v", [100, 100])
    var(h, "var", v)
    stats(h, "glorot", v, limit=glorot_limit(100, 100))


@scenario
def scn_init_default_complex_error_in_scope(tf1, h):
    with tf1.variable_scope("s"):
        h.expect_error(lambda: tf1.get_variable("c", [2], dtype=tf1.complex64))
        h.expect_error(lambda: tf1.get_variable("d", [2], dtype=tf1.complex128))
    c = tf1.get_variable("ok", [2], dtype=tf1.complex64, initializer=tf1.zeros_initializer())
    var(h, "complex with zeros", c)
    h.log(h.value(c).tolist() == [0j, 0j])


# -- partition_info fans -----------------------------------------------------------------------------------------------

@scenario
def scn_init_partitioned_default_glorot_uses_full_shape(tf1, h):
    pv = tf1.get_variable("w", [1000, 10], partitioner=tf1.fixed_size_partitioner(100))
    shards = list(pv)
    h.log(len(shards), str(shards[0].shape))
    a = np.concatenate([np.asarray(h.value(s), dtype=np.float64) for s in shards], axis=0)
    lim = glorot_limit(1000, 10)
    h.log("max<=full-shape limit", bool(np.max(np.abs(a)) <= lim * (1 + 1e-5)),
          "max>=0.9limit", bool(np.max(np.abs(a)) >= 0.9 * lim))


@scenario
def scn_init_partitioned_vs_fan_in_uses_full_shape(tf1, h):
    init = tf1.variance_scaling_initializer(mode="fan_in", distribution="uniform")
    pv = tf1.get_variable("w", [400, 100], initializer=init, partitioner=tf1.fixed_size_partitioner(4, axis=1))
    shards = list(pv)
    h.log([str(s.shape) for s in shards])
    a = np.concatenate([np.asarray(h.value(s), dtype=np.float64) for s in shards], axis=1)
    lim = math.sqrt(3.0 / 400)
    h.log(bool(np.max(np.abs(a)) <= lim * (1 + 1e-5)), bool(np.max(np.abs(a)) >= 0.9 * lim))


@scenario
def scn_init_partitioned_vs_fan_out_uses_full_shape(tf1, h):
    init = tf1.variance_scaling_initializer(mode="fan_out", distribution="uniform")
    pv = tf1.get_variable("w", [100, 400], initializer=init, partitioner=tf1.fixed_size_partitioner(10))
    a = np.concatenate([np.asarray(h.value(s), dtype=np.float64) for s in pv], axis=0)
    lim = math.sqrt(3.0 / 400)
    h.log(bool(np.max(np.abs(a)) <= lim * (1 + 1e-5)), bool(np.max(np.abs(a)) >= 0.9 * lim))


@scenario
def scn_init_partitioned_uniform_unit_scaling_full_shape(tf1, h):
    pv = tf1.get_variable("w", [400, 100], initializer=tf1.uniform_unit_scaling_initializer(),
                          partitioner=tf1.fixed_size_partitioner(8))
    a = np.concatenate([np.asarray(h.value(s), dtype=np.float64) for s in pv], axis=0)
    lim = math.sqrt(3.0 / 400)
    h.log(bool(np.max(np.abs(a)) <= lim * (1 + 1e-5)), bool(np.max(np.abs(a)) >= 0.9 * lim))


@scenario
def scn_init_partitioned_identity_slices_full_eye(tf1, h):
    pv = tf1.get_variable("i", [4, 4], initializer=tf1.initializers.identity(),
                          partitioner=tf1.fixed_size_partitioner(2))
    for s in pv:
        h.log(s.name, h.value(s))


@scenario
def scn_init_partitioned_identity_axis1(tf1, h):
    pv = tf1.get_variable("i", [3, 4], initializer=tf1.initializers.identity(gain=2.0),
                          partitioner=tf1.fixed_size_partitioner(2, axis=1))
    for s in pv:
        h.log(s.name, h.value(s))


@scenario
def scn_init_partitioned_constant_scalar_each_shard(tf1, h):
    pv = tf1.get_variable("c", [5, 2], initializer=tf1.constant_initializer(1.5),
                          partitioner=tf1.fixed_size_partitioner(2))
    for s in pv:
        h.log(s.name, h.value(s))


@scenario
def scn_init_partitioned_constant_list_per_shard(tf1, h):
    h.expect_error(lambda: [x.name for x in tf1.get_variable(
        "c", [4], initializer=tf1.constant_initializer([1.0, 2.0, 3.0, 4.0]),
        partitioner=tf1.fixed_size_partitioner(2))])


@scenario
def scn_init_partitioned_orthogonal_shard_shape(tf1, h):
    pv = tf1.get_variable("q", [8, 4], initializer=tf1.orthogonal_initializer(),
                          partitioner=tf1.fixed_size_partitioner(2))
    for s in pv:
        a = np.asarray(h.value(s), dtype=np.float64)
        h.log(s.name, str(s.shape), bool(np.allclose(a.T @ a, np.eye(4), atol=1e-4)))


@scenario
def scn_init_partition_info_seen_by_callable(tf1, h):
    seen = []

    def init(shape, dtype=None, partition_info=None):
        seen.append((list(shape), dtype.name, list(partition_info.full_shape), list(partition_info.var_offset)))
        return np.zeros(shape, dtype=np.float32)

    tf1.get_variable("v", [7, 2], initializer=init, partitioner=tf1.fixed_size_partitioner(3))
    h.log(seen)


@scenario
def scn_init_partition_info_absent_for_plain_variable(tf1, h):
    seen = []

    def init(shape, dtype=None, partition_info=None):
        seen.append((list(shape), dtype.name, partition_info))
        return np.ones(shape, dtype=np.float32)

    v = tf1.get_variable("v", [2, 3], initializer=init)
    h.log(seen)
    val(h, "value", v)


@scenario
def scn_init_partition_info_single_offset(tf1, h):
    seen = []

    def init(shape, dtype=None, partition_info=None):
        seen.append((partition_info.single_offset(shape), partition_info.single_slice_dim(shape)))
        return np.zeros(shape, dtype=np.float32)

    tf1.get_variable("v", [3, 9], initializer=init, partitioner=tf1.fixed_size_partitioner(3, axis=1))
    tf1.get_variable("w", [4, 2], initializer=init, partitioner=tf1.fixed_size_partitioner(1))
    h.log(seen)


@scenario
def scn_init_callable_without_partition_info_param(tf1, h):
    seen = []

    def init(shape, dtype=None):
        seen.append(list(shape))
        return np.full(shape, 2.0, dtype=np.float32)

    pv = tf1.get_variable("v", [5, 2], initializer=init, partitioner=tf1.fixed_size_partitioner(2))
    h.log(seen)
    h.log([h.value(s) for s in pv])


# =====================================================================================================================
# §7  regularizers
# =====================================================================================================================

def _scaled(c):
    """A user regularizer: ``c * w`` (not a scalar; the loss is whatever it returns)."""
    return lambda w: w * c


@scenario
def scn_reg_scope_regularizer_inherited(tf1, h):
    with tf1.variable_scope("s", regularizer=_scaled(0.5)):
        tf1.get_variable("a", [2], initializer=tf1.ones_initializer())
        with tf1.variable_scope("inner"):
            tf1.get_variable("b", [3], initializer=tf1.constant_initializer(2.0))
    ls = losses(tf1)
    h.log(len(ls), [h.value(x) for x in ls])


@scenario
def scn_reg_explicit_overrides_scope(tf1, h):
    with tf1.variable_scope("s", regularizer=_scaled(0.5)):
        tf1.get_variable("a", [2], initializer=tf1.ones_initializer(), regularizer=_scaled(3.0))
    h.log([h.value(x) for x in losses(tf1)])


@scenario
def scn_reg_no_regularizer_per_variable_and_scope(tf1, h):
    with tf1.variable_scope("s", regularizer=_scaled(0.5)):
        tf1.get_variable("a", [1], initializer=tf1.ones_initializer(), regularizer=tf1.no_regularizer)
        with tf1.variable_scope("off", regularizer=tf1.no_regularizer):
            tf1.get_variable("b", [1], initializer=tf1.ones_initializer())
            tf1.get_variable("c", [1], initializer=tf1.ones_initializer(), regularizer=_scaled(4.0))
        tf1.get_variable("d", [1], initializer=tf1.ones_initializer())
    h.log(len(losses(tf1)), [h.value(x) for x in losses(tf1)])
    h.log(tf1.no_regularizer(None))


@scenario
def scn_reg_reuse_adds_no_loss(tf1, h):
    with tf1.variable_scope("s", regularizer=_scaled(0.5)):
        tf1.get_variable("a", [2], initializer=tf1.ones_initializer())
    h.log(len(losses(tf1)))
    with tf1.variable_scope("s", reuse=True, regularizer=_scaled(9.0)):
        tf1.get_variable("a", [2])
    with tf1.variable_scope("s", reuse=tf1.AUTO_REUSE):
        tf1.get_variable("a", [2], regularizer=_scaled(9.0))
        tf1.get_variable("new", [2], initializer=tf1.ones_initializer())
    h.log(len(losses(tf1)), [h.value(x) for x in losses(tf1)])


@scenario
def scn_reg_set_regularizer_oracle(tf1, h):
    # testVarScopeRegularizer (R7.5)
    init = tf1.constant_initializer(0.3)

    def regularizer1(v):
        return v * 0 + 0.1

    def regularizer2(v):
        return v * 0 + 0.2

    with tf1.variable_scope("tower3", regularizer=regularizer1) as tower:
        with tf1.variable_scope("foo", initializer=init):
            v = tf1.get_variable("v", [])
            h.log(h.value(v))
            h.log(len(losses(tf1)))
        tower.set_regularizer(regularizer2)
        tf1.get_variable("w", [])
        h.log(len(losses(tf1)))
        tf1.get_variable("x", [], regularizer=tf1.no_regularizer)
        with tf1.variable_scope("baz", regularizer=tf1.no_regularizer):
            tf1.get_variable("y", [])
        tower.set_regularizer(tf1.no_regularizer)
        tf1.get_variable("z", [])
        h.log(len(losses(tf1)))
        h.log([round(float(h.value(x)), 5) for x in losses(tf1)])
    with tf1.variable_scope("tower3", reuse=True):
        tf1.get_variable("w", [])
    h.log(len(losses(tf1)))


@scenario
def scn_reg_returning_none_adds_nothing(tf1, h):
    calls = []

    def reg(w):
        calls.append(1)
        return None

    tf1.get_variable("v", [2], regularizer=reg)
    h.log(len(losses(tf1)), len(calls) > 0)


@scenario
def scn_reg_called_twice_per_created_variable(tf1, h):
    calls = []

    def reg(w):
        calls.append(w.name)
        return w * 2.0

    tf1.get_variable("v", [2], initializer=tf1.ones_initializer(), regularizer=reg)
    h.log(calls)
    with tf1.variable_scope("", reuse=True):
        tf1.get_variable("v", [2], regularizer=reg)
    h.log(len(calls))


@scenario
def scn_reg_not_callable_error(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v", [2], regularizer=3))
    h.log(len(losses(tf1)))


@scenario
def scn_reg_falsy_non_callable_ignored(tf1, h):
    v = tf1.get_variable("v", [2], regularizer=0)
    h.log(v.name, len(losses(tf1)))


@scenario
def scn_reg_scope_property_and_reentry(tf1, h):
    r = _scaled(1.0)
    with tf1.variable_scope("s", regularizer=r) as s:
        pass
    h.log(s.regularizer is r, tf1.get_variable_scope().regularizer)
    with tf1.variable_scope(s) as s2:
        h.log(s2.regularizer is r)
        tf1.get_variable("v", [1], initializer=tf1.ones_initializer())
    h.log(len(losses(tf1)))


@scenario
def scn_reg_local_variable_gets_loss(tf1, h):
    tf1.get_local_variable("l", [2], initializer=tf1.ones_initializer(), regularizer=_scaled(0.5))
    h.log(len(losses(tf1)), [h.value(x) for x in losses(tf1)])


@scenario
def scn_reg_partitioned_one_loss_per_shard(tf1, h):
    with tf1.variable_scope("foo"):
        tf1.get_variable("v", [4, 2], initializer=tf1.ones_initializer(), regularizer=_scaled(0.5),
                         partitioner=tf1.fixed_size_partitioner(2))
    h.log(len(losses(tf1)), [h.value(x) for x in losses(tf1)])


@scenario
def scn_reg_collection_filter_by_scope(tf1, h):
    with tf1.variable_scope("a", regularizer=h.regularizer("l2", 0.5)):
        tf1.get_variable("v", [2], initializer=tf1.ones_initializer())
    with tf1.variable_scope("b", regularizer=h.regularizer("l2", 0.5)):
        tf1.get_variable("v", [2], initializer=tf1.ones_initializer())
    h.log(names(tf1.get_collection(tf1.GraphKeys.REGULARIZATION_LOSSES, "a/")))
    h.log(names(tf1.get_collection(tf1.GraphKeys.REGULARIZATION_LOSSES, "b")))


# -- built-in (contrib) regularizers: names and values ----------------------------------------------------------------

def _builtin_body(tf1, h, p):
    kind, args, kwargs = p
    with tf1.name_scope("ns"):
        with tf1.variable_scope("foo"):
            tf1.get_variable("v", [3], initializer=tf1.constant_initializer([1.0, -2.0, 3.0]),
                             regularizer=h.regularizer(kind, *args, **kwargs))
    ls = losses(tf1)
    h.log(len(ls), names(ls), loss_values(h, ls))


_family("reg_builtin", [
    ("l2", ("l2", (0.5,), {})),
    ("l1", ("l1", (0.25,), {})),
    ("l1_l2", ("l1_l2", (1.0, 1.0), {})),
    ("l1_l2_l1_zero", ("l1_l2", (0.0, 2.0), {})),
    ("l1_l2_l2_zero", ("l1_l2", (0.5, 0.0), {})),
    ("l2_scope_name", ("l2", (0.1,), {"scope": "my_l2"})),
    ("l1_scope_name", ("l1", (0.1,), {"scope": "my_l1"})),
    ("l2_zero_scale", ("l2", (0.0,), {})),
], _builtin_body)


@scenario
def scn_reg_builtin_sum(tf1, h):
    r = h.regularizer("sum", [h.regularizer("l1", 1.0), None, h.regularizer("l2", 1.0)])
    tf1.get_variable("v", [2], initializer=tf1.constant_initializer(2.0), regularizer=r)
    ls = losses(tf1)
    h.log(names(ls), loss_values(h, ls))


@scenario
def scn_reg_builtin_partitioned_names(tf1, h):
    with tf1.variable_scope("foo"):
        tf1.get_variable("v", [4, 2], initializer=tf1.ones_initializer(), regularizer=h.regularizer("l2", 0.5),
                         partitioner=tf1.fixed_size_partitioner(2))
    ls = losses(tf1)
    h.log(names(ls), loss_values(h, ls))


@scenario
def scn_reg_builtin_two_vars_names_not_uniquified_across_vars(tf1, h):
    r = h.regularizer("l2", 1.0)
    with tf1.variable_scope("s", regularizer=r):
        tf1.get_variable("a", [1], initializer=tf1.ones_initializer())
        tf1.get_variable("b", [1], initializer=tf1.constant_initializer(2.0))
    with tf1.variable_scope("s", reuse=tf1.AUTO_REUSE, regularizer=r):
        tf1.get_variable("c", [1], initializer=tf1.ones_initializer())
    ls = losses(tf1)
    h.log(names(ls), loss_values(h, ls))


@scenario
def scn_reg_builtin_float64_variable(tf1, h):
    tf1.get_variable("d", [2], dtype=tf1.float64, initializer=tf1.constant_initializer(3.0),
                     regularizer=h.regularizer("l2", 0.5))
    ls = losses(tf1)
    h.log(names(ls), loss_values(h, ls), ls[0].dtype)


@scenario
def scn_reg_builtin_root_variable(tf1, h):
    tf1.get_variable("w", [2, 2], initializer=tf1.ones_initializer(), regularizer=h.regularizer("l1", 0.5))
    ls = losses(tf1)
    h.log(names(ls), loss_values(h, ls))


@scenario
def scn_reg_losses_get_regularization_losses(tf1, h):
    with tf1.variable_scope("a", regularizer=h.regularizer("l2", 1.0)):
        tf1.get_variable("v", [2], initializer=tf1.ones_initializer())
    with tf1.variable_scope("b", regularizer=h.regularizer("l1", 1.0)):
        tf1.get_variable("v", [2], initializer=tf1.ones_initializer())
    h.log(names(tf1.losses.get_regularization_losses()))
    h.log(names(tf1.losses.get_regularization_losses("b")))
    h.log(round(float(h.value(tf1.losses.get_regularization_loss())), 5))


# =====================================================================================================================
# §9  custom getters
# =====================================================================================================================

_GETTER_KEYS_SCALARS = ("name", "reuse", "trainable", "validate_shape", "use_resource")


def _kw_summary(kw):
    """The resolved kwargs a getter saw, normalized across backends."""
    out = {}
    for k in _GETTER_KEYS_SCALARS:
        if k in kw:
            out[k] = kw[k]
    out["shape"] = list(kw["shape"]) if isinstance(kw.get("shape"), (list, tuple)) else (
        None if kw.get("shape") is None else str(kw["shape"]))
    out["dtype"] = None if kw.get("dtype") is None else kw["dtype"].name
    for k in ("initializer", "regularizer", "caching_device", "partitioner", "collections"):
        out[k + "_is_none"] = kw.get(k) is None
    for k in ("synchronization", "aggregation"):
        x = kw.get(k)
        out[k] = getattr(x, "name", x)
    return out


@scenario
def scn_getter_kwargs_with_var_kwargs(tf1, h):
    seen = []

    def g(getter, *args, **kwargs):
        seen.append((len(args), sorted(kwargs)))
        return getter(*args, **kwargs)

    with tf1.variable_scope("a", custom_getter=g):
        tf1.get_variable("v", [1])
    h.log(seen)


@scenario
def scn_getter_kwargs_explicit_params_without_constraint(tf1, h):
    seen = []

    def g(getter, name, shape=None, dtype=None, initializer=None, regularizer=None, reuse=None, trainable=None,
          collections=None, caching_device=None, partitioner=None, validate_shape=True, use_resource=None,
          synchronization=None, aggregation=None):
        seen.append((name, shape, dtype.name, reuse))
        return getter(name=name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                      reuse=reuse, trainable=trainable, collections=collections, caching_device=caching_device,
                      partitioner=partitioner, validate_shape=validate_shape, use_resource=use_resource,
                      synchronization=synchronization, aggregation=aggregation)

    with tf1.variable_scope("a", custom_getter=g):
        v = tf1.get_variable("v", [2], constraint=lambda x: x)
    h.log(seen, v.name, v.constraint is None)


@scenario
def scn_getter_kwargs_explicit_constraint_param(tf1, h):
    seen = []

    def g(getter, name, constraint=None, **rest):
        seen.append((name, constraint is not None, sorted(rest)))
        return getter(name, constraint=constraint, **rest)

    c = lambda x: x  # noqa: E731
    with tf1.variable_scope("a", custom_getter=g):
        v = tf1.get_variable("v", [2], constraint=c)
    h.log(seen, v.constraint is c)


@scenario
def scn_getter_resolved_values_default(tf1, h):
    seen = []

    def g(getter, **kw):
        seen.append(_kw_summary(kw))
        return getter(**kw)

    with tf1.variable_scope("a", custom_getter=g):
        tf1.get_variable("v", [1])
    h.log(seen)


@scenario
def scn_getter_resolved_values_from_scope(tf1, h):
    seen = []

    def g(getter, **kw):
        seen.append(_kw_summary(kw))
        return getter(**kw)

    with tf1.variable_scope("a", custom_getter=g, dtype=tf1.float16, initializer=tf1.zeros_initializer(),
                            regularizer=_scaled(1.0), caching_device="/cpu:0", use_resource=True):
        tf1.get_variable("v", (2, 3))
    h.log(seen)


@scenario
def scn_getter_resolved_values_explicit(tf1, h):
    seen = []

    def g(getter, **kw):
        seen.append(_kw_summary(kw))
        return getter(**kw)

    with tf1.variable_scope("a", custom_getter=g):
        tf1.get_variable("v", [2], dtype=tf1.int32, trainable=False, collections=["mine"], validate_shape=False,
                         use_resource=False, initializer=tf1.zeros_initializer())
        tf1.get_variable("w", [2], synchronization=tf1.VariableSynchronization.ON_READ,
                         aggregation=tf1.VariableAggregation.SUM)
        tf1.get_variable("x", [2], synchronization=tf1.VariableSynchronization.ON_READ, trainable=True)
    h.log(seen)


@scenario
def scn_getter_reuse_values_seen(tf1, h):
    seen = []

    def g(getter, **kw):
        seen.append((kw["name"], kw["reuse"]))
        return getter(**kw)

    with tf1.variable_scope("a", custom_getter=g):
        tf1.get_variable("v", [1])
    with tf1.variable_scope("a", reuse=True, custom_getter=g):
        tf1.get_variable("v", [1])
    with tf1.variable_scope("a", reuse=tf1.AUTO_REUSE, custom_getter=g):
        tf1.get_variable("v", [1])
    h.log(seen)


@scenario
def scn_getter_local_variable_kwargs(tf1, h):
    seen = []

    def g(getter, **kw):
        seen.append((kw["name"], kw["trainable"], list(kw["collections"])))
        return getter(**kw)

    with tf1.variable_scope("a", custom_getter=g):
        v = tf1.get_local_variable("l", [1], trainable=True)
    h.log(seen, v.trainable)
    colls(tf1, h)


@scenario
def scn_getter_initializer_identity_passed(tf1, h):
    init = tf1.constant_initializer(4.0)
    seen = []

    def g(getter, **kw):
        seen.append(kw["initializer"] is init)
        return getter(**kw)

    with tf1.variable_scope("a", custom_getter=g, initializer=init):
        tf1.get_variable("v", [1])
    with tf1.variable_scope("b", custom_getter=g):
        tf1.get_variable("v", [1], initializer=init)
    h.log(seen)


@scenario
def scn_getter_args_keyword_only(tf1, h):
    seen = []

    def g(*args, **kw):
        seen.append((len(args), "getter" in kw))
        return kw["getter"](*args[1:], **{k: x for k, x in kw.items() if k != "getter"})

    with tf1.variable_scope("a", custom_getter=g):
        v = tf1.get_variable("v", [1])
    h.log(seen, v.name)


@scenario
def scn_getter_chain_order(tf1, h):
    log = []

    def mk(tag):
        def g(getter, *a, **k):
            log.append("enter " + tag)
            r = getter(*a, **k)
            log.append("exit " + tag)
            return r
        return g

    with tf1.variable_scope("a", custom_getter=mk("A")):
        with tf1.variable_scope("b", custom_getter=mk("B")):
            with tf1.variable_scope("c"):
                with tf1.variable_scope("d", custom_getter=mk("D")):
                    v = tf1.get_variable("v", [1])
    h.log(log, v.name)


@scenario
def scn_getter_chain_getter_property(tf1, h):
    def ga(getter, *a, **k):
        return getter(*a, **k)

    def gb(getter, *a, **k):
        return getter(*a, **k)

    with tf1.variable_scope("a", custom_getter=ga) as a:
        h.log(a.custom_getter is ga)
        with tf1.variable_scope("b") as b:
            h.log(b.custom_getter is ga)
            with tf1.variable_scope("c", custom_getter=gb) as c:
                h.log(c.custom_getter is gb, c.custom_getter is ga, callable(c.custom_getter))
    h.log(tf1.get_variable_scope().custom_getter)


@scenario
def scn_getter_nested_sum_prod_oracle(tf1, h):
    # testNestedCustomGetters
    def sum_getter(getter, name, *args, **kwargs):
        g0 = getter(name + "/sum_0", *args, **kwargs)
        g1 = getter(name + "/sum_1", *args, **kwargs)
        return g0 + g1

    def prod_getter(getter, name, *args, **kwargs):
        g0 = getter(name + "/prod_0", *args, **kwargs)
        g1 = getter(name + "/prod_1", *args, **kwargs)
        return g0 * g1

    counter = [0]

    def init(shape, dtype=None, partition_info=None):
        counter[0] += 1
        return np.full(shape, float(counter[0]), dtype=np.float32)

    with tf1.variable_scope("prod_scope", custom_getter=prod_getter):
        with tf1.variable_scope("sum_scope", custom_getter=sum_getter):
            with tf1.variable_scope("inner_sum_scope", custom_getter=sum_getter):
                v = tf1.get_variable("v", [1, 2, 3], initializer=init)
    h.log(names(tf1.global_variables()))
    h.log(h.value(v))


@scenario
def scn_getter_rename(tf1, h):
    def g(getter, name, *a, **k):
        return getter(name + "_suffix", *a, **k)

    with tf1.variable_scope("s", custom_getter=g):
        v = tf1.get_variable("v", [1])
    h.log(v.name)
    with tf1.variable_scope("s", reuse=True):
        h.expect_error(lambda: tf1.get_variable("v", [1]))
        h.log(tf1.get_variable("v_suffix", [1]) is v)


@scenario
def scn_getter_multi_variable(tf1, h):
    def g(getter, name, *a, **k):
        return [getter(name + "/%d" % i, *a, **k) for i in range(3)]

    with tf1.variable_scope("scope", custom_getter=g):
        vs = tf1.get_variable("v", [2])
    h.log(names(vs))
    colls(tf1, h)


@scenario
def scn_getter_returns_computed_value(tf1, h):
    def g(getter, *a, **k):
        v = getter(*a, **k)
        return v * 2.0

    with tf1.variable_scope("s", custom_getter=g):
        x = tf1.get_variable("x", [2], initializer=tf1.constant_initializer(1.5))
    h.log(h.value(x))
    h.log(names(tf1.global_variables()))


@scenario
def scn_getter_returns_non_variable(tf1, h):
    def g(getter, *a, **k):
        return "not a variable"

    with tf1.variable_scope("s", custom_getter=g):
        r = tf1.get_variable("x", [2])
    h.log(r, names(tf1.global_variables()))


@scenario
def scn_getter_modifies_kwargs(tf1, h):
    def g(getter, *a, **k):
        k["trainable"] = False
        k["initializer"] = tf1.constant_initializer(9.0)
        k["dtype"] = tf1.float64
        return getter(*a, **k)

    with tf1.variable_scope("s", custom_getter=g):
        v = tf1.get_variable("v", [2])
    var(h, "var", v)
    val(h, "value", v)
    colls(tf1, h)


@scenario
def scn_getter_explicit_replaces_chain(tf1, h):
    log = []

    def mk(tag):
        return tagging_getter(log, tag)

    with tf1.variable_scope("a", custom_getter=mk("scope_outer")):
        with tf1.variable_scope("b", custom_getter=mk("scope_inner")):
            tf1.get_variable("v", [1], custom_getter=mk("explicit"))
            h.log(list(log))
            tf1.get_variable("w", [1])
    h.log(log)


@scenario
def scn_getter_explicit_without_scope_getter(tf1, h):
    log = []

    def g(getter, *a, **k):
        log.append(k["name"])
        return getter(*a, **k)

    v = tf1.get_variable("v", [1], custom_getter=g)
    w = tf1.get_variable("w", [1])
    h.log(log, v.name, w.name)


@scenario
def scn_getter_reentry_wraps_captured(tf1, h):
    calls = []

    def g(getter, *a, **k):
        calls.append(k["name"])
        return getter(*a, **k)

    with tf1.variable_scope("outer", custom_getter=g) as outer:
        pass
    with tf1.variable_scope(outer, custom_getter=g):
        tf1.get_variable("v", [1])
    h.log(calls)


@scenario
def scn_getter_reentry_ignores_current_scope_getter(tf1, h):
    log = []

    def mk(tag):
        return tagging_getter(log, tag)

    with tf1.variable_scope("outer", custom_getter=mk("outer")) as outer:
        pass
    with tf1.variable_scope("other", custom_getter=mk("other")):
        with tf1.variable_scope(outer):
            v = tf1.get_variable("v", [1])
        h.log(list(log), v.name)
        with tf1.variable_scope("plain") as plain:
            pass
    del log[:]
    with tf1.variable_scope(plain):
        tf1.get_variable("w", [1])
    h.log(log)


@scenario
def scn_getter_no_side_effects_count_oracle(tf1, h):
    # testNoSideEffectsWithIdentityCustomGetter
    called = [0]

    def custom_getter(getter, *args, **kwargs):
        called[0] += 1
        return getter(*args, **kwargs)

    with tf1.variable_scope("scope", custom_getter=custom_getter) as scope:
        v = tf1.get_variable("v", [1])
    with tf1.variable_scope(scope, reuse=True):
        v2 = tf1.get_variable("v", [1])
    with tf1.variable_scope("new_scope") as new_scope:
        v3 = tf1.get_variable("v3", [1])
    with tf1.variable_scope(new_scope, reuse=True, custom_getter=custom_getter):
        v4 = tf1.get_variable("v3", [1])
    h.log(v is v2, v3 is v4, called[0])


@scenario
def scn_getter_set_custom_getter_no_wrapping(tf1, h):
    log = []

    def mk(tag):
        return tagging_getter(log, tag)

    with tf1.variable_scope("a", custom_getter=mk("first")) as s:
        s.set_custom_getter(mk("second"))
        tf1.get_variable("v", [1])
    h.log(log)


@scenario
def scn_getter_partitioned_called_once(tf1, h):
    seen = []

    def g(getter, **kw):
        seen.append((kw["name"], list(kw["shape"]), kw["partitioner"] is not None))
        return getter(**kw)

    with tf1.variable_scope("s", custom_getter=g):
        pv = tf1.get_variable("v", [6, 2], partitioner=tf1.fixed_size_partitioner(3))
    h.log(seen, pv.name, names(pv))


@scenario
def scn_getter_partitioned_scope_partitioner_seen(tf1, h):
    seen = []
    p = tf1.fixed_size_partitioner(2)

    def g(getter, **kw):
        seen.append(kw["partitioner"] is p)
        return getter(**kw)

    with tf1.variable_scope("s", custom_getter=g, partitioner=p):
        pv = tf1.get_variable("v", [4])
    h.log(seen, names(pv))


@scenario
def scn_getter_create_partitioned_variables_error(tf1, h):
    def my_getter(getter, *a, **k):
        return getter(*a, **k)

    with tf1.variable_scope("s", custom_getter=my_getter):
        try:
            tf1.create_partitioned_variables([4, 2], [2, 1], tf1.zeros_initializer())
            h.log("ok")
        except ValueError as e:
            msg = str(e)
            h.log(type(e).__name__, msg.split("Current custom getter:")[0],
                  msg.split(".  It is likely")[1] if ".  It is likely" in msg else None,
                  "my_getter" in msg)


@scenario
def scn_getter_template_custom_getter_called_each_call(tf1, h):
    calls = [0]

    def g(getter, *a, **k):
        calls[0] += 1
        return getter(*a, **k)

    def f():
        return tf1.get_variable("dummy", [1])

    t = tf1.make_template("t", f, custom_getter_=g)
    a = t()
    h.log(calls[0])
    b = t()
    h.log(calls[0], a is b, a.name)
    t2 = tf1.make_template("t2", f, create_scope_now_=True, custom_getter_=g)
    t2()
    t2()
    h.log(calls[0])


@scenario
def scn_getter_getter_sees_scope_reuse_in_template(tf1, h):
    seen = []

    def g(getter, **kw):
        seen.append((kw["name"], kw["reuse"]))
        return getter(**kw)

    t = tf1.make_template("t", lambda: tf1.get_variable("v", [1]), custom_getter_=g)
    t()
    t()
    h.log(seen)


# =====================================================================================================================
# §10  partitioning
# =====================================================================================================================

def pinfo(h, label, pv):
    """Log a PartitionedVariable: name, shape, dtype, partitions, axes, len, shards (name, shape, spec)."""
    h.log(label, pv.name, str(pv.shape), str(pv.get_shape()), pv.dtype, pv._get_partitions(), pv._partition_axes(),
          len(pv))
    h.log([(s.name, str(s.shape), s._save_slice_info.spec) for s in pv])


def _call_partitioner(tf1, h, p, shape, dtype):
    h.expect_error(lambda: p(shape=tf1.TensorShape(shape), dtype=dtype))


def _fixed_body(tf1, h, prm):
    shape, n, axis, dt = prm
    _call_partitioner(tf1, h, tf1.fixed_size_partitioner(n, axis=axis), shape, getattr(tf1, dt))


_family("part_fixed_size", [
    ("10x10_5", ([10, 10], 5, 0, "float32")),
    ("3x4_5_clamped", ([3, 4], 5, 0, "float32")),
    ("2x8_axis1_3", ([2, 8], 3, 1, "float32")),
    ("int64_20_4", ([20], 4, 0, "int64")),
    ("zero_dim", ([0, 2], 3, 0, "float32")),
    ("rank3_axis2", ([2, 3, 7], 4, 2, "float32")),
    ("one_shard", ([5, 5], 1, 0, "float32")),
], _fixed_body)


def _vasp_body(tf1, h, prm):
    shape, dt, kwargs = prm
    p = h.expect_error(lambda: tf1.variable_axis_size_partitioner(**kwargs) and "made")
    if p:
        _call_partitioner(tf1, h, tf1.variable_axis_size_partitioner(**kwargs), shape, getattr(tf1, dt))


_family("part_axis_size", [
    ("oracle_axis0", ([4, 8, 16, 32], "float32", dict(max_shard_bytes=131072, axis=0))),
    ("oracle_axis1", ([4, 8, 16, 32], "float32", dict(max_shard_bytes=65536, axis=1))),
    ("oracle_axis2", ([4, 8, 16, 32], "float32", dict(max_shard_bytes=32768, axis=2))),
    ("oracle_axis3_2048", ([4, 8, 16, 32], "float32", dict(max_shard_bytes=2048, axis=3))),
    ("oracle_axis3_1024", ([4, 8, 16, 32], "float32", dict(max_shard_bytes=1024, axis=3))),
    ("oracle_max_shards_33", ([4, 8, 16, 32], "float32", dict(max_shard_bytes=1024, axis=3, max_shards=33))),
    ("oracle_max_shards_2", ([4, 8, 16, 32], "float32", dict(max_shard_bytes=1024, axis=3, max_shards=2))),
    ("oracle_string", ([4, 8, 16, 32], "string", dict(max_shard_bytes=32768, axis=3, bytes_per_string_element=8))),
    ("f32_10x3_100", ([10, 3], "float32", dict(max_shard_bytes=100))),
    ("f64_10x3_100", ([10, 3], "float64", dict(max_shard_bytes=100))),
    ("small_2_4", ([2], "float32", dict(max_shard_bytes=4))),
    ("string_10x3_50", ([10, 3], "string", dict(max_shard_bytes=50))),
    ("string_bpse1", ([10, 3], "string", dict(max_shard_bytes=50, bytes_per_string_element=1))),
    ("max_shards_zero_ok", ([10, 3], "float32", dict(max_shard_bytes=4, max_shards=0))),
    ("err_max_shard_bytes", ([10, 3], "float32", dict(max_shard_bytes=0))),
    ("err_bpse", ([10, 3], "float32", dict(max_shard_bytes=10, bytes_per_string_element=0))),
    ("err_max_shards_negative", ([10, 3], "float32", dict(max_shard_bytes=10, max_shards=-1))),
], _vasp_body)


@scenario
def scn_part_axis_size_call_errors(tf1, h):
    p = tf1.variable_axis_size_partitioner(100)
    h.expect_error(lambda: p(shape=[3, 4], dtype=tf1.float32))
    h.expect_error(lambda: p(shape=tf1.TensorShape([None, 4]), dtype=tf1.float32))


@scenario
def scn_part_axis_size_in_get_variable(tf1, h):
    pv = tf1.get_variable("v", [10, 3], partitioner=tf1.variable_axis_size_partitioner(40))
    pinfo(h, "pv", pv)


def _minmax_body(tf1, h, prm):
    shape, dt, kwargs = prm
    _call_partitioner(tf1, h, tf1.min_max_variable_partitioner(**kwargs), shape, getattr(tf1, dt))


_family("part_min_max", [
    ("2048_min2k_max100", ([2048], "float32", dict(max_partitions=100, min_slice_size=2 << 10))),
    ("2048x1024_256k", ([2048, 1024], "float32", dict(max_partitions=100, min_slice_size=256 << 10))),
    ("2048x1024_max16", ([2048, 1024], "float32", dict(max_partitions=16, min_slice_size=256 << 10))),
    ("2048x1024_max1", ([2048, 1024], "float32", dict(max_partitions=1, min_slice_size=256 << 10))),
    ("2048x1024_128k", ([2048, 1024], "float32", dict(max_partitions=100, min_slice_size=128 << 10))),
    ("2048x1024_512k", ([2048, 1024], "float32", dict(max_partitions=100, min_slice_size=512 << 10))),
    ("rank4_axis1", ([64, 1024, 1, 3], "float32", dict(max_partitions=100, axis=1, min_slice_size=256 << 10))),
    ("rank4_axis3", ([64, 1024, 1, 3], "float32", dict(max_partitions=100, axis=3, min_slice_size=256 << 10))),
    ("16x128x1024", ([16, 128, 1024], "float32", dict(max_partitions=100, min_slice_size=256 << 10))),
    ("4x512x1024", ([4, 512, 1024], "float32", dict(max_partitions=100, min_slice_size=256 << 10))),
    ("defaults", ([2048, 1024], "float32", dict())),
    ("max_partitions_zero", ([2048, 1024], "float32", dict(max_partitions=0))),
    ("3x2_min7", ([3, 2], "float32", dict(max_partitions=10, min_slice_size=7))),
    ("string", ([100, 4], "string", dict(max_partitions=10, min_slice_size=64, bytes_per_string_element=4))),
    ("axis_error", ([3, 4], "float32", dict(max_partitions=4, axis=2))),
], _minmax_body)


@scenario
def scn_part_min_max_in_get_variable(tf1, h):
    pv = tf1.get_variable("v", [12, 4], partitioner=tf1.min_max_variable_partitioner(max_partitions=5,
                                                                                       min_slice_size=32))
    pinfo(h, "pv", pv)


def _slices_body(tf1, h, prm):
    shape, n, axis = prm
    with tf1.variable_scope("s"):
        pv = tf1.get_variable("v", shape, partitioner=tf1.fixed_size_partitioner(n, axis=axis))
    pinfo(h, "pv", pv)
    h.log([(s._save_slice_info.full_name, s._save_slice_info.full_shape, s._save_slice_info.var_offset,
            s._save_slice_info.var_shape) for s in pv])


_family("part_slices", [
    ("7_by_5", ([7, 2], 5, 0)),
    ("43_cols_by_2", ([10, 43], 2, 1)),
    ("43_cols_by_3", ([10, 43], 3, 1)),
    ("43_cols_by_4", ([10, 43], 4, 1)),
    ("43_cols_by_5", ([10, 43], 5, 1)),
    ("13_by_3", ([13], 3, 0)),
    ("4_by_4_rank1", ([4], 4, 0)),
    ("10x10_by_5", ([10, 10], 5, 0)),
    ("rank3_axis1", ([2, 5, 3], 2, 1)),
    ("degenerate_one_shard", ([3, 2], 1, 0)),
], _slices_body)


@scenario
def scn_part_basic_properties_and_collections(tf1, h):
    with tf1.variable_scope("scope0"):
        pv = tf1.get_variable("name0", [6, 3], partitioner=tf1.fixed_size_partitioner(3))
    h.log(pv.name, str(pv.shape), pv.dtype)
    h.log(names(pv._get_variable_list()), names(list(pv)))
    colls(tf1, h)
    h.log("pv in no collection", all(pv is not x for x in tf1.global_variables()))


@scenario
def scn_part_iteration_sorted_by_offset(tf1, h):
    pv = tf1.get_variable("v", [9, 2], partitioner=tf1.fixed_size_partitioner(3))
    h.log([s._save_slice_info.var_offset for s in pv])
    h.log([s.name for s in pv] == [s.name for s in pv._get_variable_list()])


@scenario
def scn_part_values_tensor_initializer(tf1, h):
    init = tf1.constant(np.arange(10.0, dtype=np.float32).reshape(5, 2))
    pv = tf1.get_variable("v", initializer=init, partitioner=tf1.fixed_size_partitioner(2))
    pinfo(h, "pv", pv)
    h.log([h.value(s) for s in pv])


@scenario
def scn_part_values_tensor_initializer_axis1(tf1, h):
    init = tf1.constant(np.arange(12, dtype=np.int32).reshape(2, 6))
    pv = tf1.get_variable("v", initializer=init, partitioner=tf1.fixed_size_partitioner(3, axis=1))
    pinfo(h, "pv", pv)
    h.log([h.value(s) for s in pv])


@scenario
def scn_part_as_tensor_value(tf1, h):
    init = tf1.constant(np.arange(10.0, dtype=np.float32).reshape(5, 2))
    pv = tf1.get_variable("v", initializer=init, partitioner=tf1.fixed_size_partitioner(3))
    h.log([h.value(s) for s in pv])
    h.log(h.value(pv.as_tensor()))


@scenario
def scn_part_list_initializer_no_shape_error(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v", initializer=[1.0, 2.0], partitioner=tf1.fixed_size_partitioner(2)))
    h.expect_error(lambda: tf1.get_variable("w", initializer=np.ones([4], np.float32),
                                            partitioner=tf1.fixed_size_partitioner(2)))


@scenario
def scn_part_int64_shards(tf1, h):
    pv = tf1.get_variable("i", [20], dtype=tf1.int64, partitioner=tf1.fixed_size_partitioner(4))
    pinfo(h, "pv", pv)
    h.log([h.value(s).tolist() == [0] * 5 for s in pv])


@scenario
def scn_part_trainable_false_and_collections(tf1, h):
    tf1.get_variable("a", [4], partitioner=tf1.fixed_size_partitioner(2), trainable=False)
    tf1.get_variable("b", [4], partitioner=tf1.fixed_size_partitioner(2), collections=["mine"])
    colls(tf1, h)
    h.log(names(tf1.get_collection("mine")))


@scenario
def scn_part_local_variable(tf1, h):
    pv = tf1.get_local_variable("l", [4], partitioner=tf1.fixed_size_partitioner(2))
    h.log(pv.name, names(pv))
    colls(tf1, h)


@scenario
def scn_part_partitioner_receives_kwargs(tf1, h):
    seen = []

    def p(shape, dtype):
        seen.append((str(shape), type(shape).__name__, dtype.name))
        return [2] + [1] * (shape.ndims - 1)

    tf1.get_variable("v", [4, 3], partitioner=p)
    tf1.get_variable("w", [6], dtype=tf1.float64, partitioner=p)
    h.log(seen)


@scenario
def scn_part_partitions_tuple_preserved(tf1, h):
    pv = tf1.get_variable("t", [4, 2], partitioner=lambda shape, dtype: (1, 1))
    h.log(pv._get_partitions(), type(pv._get_partitions()).__name__, names(pv), pv._partition_axes())
    pl = tf1.get_variable("l", [4, 2], partitioner=lambda shape, dtype: [2, 1])
    h.log(pl._get_partitions(), type(pl._get_partitions()).__name__, pl._partition_axes())


@scenario
def scn_part_axes_axis1(tf1, h):
    pv = tf1.get_variable("v", [2, 6], partitioner=tf1.fixed_size_partitioner(3, axis=1))
    h.log(pv._partition_axes(), pv._get_partitions(), len(pv))


@scenario
def scn_part_scalar_shape_skips_partitioning(tf1, h):
    with tf1.variable_scope("scope0"):
        v = tf1.get_variable("name0", [], partitioner=tf1.fixed_size_partitioner(2))
        w = tf1.get_variable("name1", (), partitioner=tf1.fixed_size_partitioner(2))
    h.log(v.name, w.name, str(v.shape))


@scenario
def scn_part_scope_partitioner_inherited_and_reopened(tf1, h):
    with tf1.variable_scope("root", partitioner=tf1.fixed_size_partitioner(2)) as root:
        with tf1.variable_scope("child"):
            a = tf1.get_variable("a", [4])
    with tf1.variable_scope(root):
        b = tf1.get_variable("b", [4])
        c = tf1.get_variable("c", [4], partitioner=None)
    h.log(names(a), names(b), names(c), root.partitioner is not None)


@scenario
def scn_part_set_partitioner(tf1, h):
    with tf1.variable_scope("s") as s:
        s.set_partitioner(tf1.fixed_size_partitioner(3))
        pv = tf1.get_variable("v", [6])
        s.set_partitioner(None)
        v = tf1.get_variable("w", [6])
    h.log(names(pv), v.name)


@scenario
def scn_part_reuse_true_same_object(tf1, h):
    p = tf1.fixed_size_partitioner(2)
    with tf1.variable_scope("s"):
        pv = tf1.get_variable("v", [4, 2], partitioner=p)
    with tf1.variable_scope("s", reuse=True):
        a = tf1.get_variable("v", [4, 2], partitioner=p)
        b = tf1.get_variable("v", [4, 2])
        c = tf1.get_variable("v")
    with tf1.variable_scope("s", reuse=tf1.AUTO_REUSE):
        d = tf1.get_variable("v", [4, 2], partitioner=p)
    h.log(a is pv, b is pv, c is pv, d is pv)


@scenario
def scn_part_auto_reuse_without_partitioner_error(tf1, h):
    with tf1.variable_scope("s"):
        tf1.get_variable("v", [4, 2], partitioner=tf1.fixed_size_partitioner(2))
    with tf1.variable_scope("s", reuse=tf1.AUTO_REUSE):
        h.expect_error(lambda: tf1.get_variable("v", [4, 2]))


@scenario
def scn_part_reuse_different_partitioner_same_partitions(tf1, h):
    pv = tf1.get_variable("v", [4, 2], partitioner=tf1.fixed_size_partitioner(2))
    with tf1.variable_scope("", reuse=True):
        h.log(tf1.get_variable("v", [4, 2], partitioner=lambda shape, dtype: [2, 1]) is pv)
        h.expect_error(lambda: tf1.get_variable("v", [4, 2], partitioner=lambda shape, dtype: (2, 1)))


@scenario
def scn_part_shard_reuse_by_name(tf1, h):
    pv = tf1.get_variable("v", [4], partitioner=tf1.fixed_size_partitioner(2))
    with tf1.variable_scope("", reuse=True):
        s0 = tf1.get_variable("v/part_0", [2])
    h.log(s0 is list(pv)[0])


# -- §15 partition errors ----------------------------------------------------------------------------------------------

@scenario
def scn_part_err_unpartitioned_found(tf1, h):
    tf1.get_variable("v", [4])
    h.expect_error(lambda: tf1.get_variable("v", [4], partitioner=tf1.fixed_size_partitioner(2)))
    with tf1.variable_scope("", reuse=True):
        h.expect_error(lambda: tf1.get_variable("v", [4], partitioner=tf1.fixed_size_partitioner(2)))


@scenario
def scn_part_err_partitioned_found_no_partitioner(tf1, h):
    with tf1.variable_scope("s"):
        tf1.get_variable("v", [4], partitioner=tf1.fixed_size_partitioner(2))
        h.expect_error(lambda: tf1.get_variable("v", [4]))


@scenario
def scn_part_err_shape_not_fully_defined(tf1, h):
    h.expect_error(lambda: tf1.get_variable("a", [None, 2], partitioner=tf1.fixed_size_partitioner(2)))
    h.expect_error(lambda: tf1.get_variable("b", partitioner=tf1.fixed_size_partitioner(2),
                                            initializer=tf1.zeros_initializer()))


@scenario
def scn_part_err_rank0(tf1, h):
    h.expect_error(lambda: tf1.get_variable("a", tf1.TensorShape([]), partitioner=tf1.fixed_size_partitioner(2)))
    h.expect_error(lambda: tf1.get_variable("e", initializer=tf1.constant(1.0),
                                            partitioner=tf1.fixed_size_partitioner(2)))


@scenario
def scn_part_err_not_a_sequence(tf1, h):
    h.expect_error(lambda: tf1.get_variable("a", [4, 2], partitioner=lambda shape, dtype: 2))
    h.expect_error(lambda: tf1.get_variable("b", [4, 2], partitioner=lambda shape, dtype: None))
    h.expect_error(lambda: tf1.get_variable("c", [4, 2], partitioner=lambda shape, dtype: np.array([2, 1])))


@scenario
def scn_part_err_rank_mismatch(tf1, h):
    h.expect_error(lambda: tf1.get_variable("a", [4, 2], partitioner=lambda shape, dtype: [2]))
    h.expect_error(lambda: tf1.get_variable("b", [4], partitioner=lambda shape, dtype: [2, 1, 1]))


@scenario
def scn_part_err_zero_partitions(tf1, h):
    h.expect_error(lambda: tf1.get_variable("a", [4, 2], partitioner=lambda shape, dtype: [0, 1]))
    h.expect_error(lambda: tf1.get_variable("b", [0, 2], partitioner=tf1.fixed_size_partitioner(3)))
    h.expect_error(lambda: tf1.get_variable("c", [4, 2], partitioner=lambda shape, dtype: [-1, 1]))


@scenario
def scn_part_err_two_axes(tf1, h):
    h.expect_error(lambda: tf1.get_variable("a", [4, 2], partitioner=lambda shape, dtype: [2, 2]))


@scenario
def scn_part_err_already_exists(tf1, h):
    with tf1.variable_scope("s"):
        tf1.get_variable("v", [4], partitioner=tf1.fixed_size_partitioner(2))
        h.expect_error(lambda: tf1.get_variable("v", [4], partitioner=tf1.fixed_size_partitioner(2)))


@scenario
def scn_part_err_reuse_shape_mismatch(tf1, h):
    with tf1.variable_scope("s"):
        tf1.get_variable("v", [4, 2], partitioner=tf1.fixed_size_partitioner(2))
    with tf1.variable_scope("s", reuse=True):
        h.expect_error(lambda: tf1.get_variable("v", [4, 3], partitioner=tf1.fixed_size_partitioner(2)))
        h.expect_error(lambda: tf1.get_variable("v", [4, 3]))


@scenario
def scn_part_err_reuse_dtype_mismatch(tf1, h):
    with tf1.variable_scope("s"):
        tf1.get_variable("v", [4, 2], partitioner=tf1.fixed_size_partitioner(2))
    with tf1.variable_scope("s", reuse=True):
        h.expect_error(lambda: tf1.get_variable("v", [4, 2], dtype=tf1.float64,
                                                partitioner=tf1.fixed_size_partitioner(2)))


@scenario
def scn_part_err_reuse_partitions_mismatch(tf1, h):
    with tf1.variable_scope("s"):
        tf1.get_variable("v", [6, 2], partitioner=tf1.fixed_size_partitioner(2))
    with tf1.variable_scope("s", reuse=True):
        h.expect_error(lambda: tf1.get_variable("v", [6, 2], partitioner=tf1.fixed_size_partitioner(3)))


@scenario
def scn_part_err_does_not_exist(tf1, h):
    with tf1.variable_scope("s", reuse=True):
        h.expect_error(lambda: tf1.get_variable("v", [4], partitioner=tf1.fixed_size_partitioner(2)))


@scenario
def scn_part_err_different_partitioning_fewer(tf1, h):
    with tf1.variable_scope("s"):
        tf1.get_variable("j/part_0", [2])
        h.expect_error(lambda: tf1.get_variable("j", [6], partitioner=tf1.fixed_size_partitioner(3)))


@scenario
def scn_part_err_different_partitioning_extra(tf1, h):
    with tf1.variable_scope("s"):
        tf1.get_variable("k/part_0", [2])
        tf1.get_variable("k/part_1", [2])
        tf1.get_variable("k/part_2", [2])
        h.expect_error(lambda: tf1.get_variable("k", [4], partitioner=tf1.fixed_size_partitioner(2)))


@scenario
def scn_part_err_same_count_shard_exists(tf1, h):
    tf1.get_variable("j/part_0", [2])
    tf1.get_variable("j/part_1", [2])
    h.expect_error(lambda: tf1.get_variable("j", [4], partitioner=tf1.fixed_size_partitioner(2)))


@scenario
def scn_part_err_offset_too_many_shards(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v", [4, 2], partitioner=lambda shape, dtype: [5, 1]))
    colls(tf1, h)


@scenario
def scn_part_err_not_callable(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v", [4], partitioner=5))
    with tf1.variable_scope("s", partitioner="p"):
        h.expect_error(lambda: tf1.get_variable("v", [4]))


# -- _PartitionInfo ----------------------------------------------------------------------------------------------------

@scenario
def scn_pinfo_properties_and_oracle(tf1, h):
    pi = h.partition_info([9, 3], [4, 0])
    h.log(pi.full_shape, pi.var_offset, pi.single_offset([1, 3]), pi.single_slice_dim([2, 3]))
    pj = h.partition_info((9, 3), (0, 0))
    h.log(pj.single_slice_dim([9, 2]), pj.single_offset([9, 3]), pj.single_slice_dim([9, 3]))


@scenario
def scn_pinfo_ctor_errors(tf1, h):
    h.expect_error(lambda: h.partition_info(5, [0]) and "made")
    h.expect_error(lambda: h.partition_info([5], 0) and "made")
    h.expect_error(lambda: h.partition_info([5, 2], [0]) and "made")
    h.expect_error(lambda: h.partition_info([5, 2], [5, 0]) and "made")
    h.expect_error(lambda: h.partition_info([5, 2], [0, -1]) and "made")


@scenario
def scn_pinfo_single_slice_dim_errors(tf1, h):
    pi = h.partition_info([9, 3], [4, 0])
    h.expect_error(lambda: pi.single_slice_dim(3))
    h.expect_error(lambda: pi.single_slice_dim([3]))
    h.expect_error(lambda: pi.single_slice_dim([6, 3]))
    pk = h.partition_info([9, 3], [0, 0])
    h.expect_error(lambda: pk.single_slice_dim([2, 2]))
    h.expect_error(lambda: pk.single_offset([2, 2]))


# =====================================================================================================================
# create_partitioned_variables
# =====================================================================================================================

@scenario
def scn_cpv_names(tf1, h):
    with tf1.variable_scope("hi"):
        a = tf1.create_partitioned_variables([10, 4], [2, 1], tf1.zeros_initializer())
        b = tf1.create_partitioned_variables([10, 4], [2, 1], tf1.zeros_initializer())
        c = tf1.create_partitioned_variables([10, 4], [1, 2], tf1.zeros_initializer(), name="named")
    h.log(type(a).__name__, names(a), names(b), names(c))
    h.log([(str(x.shape), x._save_slice_info.spec) for x in a + c])


@scenario
def scn_cpv_under_name_scope(tf1, h):
    with tf1.name_scope("ola"):
        a = tf1.create_partitioned_variables([4], [2], tf1.zeros_initializer())
        b = tf1.create_partitioned_variables([4], [2], tf1.zeros_initializer())
    h.log(names(a), names(b))


@scenario
def scn_cpv_reuse(tf1, h):
    with tf1.variable_scope("s") as vs:
        a = tf1.create_partitioned_variables([4, 2], [2, 1], tf1.ones_initializer(), name="p")
    with tf1.variable_scope(vs, reuse=True):
        b = tf1.create_partitioned_variables([4, 2], [2, 1], tf1.ones_initializer(), name="p")
    h.log(all(x is y for x, y in zip(a, b)), len(a) == len(b))
    with tf1.variable_scope("t"):
        c = tf1.create_partitioned_variables([4], [2], tf1.ones_initializer(), name="q")
        d = tf1.create_partitioned_variables([4], [2], tf1.ones_initializer(), name="q", reuse=True)
    h.log(all(x is y for x, y in zip(c, d)))


@scenario
def scn_cpv_values_and_dtype(tf1, h):
    vs = tf1.create_partitioned_variables([5, 2], [3, 1], tf1.constant_initializer(2.5), dtype=tf1.float64)
    h.log([(x.name, str(x.shape), x.dtype) for x in vs])
    h.log([h.value(x) for x in vs])
    ws = tf1.create_partitioned_variables([5, 2], [3, 1], tf1.constant_initializer(np.arange(10.0)))
    h.expect_error(lambda: [h.value(x) for x in ws])


@scenario
def scn_cpv_trainable_collections(tf1, h):
    tf1.create_partitioned_variables([4], [2], tf1.zeros_initializer(), trainable=False, name="nt")
    tf1.create_partitioned_variables([4], [2], tf1.zeros_initializer(), collections=["mine"], name="c")
    colls(tf1, h)
    h.log(names(tf1.get_collection("mine")))


@scenario
def scn_cpv_errors(tf1, h):
    h.expect_error(lambda: tf1.create_partitioned_variables([10, 43], [1], tf1.zeros_initializer()))
    h.expect_error(lambda: tf1.create_partitioned_variables([], [], tf1.zeros_initializer()))
    h.expect_error(lambda: names(tf1.create_partitioned_variables([10, 43], [11, 1], tf1.zeros_initializer(),
                                                                  name="off")))
    h.expect_error(lambda: names(tf1.create_partitioned_variables([10, 43], [2, 2], tf1.zeros_initializer(),
                                                                  name="two")))


@scenario
def scn_cpv_slicing_43_cols(tf1, h):
    vs = tf1.create_partitioned_variables([10, 43], [1, 5], tf1.zeros_initializer(), name="w")
    h.log([(x.name, str(x.shape), x._save_slice_info.spec) for x in vs])


@scenario
def scn_cpv_initializer_receives_partition_info(tf1, h):
    seen = []

    def init(shape, dtype=None, partition_info=None):
        seen.append((list(shape), list(partition_info.full_shape), list(partition_info.var_offset)))
        return np.zeros(shape, np.float32)

    tf1.create_partitioned_variables([7, 2], [3, 1], init)
    h.log(seen)


# =====================================================================================================================
# §11  use_resource, caching_device, constraint
# =====================================================================================================================

@scenario
def scn_c11_constraint_not_inherited(tf1, h):
    c = lambda x: x  # noqa: E731
    with tf1.variable_scope("a", constraint=c) as a:
        v = tf1.get_variable("v", [1])
        with tf1.variable_scope("b") as b:
            w = tf1.get_variable("w", [1])
    h.log(a.constraint is c, v.constraint is c, b.constraint, w.constraint)
    with tf1.variable_scope(a) as a2:
        x = tf1.get_variable("x", [1])
    h.log(a2.constraint, x.constraint)
    with tf1.variable_scope(a, constraint=c) as a3:
        y = tf1.get_variable("y", [1])
    h.log(a3.constraint is c, y.constraint is c)
    h.log(tf1.get_variable_scope().constraint)


@scenario
def scn_c11_constraint_explicit_wins(tf1, h):
    c1 = lambda x: x  # noqa: E731
    c2 = lambda x: x  # noqa: E731
    with tf1.variable_scope("a", constraint=c1):
        v = tf1.get_variable("v", [1], constraint=c2)
        w = tf1.get_variable("w", [1], constraint=None)
    h.log(v.constraint is c2, w.constraint is c1)


@scenario
def scn_c11_constraint_on_partitioned_shards(tf1, h):
    c = lambda x: x  # noqa: E731
    pv = tf1.get_variable("p", [4], constraint=c, partitioner=tf1.fixed_size_partitioner(2))
    h.log([s.constraint is c for s in pv])


@scenario
def scn_c11_constraint_non_callable_resource(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v", [1], constraint=3))
    h.expect_error(lambda: tf1.get_variable("w", [1], constraint="c"))
    colls(tf1, h)


@scenario
def scn_c11_constraint_non_callable_ref(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v", [1], constraint=3, use_resource=False))
    colls(tf1, h)


@scenario
def scn_c11_constraint_non_callable_in_scope(tf1, h):
    with tf1.variable_scope("s", constraint=3) as s:
        h.log(s.constraint)
        h.expect_error(lambda: tf1.get_variable("v", [1]))
        with tf1.variable_scope("inner"):
            h.expect_error(lambda: tf1.get_variable("w", [1]).name)


@scenario
def scn_c11_use_resource_inheritance(tf1, h):
    h.log("root", tf1.get_variable_scope().use_resource)
    with tf1.variable_scope("a", use_resource=False) as a:
        h.log("a", a.use_resource)
        with tf1.variable_scope("b") as b:
            h.log("b", b.use_resource)
            with tf1.variable_scope("c", use_resource=True) as c:
                h.log("c", c.use_resource)
    with tf1.variable_scope("other", use_resource=True):
        with tf1.variable_scope(a) as a2:
            h.log("a re-entered", a2.use_resource)
        with tf1.variable_scope(a, use_resource=True) as a3:
            h.log("a re-entered override", a3.use_resource)
    h.log("a after", a.use_resource)


@scenario
def scn_c11_set_use_resource(tf1, h):
    with tf1.variable_scope("a") as a:
        a.set_use_resource(False)
        h.log(a.use_resource)
        with tf1.variable_scope("b") as b:
            h.log(b.use_resource)
    with tf1.variable_scope(a) as a2:
        h.log(a2.use_resource)


@scenario
def scn_c11_caching_device_inheritance(tf1, h):
    h.log("root", tf1.get_variable_scope().caching_device)
    with tf1.variable_scope("a", caching_device="/cpu:0") as a:
        h.log("a", a.caching_device)
        with tf1.variable_scope("b") as b:
            h.log("b", b.caching_device)
            with tf1.variable_scope("off", caching_device="") as off:
                h.log("off", off.caching_device)
                with tf1.variable_scope("deep") as deep:
                    h.log("deep", deep.caching_device)
    with tf1.variable_scope(a) as a2:
        h.log("a re-entered", a2.caching_device)
    with tf1.variable_scope(a, caching_device="/cpu:1") as a3:
        h.log("a override", a3.caching_device)
    with tf1.variable_scope("c") as c:
        c.set_caching_device("/cpu:2")
        with tf1.variable_scope("d") as d:
            h.log("set", c.caching_device, d.caching_device)


@scenario
def scn_c11_caching_device_callable(tf1, h):
    fn = lambda op: op.device  # noqa: E731
    with tf1.variable_scope("a", caching_device=fn) as a:
        v = tf1.get_variable("v", [1])
        with tf1.variable_scope("b") as b:
            pass
    h.log(a.caching_device is fn, b.caching_device is fn, v.name)


@scenario
def scn_c11_caching_device_getter_sees(tf1, h):
    seen = []

    def g(getter, **kw):
        seen.append(kw["caching_device"])
        return getter(**kw)

    with tf1.variable_scope("a", caching_device="/cpu:0", custom_getter=g):
        tf1.get_variable("v", [1])
        tf1.get_variable("w", [1], caching_device="/cpu:1")
        with tf1.variable_scope("off", caching_device=""):
            tf1.get_variable("x", [1])
    h.log(seen)


@scenario
def scn_c11_use_resource_getter_sees(tf1, h):
    seen = []

    def g(getter, **kw):
        seen.append((kw["name"], kw["use_resource"]))
        return getter(**kw)

    with tf1.variable_scope("a", custom_getter=g):
        tf1.get_variable("v", [1])
        with tf1.variable_scope("r", use_resource=False):
            tf1.get_variable("w", [1])
            tf1.get_variable("x", [1], use_resource=True)
    h.log(seen)


# =====================================================================================================================
# §12  make_template / Template
# =====================================================================================================================

def _dummy(tf1):
    def f():
        return tf1.get_variable("dummy", [1], initializer=tf1.zeros_initializer())
    return f


@scenario
def scn_tpl_t5_two_templates(tf1, h):
    f = _dummy(tf1)
    t1 = tf1.make_template("s1", f)
    t2 = tf1.make_template("s1", f)
    v1 = t1()
    v2 = t1()
    v3 = t2()
    h.log(v1.name, v1 is v2, v3.name)


@scenario
def scn_tpl_t5_inside_scope_then_other_scope(tf1, h):
    f = _dummy(tf1)
    t1 = tf1.make_template("s1", f)
    t2 = tf1.make_template("s1", f)
    with tf1.variable_scope("scope"):
        v1 = t1()
        v3 = t2()
    with tf1.variable_scope("scope2"):
        v2 = t1()
        v4 = t2()
    h.log(v1.name, v3.name, v1 is v2, v3 is v4)


@scenario
def scn_tpl_t5_internal_scope(tf1, h):
    def f():
        with tf1.variable_scope("test"):
            return tf1.get_variable("dummy", [1])

    t = tf1.make_template("s1", f)
    a = t()
    b = t()
    h.log(a.name, a is b)


@scenario
def scn_tpl_t5_nested_templates(tf1, h):
    f = _dummy(tf1)

    def nested():
        n1 = tf1.make_template("nested", f)
        n2 = tf1.make_template("nested", f)
        return n1(), n2()

    t1 = tf1.make_template("s1", nested)
    t2 = tf1.make_template("s1", nested)
    v1 = t1()
    v2 = t1()
    v3 = t2()
    h.log(names(v1), names(v2), names(v3), v1[0] is v2[0])


@scenario
def scn_tpl_t5_create_scope_now_vs_deferred(tf1, h):
    f = _dummy(tf1)
    with tf1.variable_scope("ctor_scope"):
        ta = tf1.make_template("a", f, create_scope_now_=True)
        tb = tf1.make_template("b", f)
        h.log(ta.variable_scope.name, tb.variable_scope)
    with tf1.variable_scope("call_scope"):
        va = ta()
        vb = tb()
    h.log(va.name, vb.name, tb.variable_scope.name)


@scenario
def scn_tpl_t5_scope_names_before_call(tf1, h):
    f = _dummy(tf1)
    with tf1.variable_scope("foo"):
        ta = tf1.make_template("bar", f, create_scope_now_=True)
        tb = tf1.make_template("bar", f, create_scope_now_=True)
    h.log(ta.variable_scope.name, tb.variable_scope.name, ta.variable_scope_name, tb.variable_scope_name)
    with tf1.variable_scope("foo_2"):
        tc = tf1.make_template("blah", f)
    v = tc()
    h.log(v.name, tc.variable_scope_name)


@scenario
def scn_tpl_t6_name_scopes_create_scope_now(tf1, h):
    def f(x):
        tf1.get_variable("w", [1])
        return h.op("add")

    linear1 = tf1.make_template("foo", f, create_scope_now_=True)
    linear2 = tf1.make_template("foo", f, create_scope_now_=True)
    h.log(linear1.variable_scope.name, linear1(1.0), linear1(1.0))
    h.log(linear2.variable_scope.name, linear2(1.0), linear2(1.0))


@scenario
def scn_tpl_t6_name_scopes_deferred(tf1, h):
    def f():
        tf1.get_variable("w", [1])
        return h.op("add")

    t = tf1.make_template("s1", f)
    h.log(t(), t(), t())
    h.log(t.variable_scope.name, t.variable_scope.original_name_scope)


@scenario
def scn_tpl_original_name_scope_create_scope_now(tf1, h):
    t = tf1.make_template("foo", _dummy(tf1), create_scope_now_=True)
    h.log(t.variable_scope.name, t.variable_scope.original_name_scope, t.variable_scope.reuse)
    with tf1.variable_scope("x"):
        u = tf1.make_template("foo", _dummy(tf1), create_scope_now_=True)
    h.log(u.variable_scope.name, u.variable_scope.original_name_scope)


@scenario
def scn_tpl_create_scope_now_dtype_forced_float32(tf1, h):
    def f():
        return tf1.get_variable("v", [1])

    with tf1.variable_scope("half", dtype=tf1.float16):
        ti = tf1.make_template("imm", f, create_scope_now_=True)
        td = tf1.make_template("def", f)
        h.log(ti.variable_scope.dtype)
        vi = ti()
        vd = td()
    h.log(vi.dtype, vd.dtype, vi.name, vd.name)


@scenario
def scn_tpl_create_scope_now_inherits_reuse(tf1, h):
    with tf1.variable_scope("r", reuse=True):
        t = tf1.make_template("s", _dummy(tf1), create_scope_now_=True)
    h.log(t.variable_scope.name, t.variable_scope.reuse)
    terr(h, t)


@scenario
def scn_tpl_first_vs_later_call_reuse(tf1, h):
    seen = []

    def f():
        seen.append(tf1.get_variable_scope().reuse)
        return tf1.get_variable("v", [1])

    t = tf1.make_template("t", f)
    t()
    t()
    t()
    h.log(seen)
    with tf1.variable_scope("auto", reuse=tf1.AUTO_REUSE):
        u = tf1.make_template("u", f)
        u()
        u()
    h.log(seen)


@scenario
def scn_tpl_kwargs_bound(tf1, h):
    def f(x, scale=1.0):
        v = tf1.get_variable("v", [1], initializer=tf1.constant_initializer(x * scale))
        return v

    t = tf1.make_template("t", f, scale=2.0)
    v = t(3.0)
    h.log(v.name, h.value(v))
    h.log(t(5.0) is v)


@scenario
def scn_tpl_func_and_name_properties(tf1, h):
    def f():
        return tf1.get_variable("v", [1])

    t = tf1.make_template("tname", f)
    h.log(t.name, t.func is f, t.variable_scope, t.variable_scope_name)
    t()
    h.log(t.name, t.func is f, t.variable_scope.name, t.variable_scope_name, t.var_scope.name)


@scenario
def scn_tpl_variables_properties(tf1, h):
    def f():
        a = tf1.get_variable("a", [1])
        b = tf1.get_variable("b", [1], trainable=False)
        c = tf1.get_local_variable("c", [1])
        return a, b, c

    t = tf1.make_template("t", f)
    h.log(t.variables, t.trainable_variables, t.global_variables, t.local_variables, t.non_trainable_variables)
    t()
    h.log(names(t.variables), names(t.trainable_variables), names(t.global_variables))
    h.log(names(t.local_variables), names(t.non_trainable_variables))
    h.log(names(t.weights), names(t.trainable_weights), names(t.non_trainable_weights))


@scenario
def scn_tpl_variables_regex_prefix(tf1, h):
    tf1.get_variable("tx/other", [1])
    t = tf1.make_template("t", _dummy(tf1))
    t()
    h.log(t.variable_scope_name, names(t.variables))
    tf1.get_variable("t/late", [1])
    h.log(names(t.variables))


@scenario
def scn_tpl_empty_name(tf1, h):
    with tf1.variable_scope("outer"):
        tf1.get_variable("x", [1])
        t = tf1.make_template("", _dummy(tf1))
        v = t()
    h.log(v.name, t.variable_scope.name, t.variable_scope_name, names(t.variables))
    u = tf1.make_template("", _dummy(tf1))
    h.expect_error(lambda: u().name)


@scenario
def scn_tpl_empty_name_at_root(tf1, h):
    u = tf1.make_template("", _dummy(tf1))
    h.expect_error(lambda: u().name)
    h.log(u.variable_scope.name, u.variable_scope_name)


@scenario
def scn_tpl_name_none_error(tf1, h):
    terr(h, lambda: tf1.make_template(None, _dummy(tf1)))


@scenario
def scn_tpl_unique_name_verbatim(tf1, h):
    f = _dummy(tf1)
    t1 = tf1.make_template("_", f, unique_name_="s1")
    v1 = t1()
    h.log(v1.name, t1.variable_scope.name, t1.name)
    t2 = tf1.make_template("_", f, unique_name_="s1")
    terr(h, t2)


@scenario
def scn_tpl_unique_name_shared_after_reuse_variables(tf1, h):
    f = _dummy(tf1)
    t1 = tf1.make_template("_", f, unique_name_="s1")
    v1 = t1()
    tf1.get_variable_scope().reuse_variables()
    t3 = tf1.make_template("_", f, unique_name_="s1")
    v3 = t3()
    h.log(v1 is v3, v3.name)


@scenario
def scn_tpl_unique_name_create_scope_now(tf1, h):
    with tf1.variable_scope("o"):
        t = tf1.make_template("_", _dummy(tf1), create_scope_now_=True, unique_name_="u")
        t2 = tf1.make_template("_", _dummy(tf1), create_scope_now_=True, unique_name_="u")
    h.log(t.variable_scope.name, t2.variable_scope.name)
    h.log(t().name)
    terr(h, t2)


@scenario
def scn_tpl_later_call_new_get_variable_fails(tf1, h):
    n = [0]

    def f():
        n[0] += 1
        return tf1.get_variable("v%d" % n[0], [1])

    t = tf1.make_template("t", f)
    h.log(t().name)
    terr(h, t)


@scenario
def scn_tpl_later_call_trainable_variable_error(tf1, h):
    calls = [0]

    def f():
        calls[0] += 1
        v = tf1.get_variable("v", [1])
        if calls[0] > 1:
            tf1.Variable(1.0)
        return v

    t = tf1.make_template("s", f)
    t()
    terr(h, t)
    colls(tf1, h)


@scenario
def scn_tpl_later_call_non_trainable_variable_ok(tf1, h):
    def f():
        v = tf1.get_variable("v", [1])
        tf1.Variable(1.0, trainable=False)
        return v

    t = tf1.make_template("s", f)
    a = t()
    b = t()
    h.log(a is b, a.name)
    colls(tf1, h)


@scenario
def scn_tpl_first_call_failure_keeps_scope(tf1, h):
    def f(x=1):
        tf1.get_variable("w", [1])
        return h.op("c")

    t = tf1.make_template("f1", f)
    terr(h, lambda: t(bad=2))
    h.log(t.variable_scope.name, t.variables)
    h.log(t())
    h.log(names(t.variables))
    h.log(t())


@scenario
def scn_tpl_error_in_func_gets_suffix(tf1, h):
    def f():
        raise ValueError("boom")

    t = tf1.make_template("t", f)
    terr(h, t)
    terr(h, t)

    def g():
        raise KeyError("k")

    u = tf1.make_template("u", g, create_scope_now_=True)
    terr(h, u)


@scenario
def scn_tpl_poisoned_by_reuse_scope(tf1, h):
    t = tf1.make_template("s", _dummy(tf1))
    with tf1.variable_scope("r", reuse=True):
        terr(h, t)
    h.log(t.variable_scope.name, t.variable_scope.reuse)
    terr(h, t)


@scenario
def scn_tpl_already_exists_on_first_call(tf1, h):
    tf1.get_variable("s/dummy", [1])
    t = tf1.make_template("s", _dummy(tf1), unique_name_="s")
    terr(h, t)
    u = tf1.make_template("s", _dummy(tf1))
    h.log(u().name)


@scenario
def scn_tpl_returns_same_variables_every_call(tf1, h):
    def f():
        return [tf1.get_variable("a", [2]), tf1.get_variable("b", [3])]

    t = tf1.make_template("net", f)
    x = t()
    with tf1.variable_scope("elsewhere"):
        y = t()
    with tf1.name_scope("ns"):
        z = t()
    h.log(names(x), all(p is q for p, q in zip(x, y)), all(p is q for p, q in zip(x, z)))
    colls(tf1, h)


@scenario
def scn_tpl_inside_default_name_scope(tf1, h):
    f = _dummy(tf1)
    with tf1.variable_scope(None, default_name="layer"):
        t = tf1.make_template("t", f)
        a = t()
    with tf1.variable_scope(None, default_name="layer"):
        b = t()
        u = tf1.make_template("t", f)
        c = u()
    h.log(a.name, a is b, c.name)


@scenario
def scn_tpl_partitioned_variable_inside(tf1, h):
    def f():
        return tf1.get_variable("p", [4, 2], partitioner=tf1.fixed_size_partitioner(2))

    t = tf1.make_template("t", f)
    a = t()
    b = t()
    h.log(a.name, names(a), a is b, names(t.variables))


@scenario
def scn_tpl_template_in_template_scope_ops(tf1, h):
    def inner():
        tf1.get_variable("w", [1])
        return h.op("op")

    def outer():
        i = tf1.make_template("inner", inner)
        return i(), i()

    t = tf1.make_template("outer", outer)
    h.log(t())
    h.log(t())
    h.log(names(tf1.global_variables()))


@scenario
def scn_tpl_scope_regularizer_applies_first_call_only(tf1, h):
    t = tf1.make_template("t", _dummy(tf1))
    with tf1.variable_scope("r", regularizer=_scaled(2.0)):
        t()
        t()
    h.log(len(losses(tf1)))


@scenario
def scn_tpl_create_scope_now_custom_getter_property(tf1, h):
    def g(getter, *a, **k):
        return getter(*a, **k)

    t = tf1.make_template("t", _dummy(tf1), create_scope_now_=True, custom_getter_=g)
    h.log(t.variable_scope.custom_getter is g)
    t()
    u = tf1.make_template("u", _dummy(tf1), custom_getter_=g)
    u()
    h.log(u.variable_scope.custom_getter is g)


# =====================================================================================================================
# more corners
# =====================================================================================================================

@scenario
def scn_init_constant_verify_shape_true(tf1, h):
    h.expect_error(lambda: tf1.get_variable("a", [2, 2], initializer=tf1.constant_initializer(
        [1.0, 2.0, 3.0, 4.0], verify_shape=True)).name)
    h.expect_error(lambda: tf1.get_variable("b", [2, 2], initializer=tf1.constant_initializer(
        [[1.0, 2.0], [3.0, 4.0]], verify_shape=True)).name)


@scenario
def scn_init_constant_numpy_2d_reshaped(tf1, h):
    v = tf1.get_variable("v", [3, 2], initializer=tf1.constant_initializer(np.arange(6.0).reshape(2, 3)))
    var(h, "var", v)
    val(h, "value", v)


@scenario
def scn_init_constant_list_into_scalar_too_many(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v", [], initializer=tf1.constant_initializer([1.0, 2.0])).name)


@scenario
def scn_init_random_uniform_int_without_maxval(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v", [3], dtype=tf1.int32,
                                            initializer=tf1.random_uniform_initializer()).name)


@scenario
def scn_init_truncated_normal_float16(tf1, h):
    v = tf1.get_variable("t", [200, 200], dtype=tf1.float16, initializer=tf1.truncated_normal_initializer(stddev=0.5))
    stats(h, "truncated", v, limit=1.0, std=0.5)


@scenario
def scn_init_glorot_initializer_dtype_ignored(tf1, h):
    v = tf1.get_variable("v", [100, 100], initializer=tf1.glorot_uniform_initializer(dtype=tf1.float64))
    var(h, "var", v)
    stats(h, "glorot", v, limit=glorot_limit(100, 100))


@scenario
def scn_init_default_partitioned_complex_error(tf1, h):
    h.expect_error(lambda: tf1.get_variable("c", [4], dtype=tf1.complex64, partitioner=tf1.fixed_size_partitioner(2)))


@scenario
def scn_init_default_partitioned_bool_and_string(tf1, h):
    b = tf1.get_variable("b", [4], dtype=tf1.bool, partitioner=tf1.fixed_size_partitioner(2))
    s = tf1.get_variable("s", [4], dtype=tf1.string, partitioner=tf1.fixed_size_partitioner(2))
    h.log([(x.name, x.dtype, h.value(x).tolist()) for x in b])
    h.log([(x.name, x.dtype, [bytes(y) for y in h.value(x).tolist()]) for x in s])


@scenario
def scn_init_callable_object_with_partition_info(tf1, h):
    seen = []

    class Init:
        def __call__(self, shape, dtype=None, partition_info=None):
            seen.append((list(shape), None if partition_info is None else list(partition_info.var_offset)))
            return np.ones(shape, np.float32)

    tf1.get_variable("p", [4], initializer=Init(), partitioner=tf1.fixed_size_partitioner(2))
    tf1.get_variable("q", [3], initializer=Init())
    h.log(seen)


@scenario
def scn_init_callable_var_kwargs_no_partition_info(tf1, h):
    seen = []

    def init(shape, dtype=None, **kw):
        seen.append((list(shape), sorted(kw)))
        return np.ones(shape, np.float32)

    tf1.get_variable("p", [4], initializer=init, partitioner=tf1.fixed_size_partitioner(2))
    h.log(seen)


@scenario
def scn_init_callable_partition_info_without_dtype_param(tf1, h):
    def init(shape, partition_info=None):
        return np.ones(shape, np.float32)

    h.expect_error(lambda: tf1.get_variable("p", [4], initializer=init).name)


@scenario
def scn_init_partitioned_numpy_initializer_with_shape(tf1, h):
    pv = h.expect_error(lambda: tf1.get_variable("v", [4], initializer=np.arange(4.0, dtype=np.float32),
                                                 partitioner=tf1.fixed_size_partitioner(2)))
    if pv is not None:
        h.log([(s.name, h.value(s)) for s in pv])


@scenario
def scn_init_partitioned_tensor_initializer_with_shape(tf1, h):
    init = tf1.constant(np.arange(6.0, dtype=np.float32))
    pv = h.expect_error(lambda: tf1.get_variable("v", [6], initializer=init, partitioner=tf1.fixed_size_partitioner(3)))
    if pv is not None:
        h.log([(s.name, h.value(s)) for s in pv])
    h.expect_error(lambda: tf1.get_variable("w", [5], initializer=init, partitioner=tf1.fixed_size_partitioner(3)))


@scenario
def scn_init_partitioned_vs_rank1_full_shape(tf1, h):
    init = tf1.variance_scaling_initializer(distribution="uniform")
    pv = tf1.get_variable("w", [40000], initializer=init, partitioner=tf1.fixed_size_partitioner(8))
    a = np.concatenate([np.asarray(h.value(s), dtype=np.float64) for s in pv])
    lim = math.sqrt(3.0 / 40000)
    h.log(bool(np.max(np.abs(a)) <= lim * (1 + 1e-5)), bool(np.max(np.abs(a)) >= 0.9 * lim))


# -- regularizers ------------------------------------------------------------------------------------------------------

@scenario
def scn_reg_builtin_stray_root_ops(tf1, h):
    tf1.get_variable("a", [2], initializer=tf1.ones_initializer(), regularizer=h.regularizer("l2", 1.0))
    tf1.get_variable("b", [2], initializer=tf1.ones_initializer(), regularizer=h.regularizer("l2", 1.0))
    h.log(names(losses(tf1)))
    h.log(h.op("l2_regularizer"), h.op("a"), h.op("Regularizer"))


@scenario
def scn_reg_builtin_loss_name_uses_store_key(tf1, h):
    tf1.Variable(1.0, name="v")
    v = tf1.get_variable("v", [2], initializer=tf1.ones_initializer(), regularizer=h.regularizer("l2", 1.0))
    h.log(v.name, names(losses(tf1)), loss_values(h, losses(tf1)))


@scenario
def scn_reg_builtin_renaming_getter(tf1, h):
    def g(getter, name, *a, **k):
        return getter(name + "_r", *a, **k)

    with tf1.variable_scope("s", custom_getter=g, regularizer=h.regularizer("l1", 1.0)):
        v = tf1.get_variable("v", [2], initializer=tf1.ones_initializer())
    h.log(v.name, names(losses(tf1)))


@scenario
def scn_reg_builtin_in_template(tf1, h):
    def f():
        return tf1.get_variable("w", [2], initializer=tf1.ones_initializer(), regularizer=h.regularizer("l2", 0.5))

    t = tf1.make_template("net", f)
    t()
    t()
    h.log(names(losses(tf1)), loss_values(h, losses(tf1)))


@scenario
def scn_reg_builtin_create_partitioned_variables(tf1, h):
    with tf1.variable_scope("s", regularizer=h.regularizer("l2", 1.0)):
        tf1.create_partitioned_variables([4], [2], tf1.ones_initializer(), name="p")
    h.log(names(losses(tf1)), loss_values(h, losses(tf1)))


@scenario
def scn_reg_get_regularization_loss_empty_and_scoped(tf1, h):
    h.log(round(float(h.value(tf1.losses.get_regularization_loss())), 5))
    with tf1.variable_scope("a", regularizer=h.regularizer("l1", 1.0)):
        tf1.get_variable("v", [3], initializer=tf1.ones_initializer())
    with tf1.variable_scope("b", regularizer=h.regularizer("l1", 2.0)):
        tf1.get_variable("v", [3], initializer=tf1.ones_initializer())
    h.log(round(float(h.value(tf1.losses.get_regularization_loss(scope="b"))), 5))
    h.log(round(float(h.value(tf1.losses.get_regularization_loss())), 5))


@scenario
def scn_reg_auto_reuse_creation_counts_once(tf1, h):
    for _ in range(3):
        with tf1.variable_scope("s", reuse=tf1.AUTO_REUSE, regularizer=_scaled(1.0)):
            tf1.get_variable("v", [1], initializer=tf1.ones_initializer())
    h.log(len(losses(tf1)))


@scenario
def scn_reg_regularizer_receives_variable(tf1, h):
    got = []

    def reg(w):
        got.append((w.name, str(w.shape)))
        return None

    with tf1.variable_scope("s"):
        v = tf1.get_variable("v", [2, 3], regularizer=reg)
    h.log(got[0], got[0][0] == v.name)


# -- custom getters ----------------------------------------------------------------------------------------------------

@scenario
def scn_getter_calls_getter_twice_same_name(tf1, h):
    def g(getter, *a, **k):
        getter(*a, **k)
        return getter(*a, **k)

    with tf1.variable_scope("s", custom_getter=g):
        h.expect_error(lambda: tf1.get_variable("v", [1]))


@scenario
def scn_getter_forces_reuse(tf1, h):
    def g(getter, *a, **k):
        k["reuse"] = True
        return getter(*a, **k)

    v = tf1.get_variable("s/v", [1])
    with tf1.variable_scope("s", custom_getter=g):
        h.log(tf1.get_variable("v", [1]) is v)
        h.expect_error(lambda: tf1.get_variable("w", [1]))


@scenario
def scn_getter_drops_partitioner(tf1, h):
    def g(getter, *a, **k):
        k["partitioner"] = None
        return getter(*a, **k)

    with tf1.variable_scope("s", custom_getter=g, partitioner=tf1.fixed_size_partitioner(2)):
        v = tf1.get_variable("v", [4])
    h.log(v.name, str(v.shape))


@scenario
def scn_getter_renames_partitioned(tf1, h):
    def g(getter, name, *a, **k):
        return getter(name + "_x", *a, **k)

    with tf1.variable_scope("s", custom_getter=g):
        pv = tf1.get_variable("v", [4], partitioner=tf1.fixed_size_partitioner(2))
    h.log(pv.name, names(pv))


@scenario
def scn_getter_returns_none(tf1, h):
    with tf1.variable_scope("s", custom_getter=lambda getter, *a, **k: None):
        h.log(tf1.get_variable("v", [1]))
    colls(tf1, h)


@scenario
def scn_getter_explicit_none_uses_scope(tf1, h):
    log = []

    def g(getter, *a, **k):
        log.append(k["name"])
        return getter(*a, **k)

    with tf1.variable_scope("s", custom_getter=g):
        tf1.get_variable("v", [1], custom_getter=None)
    h.log(log)


@scenario
def scn_getter_set_then_nested_wraps(tf1, h):
    log = []

    def mk(tag):
        return tagging_getter(log, tag)

    with tf1.variable_scope("s") as s:
        s.set_custom_getter(mk("set"))
        with tf1.variable_scope("n", custom_getter=mk("nested")):
            tf1.get_variable("v", [1])
    h.log(log)


@scenario
def scn_getter_reuse_seen_via_captured_reentry(tf1, h):
    seen = []

    def g(getter, **kw):
        seen.append(kw["reuse"])
        return getter(**kw)

    with tf1.variable_scope("s", custom_getter=g) as s:
        tf1.get_variable("v", [1])
    with tf1.variable_scope("auto", reuse=tf1.AUTO_REUSE):
        with tf1.variable_scope(s):
            h.expect_error(lambda: tf1.get_variable("v", [1]).name)
        with tf1.variable_scope("inner", custom_getter=g):
            tf1.get_variable("w", [1])
    with tf1.variable_scope(s, reuse=True):
        tf1.get_variable("v", [1])
    h.log(seen)


@scenario
def scn_getter_template_getter_chain_with_outer(tf1, h):
    log = []

    def mk(tag):
        return tagging_getter(log, tag)

    t = tf1.make_template("t", _dummy(tf1), custom_getter_=mk("template"))
    with tf1.variable_scope("o", custom_getter=mk("outer")):
        t()
        h.log(list(log))
        t()
    h.log(log)


@scenario
def scn_getter_partitioned_sees_full_shape_and_dtype(tf1, h):
    seen = []

    def g(getter, **kw):
        seen.append((kw["name"], list(kw["shape"]), kw["dtype"].name))
        return getter(**kw)

    with tf1.variable_scope("s", custom_getter=g, dtype=tf1.float64):
        pv = tf1.get_variable("v", [6, 2], partitioner=tf1.fixed_size_partitioner(3))
    h.log(seen, [s.dtype for s in pv])


# -- partitioning ------------------------------------------------------------------------------------------------------

@scenario
def scn_part_shape_as_tuple_and_tensorshape(tf1, h):
    a = tf1.get_variable("a", (4, 2), partitioner=tf1.fixed_size_partitioner(2))
    b = tf1.get_variable("b", tf1.TensorShape([4, 2]), partitioner=tf1.fixed_size_partitioner(2))
    pinfo(h, "a", a)
    pinfo(h, "b", b)


@scenario
def scn_part_string_dtype(tf1, h):
    pv = tf1.get_variable("s", [5], dtype=tf1.string, partitioner=tf1.variable_axis_size_partitioner(32))
    pinfo(h, "pv", pv)


@scenario
def scn_part_ref_variables(tf1, h):
    pv = tf1.get_variable("r", [4], use_resource=False, partitioner=tf1.fixed_size_partitioner(2))
    h.log(names(pv), [s.dtype for s in pv])
    h.expect_error(lambda: tf1.get_variable("c", [4], use_resource=False, constraint=3,
                                            partitioner=tf1.fixed_size_partitioner(2)))


@scenario
def scn_part_auto_reuse_create_then_reuse(tf1, h):
    p = tf1.fixed_size_partitioner(2)
    with tf1.variable_scope("s", reuse=tf1.AUTO_REUSE):
        a = tf1.get_variable("v", [4], partitioner=p)
        b = tf1.get_variable("v", [4], partitioner=p)
    h.log(a is b, names(a))


@scenario
def scn_part_partitioner_raises(tf1, h):
    def p(shape, dtype):
        raise RuntimeError("nope %s" % shape)

    h.expect_error(lambda: tf1.get_variable("v", [4], partitioner=p))
    colls(tf1, h)


@scenario
def scn_part_fixed_size_zero_shards(tf1, h):
    h.expect_error(lambda: tf1.get_variable("v", [4], partitioner=tf1.fixed_size_partitioner(0)))


@scenario
def scn_part_numpy_int_partitions(tf1, h):
    pv = tf1.get_variable("v", [4, 2], partitioner=lambda shape, dtype: [np.int64(2), 1])
    h.log(names(pv), pv._get_partitions(), pv._partition_axes())


@scenario
def scn_part_reuse_shard_shapes_in_reuse_scope(tf1, h):
    with tf1.variable_scope("s", partitioner=tf1.fixed_size_partitioner(3)) as s:
        a = tf1.get_variable("v", [7])
    with tf1.variable_scope(s, reuse=True):
        b = tf1.get_variable("v", [7])
        h.expect_error(lambda: tf1.get_variable("v", [8]))
    h.log(a is b, [str(x.shape) for x in a])


@scenario
def scn_part_as_tensor_axis1_int(tf1, h):
    init = tf1.constant(np.arange(12, dtype=np.int32).reshape(3, 4))
    pv = tf1.get_variable("v", initializer=init, partitioner=tf1.fixed_size_partitioner(2, axis=1))
    h.log(h.value(pv.as_tensor()))


@scenario
def scn_part_len_and_iter_single_shard(tf1, h):
    pv = tf1.get_variable("v", [3], partitioner=tf1.fixed_size_partitioner(1))
    h.log(len(pv), names(pv), pv._get_partitions(), pv._partition_axes())


# -- create_partitioned_variables --------------------------------------------------------------------------------------

@scenario
def scn_cpv_tensor_initializer(tf1, h):
    init = tf1.constant(np.arange(8.0, dtype=np.float32).reshape(4, 2))
    vs = h.expect_error(lambda: tf1.create_partitioned_variables([4, 2], [2, 1], init))
    if vs:
        h.log([h.value(x) for x in vs])


@scenario
def scn_cpv_all_ones_slicing(tf1, h):
    vs = tf1.create_partitioned_variables([3, 2], [1, 1], tf1.zeros_initializer())
    h.log(names(vs), [x._save_slice_info.spec for x in vs])


@scenario
def scn_cpv_auto_reuse_scope(tf1, h):
    with tf1.variable_scope("s", reuse=tf1.AUTO_REUSE):
        a = tf1.create_partitioned_variables([4], [2], tf1.zeros_initializer(), name="p")
        b = tf1.create_partitioned_variables([4], [2], tf1.zeros_initializer(), name="p")
    h.log(names(a), names(b), all(x is y for x, y in zip(a, b)))


@scenario
def scn_cpv_reuse_true_missing(tf1, h):
    h.expect_error(lambda: tf1.create_partitioned_variables([4], [2], tf1.zeros_initializer(), name="p", reuse=True))


@scenario
def scn_cpv_existing_plain_variable(tf1, h):
    tf1.get_variable("p", [4])
    h.expect_error(lambda: tf1.create_partitioned_variables([4], [2], tf1.zeros_initializer(), name="p"))


@scenario
def scn_cpv_getter_in_outer_scope_error(tf1, h):
    with tf1.variable_scope("outer", custom_getter=lambda getter, *a, **k: getter(*a, **k)):
        with tf1.variable_scope("inner"):
            try:
                tf1.create_partitioned_variables([4], [2], tf1.zeros_initializer())
                h.log("ok")
            except ValueError as e:
                h.log(str(e).startswith("Private access to _get_partitioned_variable is not allowed"))
    h.log(names(tf1.global_variables()))


# -- §11 ---------------------------------------------------------------------------------------------------------------

@scenario
def scn_c11_template_create_scope_now_inherits_scope_props(tf1, h):
    init = tf1.constant_initializer(3.0)
    with tf1.variable_scope("o", initializer=init, use_resource=False, caching_device="/cpu:0",
                            dtype=tf1.float64, constraint=lambda x: x):
        t = tf1.make_template("t", _dummy(tf1), create_scope_now_=True)
    s = t.variable_scope
    h.log(s.initializer is init, s.use_resource, s.caching_device, s.dtype, s.constraint)


@scenario
def scn_c11_constraint_reentry_with_captured_reuse(tf1, h):
    c = lambda x: x  # noqa: E731
    with tf1.variable_scope("a", constraint=c) as a:
        tf1.get_variable("v", [1])
    with tf1.variable_scope(a, reuse=True) as a2:
        v = tf1.get_variable("v", [1])
    h.log(a2.constraint, v.constraint is c)


# -- templates ---------------------------------------------------------------------------------------------------------

@scenario
def scn_tpl_inside_name_scope(tf1, h):
    def f():
        tf1.get_variable("w", [1])
        return h.op("c")

    t = tf1.make_template("t", f)
    with tf1.name_scope("ns"):
        a = t()
    with tf1.name_scope("ns2"):
        b = t()
    c = t()
    h.log(a, b, c, names(tf1.global_variables()))


@scenario
def scn_tpl_exception_args_rewritten(tf1, h):
    def f(kind):
        if kind == "empty":
            raise ValueError()
        if kind == "int":
            raise ValueError(42)
        raise ValueError("a", "b")

    t = tf1.make_template("t", f)
    for kind in ("empty", "int", "two"):
        try:
            t(kind)
        except ValueError as e:
            a0 = e.args[0]
            head, sep, _ = a0.partition("\n\noriginally defined at:")
            h.log(kind, len(e.args), head, bool(sep), list(e.args[1:]))


@scenario
def scn_tpl_variables_before_first_call_with_existing_prefix(tf1, h):
    tf1.get_variable("t/pre", [1])
    t = tf1.make_template("t", _dummy(tf1), unique_name_="t")
    h.log(t.variables, t.global_variables)
    u = tf1.make_template("u", _dummy(tf1), create_scope_now_=True)
    tf1.get_variable("u/pre", [1])
    h.log(u.variables, u.variable_scope_name)
    u()
    h.log(names(u.variables))


@scenario
def scn_tpl_first_call_creates_no_variables_then_later(tf1, h):
    n = [0]

    def f():
        n[0] += 1
        if n[0] > 1:
            return tf1.get_variable("late", [1])
        return h.op("noop")

    t = tf1.make_template("t", f)
    h.log(t())
    terr(h, t)


@scenario
def scn_tpl_auto_reuse_scope_first_call(tf1, h):
    tf1.get_variable("a/t/dummy", [1])
    with tf1.variable_scope("a", reuse=tf1.AUTO_REUSE):
        t = tf1.make_template("t", _dummy(tf1))
        v = t()
    h.log(v.name, t.variable_scope.reuse)
    h.log(t() is v)


@scenario
def scn_tpl_make_template_in_reused_outer_scope(tf1, h):
    with tf1.variable_scope("o"):
        t1 = tf1.make_template("t", _dummy(tf1))
        a = t1()
    with tf1.variable_scope("o", reuse=True):
        t2 = tf1.make_template("t", _dummy(tf1))
        b = t2()
    h.log(a.name, b.name, a is b, t2.variable_scope.name)


@scenario
def scn_tpl_non_trainable_variables_order(tf1, h):
    def f():
        tf1.get_variable("n1", [1], trainable=False)
        tf1.get_variable("t1", [1])
        tf1.get_variable("n2", [1], trainable=False)
        tf1.get_local_variable("l", [1])

    t = tf1.make_template("t", f)
    t()
    h.log(names(t.non_trainable_variables), names(t.variables), names(t.non_trainable_weights))
