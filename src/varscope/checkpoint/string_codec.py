"""TF's on-disk encoding of ``DT_STRING`` tensors (lengths, length checksum, bytes)."""

from __future__ import annotations

import struct

import numpy as np

from .crc import crc32c, mask, unmask
from .errors import CheckpointError
from .proto import decode_varint, encode_varint

__all__ = ["decode_strings", "encode_strings", "to_bytes_list"]


def to_bytes_list(array: np.ndarray) -> list[bytes]:
    """Flattens a string array (object of bytes/str, ``S`` or ``U``) into a list of ``bytes``.

    Raises:
        CheckpointError: if an element is neither ``bytes`` nor ``str``.
    """
    out: list[bytes] = []
    for item in array.reshape(-1).tolist():
        if isinstance(item, bytes):
            out.append(item)
        elif isinstance(item, str):
            out.append(item.encode("utf-8"))
        elif isinstance(item, (bytearray, memoryview, np.bytes_)):
            out.append(bytes(item))
        else:
            raise CheckpointError(f"string tensor element of type {type(item).__name__} is not bytes or str")
    return out


def _packed_lengths(lengths: list[int], order: str) -> bytes:
    return b"".join(struct.pack(order + ("I" if n <= 0xFFFFFFFF else "Q"), n) for n in lengths)


def encode_strings(items: list[bytes], *, big_endian: bool = False) -> tuple[bytes, int]:
    """Encodes strings as TF stores them; returns ``(payload, masked_entry_crc)``.

    Example:
        >>> payload, crc = encode_strings([b"ab", b"c"])
        >>> payload.hex(), hex(crc)
        ('020103717c67616263', '0x5fd830d5')
    """
    order = ">" if big_endian else "<"
    lengths = [len(b) for b in items]
    length_crc = crc32c(_packed_lengths(lengths, order))
    masked = struct.pack(order + "I", mask(length_crc))
    data = b"".join(items)
    entry_crc = crc32c(_packed_lengths(lengths, order) + masked + data)
    payload = b"".join(encode_varint(n) for n in lengths) + masked + data
    return payload, mask(entry_crc)


def decode_strings(payload: bytes, count: int, *, big_endian: bool = False) -> tuple[np.ndarray, int]:
    """Decodes ``count`` strings; returns ``(object array of bytes, unmasked entry crc)``.

    Raises:
        CheckpointError: if the payload is truncated, has trailing bytes or a bad length checksum.
    """
    order = ">" if big_endian else "<"
    if count > len(payload):
        raise CheckpointError(f"string tensor of {count} elements cannot fit in {len(payload)} bytes")
    lengths: list[int] = []
    pos = 0
    end = len(payload)
    for _ in range(count):
        n, pos = decode_varint(payload, pos, end)
        lengths.append(n)
    if pos + 4 > end:
        raise CheckpointError("string tensor truncated before its length checksum")
    packed = _packed_lengths(lengths, order)
    raw_masked = payload[pos : pos + 4]
    (stored,) = struct.unpack(order + "I", raw_masked)
    if unmask(stored) != crc32c(packed):
        raise CheckpointError("string tensor length checksum mismatch")
    pos += 4
    if sum(lengths) != end - pos:
        raise CheckpointError(f"string tensor lengths sum to {sum(lengths)}, but {end - pos} bytes follow")
    out = np.empty(count, dtype=object)
    for i, n in enumerate(lengths):
        out[i] = payload[pos : pos + n]
        pos += n
    return out, crc32c(packed + raw_masked + payload[pos - sum(lengths) :])
