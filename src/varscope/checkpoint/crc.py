"""CRC-32C (Castagnoli) and TensorFlow's masking of stored checksums.

Uses the ``google-crc32c`` C extension (about 10 GB/s). Buffers are passed as read-only
NumPy ``uint8`` views, which the extension accepts without copying.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Union

import google_crc32c
import numpy as np

__all__ = ["Buffer", "crc32c", "crc32c_array", "crc32c_extend", "mask", "unmask"]

Buffer = Union[bytes, bytearray, memoryview, np.ndarray]

_MASK_DELTA = 0xA282EAD8
_NATIVE = google_crc32c.implementation == "c"


def _as_input(data: Buffer) -> bytes | np.ndarray:
    if isinstance(data, bytes):
        return data
    if not _NATIVE:  # the pure-Python fallback wants bytes
        return bytes(memoryview(data).cast("B")) if not isinstance(data, np.ndarray) else data.tobytes()
    if isinstance(data, np.ndarray):
        if data.dtype == np.uint8 and not data.flags.writeable and data.flags.c_contiguous:
            return data  # already what the extension takes (the writer's fast path)
        view = np.ascontiguousarray(data).reshape(-1).view(np.uint8)
    else:
        view = np.frombuffer(data, dtype=np.uint8)
    view = view.view()
    view.flags.writeable = False
    return view


def crc32c(data: Buffer) -> int:
    """Returns the (unmasked) CRC-32C of ``data``.

    Example:
        >>> hex(crc32c(b"123456789"))
        '0xe3069283'
    """
    return int(google_crc32c.value(_as_input(data)))


def _array_crc() -> Callable[[np.ndarray], int]:
    """The extension's own function if it takes (writable) C-contiguous arrays directly."""
    if _NATIVE:
        try:
            probe = np.arange(3, dtype=np.float32)
            if google_crc32c.value(probe) == int(google_crc32c.value(probe.tobytes())):
                return google_crc32c.value  # type: ignore[no-any-return]
        except (TypeError, ValueError, BufferError):
            pass
    return crc32c


#: CRC-32C of a C-contiguous NumPy array's bytes, without wrapping (the reader's fast path).
crc32c_array: Callable[[np.ndarray], int] = _array_crc()


def crc32c_extend(crc: int, data: Buffer) -> int:
    """Continues the finished CRC ``crc`` over ``data`` (TF's ``crc32c::Extend``).

    Example:
        >>> crc32c_extend(crc32c(b"1234"), b"56789") == crc32c(b"123456789")
        True
    """
    return int(google_crc32c.extend(crc, _as_input(data)))


def mask(crc: int) -> int:
    """Masks a CRC the way TF stores it: ``rotr15(crc) + 0xa282ead8`` (mod 2**32).

    Example:
        >>> hex(mask(0))
        '0xa282ead8'
    """
    crc &= 0xFFFFFFFF
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


def unmask(masked: int) -> int:
    """Inverts :func:`mask`.

    Example:
        >>> unmask(mask(0x12345678)) == 0x12345678
        True
    """
    rot = (masked - _MASK_DELTA) & 0xFFFFFFFF
    return ((rot >> 17) | (rot << 15)) & 0xFFFFFFFF
