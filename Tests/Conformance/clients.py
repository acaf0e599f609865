"""Thin wrappers over the three real clients, with one record shape and hard deadlines.

- kcat: librdkafka 2.0.2 from Debian (the version the Swift library links)
- confluent-kafka: the current librdkafka bundled in the wheel
- kafka-python: a pure-Python implementation of the protocol
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from dataclasses import dataclass

import confluent_kafka
import kafka
from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition

# All three by default; CONFORMANCE_CLIENTS=confluent,kafka-python narrows it (a dev aid
# for brokers that cannot serve librdkafka 2.0.2; CI never sets it).
CLIENTS = tuple(os.environ.get("CONFORMANCE_CLIENTS", "kcat,confluent,kafka-python").split(","))
CODECS = ("none", "gzip", "snappy", "lz4", "zstd")


@dataclass(frozen=True)
class Rec:
    key: bytes | None = None
    value: bytes | None = b""
    headers: tuple[tuple[str, bytes | None], ...] = ()
    timestamp: int | None = None  # ms; None = let the client stamp it
    partition: int = 0

    def content(self):
        """What must survive a produce/consume round trip byte for byte."""
        return (self.partition, self.key, self.value, self.headers)


@dataclass
class Consumed:
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes | None], ...]
    timestamp: int

    def content(self):
        return (self.partition, self.key, self.value, self.headers)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


# --- confluent-kafka --------------------------------------------------------------


def confluent_producer(bootstrap: str, **conf) -> Producer:
    base = {"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 5,
            "message.timeout.ms": 30000, "socket.timeout.ms": 10000}
    base.update({k.replace("_", "."): v for k, v in conf.items()})
    return Producer(base)


def confluent_produce(bootstrap: str, topic: str, recs: list[Rec], compression: str = "none",
                      timeout: float = 60, **conf) -> list[tuple[int, int]]:
    """Produce and wait for every delivery report; returns [(partition, offset)] in input order."""
    p = confluent_producer(bootstrap, **{"compression.type": compression, **conf})
    results: list = [None] * len(recs)

    def on_delivery(i):
        def cb(err, msg):
            results[i] = err if err is not None else (msg.partition(), msg.offset())
        return cb

    for i, r in enumerate(recs):
        kwargs = dict(topic=topic, value=r.value, key=r.key, partition=r.partition,
                      on_delivery=on_delivery(i))
        if r.headers:
            kwargs["headers"] = list(r.headers)
        if r.timestamp is not None:
            kwargs["timestamp"] = r.timestamp
        while True:
            try:
                p.produce(**kwargs)
                break
            except BufferError:
                p.poll(0.1)
    deadline = time.monotonic() + timeout
    while p.flush(1.0) > 0:
        assert time.monotonic() < deadline, "confluent-kafka: delivery reports did not arrive in time"
    errors = [r for r in results if isinstance(r, KafkaError)]
    assert not errors, f"confluent-kafka delivery errors: {errors[:5]}"
    return results


def confluent_consumer(bootstrap: str, group: str | None = None, **conf) -> Consumer:
    base = {"bootstrap.servers": bootstrap, "group.id": group or unique("conformance"),
            "enable.auto.commit": False, "auto.offset.reset": "earliest",
            "enable.partition.eof": False, "socket.timeout.ms": 10000,
            "session.timeout.ms": 10000}
    base.update(conf)
    return Consumer(base)


def _from_confluent(m) -> Consumed:
    _ts_type, ts = m.timestamp()
    return Consumed(m.partition(), m.offset(), m.key(), m.value(),
                    tuple(m.headers() or ()), ts)


def confluent_consume(bootstrap: str, topic: str, partitions: list[int], count: int,
                      timeout: float = 30, settle: float = 1.0) -> list[Consumed]:
    """Read `count` records from the beginning of the partitions, plus `settle` seconds more
    to catch any extras (duplicates)."""
    c = confluent_consumer(bootstrap)
    try:
        c.assign([TopicPartition(topic, p, confluent_kafka.OFFSET_BEGINNING) for p in partitions])
        out: list[Consumed] = []
        deadline = time.monotonic() + timeout
        settle_until = None
        while True:
            now = time.monotonic()
            if len(out) >= count and settle_until is None:
                settle_until = now + settle
            if settle_until is not None and now >= settle_until:
                break
            if now >= deadline:
                break
            m = c.poll(0.2)
            if m is None:
                continue
            assert not m.error(), f"confluent-kafka consume error: {m.error()}"
            out.append(_from_confluent(m))
        return out
    finally:
        c.close()


def partition_count(bootstrap: str, topic: str, timeout: float = 10) -> int:
    from confluent_kafka.admin import AdminClient
    md = AdminClient({"bootstrap.servers": bootstrap}).list_topics(topic=topic, timeout=timeout)
    t = md.topics[topic]
    assert t.error is None, f"metadata error for {topic}: {t.error}"
    return len(t.partitions)


# --- kafka-python -----------------------------------------------------------------


def kp_produce(bootstrap: str, topic: str, recs: list[Rec], compression: str = "none",
               timeout: float = 60, **conf) -> list[tuple[int, int]]:
    conf.setdefault("enable_idempotence", False)  # idempotence has its own test module
    p = kafka.KafkaProducer(bootstrap_servers=bootstrap, acks="all",
                            compression_type=None if compression == "none" else compression,
                            request_timeout_ms=15000, max_block_ms=15000, **conf)
    try:
        futures = [p.send(topic, value=r.value, key=r.key, partition=r.partition,
                          headers=list(r.headers), timestamp_ms=r.timestamp) for r in recs]
        p.flush(timeout=timeout)
        out = []
        for f in futures:
            md = f.get(timeout=max(1.0, timeout))
            out.append((md.partition, md.offset))
        return out
    finally:
        p.close(timeout=5)


def kp_consume(bootstrap: str, topic: str, partitions: list[int], count: int,
               timeout: float = 30, settle: float = 1.0) -> list[Consumed]:
    c = kafka.KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                            auto_offset_reset="earliest", request_timeout_ms=15000,
                            consumer_timeout_ms=1000)
    try:
        tps = [kafka.TopicPartition(topic, p) for p in partitions]
        c.assign(tps)
        c.seek_to_beginning(*tps)
        out: list[Consumed] = []
        deadline = time.monotonic() + timeout
        settle_until = None
        while True:
            now = time.monotonic()
            if len(out) >= count and settle_until is None:
                settle_until = now + settle
            if (settle_until is not None and now >= settle_until) or now >= deadline:
                break
            for _tp, msgs in c.poll(timeout_ms=200).items():
                for m in msgs:
                    out.append(Consumed(m.partition, m.offset, m.key, m.value,
                                        tuple((k, v) for k, v in (m.headers or [])), m.timestamp))
        return out
    finally:
        c.close()


# --- kcat (librdkafka 2.0.2) ----------------------------------------------------


def _kcat(args: list, input: bytes | None = None, timeout: float = 60) -> bytes:
    proc = subprocess.run(["kcat", *args], input=input, capture_output=True, timeout=timeout)
    assert proc.returncode == 0, (
        f"kcat {' '.join(map(str, args[:12]))} exited {proc.returncode}:\n{proc.stderr.decode(errors='replace')[-3000:]}")
    return proc.stdout


def kcat_produce(bootstrap: str, topic: str, recs: list[Rec], compression: str = "none",
                 timeout: float = 60, tmpdir=None) -> None:
    """Produce with kcat. kcat applies -H headers and -k keys to every message of one run,
    so records are grouped into runs with the same partition/key/headers; values are sent
    one file per message (binary safe). Timestamps cannot be set by kcat (CreateTime=now)."""
    import tempfile
    from itertools import groupby
    with tempfile.TemporaryDirectory(dir=tmpdir) as d:
        groups = groupby(enumerate(recs), key=lambda ir: (ir[1].partition, ir[1].key, ir[1].headers))
        for (partition, key, headers), items in groups:
            args = ["-P", "-b", bootstrap, "-t", topic, "-p", str(partition),
                    "-X", "acks=all", "-X", f"compression.codec={compression}", "-m", "15"]
            if key is not None:
                assert b"\x00" not in key, "kcat -k cannot carry NUL bytes"
                args += ["-k", key]  # bytes argv: passed to kcat unchanged
            for hk, hv in headers:
                assert hv is not None, "kcat -H cannot produce null header values"
                args += ["-H", f"{hk}={hv.decode()}"]
            files = []
            for i, r in items:
                assert r.value is not None and r.value != b"", "kcat: use non-empty values per file"
                path = f"{d}/m{i:06d}"
                with open(path, "wb") as f:
                    f.write(r.value)
                files.append(path)
            _kcat(args + files, timeout=timeout)


def kcat_consume_binary(bootstrap: str, topic: str, partition: int, timeout: float = 60) -> list[Consumed]:
    """Consume one partition from the beginning to the end with a length-prefixed format,
    so keys and values come back exactly (binary safe, NULL distinguished from empty)."""
    fmt = r"%p %o %T %K %S\n%k%s\n"
    out = _kcat(["-C", "-b", bootstrap, "-t", topic, "-p", str(partition), "-o", "beginning",
                 "-e", "-q", "-m", "15", "-f", fmt], timeout=timeout)
    recs = []
    pos = 0
    while pos < len(out):
        nl = out.index(b"\n", pos)
        p, o, ts, klen, vlen = (int(x) for x in out[pos:nl].split())
        pos = nl + 1
        key = None if klen < 0 else out[pos:pos + klen]
        pos += max(klen, 0)
        value = None if vlen < 0 else out[pos:pos + vlen]
        pos += max(vlen, 0)
        assert out[pos:pos + 1] == b"\n", "kcat output framing lost"
        pos += 1
        recs.append(Consumed(p, o, key, value, (), ts))
    return recs


def kcat_consume_json(bootstrap: str, topic: str, partition: int, timeout: float = 60) -> list[dict]:
    """Consume with kcat's JSON envelope (-J): gives headers, timestamps, key/payload as text."""
    out = _kcat(["-C", "-b", bootstrap, "-t", topic, "-p", str(partition), "-o", "beginning",
                 "-e", "-q", "-J", "-m", "15"], timeout=timeout)
    text = out.decode("utf-8", "surrogateescape")  # binary payloads are not UTF-8
    return [json.loads(line) for line in text.split("\n") if line.strip()]


