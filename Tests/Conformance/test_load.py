"""Load with hostile neighbours: 50 connections produce and 10 consume while misbehaving clients
send random bytes, huge length prefixes, slowloris partial frames and floods of pipelined
requests they do not read. The well-behaved clients see no error, and everything they produced
is consumed. Also: the connection limit.

LOAD_BATCHES scales the run (batches per producing connection; `make chaos` raises it).
"""

from __future__ import annotations

import os
import random
import socket
import struct
import threading
import time

import confluent_kafka
from confluent_kafka import Consumer, TopicPartition

from clients import confluent_producer
from kafka_helpers import (API_VERSIONS, PRODUCE, RawConnection, RawRecord, encode_record_batch,
                           parse_api_versions_v0_response, parse_produce_v7_response, produce_v7_body,
                           request_frame)

TOPIC = "load"
PARTITIONS = 10
TOPICS = {TOPIC: PARTITIONS}
MAX_CONNECTIONS = 200
PARTIAL_FRAME_TIMEOUT_MS = 5000  # generous: the Python clients themselves are slow under load
EVENTD_ARGS = ["--max-connections", str(MAX_CONNECTIONS), "--max-inflight-bytes", str(256 * 1024),
               "--partial-frame-timeout-ms", str(PARTIAL_FRAME_TIMEOUT_MS)]

RAW_PRODUCERS = 45
CLIENT_PRODUCERS = 5
CONSUMERS = 10
BATCHES = int(os.environ.get("LOAD_BATCHES", "20"))
RECORDS_PER_BATCH = 5
WINDOW = 4  # pipelined produce requests per raw connection


def served(bootstrap: str) -> bool:
    """Whether a new connection gets an answer to ApiVersions (False: the broker closed it)."""
    with RawConnection(bootstrap) as c:
        try:
            c.send(request_frame(API_VERSIONS, 0, 1))
        except OSError:
            return False
        return c.closed_or_answered() == "answered"


def test_connections_beyond_the_limit_are_closed(broker):
    """Runs first, on an idle broker: exactly MAX_CONNECTIONS are served, the next is closed,
    and a closed connection frees its slot."""
    open_conns: list[RawConnection] = []
    try:
        for i in range(MAX_CONNECTIONS):
            c = RawConnection(broker.bootstrap)
            c.send(request_frame(API_VERSIONS, 0, i))
            assert c.closed_or_answered() == "answered", f"connection {i + 1} of {MAX_CONNECTIONS} refused"
            open_conns.append(c)
        assert not served(broker.bootstrap), "a connection beyond --max-connections was served"
        for c in open_conns[:10]:
            c.close()
        deadline = time.monotonic() + 10
        while not served(broker.bootstrap):  # the broker frees the slots once it has seen the closes
            assert time.monotonic() < deadline, "closed connections did not free their slots"
            time.sleep(0.1)
    finally:
        for c in open_conns:
            c.close()


def value(client: int, seq: int) -> bytes:
    return b"c%02d-%06d" % (client, seq)


class RawProducer(threading.Thread):
    """One connection producing acks=all batches, WINDOW requests in flight at a time."""

    def __init__(self, bootstrap: str, client: int):
        super().__init__(daemon=True)
        self.bootstrap, self.client = bootstrap, client
        self.partition = client % PARTITIONS
        self.produced: list[bytes] = []
        self.errors: list[str] = []

    def run(self):
        try:
            with RawConnection(self.bootstrap, timeout=60) as conn:
                in_flight: list[tuple[int, list[bytes]]] = []
                seq = 0
                for corr in range(BATCHES):
                    values = [value(self.client, seq + i) for i in range(RECORDS_PER_BATCH)]
                    seq += RECORDS_PER_BATCH
                    batch = encode_record_batch([RawRecord(key=b"k", value=v) for v in values])
                    conn.send(request_frame(PRODUCE, 7, corr, produce_v7_body(TOPIC, self.partition, batch)))
                    in_flight.append((corr, values))
                    if len(in_flight) == WINDOW or corr == BATCHES - 1:
                        while in_flight:
                            self.receive(conn, *in_flight.pop(0))
        except Exception as e:  # noqa: BLE001 - every failure of a well-behaved client is reported
            self.errors.append(f"client {self.client}: {e!r}")

    def receive(self, conn: RawConnection, corr: int, values: list[bytes]):
        frame = conn.recv_frame()
        if frame is None:
            raise AssertionError("connection closed by the broker")
        got_corr, [part] = parse_produce_v7_response(frame)
        if got_corr != corr or part.error_code != 0:
            raise AssertionError(f"correlation {got_corr} (expected {corr}), error {part.error_code}")
        self.produced += values


