"""TF's convolutions and pooling: ``tf.nn.conv1d``, ``conv2d``, ``conv2d_transpose``, ``depthwise_conv2d``,
``separable_conv2d``, ``max_pool``, ``avg_pool``, with TF 1.x's signatures.

Padding is TF's (``"SAME"``: ``ceil(in / stride)`` outputs, the odd padding cell after; ``"VALID"``; for
``conv2d`` also explicit ``[[0, 0], [top, bottom], [left, right], [0, 0]]``), strides / dilations / ksize take
an int, 2 values or 4 (batch and channel entries 1), ``data_format`` is ``NHWC`` or ``NCHW`` (``NWC`` / ``NCW``
for ``conv1d``). ``avg_pool`` divides each window by its count of real cells, as TF does with ``SAME``.
The math is in :mod:`varscope.compat._conv_math`.

Example:
    >>> import numpy as np
    >>> from varscope.compat import v1 as tf
    >>> x = np.arange(9.0, dtype=np.float32).reshape(1, 3, 3, 1)
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.avg_pool(x, ksize=2, strides=2, padding="SAME")  # the padded cells are not counted
    >>> y.name, y.shape.as_list(), y.numpy()[0, :, :, 0].tolist()
    ('AvgPool:0', [1, 2, 2, 1], [[2.0, 3.5], [6.5, 8.0]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from varscope.compat import _conv_math as cm
from varscope._graph import get_default_graph
from varscope.compat._op import convert, inputs, result, scope, shape_error
from varscope.compat._tensor import Tensor
from varscope.compat.nn_ops import deprecated_argument_lookup, run_error

__all__ = ["conv1d", "conv2d", "conv2d_transpose", "depthwise_conv2d", "separable_conv2d", "max_pool", "avg_pool"]


def _channels_first(data_format: Any) -> bool:
    if data_format is None:
        return False
    text = str(data_format)
    if text in ("NHWC", "NWC"):
        return False
    if text in ("NCHW", "NCW"):
        return True
    raise ValueError(f"data_format must be NHWC or NCHW (NWC or NCW for 1-D), got {data_format!r}.")


def _sequence(value: Any, name: str, channels_first: bool, n: int = 2) -> tuple[int, ...]:
    """TF's ``_get_sequence``: an int, ``n`` values or ``n + 2`` values (batch and channel entries 1) as ``n``."""
    if value is None:
        return (1,) * n
    if isinstance(value, (int, np.integer)):
        return (int(value),) * n
    values = [int(v) for v in np.asarray(value).ravel()]
    if len(values) == 1:
        return (values[0],) * n
    if len(values) == n:
        return tuple(values)
    if len(values) == n + 2:
        outer = (values[0], values[1]) if channels_first else (values[0], values[-1])
        if outer != (1, 1):
            raise ValueError(f"{name} in the batch and depth dimensions must be 1 (got {values}): varscope, like "
                             "TF's kernels, does not support them.")
        return tuple(values[2:]) if channels_first else tuple(values[1:-1])
    raise ValueError(f"{name} should be of length 1, {n} or {n + 2} but was {len(values)}")


def _padding(padding: Any, channels_first: bool, in_sizes: Any, kernel: Any, strides: Any,
             dilations: Any) -> list[tuple[int, int]]:
    if isinstance(padding, str):
        if padding not in ("SAME", "VALID"):
            raise ValueError(f"padding must be 'SAME', 'VALID' or a list of explicit paddings, got {padding!r}.")
        return cm.tf_padding(padding, in_sizes, kernel, strides, dilations)
    pairs = [tuple(int(v) for v in p) for p in padding]
    if len(pairs) != 4:
        raise ValueError(f"explicit padding must have 4 [before, after] pairs (one per dimension), got {padding!r}.")
    spatial = pairs[2:] if channels_first else pairs[1:3]
    outer = [pairs[0], pairs[1]] if channels_first else [pairs[0], pairs[3]]
    if any(p != (0, 0) for p in outer):
        raise ValueError("explicit padding in the batch and depth dimensions must be 0.")
    return [(a, b) for a, b in spatial]


