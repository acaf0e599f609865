"""Hand-built Kafka wire-protocol pieces for the raw-socket conformance tests.

Everything here is written from the Apache Kafka protocol definitions
(../shared/kafka-protocol/messages/*.json) without any client library, so the
tests can send exactly the bytes they mean to send, including broken ones.
"""

from __future__ import annotations

import socket
import struct
import time
from dataclasses import dataclass, field

# --- error codes used by the tests -------------------------------------------

NONE = 0
CORRUPT_MESSAGE = 2
UNKNOWN_TOPIC_OR_PARTITION = 3
UNSUPPORTED_VERSION = 35
OUT_OF_ORDER_SEQUENCE_NUMBER = 45

# --- API keys ----------------------------------------------------------------

PRODUCE = 0
METADATA = 3
API_VERSIONS = 18

# --- CRC-32C (Castagnoli), table driven --------------------------------------

_CRC32C_POLY = 0x82F63B78  # reflected 0x1EDC6F41


def _make_crc32c_table() -> list[int]:
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ _CRC32C_POLY if c & 1 else c >> 1
        table.append(c)
    return table


_CRC32C_TABLE = _make_crc32c_table()


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for b in data:
        crc = _CRC32C_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283, "crc32c check value"

# --- varints (zigzag, as used inside RecordBatch v2) --------------------------


def zigzag_varint(n: int) -> bytes:
    z = (n << 1) ^ (n >> 63)
    z &= 0xFFFFFFFFFFFFFFFF
    out = bytearray()
    while True:
        b = z & 0x7F
        z >>= 7
        if z:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def unsigned_varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


# --- primitive encoders --------------------------------------------------------


def kstring(s: str | None) -> bytes:
    """Kafka STRING / NULLABLE_STRING (int16 length)."""
    if s is None:
        return struct.pack(">h", -1)
    raw = s.encode()
    return struct.pack(">h", len(raw)) + raw


def kbytes(b: bytes | None) -> bytes:
    """Kafka BYTES / NULLABLE_BYTES / RECORDS (int32 length)."""
    if b is None:
        return struct.pack(">i", -1)
    return struct.pack(">i", len(b)) + b


def _varbytes(b: bytes | None) -> bytes:
    if b is None:
        return zigzag_varint(-1)
    return zigzag_varint(len(b)) + b


# --- RecordBatch v2 ----------------------------------------------------------


@dataclass
class RawRecord:
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes | None]] = field(default_factory=list)
    timestamp_delta: int = 0


def encode_record(rec: RawRecord, offset_delta: int) -> bytes:
    body = bytearray()
    body += b"\x00"  # attributes (unused)
    body += zigzag_varint(rec.timestamp_delta)
    body += zigzag_varint(offset_delta)
    body += _varbytes(rec.key)
    body += _varbytes(rec.value)
    body += zigzag_varint(len(rec.headers))
    for hk, hv in rec.headers:
        body += _varbytes(hk.encode())
        body += _varbytes(hv)
    return zigzag_varint(len(body)) + bytes(body)


def encode_record_batch(
    records: list[RawRecord],
    base_timestamp: int | None = None,
    producer_id: int = -1,
    producer_epoch: int = -1,
    base_sequence: int = -1,
) -> bytes:
    """An uncompressed RecordBatch (magic 2) with a correct CRC-32C."""
    if base_timestamp is None:
        base_timestamp = int(time.time() * 1000)
    encoded = b"".join(encode_record(r, i) for i, r in enumerate(records))
    max_ts = base_timestamp + max((r.timestamp_delta for r in records), default=0)
    # Everything the CRC covers: attributes .. end of records.
    after_crc = (
        struct.pack(
            ">hiqqqhii",
            0,  # attributes: no compression, CreateTime, not transactional
            len(records) - 1,  # lastOffsetDelta
            base_timestamp,
            max_ts,
            producer_id,
            producer_epoch,
            base_sequence,
            len(records),
        )
        + encoded
    )
    partition_leader_epoch = -1
    magic = 2
    crc = crc32c(after_crc)
    after_length = struct.pack(">ibI", partition_leader_epoch, magic, crc) + after_crc
    base_offset = 0
    return struct.pack(">qi", base_offset, len(after_length)) + after_length


# Offset of the first byte covered by the CRC inside a batch:
# baseOffset(8) batchLength(4) partitionLeaderEpoch(4) magic(1) crc(4)
BATCH_CRC_OFFSET = 17
BATCH_CRC_COVERED_START = 21


def corrupt_batch(batch: bytes, at: int | None = None) -> bytes:
    """Flip one byte inside the CRC-covered region (default: last byte)."""
    pos = len(batch) - 1 if at is None else at
    assert pos >= BATCH_CRC_COVERED_START
    b = bytearray(batch)
    b[pos] ^= 0xFF
    return bytes(b)


# --- requests ---------------------------------------------------------------