def kcat_headers(envelope: dict) -> tuple[tuple[str, bytes | None], ...]:
    """kcat 1.7 prints headers as a flat [name, value, name, value, ...] list."""
    h = envelope.get("headers") or []
    if isinstance(h, dict):  # as documented in `kcat -h`
        pairs = list(h.items())
    else:
        pairs = [(h[i], h[i + 1]) for i in range(0, len(h), 2)]
    return tuple((k, None if v is None else v.encode("utf-8", "surrogateescape")) for k, v in pairs)


# --- generic dispatch ---------------------------------------------------------------


def produce(client: str, bootstrap: str, topic: str, recs: list[Rec], compression: str = "none", **kw):
    if client == "confluent":
        return confluent_produce(bootstrap, topic, recs, compression, **kw)
    if client == "kafka-python":
        return kp_produce(bootstrap, topic, recs, compression, **kw)
    if client == "kcat":
        return kcat_produce(bootstrap, topic, recs, compression, **kw)
    raise ValueError(client)


def consume(client: str, bootstrap: str, topic: str, partitions: list[int], count: int,
            timeout: float = 30) -> list[Consumed]:
    """Consume from the beginning. kcat's variant reads to the end of each partition (-e)
    and carries no headers; use kcat_consume_json for those."""
    if client == "confluent":
        return confluent_consume(bootstrap, topic, partitions, count, timeout)
    if client == "kafka-python":
        return kp_consume(bootstrap, topic, partitions, count, timeout)
    if client == "kcat":
        out = []
        for p in partitions:
            out += kcat_consume_binary(bootstrap, topic, p, timeout)
        return out
    raise ValueError(client)
