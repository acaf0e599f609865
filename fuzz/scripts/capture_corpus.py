#!/usr/bin/env python3
"""Regenerates the seed corpus of fuzz/corpus/ from real clients.

Run from the repository root with a built eventd:

    EVENTD_BIN=.build/debug/eventd python3 fuzz/scripts/capture_corpus.py

Starts eventd behind a recording TCP proxy, drives it with confluent-kafka (current
librdkafka), kcat (Debian's librdkafka) and kafka-python — produce with every codec,
idempotent produce, consumer groups, admin calls — and writes:
  corpus/frame/         every distinct request frame (size prefix included), one per
                        api key/version/client, as the clients sent them;
  corpus/record_batch/  the stored record batches, one file per batch, every codec;
  corpus/avro/          mode byte + payloads encoded by fastavro, mode 3 + schema texts;
  corpus/topics_yaml/   the repo's topics.yaml and the YAML literals of the TopicPolicy tests.
Files named crash-* (inputs that once crashed a target) are kept.
"""
import hashlib
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "fuzz" / "corpus"
CODECS = ["none", "gzip", "snappy", "lz4", "zstd"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RecordingProxy(threading.Thread):
    """Forwards connections to the broker and keeps every client->broker frame."""

    def __init__(self, upstream_port: int):
        super().__init__(daemon=True)
        self.upstream_port = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.frames: list[bytes] = []
        self.lock = threading.Lock()
        self.client = "unknown"

    def run(self):
        while True:
            conn, _ = self.listener.accept()
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            threading.Thread(target=self.pump_requests, args=(conn, upstream), daemon=True).start()
            threading.Thread(target=self.pump, args=(upstream, conn), daemon=True).start()

    def pump(self, src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def pump_requests(self, src, dst):
        pending = b""
        try:
            while data := src.recv(65536):
                dst.sendall(data)
                pending += data
                while len(pending) >= 4:
                    (length,) = struct.unpack(">i", pending[:4])
                    if len(pending) < 4 + length:
                        break
                    with self.lock:
                        self.frames.append((self.client, pending[: 4 + length]))
                    pending = pending[4 + length:]
        except OSError:
            pass
        finally:
            try:
                dst.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def drive_confluent(bootstrap: str):
    from confluent_kafka import Consumer, Producer
    from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions, NewTopic

    admin = AdminClient({"bootstrap.servers": bootstrap})
    fs = admin.create_topics([NewTopic(f"seed-{c}", 1, 1) for c in CODECS] + [NewTopic("seed-admin", 1, 1)])
    for f in fs.values():
        f.result(10)
    for f in admin.describe_configs([ConfigResource("topic", "seed-admin")]).values():
        f.result(10)
    for f in admin.create_partitions([NewPartitions("seed-admin", 2)]).values():
        f.result(10)
    admin.list_topics(timeout=10)
    for codec in CODECS:
        p = Producer({"bootstrap.servers": bootstrap, "compression.type": codec, "linger.ms": 5,
                      "enable.idempotence": codec == "zstd"})
        for i in range(20):
            p.produce(f"seed-{codec}", key=f"k{i % 4}".encode(), value=(f"value {i} " * (i + 1)).encode(),
                      headers=[("h", b"v"), ("null", None)] if i % 3 == 0 else None)
        p.flush(10)
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "seed-group", "auto.offset.reset": "earliest",
                  "enable.auto.commit": False})
    c.subscribe([f"seed-{codec}" for codec in CODECS])
    got = 0
    deadline = time.time() + 20
    while got < 50 and time.time() < deadline:
        m = c.poll(0.5)
        if m is not None and not m.error():
            got += 1
    c.commit(asynchronous=False)
    c.close()
    for f in admin.delete_topics(["seed-admin"]).values():
        f.result(10)


def drive_kafka_python(bootstrap: str):
    from kafka import KafkaConsumer, KafkaProducer

    for codec in ["gzip", "snappy", "lz4", "zstd", None]:
        p = KafkaProducer(bootstrap_servers=bootstrap, compression_type=codec)
        for i in range(5):
            p.send(f"seed-{codec or 'none'}", key=b"kp", value=b"kafka-python " * (i + 1), headers=[("x", b"y")])
        p.flush(10)
        p.close()
    c = KafkaConsumer("seed-gzip", bootstrap_servers=bootstrap, group_id="seed-kp", auto_offset_reset="earliest",
                      consumer_timeout_ms=3000)
    for _ in c:
        pass
    c.commit()
    c.close()