def request_frame(
    api_key: int,
    api_version: int,
    correlation_id: int,
    body: bytes = b"",
    client_id: str | None = "conformance-raw",
    flexible_header: bool = False,
) -> bytes:
    """A length-prefixed request with request header v1 (v2 if flexible_header)."""
    header = struct.pack(">hhi", api_key, api_version, correlation_id) + kstring(client_id)
    if flexible_header:
        header += b"\x00"  # empty tagged fields
    payload = header + body
    return struct.pack(">i", len(payload)) + payload


def produce_v7_body(topic: str, partition: int, batch: bytes, acks: int = -1, timeout_ms: int = 10_000) -> bytes:
    return (
        kstring(None)  # transactional_id
        + struct.pack(">hi", acks, timeout_ms)
        + struct.pack(">i", 1)
        + kstring(topic)
        + struct.pack(">i", 1)
        + struct.pack(">i", partition)
        + kbytes(batch)
    )


@dataclass
class ProducePartitionResponse:
    topic: str
    partition: int
    error_code: int
    base_offset: int


class _Reader:
    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0

    def take(self, fmt: str):
        vals = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return vals if len(vals) > 1 else vals[0]

    def string(self) -> str | None:
        n = self.take(">h")
        if n < 0:
            return None
        s = self.data[self.pos:self.pos + n].decode()
        self.pos += n
        return s


def parse_produce_v7_response(payload: bytes) -> tuple[int, list[ProducePartitionResponse]]:
    """Returns (correlation_id, partition responses). payload excludes the length prefix."""
    r = _Reader(payload)
    corr = r.take(">i")
    out = []
    for _ in range(r.take(">i")):
        topic = r.string()
        for _ in range(r.take(">i")):
            partition, error, base_offset, _append_time, _log_start = r.take(">ihqqq")
            out.append(ProducePartitionResponse(topic, partition, error, base_offset))
    return corr, out


def parse_api_versions_v0_response(payload: bytes) -> tuple[int, int, dict[int, tuple[int, int]]]:
    """(correlation_id, error_code, {api_key: (min, max)}); header v0 + body v0."""
    r = _Reader(payload)
    corr, error = r.take(">ih")
    apis = {}
    if r.pos + 4 <= len(payload):
        n = r.take(">i")
        for _ in range(max(n, 0)):
            key, lo, hi = r.take(">hhh")
            apis[key] = (lo, hi)
    return corr, error, apis


# --- a raw connection -------------------------------------------------------


class RawConnection:
    """A plain TCP connection that speaks length-prefixed frames."""

    def __init__(self, bootstrap: str, timeout: float = 10.0):
        host, port = bootstrap.rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=timeout)
        self.sock.settimeout(timeout)

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _recv_exact(self, n: int) -> bytes | None:
        buf = bytearray()
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                return None
            buf += chunk
        return bytes(buf)

    def recv_frame(self) -> bytes | None:
        """Next response payload (without the length), or None if the peer closed.

        Raises socket.timeout if nothing arrives in time.
        """
        try:
            head = self._recv_exact(4)
        except ConnectionResetError:
            return None
        if head is None:
            return None
        (n,) = struct.unpack(">i", head)
        assert 0 <= n < 64 * 1024 * 1024, f"implausible response length {n}"
        try:
            return self._recv_exact(n)
        except ConnectionResetError:
            return None

    def closed_or_answered(self, wait: float = 10.0) -> str:
        """'closed' if the broker closed the connection, 'answered' if it sent a frame.

        Fails (AssertionError) if it did neither within `wait` seconds.
        """
        self.sock.settimeout(wait)
        try:
            frame = self.recv_frame()
        except socket.timeout:
            raise AssertionError(f"broker neither answered nor closed within {wait}s")
        except OSError:
            return "closed"
        return "closed" if frame is None else "answered"

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def api_versions(bootstrap: str, version: int = 0, correlation_id: int = 1):
    """Send ApiVersions and return the parsed v0-shaped response."""
    with RawConnection(bootstrap) as conn:
        conn.send(request_frame(API_VERSIONS, version, correlation_id, flexible_header=version >= 3,
                                body=(b"\x00" if version >= 3 else b"")))
        frame = conn.recv_frame()
        assert frame is not None, "broker closed the connection instead of answering ApiVersions"
        return parse_api_versions_v0_response(frame)


def produce_raw(bootstrap: str, topic: str, partition: int, batch: bytes, correlation_id: int = 7):
    """Send one Produce v7 request (acks=-1) and return its partition responses."""
    with RawConnection(bootstrap, timeout=15) as conn:
        conn.send(request_frame(PRODUCE, 7, correlation_id, produce_v7_body(topic, partition, batch)))
        frame = conn.recv_frame()
        assert frame is not None, "broker closed the connection instead of answering Produce"
        corr, parts = parse_produce_v7_response(frame)
        assert corr == correlation_id
        return parts
