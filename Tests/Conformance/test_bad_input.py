"""Malformed and hostile input on raw sockets: the broker closes or answers that one
connection, keeps serving a well-behaved client meanwhile, and loses no stored data."""

from __future__ import annotations

import os
import struct
import threading
import time

import pytest

import kafka_helpers as kh
from clients import Rec, confluent_consume, confluent_produce, confluent_producer, confluent_consumer

TOPICS = {"bad-input-victim": 1, "bad-input-raw": 1, "bad-input-bystander": 1}

BEFORE = 200


@pytest.fixture(scope="module")
def stored_before(broker):
    recs = [Rec(key=b"k%d" % i, value=b"before-%06d" % i) for i in range(BEFORE)]
    confluent_produce(broker.bootstrap, "bad-input-victim", recs)
    return recs


@pytest.fixture(scope="module")
def bystander(broker, stored_before):
    """A confluent-kafka producer and consumer that keep working during every attack."""
    stop = threading.Event()
    state = {"acked": 0, "errors": [], "consumed": 0}

    def produce_loop():
        p = confluent_producer(broker.bootstrap, **{"message.timeout.ms": 20000})

        def cb(err, _m):
            if err is None:
                state["acked"] += 1
            else:
                state["errors"].append(err)
        i = 0
        while not stop.is_set():
            p.produce("bad-input-bystander", value=b"%08d" % i, partition=0, on_delivery=cb)
            i += 1
            p.poll(0.02)
        p.flush(20)

    def consume_loop():
        import confluent_kafka
        c = confluent_consumer(broker.bootstrap)
        c.assign([confluent_kafka.TopicPartition("bad-input-bystander", 0, confluent_kafka.OFFSET_BEGINNING)])
        while not stop.is_set():
            m = c.poll(0.2)
            if m is not None and not m.error():
                state["consumed"] += 1
        c.close()

    threads = [threading.Thread(target=produce_loop, daemon=True),
               threading.Thread(target=consume_loop, daemon=True)]
    for t in threads:
        t.start()
    yield state
    stop.set()
    for t in threads:
        t.join(timeout=30)


@pytest.fixture
def still_serving(broker, bystander):
    """After each attack: the bystander made progress and ApiVersions still answers."""
    acked, consumed = bystander["acked"], bystander["consumed"]
    yield
    deadline = time.monotonic() + 20
    while bystander["acked"] <= acked or bystander["consumed"] <= consumed:
        assert time.monotonic() < deadline, "the well-behaved client stopped making progress"
        time.sleep(0.1)
    assert not bystander["errors"], bystander["errors"][:5]
    _corr, err, apis = kh.api_versions(broker.bootstrap)
    assert err == kh.NONE and kh.PRODUCE in apis


def test_garbage_bytes(broker, still_serving):
    """A whole frame of random bytes. (Random bytes in the length prefix itself would often
    announce a frame of plausible size, which any Kafka broker waits for; the oversized and
    negative-length cases below cover bad prefixes.)"""
    for _ in range(20):
        body = os.urandom(4096)
        with kh.RawConnection(broker.bootstrap) as conn:
            conn.send(struct.pack(">i", len(body)) + body)
            conn.closed_or_answered()


def test_oversized_frame_claim(broker, still_serving):
    """Claims 200 MiB; the broker must not wait for (or allocate) it but close the connection."""
    with kh.RawConnection(broker.bootstrap) as conn:
        conn.send(struct.pack(">i", 200 * 1024 * 1024) + b"\x00\x12\x00\x00\x00\x00\x00\x01")
        assert conn.closed_or_answered() == "closed"


def test_negative_length(broker, still_serving):
    with kh.RawConnection(broker.bootstrap) as conn:
        conn.send(struct.pack(">i", -5) + b"\x00" * 16)
        assert conn.closed_or_answered() == "closed"