def _to_nhwc(xp: Any, x: Any, channels_first: bool) -> Any:
    return xp.transpose(x, (0, 2, 3, 1)) if channels_first else x


def _from_nhwc(xp: Any, x: Any, channels_first: bool) -> Any:
    return xp.transpose(x, (0, 3, 1, 2)) if channels_first else x


def _check_rank(a: Any, rank: int, what: str) -> None:
    if a.ndim != rank:
        raise ValueError(f"{what} must be {rank}-D, got shape {list(a.shape)}.")


def _conv2d(x: Any, w: Any, strides: Any, padding: Any, channels_first: bool, dilations: Any, xp: Any,
            node: str = "Conv2D") -> Any:
    _check_rank(x, 4, "input")
    _check_rank(w, 4, "filter")
    xh = _to_nhwc(xp, x, channels_first)
    if xh.shape[3] % w.shape[2]:
        raise shape_error(f"Depth of input ({xh.shape[3]}) is not a multiple of input depth of filter "
                          f"({w.shape[2]})", node, "Conv2D")
    if xh.shape[3] != w.shape[2]:
        raise ValueError(f"grouped convolution (input depth {xh.shape[3]}, filter depth {w.shape[2]}) is not "
                         "supported; use depthwise_conv2d.")
    s = _sequence(strides, "strides", channels_first)
    d = _sequence(dilations, "dilations", channels_first)
    pads = _padding(padding, channels_first, xh.shape[1:3], w.shape[:2], s, d)
    return _from_nhwc(xp, cm.conv2d(xh, w, s, pads, d), channels_first)


def conv2d(input: Any, filter: Any = None, strides: Any = None, padding: Any = None,  # noqa: A002 - TF's names
           use_cudnn_on_gpu: bool = True, data_format: str = "NHWC", dilations: Any = [1, 1, 1, 1],  # noqa: B006
           name: Any = None, filters: Any = None) -> Tensor:
    """2-D convolution of ``input`` (``NHWC`` / ``NCHW``) with ``filters`` ``[h, w, in, out]`` (``Conv2D``).

    ``filter`` is TF 1's name of ``filters``; ``use_cudnn_on_gpu`` is accepted and ignored.
    """
    filters = deprecated_argument_lookup("filters", filters, "filter", filter)
    (x, w), dtype, xp = inputs("Conv2D", input=input, filter=filters)
    cf = _channels_first(data_format)
    node = get_default_graph().unique_name(name or "Conv2D", mark_as_used=False)
    return result(_conv2d(x, w, strides, padding, cf, dilations, xp, node), "Conv2D", name, dtype=dtype)


def conv1d(value: Any = None, filters: Any = None, stride: Any = None, padding: Any = None,
           use_cudnn_on_gpu: Any = None, data_format: Any = None, name: Any = None, input: Any = None,  # noqa: A002
           dilations: Any = None) -> Tensor:
    """1-D convolution of ``value`` (``NWC`` / ``NCW``) with ``filters`` ``[w, in, out]``: TF's ``conv2d`` of the
    inputs with a unit height (``conv1d/Squeeze``)."""
    value = deprecated_argument_lookup("input", input, "value", value)
    with scope(name, "conv1d"):
        (x, w), dtype, xp = inputs("Conv2D", input=value, filter=filters)
        cf = _channels_first(data_format)
        _check_rank(x, 3, "conv1d's input")
        _check_rank(w, 3, "conv1d's filters")
        s = (1,) + _sequence(stride, "stride", cf, n=1)
        d = (1,) + _sequence(dilations, "dilations", cf, n=1)
        axis = 2 if cf else 1
        out = _conv2d(xp.expand_dims(x, axis), xp.expand_dims(w, 0), s, padding, cf, d, xp)
        return result(xp.squeeze(out, axis), "Squeeze", "Squeeze", dtype=dtype)


