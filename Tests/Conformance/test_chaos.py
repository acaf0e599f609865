"""Crash safety: eventd is killed with SIGKILL at random moments while an idempotent acks=all
producer and a consumer group run; afterwards every acknowledged record is there exactly once and
in order per partition, committed offsets never went backwards, and the audit chain verifies.

CI runs the short form (CHAOS_KILLS, default 20); `make chaos` runs the long one (120 kills).
CHAOS_SEED picks the kill schedule (default fixed, so a failure can be replayed; times still vary).
"""

from __future__ import annotations

import os
import random
import threading
import time

import confluent_kafka
from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition

TOPIC = "chaos"
PARTITIONS = 4
GROUP = "chaos-group"
TOPICS = {TOPIC: {"partitions": PARTITIONS, "audit": "true"}}
EVENTD_ARGS = ["--audit-checkpoint-interval-ms", "100", "--audit-checkpoint-records", "500"]

KILLS = int(os.environ.get("CHAOS_KILLS", "20"))
SEED = int(os.environ.get("CHAOS_SEED", "9"))


def value(partition: int, seq: int) -> bytes:
    return b"%d:%08d" % (partition, seq)


def parse(v: bytes) -> tuple[int, int]:
    p, s = v.split(b":")
    return int(p), int(s)


class ProducerLoop(threading.Thread):
    """Produces numbered records round-robin over the partitions and records what was acknowledged."""

    def __init__(self, bootstrap: str):
        super().__init__(daemon=True)
        self.producer = Producer({
            "bootstrap.servers": bootstrap, "acks": "all", "enable.idempotence": True,
            "linger.ms": 2, "message.timeout.ms": 300_000, "retry.backoff.ms": 50,
            "reconnect.backoff.ms": 50, "reconnect.backoff.max.ms": 500, "socket.timeout.ms": 10_000})
        self.acked: list[set[int]] = [set() for _ in range(PARTITIONS)]
        self.errors: list[str] = []
        self.sent = 0
        self.stop = threading.Event()

    def on_delivery(self, err, msg):
        if err is not None:
            self.errors.append(str(err))
            return
        p, s = parse(msg.value())
        assert p == msg.partition()
        self.acked[p].add(s)

    def run(self):
        seq = [0] * PARTITIONS
        while not self.stop.is_set():
            p = self.sent % PARTITIONS
            try:
                self.producer.produce(TOPIC, value=value(p, seq[p]), partition=p, on_delivery=self.on_delivery)
            except BufferError:
                self.producer.poll(0.05)
                continue
            seq[p] += 1
            self.sent += 1
            # About 1,000 records a second: enough traffic that kills land mid-request.
            self.producer.poll(0.001)

    def finish(self, timeout: float) -> int:
        self.stop.set()
        self.join()
        return self.producer.flush(timeout)


class ConsumerLoop(threading.Thread):
    """A group member that commits synchronously what it processed, recording every commit the
    broker acknowledged."""

    def __init__(self, bootstrap: str):
        super().__init__(daemon=True)
        self.consumer = Consumer({
            "bootstrap.servers": bootstrap, "group.id": GROUP, "enable.auto.commit": False,
            "auto.offset.reset": "earliest", "session.timeout.ms": 10_000, "heartbeat.interval.ms": 500,
            "reconnect.backoff.ms": 50, "reconnect.backoff.max.ms": 500, "socket.timeout.ms": 10_000})
        self.seen: list[set[int]] = [set() for _ in range(PARTITIONS)]
        self.next_offsets: dict[int, int] = {}
        self.acked_commits: dict[int, int] = {}  # partition -> highest offset a commit was acknowledged for
        self.commits = 0
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def commit(self):
        offsets = [TopicPartition(TOPIC, p, o) for p, o in self.next_offsets.items()]
        if not offsets:
            return
        try:
            result = self.consumer.commit(offsets=offsets, asynchronous=False)
        except KafkaException:
            return  # broker down or rebalancing: not acknowledged, so promises nothing
        with self.lock:
            for tp in result or []:
                if tp.error is None:
                    self.acked_commits[tp.partition] = max(self.acked_commits.get(tp.partition, -1), tp.offset)
                    self.commits += 1

    def run(self):
        self.consumer.subscribe([TOPIC])
        last_commit = time.monotonic()
        while not self.stop.is_set():
            m = self.consumer.poll(0.1)
            if m is not None:
                if m.error():
                    if not m.error().retriable() and m.error().fatal():
                        self.errors.append(str(m.error()))
                else:
                    p, s = parse(m.value())
                    self.seen[p].add(s)
                    self.next_offsets[m.partition()] = m.offset() + 1
            if time.monotonic() - last_commit > 0.2:
                self.commit()
                last_commit = time.monotonic()
        self.commit()
        self.consumer.close()


def committed_offsets(bootstrap: str, timeout: float = 30) -> dict[int, int]:
    """The group's committed offsets as the broker reports them (retried while it starts up)."""
    checker = Consumer({"bootstrap.servers": bootstrap, "group.id": GROUP, "enable.auto.commit": False})
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                tps = checker.committed([TopicPartition(TOPIC, p) for p in range(PARTITIONS)], timeout=5)
                return {tp.partition: tp.offset for tp in tps}
            except KafkaException:
                assert time.monotonic() < deadline, "committed offsets unavailable"
                time.sleep(0.2)
    finally:
        checker.close()