def test_truncated_frame_then_disconnect(broker, still_serving):
    with kh.RawConnection(broker.bootstrap) as conn:
        conn.send(struct.pack(">i", 100) + b"\x00\x12\x00")


def test_unknown_api_key(broker, still_serving):
    with kh.RawConnection(broker.bootstrap) as conn:
        conn.send(kh.request_frame(9999, 0, 42))
        conn.closed_or_answered()  # either is acceptable; surviving is what counts


def test_api_versions_unsupported_version(broker, still_serving):
    corr, err, _apis = kh.api_versions(broker.bootstrap, version=99, correlation_id=77)
    assert corr == 77
    assert err == kh.UNSUPPORTED_VERSION


def test_other_api_unsupported_version(broker, still_serving):
    with kh.RawConnection(broker.bootstrap) as conn:
        conn.send(kh.request_frame(kh.METADATA, 99, 5, b"\x00" * 8))
        conn.closed_or_answered()


def test_api_versions_v0_lists_produce(broker, still_serving):
    corr, err, apis = kh.api_versions(broker.bootstrap, version=0, correlation_id=3)
    assert (corr, err) == (3, kh.NONE)
    lo, hi = apis[kh.PRODUCE]
    assert lo <= 7 <= hi, "the raw Produce tests use v7"


def test_valid_hand_built_batch_is_accepted(broker, still_serving):
    """Control for the CRC test: the same encoder with a correct CRC is accepted and readable."""
    batch = kh.encode_record_batch([kh.RawRecord(b"raw-key", b"raw-value", [("h", b"1")]),
                                    kh.RawRecord(None, b"second", timestamp_delta=5)])
    [resp] = kh.produce_raw(broker.bootstrap, "bad-input-raw", 0, batch)
    assert resp.error_code == kh.NONE
    got = confluent_consume(broker.bootstrap, "bad-input-raw", [0], 2, settle=0.5)
    assert [(g.key, g.value, g.headers) for g in got][:2] == [
        (b"raw-key", b"raw-value", (("h", b"1"),)), (None, b"second", ())]


@pytest.mark.parametrize("where", ["last-byte", "base-timestamp", "crc-field"])
def test_bad_crc_is_corrupt_message(broker, still_serving, where):
    batch = kh.encode_record_batch([kh.RawRecord(b"k", b"must not be stored %s" % where.encode())])
    if where == "crc-field":
        b = bytearray(batch)
        b[kh.BATCH_CRC_OFFSET] ^= 0x01
        bad = bytes(b)
    else:
        bad = kh.corrupt_batch(batch, None if where == "last-byte" else kh.BATCH_CRC_COVERED_START + 8)
    before = _high_watermark(broker, "bad-input-raw")
    [resp] = kh.produce_raw(broker.bootstrap, "bad-input-raw", 0, bad)
    assert resp.error_code == kh.CORRUPT_MESSAGE
    assert _high_watermark(broker, "bad-input-raw") == before, "a corrupt batch was stored"


def test_produce_to_unknown_topic_raw(broker, still_serving):
    batch = kh.encode_record_batch([kh.RawRecord(b"k", b"v")])
    [resp] = kh.produce_raw(broker.bootstrap, "no-such-topic-raw", 0, batch)
    assert resp.error_code == kh.UNKNOWN_TOPIC_OR_PARTITION


def test_records_stored_before_attacks_are_intact(broker, stored_before):
    # module tests run in file order, so this runs after every attack above
    got = confluent_consume(broker.bootstrap, "bad-input-victim", [0], len(stored_before), settle=0.5)
    assert [(g.key, g.value) for g in got] == [(r.key, r.value) for r in stored_before]


def _high_watermark(broker, topic) -> int:
    c = confluent_consumer(broker.bootstrap)
    try:
        import confluent_kafka
        _lo, hi = c.get_watermark_offsets(confluent_kafka.TopicPartition(topic, 0), timeout=10)
        return hi
    finally:
        c.close()
