"""Convolution and pooling as TensorFlow computes them, for NumPy and JAX arrays.

All functions work on channels-last arrays with two spatial axes (``NHWC``; the op wrappers transpose
``NCHW`` and expand 1-D inputs). Padding is TF's: :func:`tf_padding` turns ``"SAME"`` / ``"VALID"`` (or an
explicit list) into ``(before, after)`` pairs per spatial axis, with the odd cell of ``SAME`` padding after.

NumPy computes in float64 and rounds once to the input dtype (one multiply-add per kernel tap over the
whole output); JAX uses ``lax.conv_general_dilated`` / ``lax.reduce_window``.

Example:
    >>> tf_padding("SAME", in_sizes=(5,), kernel=(3,), strides=(2,), dilations=(1,))
    [(1, 1)]
    >>> tf_padding("SAME", in_sizes=(4,), kernel=(3,), strides=(2,), dilations=(1,))
    [(0, 1)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from varscope.backends import get_backend

__all__ = ["tf_padding", "output_size", "conv2d", "conv2d_transpose", "max_pool", "avg_pool"]

Pads = list[tuple[int, int]]


def tf_padding(padding: Any, in_sizes: Sequence[int], kernel: Sequence[int], strides: Sequence[int],
               dilations: Sequence[int]) -> Pads:
    """``(before, after)`` per spatial axis for TF's ``padding`` (``"SAME"``, ``"VALID"`` or explicit pairs).

    ``SAME``: the output has ``ceil(in / stride)`` cells and the total padding
    ``max((out - 1) * stride + (k - 1) * dilation + 1 - in, 0)`` is split with the extra cell after.
    """
    if isinstance(padding, str):
        if padding == "VALID":
            return [(0, 0)] * len(in_sizes)
        pads = []
        for n, k, s, d in zip(in_sizes, kernel, strides, dilations):
            out = -(-n // s)
            total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
            pads.append((total // 2, total - total // 2))
        return pads
    return [(int(a), int(b)) for a, b in padding]


def output_size(in_size: int, k: int, stride: int, dilation: int, pad: tuple[int, ...]) -> int:
    """Cells of the output along one axis for a padded input (TF's ``(in + pads - k_eff) // s + 1``)."""
    span = (k - 1) * dilation + 1
    return max((in_size + pad[0] + pad[1] - span) // stride + 1, 0)


def _is_numpy(x: Any) -> bool:
    return isinstance(x, (np.ndarray, np.generic))


def _taps(in_sizes: tuple[int, ...], k: tuple[int, ...], strides: tuple[int, ...], dilations: tuple[int, ...],
          pads: Pads) -> tuple[tuple[int, ...], list[tuple[int, int, slice, slice]]]:
    """Output size and, per kernel tap ``(i, j)``, the strided slices of the padded input it reads."""
    oh = output_size(in_sizes[0], k[0], strides[0], dilations[0], pads[0])
    ow = output_size(in_sizes[1], k[1], strides[1], dilations[1], pads[1])
    taps = []
    for i in range(k[0]):
        for j in range(k[1]):
            h0, w0 = i * dilations[0], j * dilations[1]
            taps.append((i, j, slice(h0, h0 + (oh - 1) * strides[0] + 1, strides[0]),
                         slice(w0, w0 + (ow - 1) * strides[1] + 1, strides[1])))
    return (oh, ow), taps


def _pad_np(x: np.ndarray, pads: Pads, value: float) -> np.ndarray:
    return np.pad(x, [(0, 0), pads[0], pads[1], (0, 0)], constant_values=value)


def _jax() -> Any:
    """The ``jax`` module, through the backend seam (only reached for JAX arrays)."""
    return get_backend("jax").jax  # type: ignore[attr-defined]


def conv2d(x: Any, w: Any, strides: tuple[int, ...], pads: Pads, dilations: tuple[int, ...],
           groups: int = 1) -> Any:
    """``NHWC`` convolution with an ``HWIO`` kernel; ``groups == C`` is a depthwise convolution
    (kernel ``[h, w, 1, C * multiplier]``, output channel ``c * multiplier + m``)."""
    if not _is_numpy(x):
        return _jax().lax.conv_general_dilated(x, w, window_strides=strides, padding=pads, rhs_dilation=dilations,
                                        dimension_numbers=("NHWC", "HWIO", "NHWC"), feature_group_count=groups)
    kh, kw, _, cout = w.shape
    (oh, ow), taps = _taps(x.shape[1:3], (kh, kw), strides, dilations, pads)
    xp = _pad_np(x.astype(np.float64), pads, 0.0)
    wd = w.astype(np.float64)
    out = np.zeros((x.shape[0], oh, ow, cout), np.float64)
    for i, j, hs, ws in taps:
        patch = xp[:, hs, ws, :]
        if groups == 1:
            out += patch @ wd[i, j]
        else:
            mult = cout // groups
            out += (patch[..., :, None] * wd[i, j, 0].reshape(groups, mult)).reshape(out.shape)
    return out.astype(np.result_type(x.dtype, w.dtype))


def conv2d_transpose(dy: Any, w: Any, out_shape: tuple[int, ...], strides: tuple[int, ...],
                     pads: Pads, dilations: tuple[int, ...]) -> Any:
    """The gradient of :func:`conv2d` (kernel ``[h, w, out_c, in_c]``) with respect to an input of
    ``out_shape`` (``NHWC``), at ``dy``: TF's ``conv2d_transpose``."""
    if not _is_numpy(dy):
        jax = _jax()

        def forward(x: Any) -> Any:
            return conv2d(x, w, strides, pads, dilations)

        (dx,) = jax.linear_transpose(forward, jax.ShapeDtypeStruct(out_shape, dy.dtype))(dy)
        return dx
    kh, kw = w.shape[:2]
    (oh, ow), taps = _taps(out_shape[1:3], (kh, kw), strides, dilations, pads)
    ph = max(out_shape[1] + pads[0][0] + pads[0][1], (oh - 1) * strides[0] + (kh - 1) * dilations[0] + 1)
    pw = max(out_shape[2] + pads[1][0] + pads[1][1], (ow - 1) * strides[1] + (kw - 1) * dilations[1] + 1)
    full = np.zeros((out_shape[0], ph, pw, out_shape[3]), np.float64)
    dyd, wd = dy.astype(np.float64), w.astype(np.float64)
    for i, j, hs, ws in taps:
        full[:, hs, ws, :] += dyd @ wd[i, j].T
    top, left = pads[0][0], pads[1][0]
    return full[:, top:top + out_shape[1], left:left + out_shape[2], :].astype(dy.dtype)


def max_pool(x: Any, ksize: tuple[int, ...], strides: tuple[int, ...], pads: Pads) -> Any:
    """``NHWC`` max pooling; padded cells never win (they are ``-inf``)."""
    low = -np.inf if np.issubdtype(np.dtype(x.dtype), np.floating) else np.iinfo(np.dtype(x.dtype)).min
    if not _is_numpy(x):
        lax = _jax().lax
        return lax.reduce_window(x, np.array(low, x.dtype), lax.max, (1, *ksize, 1), (1, *strides, 1),
                                 [(0, 0), *pads, (0, 0)])
    (oh, ow), taps = _taps(x.shape[1:3], ksize, strides, (1, 1), pads)
    xp = _pad_np(x, pads, low)
    out = np.full((x.shape[0], oh, ow, x.shape[3]), low, x.dtype)
    for _, _, hs, ws in taps:
        np.maximum(out, xp[:, hs, ws, :], out=out)
    return out


def avg_pool(x: Any, ksize: tuple[int, ...], strides: tuple[int, ...], pads: Pads) -> Any:
    """``NHWC`` average pooling; each window is divided by its count of real (unpadded) cells, as TF does."""
    if not _is_numpy(x):
        jnp, lax = _jax().numpy, _jax().lax
        window, step, pad4 = (1, *ksize, 1), (1, *strides, 1), [(0, 0), *pads, (0, 0)]
        total = lax.reduce_window(x, np.array(0, x.dtype), lax.add, window, step, pad4)
        ones = jnp.ones((1, *x.shape[1:3], 1), x.dtype)
        count = lax.reduce_window(ones, np.array(0, x.dtype), lax.add, window, step, pad4)
        return total / count
    (oh, ow), taps = _taps(x.shape[1:3], ksize, strides, (1, 1), pads)
    padded = _pad_np(x.astype(np.float64), pads, 0.0)
    real = _pad_np(np.ones((1, *x.shape[1:3], 1)), pads, 0.0)
    total = np.zeros((x.shape[0], oh, ow, x.shape[3]))
    count = np.zeros((1, oh, ow, 1))
    for _, _, hs, ws in taps:
        total += padded[:, hs, ws, :]
        count += real[:, hs, ws, :]
    return (total / count).astype(x.dtype)