class ClientProducer(threading.Thread):
    """confluent-kafka, idempotent, acks=all."""

    def __init__(self, bootstrap: str, client: int):
        super().__init__(daemon=True)
        self.bootstrap, self.client = bootstrap, client
        self.produced: list[bytes] = []
        self.errors: list[str] = []

    def run(self):
        p = confluent_producer(self.bootstrap, enable_idempotence=True)

        def cb(err, msg):
            if err is not None:
                self.errors.append(f"client {self.client}: {err}")
            else:
                self.produced.append(msg.value())

        for seq in range(BATCHES * RECORDS_PER_BATCH):
            p.produce(TOPIC, value=value(self.client, seq), partition=(self.client + seq) % PARTITIONS, on_delivery=cb)
            p.poll(0)
        if p.flush(60) != 0:
            self.errors.append(f"client {self.client}: deliveries unfinished")


class PartitionConsumer(threading.Thread):
    """Reads one partition from the start until told how many records to expect."""

    def __init__(self, bootstrap: str, partition: int):
        super().__init__(daemon=True)
        self.partition = partition
        self.consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"load-{partition}",
                                  "enable.auto.commit": False, "enable.partition.eof": False,
                                  "socket.timeout.ms": 10000})
        self.seen: list[bytes] = []
        self.errors: list[str] = []
        self.expected: int | None = None
        self.deadline = float("inf")

    def run(self):
        self.consumer.assign([TopicPartition(TOPIC, self.partition, confluent_kafka.OFFSET_BEGINNING)])
        while (self.expected is None or len(self.seen) < self.expected) and time.monotonic() < self.deadline:
            m = self.consumer.poll(0.2)
            if m is None:
                continue
            if m.error():
                self.errors.append(f"partition {self.partition}: {m.error()}")
                continue
            self.seen.append(m.value())
        self.consumer.close()


class Misbehaver(threading.Thread):
    """Garbage, huge length prefixes and slowloris frames on fresh connections, in a loop."""

    def __init__(self, bootstrap: str, seed: int):
        super().__init__(daemon=True)
        self.host, port = bootstrap.rsplit(":", 1)
        self.port = int(port)
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.slowloris_closed = 0
        self.slowloris_open = 0
        self.attacks = 0

    def connect(self) -> socket.socket:
        return socket.create_connection((self.host, self.port), timeout=10)

    def garbage(self):
        with self.connect() as s:
            try:
                s.sendall(self.rng.randbytes(self.rng.randint(1, 4096)))
            except OSError:
                pass

    def huge_length(self):
        with self.connect() as s:
            try:
                s.sendall(struct.pack(">i", self.rng.choice([0x7FFFFFFF, 200 * 1024 * 1024, -5])) + b"xyz")
                s.recv(1)  # the broker closes the connection
            except OSError:
                pass

    def slowloris(self):
        """A plausible frame size, then a byte every 200 ms: must be cut off, not waited for forever."""
        with self.connect() as s:
            s.sendall(struct.pack(">i", 1000) + b"\x00")
            started = time.monotonic()
            try:
                while time.monotonic() - started < 20 * PARTIAL_FRAME_TIMEOUT_MS / 1000:
                    time.sleep(0.2)
                    s.sendall(b"\x00")
                self.slowloris_open += 1
            except OSError:
                self.slowloris_closed += 1

    def run(self):
        loris = [threading.Thread(target=self.slowloris, daemon=True) for _ in range(5)]
        for t in loris:
            t.start()
        while not self.stop.is_set():
            self.rng.choice([self.garbage, self.huge_length])()
            self.attacks += 1
            time.sleep(0.01)
        for t in loris:
            t.join()


