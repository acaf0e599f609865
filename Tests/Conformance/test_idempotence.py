"""Idempotent producers: every record present once, in order within its partition,
including across a broker restart in the middle of production (producer retries)."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict


import kafka_helpers as kh
from clients import Rec, confluent_consume, confluent_produce, confluent_producer, kp_produce

TOPICS = {"idem-confluent": 4, "idem-kafka-python": 4, "idem-restart": 4, "idem-raw": 1}
PARTITIONS = 4


def numbered(n: int) -> list[Rec]:
    return [Rec(key=b"k%d" % (i % 97), value=b"%08d" % i, partition=i % PARTITIONS) for i in range(n)]


def assert_once_in_order(got, n: int) -> None:
    values = [int(g.value) for g in got]
    counts = Counter(values)
    dups = [v for v, c in counts.items() if c > 1]
    assert not dups, f"duplicates: {sorted(dups)[:20]}"
    missing = set(range(n)) - set(counts)
    assert not missing, f"missing: {sorted(missing)[:20]}"
    per_partition = defaultdict(list)
    for g in sorted(got, key=lambda g: (g.partition, g.offset)):
        per_partition[g.partition].append(int(g.value))
    for p, vals in per_partition.items():
        assert vals == sorted(vals), f"partition {p} out of order"
        assert all(v % PARTITIONS == p for v in vals), f"record in wrong partition {p}"


IDEMPOTENT = {"enable.idempotence": True, "acks": "all", "retries": 1000000,
              "max.in.flight.requests.per.connection": 5, "linger.ms": 2, "batch.num.messages": 500}


def test_confluent_idempotent_producer(broker):
    n = 20_000
    delivered = confluent_produce(broker.bootstrap, "idem-confluent", numbered(n), **IDEMPOTENT)
    assert len(delivered) == n
    assert_once_in_order(confluent_consume(broker.bootstrap, "idem-confluent", list(range(PARTITIONS)), n,
                                           timeout=60), n)


def test_kafka_python_idempotent_producer(broker):
    n = 5_000
    kp_produce(broker.bootstrap, "idem-kafka-python", numbered(n), enable_idempotence=True,
               max_in_flight_requests_per_connection=5, retries=100)
    assert_once_in_order(confluent_consume(broker.bootstrap, "idem-kafka-python", list(range(PARTITIONS)), n,
                                           timeout=60), n)


def test_idempotent_producer_across_broker_restart(fresh_broker):
    """The producer keeps sending while the broker restarts (SIGTERM, start): librdkafka
    retries in-flight batches; the broker must not store any of them twice."""
    b = fresh_broker
    n = 30_000
    recs = numbered(n)
    p = confluent_producer(b.bootstrap, **{**IDEMPOTENT, "message.timeout.ms": 120000})
    errors: list = []

    def cb(err, _msg):
        if err is not None:
            errors.append(err)

    def run():
        for r in recs:
            while True:
                try:
                    p.produce("idem-restart", value=r.value, key=r.key, partition=r.partition, on_delivery=cb)
                    break
                except BufferError:
                    p.poll(0.05)
            p.poll(0)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    time.sleep(1.0)
    b.stop()
    b.start()
    t.join(timeout=120)
    assert not t.is_alive(), "producer thread did not finish"
    deadline = time.monotonic() + 120
    while p.flush(1.0) > 0:
        assert time.monotonic() < deadline, "deliveries did not complete after restart"
    assert not errors, f"delivery errors: {errors[:5]}"
    assert_once_in_order(confluent_consume(b.bootstrap, "idem-restart", list(range(PARTITIONS)), n,
                                           timeout=60), n)


def _idempotent_batch(producer_id: int, sequence: int, value: bytes) -> bytes:
    return kh.encode_record_batch([kh.RawRecord(b"k", value)], producer_id=producer_id, producer_epoch=0,
                                  base_sequence=sequence)


def test_sequence_rules_by_hand_survive_restart(fresh_broker):
    """What a retrying producer relies on, sent byte for byte: a resent batch is answered with
    its original offset and stored once, a sequence gap is OUT_OF_ORDER_SEQUENCE_NUMBER, and
    the broker still knows the producer's sequences after a restart."""
    b = fresh_broker
    topic, pid = "idem-raw", 4242
    [first] = kh.produce_raw(b.bootstrap, topic, 0, _idempotent_batch(pid, 0, b"seq-0"))
    assert (first.error_code, first.base_offset) == (kh.NONE, 0)
    [second] = kh.produce_raw(b.bootstrap, topic, 0, _idempotent_batch(pid, 1, b"seq-1"))
    assert (second.error_code, second.base_offset) == (kh.NONE, 1)
    [retry] = kh.produce_raw(b.bootstrap, topic, 0, _idempotent_batch(pid, 1, b"seq-1"))
    assert (retry.error_code, retry.base_offset) == (kh.NONE, 1), "a retried batch must get its original offset"
    [gap] = kh.produce_raw(b.bootstrap, topic, 0, _idempotent_batch(pid, 5, b"seq-5"))
    assert gap.error_code == kh.OUT_OF_ORDER_SEQUENCE_NUMBER

    b.kill9()
    b.start()
    [after] = kh.produce_raw(b.bootstrap, topic, 0, _idempotent_batch(pid, 1, b"seq-1"))
    assert (after.error_code, after.base_offset) == (kh.NONE, 1), "duplicate not detected after restart"
    [gap_after] = kh.produce_raw(b.bootstrap, topic, 0, _idempotent_batch(pid, 3, b"seq-3"))
    assert gap_after.error_code == kh.OUT_OF_ORDER_SEQUENCE_NUMBER
    [next_one] = kh.produce_raw(b.bootstrap, topic, 0, _idempotent_batch(pid, 2, b"seq-2"))
    assert (next_one.error_code, next_one.base_offset) == (kh.NONE, 2)

    got = confluent_consume(b.bootstrap, topic, [0], 3, settle=1.0)
    assert [g.value for g in got] == [b"seq-0", b"seq-1", b"seq-2"]