def read_partition(bootstrap: str, partition: int, timeout: float = 60) -> list[tuple[int, bytes]]:
    """Every record of one partition from its start to its high watermark: [(offset, value)]."""
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "chaos-reader", "enable.auto.commit": False,
                  "enable.partition.eof": True})
    try:
        tp = TopicPartition(TOPIC, partition)
        _, high = c.get_watermark_offsets(tp, timeout=10)
        c.assign([TopicPartition(TOPIC, partition, confluent_kafka.OFFSET_BEGINNING)])
        out: list[tuple[int, bytes]] = []
        deadline = time.monotonic() + timeout
        while (not out or out[-1][0] < high - 1) and high > 0:
            assert time.monotonic() < deadline, f"partition {partition}: read {len(out)} records, high watermark {high}"
            m = c.poll(0.2)
            if m is None or (m.error() and m.error().code() == confluent_kafka.KafkaError._PARTITION_EOF):
                continue
            assert not m.error(), f"consume error: {m.error()}"
            out.append((m.offset(), m.value()))
        return out
    finally:
        c.close()


def test_sigkill_chaos(fresh_broker, eventctl):
    b = fresh_broker
    rng = random.Random(SEED)
    producer = ProducerLoop(b.bootstrap)
    consumer = ConsumerLoop(b.bootstrap)
    producer.start()
    consumer.start()
    # Highest commit acknowledged before each kill, and every value the broker reported since.
    floor: dict[int, int] = {}
    observed: dict[int, list[int]] = {p: [] for p in range(PARTITIONS)}
    try:
        for kill in range(KILLS):
            # Mostly mid-traffic; one kill in five lands right after start-up (recovery, group rejoin).
            time.sleep(rng.uniform(0.0, 0.1) if rng.random() < 0.2 else rng.uniform(0.2, 1.5))
            with consumer.lock:
                for p, o in consumer.acked_commits.items():
                    floor[p] = max(floor.get(p, -1), o)
            b.kill9()
            time.sleep(rng.uniform(0.0, 0.3))
            b.start()
            if kill % 4 == 3 or kill == KILLS - 1:
                now = committed_offsets(b.bootstrap)
                for p in range(PARTITIONS):
                    assert now[p] >= floor.get(p, -1001), \
                        f"kill {kill + 1}: partition {p} committed offset {now[p]} is below the acknowledged {floor.get(p)}"
                    observed[p].append(now[p])
        remaining = producer.finish(timeout=120)
        assert remaining == 0, f"{remaining} records still unacknowledged 120 s after the last kill"
        assert not producer.errors, f"delivery failures: {producer.errors[:5]}"
        # The group catches up with everything acknowledged.
        deadline = time.monotonic() + 90
        while any(not producer.acked[p] <= consumer.seen[p] for p in range(PARTITIONS)):
            assert time.monotonic() < deadline, "the consumer group did not catch up with the acknowledged records"
            time.sleep(0.2)
    finally:
        producer.stop.set()
        consumer.stop.set()
        consumer.join(timeout=30)
    assert not consumer.errors, consumer.errors[:5]
    assert consumer.commits > 0

    acked_total = sum(len(a) for a in producer.acked)
    assert acked_total >= KILLS * 50, f"too little traffic to mean anything: {acked_total} records acknowledged"
    for p in range(PARTITIONS):
        records = read_partition(b.bootstrap, p)
        offsets = [o for o, _ in records]
        assert offsets == list(range(offsets[0], offsets[0] + len(offsets))), f"partition {p}: offsets not dense"
        seqs = []
        for _, v in records:
            vp, s = parse(v)
            assert vp == p, f"record {v!r} in partition {p}"
            seqs.append(s)
        duplicates = len(seqs) - len(set(seqs))
        assert duplicates == 0, f"partition {p}: {duplicates} records stored twice"
        assert seqs == sorted(seqs), f"partition {p}: records out of producer order"
        missing = producer.acked[p] - set(seqs)
        assert not missing, f"partition {p}: {len(missing)} acknowledged records lost, e.g. {sorted(missing)[:5]}"
        # Observed committed offsets only ever grow and never pass the log end.
        assert observed[p] == sorted(observed[p]), f"partition {p}: committed offsets went backwards: {observed[p]}"
        assert all(o <= offsets[-1] + 1 for o in observed[p])

    final = committed_offsets(b.bootstrap)
    for p in range(PARTITIONS):
        assert final[p] >= max(floor.get(p, -1), consumer.acked_commits.get(p, -1))

    # The files a SIGKILL leaves verify as they are (records after the last checkpoint are
    # reported as not yet audited), and so do they after a restart and a clean stop.
    b.kill9()
    result = eventctl.run("verify", "--data-dir", str(b.data_dir), "--topic", TOPIC)
    assert result.returncode == 0, f"audit verification after SIGKILL failed:\n{result.stdout}\n{result.stderr}"
    b.start()
    assert b.stop() == 0
    result = eventctl.run("verify", "--data-dir", str(b.data_dir), "--topic", TOPIC)
    assert result.returncode == 0, f"audit verification failed:\n{result.stdout}\n{result.stderr}"
    assert "after the last checkpoint" not in result.stdout, f"a clean stop left records unaudited:\n{result.stdout}"
