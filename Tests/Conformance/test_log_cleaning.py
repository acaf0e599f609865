"""Retention and compaction as a Kafka consumer sees them: run by eventd's background log
cleaner (every 200 ms here), read back with confluent-kafka. Offsets never change."""

from __future__ import annotations

import time

from confluent_kafka import TopicPartition

from clients import Rec, confluent_consume, confluent_consumer, confluent_produce

EVENTD_ARGS = ["--log-cleaner-interval-ms", "200"]
TOPICS = {
    "compacted": {"partitions": 1, "cleanup_policy": "[compact]", "segment": "300ms", "retention": "7d"},
    "expiring": {"partitions": 1, "cleanup_policy": "[delete]", "segment": "300ms", "retention": "5s"},
}


def test_compaction_keeps_the_latest_record_per_key_at_its_offset(broker):
    now = int(time.time() * 1000)
    updates = [(b"a", b"a1"), (b"b", b"b1"), (b"c", b"c1"), (b"a", b"a2"), (b"b", b"b2"), (b"c", None), (b"a", b"a3")]
    confluent_produce(broker.bootstrap, "compacted",
                      [Rec(key=k, value=v, partition=0, timestamp=now) for k, v in updates])
    expected = [(4, b"b", b"b2"), (5, b"c", None), (6, b"a", b"a3")]
    deadline = time.monotonic() + 30
    got: list = []
    while time.monotonic() < deadline:
        got = [(m.offset, m.key, m.value) for m in confluent_consume(broker.bootstrap, "compacted", [0], 3, settle=0.3)]
        if got == expected:
            break
        time.sleep(0.5)
    assert got == expected, "compaction should keep b2@4, the c tombstone@5 and a3@6"
    # The log end does not move: the next record still gets offset 7.
    confluent_produce(broker.bootstrap, "compacted", [Rec(key=b"d", value=b"d1", partition=0)])
    assert confluent_consume(broker.bootstrap, "compacted", [0], 4, settle=0.3)[-1].offset == 7


def test_retention_deletes_expired_segments_only(broker):
    old = int(time.time() * 1000) - 3_600_000
    confluent_produce(broker.bootstrap, "expiring",
                      [Rec(key=b"k", value=b"old-%d" % i, partition=0, timestamp=old) for i in range(5)])
    time.sleep(0.5)  # let the cleaner close the aged segment holding the old records
    confluent_produce(broker.bootstrap, "expiring", [Rec(key=b"k", value=b"fresh", partition=0)])
    consumer = confluent_consumer(broker.bootstrap)
    try:
        deadline = time.monotonic() + 30
        low, high = -1, -1
        while time.monotonic() < deadline:
            low, high = consumer.get_watermark_offsets(TopicPartition("expiring", 0), timeout=10)
            if low == 5:
                break
            time.sleep(0.3)
    finally:
        consumer.close()
    assert (low, high) == (5, 6), "the five expired records go, the fresh one stays"
    [fresh] = confluent_consume(broker.bootstrap, "expiring", [0], 1, settle=0.3)
    assert (fresh.offset, fresh.value) == (5, b"fresh")
