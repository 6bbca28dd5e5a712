"""Raw (unframed) snappy decompression, for reading compressed SSTable blocks.

TF never writes compressed bundle indexes but reads them; this bounded pure-Python decoder
keeps varscope able to do the same without a native dependency.
"""

from __future__ import annotations

from .errors import CheckpointError
from .proto import decode_varint

__all__ = ["snappy_decompress"]


def snappy_decompress(data: bytes, *, max_size: int) -> bytes:
    """Decompresses a raw snappy block whose declared size is at most ``max_size``.

    Raises:
        CheckpointError: on malformed input or a declared size above ``max_size``.

    Example:
        >>> snappy_decompress(bytes([3, 8]) + b"abc", max_size=10)
        b'abc'
    """
    expected, pos = decode_varint(data, 0)
    if expected > max_size:
        raise CheckpointError(f"snappy block declares {expected} bytes, more than plausible")
    out = bytearray()
    end = len(data)
    while pos < end:
        tag = data[pos]
        pos += 1
        kind = tag & 3
        if kind == 0:
            length = tag >> 2
            if length >= 60:
                extra = length - 59
                if pos + extra > end:
                    raise CheckpointError("truncated snappy literal length")
                length = int.from_bytes(data[pos : pos + extra], "little")
                pos += extra
            length += 1
            if length > end - pos:
                raise CheckpointError("snappy literal runs past the end of the block")
            out += data[pos : pos + length]
            pos += length
        else:
            if kind == 1:
                if pos >= end:
                    raise CheckpointError("truncated snappy copy")
                length = ((tag >> 2) & 7) + 4
                offset = ((tag >> 5) << 8) | data[pos]
                pos += 1
            else:
                width = 2 if kind == 2 else 4
                if pos + width > end:
                    raise CheckpointError("truncated snappy copy")
                length = (tag >> 2) + 1
                offset = int.from_bytes(data[pos : pos + width], "little")
                pos += width
            if offset == 0 or offset > len(out):
                raise CheckpointError("snappy copy offset out of range")
            for _ in range(length):
                out.append(out[-offset])
        if len(out) > expected:
            raise CheckpointError("snappy block decompresses past its declared size")
    if len(out) != expected:
        raise CheckpointError("snappy block shorter than its declared size")
    return bytes(out)
