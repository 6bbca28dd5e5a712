"""TF's ``OrderedCode`` and ``EncodeTensorNameSlice``: the index keys of tensor slices."""

from __future__ import annotations

from collections.abc import Sequence

from .proto import Extent

__all__ = ["encode_tensor_name_slice", "num_increasing", "signed_num_increasing", "ordered_string"]

_HEADERS = [
    (0x80, 0), (0xC0, 0), (0xE0, 0), (0xF0, 0), (0xF8, 0),
    (0xFC, 0), (0xFE, 0), (0xFF, 0), (0xFF, 0x80), (0xFF, 0xC0),
]


def num_increasing(value: int) -> bytes:
    """``OrderedCode::WriteNumIncreasing``: a length byte then big-endian bytes.

    Example:
        >>> num_increasing(0).hex(), num_increasing(258).hex()
        ('00', '020102')
    """
    if value < 0:
        raise ValueError("num_increasing needs a non-negative value")
    body = value.to_bytes((value.bit_length() + 7) // 8, "big") if value else b""
    return bytes([len(body)]) + body


def ordered_string(data: bytes) -> bytes:
    """``OrderedCode::WriteString``: escapes ``\\x00`` and ``\\xff`` and appends ``\\x00\\x01``."""
    return _escape(data) + b"\x00\x01"


def _escape(data: bytes) -> bytes:
    out = bytearray()
    for byte in data:
        if byte == 0:
            out += b"\x00\xff"
        elif byte == 0xFF:
            out += b"\xff\x00"
        else:
            out.append(byte)
    return bytes(out)


def signed_num_increasing(value: int) -> bytes:
    """``OrderedCode::WriteSignedNumIncreasing``.

    Example:
        >>> signed_num_increasing(0).hex(), signed_num_increasing(-1).hex(), signed_num_increasing(100).hex()
        ('80', '7f', 'c064')
    """
    x = ~value if value < 0 else value
    if x < 64:
        return bytes([(0x80 ^ value) & 0xFF])
    length = x.bit_length() // 7 + 1
    raw = bytearray((value & ((1 << 80) - 1)).to_bytes(10, "big")[10 - length :])
    first, second = _HEADERS[length - 1]
    raw[0] ^= first
    if length > 1:
        raw[1] ^= second
    return bytes(raw)


def encode_tensor_name_slice(name: str | bytes, extents: Sequence[Extent]) -> bytes:
    """Returns the index key of one slice of tensor ``name`` (``EncodeTensorNameSlice``).

    A full extent (``length=None``) encodes as start 0, length -1.

    Example:
        >>> key = encode_tensor_name_slice("model/emb", [Extent(0, 4), Extent(0, 3)])
        >>> key[-6:].hex()
        '010280848083'
    """
    raw = name.encode("utf-8", "surrogateescape") if isinstance(name, str) else name
    out = num_increasing(0) + ordered_string(raw) + num_increasing(len(extents))
    for extent in extents:
        length = -1 if extent.length is None else extent.length
        out += signed_num_increasing(extent.start) + signed_num_increasing(length)
    return out
