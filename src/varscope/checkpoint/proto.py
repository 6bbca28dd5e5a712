"""A tiny protobuf wire codec for the five messages a tensor bundle uses.

Encoding follows C++ ``SerializeToString``: fields in field-number order, proto3 zero values
omitted, ``shape`` always present and ``Extent.length`` emitted whenever set (it is a oneof).
Decoding accepts any field order and skips unknown fields. Malformed input raises
:class:`~varscope.checkpoint.errors.CheckpointError`.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

from .errors import CheckpointError

__all__ = [
    "BundleEntry",
    "BundleHeader",
    "Extent",
    "decode_varint",
    "encode_varint",
    "iter_fields",
]

_U64 = 1 << 64
_FIXED32 = struct.Struct("<I")
_ONE_BYTE = tuple(bytes([i]) for i in range(0x80))  # varints of 0..127 (tags, dtypes, small dims)


def encode_varint(value: int) -> bytes:
    """Encodes an integer as a protobuf varint (negative values as 10-byte two's complement).

    Example:
        >>> encode_varint(300).hex()
        'ac02'
    """
    if 0 <= value < 0x80:
        return _ONE_BYTE[value]
    if 0 < value < 0x4000:
        return bytes(((value & 0x7F) | 0x80, value >> 7))
    if value < 0:
        value += _U64
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def decode_varint(buf: bytes | memoryview, pos: int, end: int | None = None) -> tuple[int, int]:
    """Decodes an unsigned varint at ``pos``; returns ``(value, new_pos)``.

    Raises:
        CheckpointError: on truncation or a varint longer than 10 bytes.

    Example:
        >>> decode_varint(b"\\xac\\x02", 0)
        (300, 2)
    """
    if end is None:
        end = len(buf)
    result = 0
    shift = 0
    while True:
        if pos >= end:
            raise CheckpointError("truncated varint")
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            if result >= _U64:
                raise CheckpointError("varint overflows 64 bits")
            return result, pos
        shift += 7
        if shift >= 70:
            raise CheckpointError("varint longer than 10 bytes")


def _signed(value: int) -> int:
    return value - _U64 if value >= 1 << 63 else value


def iter_fields(buf: bytes | memoryview) -> Iterator[tuple[int, int, int | bytes]]:
    """Yields ``(field_number, wire_type, value)``; LEN values are ``bytes``, others ints."""
    pos, end = 0, len(buf)
    while pos < end:
        key, pos = decode_varint(buf, pos, end)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise CheckpointError("invalid protobuf field number 0")
        value: int | bytes
        if wire == 0:
            value, pos = decode_varint(buf, pos, end)
        elif wire == 1:
            if pos + 8 > end:
                raise CheckpointError("truncated fixed64 field")
            value = struct.unpack_from("<Q", buf, pos)[0]
            pos += 8
        elif wire == 5:
            if pos + 4 > end:
                raise CheckpointError("truncated fixed32 field")
            value = struct.unpack_from("<I", buf, pos)[0]
            pos += 4
        elif wire == 2:
            length, pos = decode_varint(buf, pos, end)
            if length > end - pos:
                raise CheckpointError("protobuf length field runs past the end of the message")
            value = bytes(buf[pos : pos + length])
            pos += length
        else:
            raise CheckpointError(f"unsupported protobuf wire type {wire}")
        yield number, wire, value


def _tag(number: int, wire: int) -> bytes:
    return encode_varint((number << 3) | wire)


def _len_field(number: int, payload: bytes) -> bytes:
    return _tag(number, 2) + encode_varint(len(payload)) + payload


def _int(wire: int, value: int | bytes, what: str) -> int:
    if wire != 0 or not isinstance(value, int):
        raise CheckpointError(f"{what}: expected a varint field")
    return _signed(value)


def _msg(wire: int, value: int | bytes, what: str) -> bytes:
    if wire != 2 or not isinstance(value, bytes):
        raise CheckpointError(f"{what}: expected a length-delimited field")
    return value


@dataclass(frozen=True)
class Extent:
    """One dimension of a ``TensorSliceProto``: ``start`` and ``length`` (``None`` = whole dim)."""

    start: int = 0
    length: int | None = None

    def encode(self) -> bytes:
        out = b""
        if self.start:
            out += _tag(1, 0) + encode_varint(self.start)
        if self.length is not None:
            out += _tag(2, 0) + encode_varint(self.length)
        return out

    @staticmethod
    def decode(buf: bytes) -> Extent:
        start, length = 0, None
        for number, wire, value in iter_fields(buf):
            if number == 1:
                start = _int(wire, value, "Extent.start")
            elif number == 2:
                length = _int(wire, value, "Extent.length")
        return Extent(start, length)


def encode_slice(extents: tuple[Extent, ...]) -> bytes:
    """Serializes a ``TensorSliceProto``."""
    return b"".join(_len_field(1, e.encode()) for e in extents)


def decode_slice(buf: bytes) -> tuple[Extent, ...]:
    """Parses a ``TensorSliceProto`` into its extents."""
    return tuple(
        Extent.decode(_msg(w, v, "TensorSliceProto.extent")) for n, w, v in iter_fields(buf) if n == 1
    )


def encode_shape(dims: tuple[int, ...]) -> bytes:
    """Serializes a ``TensorShapeProto`` (sizes only)."""
    out: list[bytes] = []
    for size in dims:
        if size:
            dim = encode_varint(size)
            out += (b"\x12", _ONE_BYTE[len(dim) + 1], b"\x08", dim)  # a varint is at most 10 bytes
        else:
            out.append(b"\x12\x00")
    return b"".join(out)


def decode_shape(buf: bytes) -> tuple[int, ...]:
    """Parses a ``TensorShapeProto``; rejects unknown rank and negative sizes."""
    dims: list[int] = []
    for number, wire, value in iter_fields(buf):
        if number == 2:
            size = 0
            for n2, w2, v2 in iter_fields(_msg(wire, value, "TensorShapeProto.dim")):
                if n2 == 1:
                    size = _int(w2, v2, "Dim.size")
            if size < 0:
                raise CheckpointError(f"invalid dimension size {size}")
            dims.append(size)
        elif number == 3 and _int(wire, value, "unknown_rank"):
            raise CheckpointError("tensor shape has unknown rank")
    return tuple(dims)


@dataclass(frozen=True)
class BundleHeader:
    """``BundleHeaderProto``: shard count, endianness (0 little, 1 big) and ``VersionDef``."""

    num_shards: int = 1
    endianness: int = 0
    producer: int = 1
    min_consumer: int = 0
    bad_consumers: tuple[int, ...] = ()

    def encode(self) -> bytes:
        out = b""
        if self.num_shards:
            out += _tag(1, 0) + encode_varint(self.num_shards)
        if self.endianness:
            out += _tag(2, 0) + encode_varint(self.endianness)
        version = b""
        if self.producer:
            version += _tag(1, 0) + encode_varint(self.producer)
        if self.min_consumer:
            version += _tag(2, 0) + encode_varint(self.min_consumer)
        if self.bad_consumers:
            packed = b"".join(encode_varint(c) for c in self.bad_consumers)
            version += _len_field(3, packed)
        return out + _len_field(3, version)

    @staticmethod
    def decode(buf: bytes) -> BundleHeader:
        num_shards, endianness, producer, min_consumer = 0, 0, 0, 0
        bad: list[int] = []
        for number, wire, value in iter_fields(buf):
            if number == 1:
                num_shards = _int(wire, value, "num_shards")
            elif number == 2:
                endianness = _int(wire, value, "endianness")
            elif number == 3:
                for n2, w2, v2 in iter_fields(_msg(wire, value, "version")):
                    if n2 == 1:
                        producer = _int(w2, v2, "producer")
                    elif n2 == 2:
                        min_consumer = _int(w2, v2, "min_consumer")
                    elif n2 == 3 and w2 == 0:
                        bad.append(_int(w2, v2, "bad_consumers"))
                    elif n2 == 3 and isinstance(v2, bytes):
                        pos = 0
                        while pos < len(v2):
                            item, pos = decode_varint(v2, pos)
                            bad.append(_signed(item))
        return BundleHeader(num_shards, endianness, producer, min_consumer, tuple(bad))


@dataclass(frozen=True)
class BundleEntry:
    """``BundleEntryProto``: where one tensor (or slice) lives and how to check it.

    ``slices`` is non-empty only for the full entry of a partitioned tensor; ``crc32c`` is the
    masked checksum as stored.
    """

    dtype: int
    shape: tuple[int, ...]
    shard_id: int = 0
    offset: int = 0
    size: int = 0
    crc32c: int = 0
    slices: tuple[tuple[Extent, ...], ...] = field(default=())

    def encode(self) -> bytes:
        # Tags are spelled out (field << 3 | wire): this runs once per tensor when writing.
        varint = encode_varint
        out = [b"\x08" + varint(self.dtype)] if self.dtype else []
        shape = encode_shape(self.shape)
        out += (b"\x12", varint(len(shape)), shape)
        if self.shard_id:
            out += (b"\x18", varint(self.shard_id))
        if self.offset:
            out += (b"\x20", varint(self.offset))
        if self.size:
            out += (b"\x28", varint(self.size))
        if self.crc32c:
            out += (b"\x35", _FIXED32.pack(self.crc32c))
        for extents in self.slices:
            out.append(_len_field(7, encode_slice(extents)))
        return b"".join(out)

    @staticmethod
    def decode(buf: bytes) -> BundleEntry:
        return BundleEntry(*BundleEntry.decode_fields(buf))

    @staticmethod
    def decode_fields(
        buf: bytes,
    ) -> tuple[int, tuple[int, ...], int, int, int, int, tuple[tuple[Extent, ...], ...]]:
        """Parses a ``BundleEntryProto`` into the tuple of this class's fields, in order."""
        shape: tuple[int, ...] = ()
        dtype, shard_id, offset, size, crc = 0, 0, 0, 0, 0
        slices: list[tuple[Extent, ...]] = []
        for number, wire, value in iter_fields(buf):
            if number == 1:
                dtype = _int(wire, value, "dtype")
            elif number == 2:
                shape = decode_shape(_msg(wire, value, "shape"))
            elif number == 3:
                shard_id = _int(wire, value, "shard_id")
            elif number == 4:
                offset = _int(wire, value, "offset")
            elif number == 5:
                size = _int(wire, value, "size")
            elif number == 6:
                if wire != 5 or not isinstance(value, int):
                    raise CheckpointError("crc32c: expected a fixed32 field")
                crc = value
            elif number == 7:
                slices.append(decode_slice(_msg(wire, value, "slices")))
        if shard_id < 0 or offset < 0 or size < 0:
            raise CheckpointError(f"negative shard_id/offset/size ({shard_id}, {offset}, {size})")
        return dtype, shape, shard_id, offset, size, crc, tuple(slices)
