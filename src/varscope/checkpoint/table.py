"""LevelDB-format SSTable ("table") writer and reader, as TF uses for ``.index`` files.

The writer mimics ``tsl::table::TableBuilder`` with TF's bundle options (256 KiB blocks,
restart interval 16, index restart interval 1, no compression, empty metaindex), so output is
byte-identical to TensorFlow's. The reader verifies every block CRC, accepts snappy blocks and
bounds-checks every length against the file size before allocating.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator

from .crc import crc32c, mask, unmask
from .errors import CheckpointError
from .proto import decode_varint, encode_varint
from .snappy import snappy_decompress

__all__ = ["TABLE_MAGIC", "build_table", "read_table", "table_items"]

TABLE_MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48
TRAILER_SIZE = 5
BLOCK_SIZE = 262144
RESTART_INTERVAL = 16


def _common_prefix(a: bytes, b: bytes) -> int:
    """Length of the longest common prefix of ``a`` and ``b`` (no per-byte Python loop)."""
    n = min(len(a), len(b))
    if a[:n] == b[:n]:
        return n
    diff = int.from_bytes(a[:n], "big") ^ int.from_bytes(b[:n], "big")
    return n - 1 - (diff.bit_length() - 1) // 8


class _BlockBuilder:
    def __init__(self, restart_interval: int) -> None:
        self.interval = restart_interval
        self.reset()

    def reset(self) -> None:
        self.buf = bytearray()
        self.restarts = [0]
        self.counter = 0
        self.last_key = b""

    def empty(self) -> bool:
        return not self.buf

    def add(self, key: bytes, value: bytes) -> None:
        shared = 0
        if self.counter < self.interval:
            shared = _common_prefix(key, self.last_key)
        else:
            self.restarts.append(len(self.buf))
            self.counter = 0
        non_shared = len(key) - shared
        if shared | non_shared | len(value) < 0x80:  # the usual case: three one-byte varints
            self.buf += bytes((shared, non_shared, len(value)))
        else:
            self.buf += encode_varint(shared) + encode_varint(non_shared) + encode_varint(len(value))
        self.buf += key[shared:]
        self.buf += value
        self.last_key = key
        self.counter += 1

    def size_estimate(self) -> int:
        return len(self.buf) + 4 * len(self.restarts) + 4

    def finish(self) -> bytes:
        tail = struct.pack(f"<{len(self.restarts)}I", *self.restarts) + struct.pack("<I", len(self.restarts))
        return bytes(self.buf) + tail


def _shortest_separator(start: bytes, limit: bytes) -> bytes:
    n = min(len(start), len(limit))
    i = 0
    while i < n and start[i] == limit[i]:
        i += 1
    if i >= n:
        return start
    byte = start[i]
    if byte < 0xFF and byte + 1 < limit[i]:
        return start[:i] + bytes([byte + 1])
    return start


def _short_successor(key: bytes) -> bytes:
    for i, byte in enumerate(key):
        if byte != 0xFF:
            return key[:i] + bytes([byte + 1])
    return key


def build_table(
    entries: Iterable[tuple[bytes, bytes]],
    *,
    block_size: int = BLOCK_SIZE,
    restart_interval: int = RESTART_INTERVAL,
) -> bytes:
    """Serializes sorted ``(key, value)`` pairs as an SSTable, exactly as TF's TableBuilder.

    Raises:
        ValueError: if keys are not strictly increasing (bytewise).

    Example:
        >>> table = build_table([(b"a", b"1"), (b"b", b"2")])
        >>> list(read_table(table, "mem"))
        [(b'a', b'1'), (b'b', b'2')]
    """
    out = bytearray()
    data = _BlockBuilder(restart_interval)
    index = _BlockBuilder(1)
    pending: bytes | None = None  # encoded handle of the last flushed data block
    last_key: bytes | None = None

    def write_block(block: _BlockBuilder) -> bytes:
        raw = block.finish()
        handle = encode_varint(len(out)) + encode_varint(len(raw))
        out.extend(raw)
        out.extend(b"\x00" + struct.pack("<I", mask(crc32c(raw + b"\x00"))))
        block.reset()
        return handle

    for key, value in entries:
        if last_key is not None and key <= last_key:
            raise ValueError(f"table keys must be strictly increasing: {key!r} after {last_key!r}")
        if pending is not None:
            assert last_key is not None
            index.add(_shortest_separator(last_key, key), pending)
            pending = None
        last_key = key
        data.add(key, value)
        if data.size_estimate() >= block_size:
            pending = write_block(data)
    if not data.empty():
        pending = write_block(data)
    metaindex = write_block(_BlockBuilder(restart_interval))
    if pending is not None:
        assert last_key is not None
        index.add(_short_successor(last_key), pending)
    index_handle = write_block(index)
    footer = (metaindex + index_handle).ljust(40, b"\x00") + struct.pack("<Q", TABLE_MAGIC)
    out.extend(footer)
    return bytes(out)


def _decode_handle(buf: bytes, pos: int, end: int) -> tuple[int, int, int]:
    offset, pos = decode_varint(buf, pos, end)
    size, pos = decode_varint(buf, pos, end)
    return offset, size, pos


def _read_block(table: bytes, offset: int, size: int, limit: int, what: str) -> bytes:
    if offset > limit or size > limit - offset or offset + size + TRAILER_SIZE > limit:
        raise CheckpointError(f"{what} handle ({offset}, {size}) points outside the table of {limit} bytes")
    raw = table[offset : offset + size]
    kind = table[offset + size]
    (stored,) = struct.unpack_from("<I", table, offset + size + 1)
    actual = crc32c(table[offset : offset + size + 1])
    if unmask(stored) != actual:
        raise CheckpointError(f"{what} at offset {offset}: block checksum mismatch")
    if kind == 0:
        return raw
    if kind == 1:
        return snappy_decompress(raw, max_size=max(16 * len(raw) + 64, 1 << 20))
    raise CheckpointError(f"{what} at offset {offset}: unknown block compression type {kind}")


def _iter_block(block: bytes, what: str) -> Iterator[tuple[bytes, bytes]]:
    return iter(_block_items(block, what, ordered=False))


def _block_items(block: bytes, what: str, out: list[tuple[bytes, bytes]] | None = None,
                 last: bytes | None = None, ordered: bool = True) -> list[tuple[bytes, bytes]]:
    """Appends a block's ``(key, value)`` pairs to ``out``; with ``ordered``, keys must
    strictly increase (and follow ``last``).

    Entries whose three length varints fit one byte each (nearly all) are parsed inline; the
    others go through :func:`decode_varint`. Every length is checked against the block.
    """
    if out is None:
        out = []
    n = len(block)
    if n < 4:
        raise CheckpointError(f"{what}: block of {n} bytes is too short")
    num_restarts = int.from_bytes(block[n - 4 :], "little")
    if num_restarts > (n - 4) // 4:
        raise CheckpointError(f"{what}: bad restart count {num_restarts}")
    end = n - 4 * (1 + num_restarts)
    restarts = set(struct.unpack_from(f"<{num_restarts}I", block, end))
    append = out.append
    pos = 0
    key = b""
    while pos < end:
        start = pos
        if pos + 3 <= end and block[pos] | block[pos + 1] | block[pos + 2] < 0x80:
            shared, non_shared, value_len = block[pos], block[pos + 1], block[pos + 2]
            pos += 3
        else:
            shared, pos = decode_varint(block, pos, end)
            non_shared, pos = decode_varint(block, pos, end)
            value_len, pos = decode_varint(block, pos, end)
        if shared > len(key) or non_shared > end - pos or value_len > end - pos - non_shared:
            raise CheckpointError(f"{what}: bad entry at block offset {start}")
        if shared and start in restarts:
            raise CheckpointError(f"{what}: restart entry at block offset {start} shares a prefix")
        pos += non_shared
        new_key = key[:shared] + block[pos - non_shared : pos]
        if ordered and last is not None and new_key <= last:
            raise CheckpointError(f"table keys out of order: {new_key!r} after {last!r}")
        key = last = new_key
        append((key, block[pos : pos + value_len]))
        pos += value_len
    return out


def read_table(table: bytes, path: str) -> Iterator[tuple[bytes, bytes]]:
    """Yields every ``(key, value)`` of an SSTable held in memory, in order.

    Verifies the footer magic, every block's CRC and that keys strictly increase.

    Raises:
        CheckpointError: naming ``path`` and the problem, for any malformed table.
    """
    return iter(table_items(table, path))


def table_items(table: bytes, path: str) -> list[tuple[bytes, bytes]]:
    """Every ``(key, value)`` of an SSTable held in memory, in order (as :func:`read_table`).

    Raises:
        CheckpointError: naming ``path`` and the problem, for any malformed table.
    """
    try:
        return _table_items(table)
    except CheckpointError as err:
        raise err.with_path(path) from None


def _table_items(table: bytes) -> list[tuple[bytes, bytes]]:
    if len(table) < FOOTER_SIZE:
        raise CheckpointError(f"file of {len(table)} bytes is too short for a table footer")
    limit = len(table) - FOOTER_SIZE
    footer = table[limit:]
    (magic,) = struct.unpack_from("<Q", footer, 40)
    if magic != TABLE_MAGIC:
        raise CheckpointError(f"bad table magic {magic:#x} (not a TensorFlow checkpoint index)")
    _, _, pos = _decode_handle(footer, 0, 40)  # metaindex: unused, as in TF
    index_offset, index_size, _ = _decode_handle(footer, pos, 40)
    index = _read_block(table, index_offset, index_size, limit, "index block")
    out: list[tuple[bytes, bytes]] = []
    for _, handle in _block_items(index, "index block", ordered=False):
        offset, size, _ = _decode_handle(handle, 0, len(handle))
        _block_items(_read_block(table, offset, size, limit, "data block"), "data block", out,
                     out[-1][0] if out else None)
    return out
