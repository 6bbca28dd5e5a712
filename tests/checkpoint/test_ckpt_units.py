"""Unit tests of the building blocks: CRC, varints, OrderedCode, SSTable, snappy, slice specs."""

from __future__ import annotations

import struct

import pytest

from varscope.checkpoint import CheckpointError, format_slice_spec, parse_slice_spec
from varscope.checkpoint.crc import crc32c, crc32c_extend, mask, unmask
from varscope.checkpoint.ordered_code import encode_tensor_name_slice, signed_num_increasing
from varscope.checkpoint.proto import BundleHeader, Extent, decode_varint, encode_varint
from varscope.checkpoint.snappy import snappy_decompress
from varscope.checkpoint.table import _short_successor, _shortest_separator, build_table, read_table


def test_crc_and_mask() -> None:
    assert crc32c(b"123456789") == 0xE3069283
    assert crc32c(bytearray(b"123456789")) == crc32c(memoryview(b"123456789")) == 0xE3069283
    assert crc32c_extend(crc32c(b"123"), b"456789") == 0xE3069283
    assert mask(0) == 0xA282EAD8
    for value in (0, 1, 0xFFFFFFFF, 0x12345678):
        assert unmask(mask(value)) == value


def test_varints() -> None:
    for value in (0, 1, 127, 128, 300, 2**63 - 1, 2**64 - 1):
        assert decode_varint(encode_varint(value), 0) == (value, len(encode_varint(value)))
    assert len(encode_varint(-1)) == 10
    with pytest.raises(CheckpointError):
        decode_varint(b"\x80\x80", 0)
    with pytest.raises(CheckpointError):
        decode_varint(b"\xff" * 11 + b"\x01", 0)


def test_header_encoding() -> None:
    assert BundleHeader(num_shards=1).encode().hex() == "08011a020801"
    header = BundleHeader(num_shards=3, endianness=1, min_consumer=0, bad_consumers=(4, 5))
    assert BundleHeader.decode(header.encode()) == header


def test_ordered_code() -> None:
    key = encode_tensor_name_slice("model/emb", [Extent(0, 4), Extent(0, 3)])
    assert key == b"\x00" + b"model/emb" + bytes.fromhex("0001 0102 8084 8083")
    assert encode_tensor_name_slice("x", [Extent()]).endswith(bytes.fromhex("807f"))
    assert encode_tensor_name_slice(b"a\x00\xff", []) == bytes.fromhex("00 61 00ff ff00 0001 00")
    assert signed_num_increasing(64) == bytes.fromhex("c040")
    assert signed_num_increasing(-65) == bytes.fromhex("3fbf")
    encoded = [signed_num_increasing(v) for v in range(-5000, 5000, 7)]
    assert encoded == sorted(encoded)


def test_separators() -> None:
    assert _shortest_separator(b"abcd", b"abzz") == b"abd"
    assert _shortest_separator(b"abc", b"abcd") == b"abc"
    assert _shortest_separator(b"ab\xff", b"ac") == b"ab\xff"
    assert _short_successor(b"model/vocab") == b"n"
    assert _short_successor(b"\xff\xff") == b"\xff\xff"


def test_table_round_trip_small_blocks() -> None:
    rows = [(f"key{i:04d}".encode(), bytes([i % 256]) * (i % 13)) for i in range(500)]
    table = build_table(rows, block_size=256, restart_interval=4)
    assert list(read_table(table, "mem")) == rows
    with pytest.raises(ValueError):
        build_table([(b"b", b""), (b"a", b"")])




def test_snappy_decoder() -> None:
    data = b"abcdabcdabcdX"
    # literal "abcd", copy-1 (len 8, offset 4), literal "X"
    block = encode_varint(len(data)) + bytes([3 << 2]) + b"abcd" + bytes([((8 - 4) << 2) | 1, 4]) + bytes([0]) + b"X"
    assert snappy_decompress(block, max_size=100) == data
    with pytest.raises(CheckpointError):
        snappy_decompress(encode_varint(10**9), max_size=100)
    with pytest.raises(CheckpointError):
        snappy_decompress(encode_varint(4) + bytes([((8 - 4) << 2) | 1, 9]), max_size=100)


def test_reads_snappy_compressed_blocks() -> None:
    from varscope.checkpoint.table import TABLE_MAGIC

    rows = [(b"", b"h"), (b"k1", b"v1"), (b"k2", b"v2" * 10)]
    plain = build_table(rows)
    footer = plain[-48:]
    (moffset, _), (ioffset, isize) = _handles(footer)
    block = plain[:moffset - 5]
    compressed = encode_varint(len(block)) + _literal(block)
    from varscope.checkpoint.crc import crc32c as c, mask as m
    out = bytearray(compressed + b"\x01" + struct.pack("<I", m(c(compressed + b"\x01"))))
    meta_off = len(out)
    out += plain[moffset:moffset + 13]
    index = _block_with_handle(b"l", 0, len(compressed))
    idx_off = len(out)
    out += index + b"\x00" + struct.pack("<I", m(c(index + b"\x00")))
    out += (encode_varint(meta_off) + encode_varint(8) + encode_varint(idx_off) + encode_varint(len(index))).ljust(40, b"\0")
    out += struct.pack("<Q", TABLE_MAGIC)
    assert list(read_table(bytes(out), "mem")) == rows


def _literal(data: bytes) -> bytes:
    n = len(data) - 1
    if n < 60:
        return bytes([n << 2]) + data
    return bytes([61 << 2]) + n.to_bytes(2, "little") + data


def _block_with_handle(key: bytes, offset: int, size: int) -> bytes:
    value = encode_varint(offset) + encode_varint(size)
    entry = bytes([0, len(key), len(value)]) + key + value
    return entry + struct.pack("<II", 0, 1)


def _handles(footer: bytes) -> tuple[tuple[int, int], tuple[int, int]]:
    a, pos = decode_varint(footer, 0)
    b, pos = decode_varint(footer, pos)
    c, pos = decode_varint(footer, pos)
    d, pos = decode_varint(footer, pos)
    return (a, b), (c, d)


def test_slice_specs() -> None:
    assert format_slice_spec((10, 3), (4, 0), (3, 3)) == "10 3 4,3:0,3"
    assert parse_slice_spec("10 3 4,3:0,3") == ((10, 3), (4, 0), (3, 3))
    assert parse_slice_spec("8 5 0,3:-") == ((8, 5), (0, 0), (3, 5))
    for bad in ("", "10 3 4,3", "10 3 9,3:0,3", "x y", "4 1,a"):
        with pytest.raises(CheckpointError):
            parse_slice_spec(bad)