class Flooder(threading.Thread):
    """Pipelines thousands of requests without reading, then reads every answer: the broker must
    push back (stop reading) rather than buffer without bound or disconnect."""

    def __init__(self, bootstrap: str, requests: int):
        super().__init__(daemon=True)
        self.bootstrap, self.requests = bootstrap, requests
        self.answered = 0
        self.errors: list[str] = []

    def run(self):
        with RawConnection(self.bootstrap, timeout=60) as conn:
            frames = b"".join(request_frame(API_VERSIONS, 0, i) for i in range(self.requests))
            sender = threading.Thread(target=conn.send, args=(frames,), daemon=True)
            sender.start()
            time.sleep(2)  # responses pile up unread meanwhile
            for i in range(self.requests):
                frame = conn.recv_frame()
                if frame is None:
                    self.errors.append(f"flooder: connection closed after {i} answers")
                    return
                corr, error, _ = parse_api_versions_v0_response(frame)
                if corr != i or error != 0:
                    self.errors.append(f"flooder: answer {i} has correlation {corr}, error {error}")
                    return
                self.answered += 1
            sender.join()


def test_well_behaved_clients_are_unaffected_by_hostile_ones(broker):
    consumers = [PartitionConsumer(broker.bootstrap, p) for p in range(PARTITIONS)]
    producers = [RawProducer(broker.bootstrap, c) for c in range(RAW_PRODUCERS)] + \
                [ClientProducer(broker.bootstrap, RAW_PRODUCERS + c) for c in range(CLIENT_PRODUCERS)]
    misbehaver = Misbehaver(broker.bootstrap, seed=9)
    flooders = [Flooder(broker.bootstrap, 20_000) for _ in range(2)]
    misbehaver.start()
    for t in flooders + consumers + producers:
        t.start()
    for t in producers:
        t.join(timeout=180)
    misbehaver.stop.set()
    for t in flooders:
        t.join(timeout=120)
    misbehaver.join(timeout=60)

    errors = [e for t in producers + flooders for e in t.errors]
    assert not errors, errors[:10]
    assert all(not t.is_alive() for t in producers + flooders), "a well-behaved client hung"
    produced = [v for t in producers for v in t.produced]
    assert len(produced) == (RAW_PRODUCERS + CLIENT_PRODUCERS) * BATCHES * RECORDS_PER_BATCH

    # Tell each consumer what its partition must hold, then check it got exactly that.
    per_partition: dict[int, int] = {p: 0 for p in range(PARTITIONS)}
    for t in producers:
        if isinstance(t, RawProducer):
            per_partition[t.partition] += len(t.produced)
        else:
            for seq in range(len(t.produced)):
                per_partition[(t.client + seq) % PARTITIONS] += 1
    for c in consumers:
        c.expected = per_partition[c.partition]
        c.deadline = time.monotonic() + 90
    for c in consumers:
        c.join(timeout=120)
    consumer_errors = [e for c in consumers for e in c.errors]
    assert not consumer_errors, consumer_errors[:10]
    consumed = [v for c in consumers for v in c.seen]
    assert sorted(consumed) == sorted(produced), \
        f"consumed {len(consumed)} records ({len(set(consumed))} distinct), produced {len(produced)}"

    assert misbehaver.attacks > 0
    assert misbehaver.slowloris_closed == 5 and misbehaver.slowloris_open == 0, \
        "slowloris connections were not closed"
    assert all(f.answered == 20_000 for f in flooders)