def conv2d_transpose(value: Any = None, filter: Any = None, output_shape: Any = None,  # noqa: A002
                     strides: Any = None, padding: str = "SAME", data_format: str = "NHWC", name: Any = None,
                     input: Any = None, filters: Any = None, dilations: Any = None) -> Tensor:  # noqa: A002
    """The transpose (gradient) of ``conv2d``: ``value`` has the conv's output shape, the result ``output_shape``;
    ``filters`` is ``[h, w, out_channels, in_channels]`` (``conv2d_transpose``).

    Raises:
        varscope.compat.errors.InvalidArgumentError: When ``conv2d`` of an ``output_shape`` input would not give
            ``value``'s shape, or the channels disagree (TF raises it when the op runs).
    """
    value = deprecated_argument_lookup("input", input, "value", value)
    filters = deprecated_argument_lookup("filters", filters, "filter", filter)
    with scope(name, "conv2d_transpose") as s:
        (dy, w), dtype, xp = inputs("Conv2DBackpropInput", out_backprop=value, filter=filters)
        _check_rank(dy, 4, "value")
        _check_rank(w, 4, "filter")
        cf = _channels_first(data_format)
        shape, _ = convert(output_shape)
        full = [int(v) for v in np.asarray(shape).ravel()]
        if len(full) != 4:
            raise ValueError(f"output_shape must have length 4, got {full}.")
        out_nhwc = (full[0], full[2], full[3], full[1]) if cf else tuple(full)
        dyh = _to_nhwc(xp, dy, cf)
        st = _sequence(strides, "strides", cf)
        d = _sequence(dilations, "dilations", cf)
        pads = _padding(padding, cf, out_nhwc[1:3], w.shape[:2], st, d)
        expect = [cm.output_size(out_nhwc[1 + i], w.shape[i], st[i], d[i], pads[i]) for i in range(2)]
        if out_nhwc[3] % w.shape[2]:  # (TF's first check of the shapes, in its words)
            raise run_error(f"input depth must be evenly divisible by filter depth: {out_nhwc[3]} vs {w.shape[2]}")
        if out_nhwc[3] != w.shape[2] or dyh.shape[3] != w.shape[3] or list(dyh.shape[1:3]) != expect \
                or dyh.shape[0] != out_nhwc[0]:
            raise run_error(f"conv2d_transpose: conv2d of an input of shape {full} with filter {list(w.shape)} "
                            f"does not give value's shape {list(dy.shape)} (spatial {expect}, channels "
                            f"{w.shape[3]})")
        out = cm.conv2d_transpose(dyh, w, out_nhwc, st, pads, d)
        return result(_from_nhwc(xp, out, cf), "Conv2DBackpropInput", s, dtype=dtype)


def _depthwise(x: Any, w: Any, strides: Any, padding: Any, rate: Any, cf: bool, xp: Any) -> tuple[Any, bool]:
    """The depthwise convolution of ``x`` and whether a rate above 1 was used (TF names it differently)."""
    _check_rank(x, 4, "input")
    _check_rank(w, 4, "filter")
    xh = _to_nhwc(xp, x, cf)
    channels = xh.shape[3]
    if w.shape[2] != channels:
        raise ValueError(f"input depth {channels} must equal the depthwise filter's in-channels {w.shape[2]}.")
    st = _sequence(strides, "strides", cf)
    r = _sequence(rate, "rate", False)
    dilated = any(v > 1 for v in r)
    if dilated and any(v > 1 for v in st):
        raise ValueError(f"When dilation rate is greater than 1, then all values of strides must be 1. Received: "
                         f"`dilation rate` {list(r)} and `strides` {list(np.ravel(strides))} (TF only warns, and "
                         "computes a result of another shape).")
    pads = _padding(padding, cf, xh.shape[1:3], w.shape[:2], st, r)
    kernel = xp.reshape(w, (w.shape[0], w.shape[1], 1, channels * w.shape[3]))
    return _from_nhwc(xp, cm.conv2d(xh, kernel, st, pads, r, groups=channels), cf), dilated