def drive_kcat(bootstrap: str):
    subprocess.run(["kcat", "-b", bootstrap, "-L"], capture_output=True, timeout=30)
    for codec in CODECS:
        subprocess.run(["kcat", "-b", bootstrap, "-P", "-t", f"seed-{codec}", "-z", codec, "-K:"],
                       input=b"a:1\nb:2\nc:3\n", capture_output=True, timeout=30)
    subprocess.run(["kcat", "-b", bootstrap, "-C", "-t", "seed-lz4", "-e", "-o", "beginning"],
                   capture_output=True, timeout=30)


def write_frames(frames):
    out = CORPUS / "frame"
    seen = set()
    for client, frame in frames:
        if len(frame) < 12:
            continue
        api, version = struct.unpack(">hh", frame[4:8])
        digest = hashlib.sha1(frame).hexdigest()[:8]
        # One seed per (client, api, version, size class) keeps the corpus small.
        key = (client, api, version, len(frame) // 256)
        if key in seen:
            continue
        seen.add(key)
        (out / f"{client}-api{api}-v{version}-{digest}").write_bytes(frame)


def write_batches(data_dir: Path):
    out = CORPUS / "record_batch"
    for codec in CODECS:
        for log in sorted((data_dir).glob(f"seed-{codec}-*/*.log")):
            data = log.read_bytes()
            pos = n = 0
            while pos + 12 <= len(data) and n < 6:
                (length,) = struct.unpack(">i", data[pos + 8: pos + 12])
                batch = data[pos: pos + 12 + length]
                (out / f"{codec}-{n}").write_bytes(batch)
                pos += 12 + length
                n += 1


def write_avro():
    import io
    import json

    import fastavro

    sys.path.insert(0, str(Path(__file__).parent))
    from avro_seeds import SEEDS, SCHEMAS  # noqa: E402

    out = CORPUS / "avro"
    for mode, (schema_text, records) in enumerate(zip(SCHEMAS, SEEDS)):
        schema = fastavro.parse_schema(json.loads(schema_text))
        for i, record in enumerate(records):
            buf = io.BytesIO()
            fastavro.schemaless_writer(buf, schema, record)
            (out / f"payload{mode}-{i}").write_bytes(bytes([mode]) + buf.getvalue())
    for i, path in enumerate(sorted((REPO / "schemas").glob("*.avsc"))):
        (out / f"schema-{path.stem}").write_bytes(b"\x03" + path.read_bytes())
    for i, text in enumerate(SCHEMAS):
        (out / f"schema-fixed{i}").write_bytes(b"\x03" + text.encode())


def write_topics_yaml():
    import re
    import textwrap

    out = CORPUS / "topics_yaml"
    (out / "repo-topics.yaml").write_bytes((REPO / "topics.yaml").read_bytes())
    # The YAML literals of the TopicPolicy tests: valid files and one of each error.
    n = 0
    for test in sorted((REPO / "Tests" / "TopicPolicyTests").glob("*.swift")):
        for literal in re.findall(r'"""\n(.*?)"""', test.read_text(), re.S):
            text = textwrap.dedent(literal)
            if "topics" in text or "defaults" in text:
                (out / f"{test.stem}-{n}.yaml").write_text(text)
                n += 1


def main():
    binary = Path(os.environ.get("EVENTD_BIN", REPO / ".build" / "debug" / "eventd")).resolve()
    for sub in ["frame", "record_batch", "avro", "topics_yaml"]:
        (CORPUS / sub).mkdir(parents=True, exist_ok=True)
        # crash-* files are inputs the fuzzers once crashed on: kept as seeds.
        for old in (CORPUS / sub).iterdir():
            if not old.name.startswith("crash-"):
                old.unlink()
    write_avro()
    write_topics_yaml()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "topics.yaml").write_text("topics: {}\n")
        port = free_port()
        proxy = RecordingProxy(port)
        # Clients reconnect to the advertised address after Metadata: keep them on the proxy.
        proc = subprocess.Popen([str(binary), "--listen", f"127.0.0.1:{port}", "--data-dir", str(tmp / "data"),
                                 "--advertised-listener", f"127.0.0.1:{proxy.port}",
                                 "--topics", str(tmp / "topics.yaml"), "--registry-listen", f"127.0.0.1:{free_port()}"],
                                stderr=open(tmp / "eventd.log", "wb"))
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            proxy.start()
            bootstrap = f"127.0.0.1:{proxy.port}"
            proxy.client = "confluent"
            drive_confluent(bootstrap)
            proxy.client = "kafkapython"
            drive_kafka_python(bootstrap)
            proxy.client = "kcat"
            drive_kcat(bootstrap)
            time.sleep(1)
            write_frames(proxy.frames)
        finally:
            proc.terminate()
            proc.wait(30)
        write_batches(tmp / "data")
    for sub in ["frame", "record_batch", "avro", "topics_yaml"]:
        print(sub, len(list((CORPUS / sub).iterdir())), "files")


if __name__ == "__main__":
    main()
