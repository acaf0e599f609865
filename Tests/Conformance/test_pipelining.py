"""Pipelined requests on one connection: Kafka clients send several requests before reading
any answer (librdkafka keeps up to 5 in flight), and rely on responses coming back in
request order even when an earlier request (a long-polling Fetch) finishes later."""

from __future__ import annotations

import struct
import time

import kafka_helpers as kh

TOPICS = {"pipelining": 1}
FETCH = 1


def fetch_v4_body(topic: str, partition: int, offset: int, max_wait_ms: int, min_bytes: int) -> bytes:
    return (
        struct.pack(">iiiib", -1, max_wait_ms, min_bytes, 1 << 20, 0)  # replica, wait, min, max, isolation
        + struct.pack(">i", 1) + kh.kstring(topic)
        + struct.pack(">i", 1) + struct.pack(">iqi", partition, offset, 1 << 20)
    )


def correlation_id(frame: bytes) -> int:
    return struct.unpack(">i", frame[:4])[0]


def test_responses_keep_request_order_behind_a_long_poll(broker):
    with kh.RawConnection(broker.bootstrap, timeout=15) as conn:
        started = time.monotonic()
        # The Fetch waits up to 800 ms for a byte that never comes; ApiVersions is instant.
        conn.send(kh.request_frame(FETCH, 4, 101, fetch_v4_body("pipelining", 0, 0, max_wait_ms=800, min_bytes=1)))
        conn.send(kh.request_frame(kh.API_VERSIONS, 0, 102))
        conn.send(kh.request_frame(kh.API_VERSIONS, 0, 103))
        order = [correlation_id(conn.recv_frame()) for _ in range(3)]
        waited = time.monotonic() - started
    assert order == [101, 102, 103]
    assert waited >= 0.7, f"the fetch answered after {waited:.3f}s; it should have long-polled"


def test_long_poll_wakes_on_produce(broker):
    """A parked Fetch is answered as soon as data arrives, not at max.wait.ms."""
    with kh.RawConnection(broker.bootstrap, timeout=15) as conn:
        conn.send(kh.request_frame(FETCH, 4, 7, fetch_v4_body("pipelining", 0, 0, max_wait_ms=10_000, min_bytes=1)))
        time.sleep(0.3)
        started = time.monotonic()
        [resp] = kh.produce_raw(broker.bootstrap, "pipelining", 0, kh.encode_record_batch([kh.RawRecord(b"k", b"wake")]))
        assert resp.error_code == kh.NONE
        frame = conn.recv_frame()
        waited = time.monotonic() - started
    assert correlation_id(frame) == 7
    assert b"wake" in frame
    assert waited < 5, f"the parked fetch took {waited:.1f}s to see new data"