def depthwise_conv2d(input: Any, filter: Any, strides: Any, padding: Any, rate: Any = None,  # noqa: A002
                     name: Any = None, data_format: Any = None, dilations: Any = None) -> Tensor:
    """Depthwise 2-D convolution: ``filter`` ``[h, w, in, multiplier]`` gives ``in * multiplier`` channels
    (channel ``c * multiplier + m``); ``rate`` (or ``dilations``) dilates it (``depthwise``)."""
    rate = deprecated_argument_lookup("dilations", dilations, "rate", rate)
    with scope(name, "depthwise") as s:
        (x, w), dtype, xp = inputs("DepthwiseConv2dNative", input=input, filter=filter)
        out, dilated = _depthwise(x, w, strides, padding, rate, _channels_first(data_format), xp)
        if dilated:  # TF computes it through space_to_batch
            return result(out, "BatchToSpaceND", "BatchToSpaceND", dtype=dtype)
        return result(out, "DepthwiseConv2dNative", s, dtype=dtype)


def separable_conv2d(input: Any, depthwise_filter: Any, pointwise_filter: Any, strides: Any,  # noqa: A002
                     padding: Any, rate: Any = None, name: Any = None, data_format: Any = None,
                     dilations: Any = None) -> Tensor:
    """A depthwise convolution followed by a 1x1 ``pointwise_filter`` ``[1, 1, in * multiplier, out]``
    (``separable_conv2d``)."""
    rate = deprecated_argument_lookup("dilations", dilations, "rate", rate)
    with scope(name, "separable_conv2d") as s:
        (x, dw, pw), dtype, xp = inputs("Conv2D", input=input, depthwise_filter=depthwise_filter,
                                        pointwise_filter=pointwise_filter)
        cf = _channels_first(data_format)
        mid, _ = _depthwise(x, dw, strides, padding, rate, cf, xp)
        if pw.ndim != 4 or pw.shape[:2] != (1, 1):
            raise ValueError(f"pointwise_filter must be [1, 1, channels, out], got {list(pw.shape)}.")
        return result(_conv2d(mid, pw, 1, "VALID", cf, 1, xp), "Conv2D", s, dtype=dtype)


def _pool(kind: str, value: Any, ksize: Any, strides: Any, padding: Any, data_format: Any, name: Any,
          input: Any) -> Tensor:  # noqa: A002
    value = deprecated_argument_lookup("input", input, "value", value)
    with scope(name, kind) as s:
        (x,), dtype, xp = inputs(kind, value=value)
        _check_rank(x, 4, f"{kind}'s input")
        cf = _channels_first(data_format)
        k = _sequence(ksize, "ksize", cf)
        st = _sequence(strides, "strides", cf)
        xh = _to_nhwc(xp, x, cf)
        if not isinstance(padding, str):
            raise ValueError(f"{kind} takes padding 'SAME' or 'VALID', got {padding!r}.")
        pads = _padding(padding, cf, xh.shape[1:3], k, st, (1, 1))
        fn = cm.max_pool if kind == "MaxPool" else cm.avg_pool
        return result(_from_nhwc(xp, fn(xh, k, st, pads), cf), kind, s, dtype=dtype)


def max_pool(value: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC", name: Any = None,
             input: Any = None) -> Tensor:  # noqa: A002
    """Max pooling over ``ksize`` windows (``MaxPool``; padded cells never win)."""
    return _pool("MaxPool", value, ksize, strides, padding, data_format, name, input)


def avg_pool(value: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC", name: Any = None,
             input: Any = None) -> Tensor:  # noqa: A002
    """Average pooling over ``ksize`` windows (``AvgPool``; each window averages its real cells only)."""
    return _pool("AvgPool", value, ksize, strides, padding, data_format, name, input)
