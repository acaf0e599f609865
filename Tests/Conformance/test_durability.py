"""acks=all means durable: acknowledged records survive kill -9, exactly once."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from clients import Rec, confluent_consume, confluent_produce, confluent_producer

TOPICS = {"durable": 3}
PARTITIONS = 3


def numbered(start: int, n: int) -> list[Rec]:
    return [Rec(value=b"%08d" % i, partition=i % PARTITIONS) for i in range(start, start + n)]


def read_all(b, expected_at_least: int):
    return confluent_consume(b.bootstrap, "durable", list(range(PARTITIONS)), expected_at_least,
                             timeout=60, settle=2.0)


def test_acked_records_survive_kill_9(fresh_broker):
    b = fresh_broker
    n = 5_000
    delivered = confluent_produce(b.bootstrap, "durable", numbered(0, n), acks="all")
    assert len(delivered) == n
    b.kill9()
    b.start()
    got = read_all(b, n)
    counts = Counter(int(g.value) for g in got)
    assert len(got) == n, f"read {len(got)} records, acknowledged {n}"
    assert set(counts) == set(range(n)) and max(counts.values()) == 1
    # offsets are dense per partition after recovery
    for p in range(PARTITIONS):
        offs = sorted(g.offset for g in got if g.partition == p)
        assert offs == list(range(offs[0], offs[0] + len(offs)))


def test_sigterm_is_clean_and_keeps_data(fresh_broker):
    b = fresh_broker
    confluent_produce(b.bootstrap, "durable", numbered(0, 500))
    assert b.stop() == 0, "eventd should exit 0 on SIGTERM"
    b.start()
    got = read_all(b, 500)
    assert sorted(int(g.value) for g in got) == list(range(500))


@pytest.mark.parametrize("idempotent", [False, True], ids=["plain", "idempotent"])
def test_kill_9_while_producing(fresh_broker, idempotent):
    """A producer runs while the broker is killed and restarted three times. Every
    acknowledged record must be there afterwards; unacknowledged ones may or may not.
    A non-idempotent producer may legitimately duplicate a record whose ack was lost;
    an idempotent one must not."""
    b = fresh_broker
    conf = {"acks": "all", "message.timeout.ms": 20000, "retry.backoff.ms": 100,
            "enable.idempotence": idempotent}
    p = confluent_producer(b.bootstrap, **conf)
    acked: set[int] = set()
    failed: list = []
    stop = threading.Event()

    def cb(err, msg):
        if err is None:
            acked.add(int(msg.value()))
        else:
            failed.append(err)

    def run():
        i = 0
        while not stop.is_set():
            try:
                p.produce("durable", value=b"%08d" % i, partition=i % PARTITIONS, on_delivery=cb)
                i += 1
            except BufferError:
                pass
            p.poll(0.001 if i % 50 else 0.01)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    for _ in range(3):
        time.sleep(1.5)
        b.kill9()
        time.sleep(0.3)
        b.start()
    time.sleep(2.0)
    stop.set()
    t.join(timeout=30)
    assert not t.is_alive()
    deadline = time.monotonic() + 60
    while p.flush(1.0) > 0 and time.monotonic() < deadline:
        pass
    assert acked, "nothing was acknowledged at all"

    b.kill9()
    b.start()
    got = read_all(b, len(acked))
    counts = Counter(int(g.value) for g in got)
    lost = acked - set(counts)
    assert not lost, f"{len(lost)} acknowledged records lost, e.g. {sorted(lost)[:20]}"
    if idempotent:
        dups = [v for v, c in counts.items() if c > 1]
        assert not dups, f"idempotent producer records stored twice: {sorted(dups)[:20]}"
