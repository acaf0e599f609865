"""Shared by the audit benchmarks: start a release `eventd` on free ports with a
generated topics.yaml, produce to it with confluent-kafka, stop it cleanly.

Kept free of pytest so that `make bench` (and a human) can run the scripts directly.
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_EVENTD = REPO / ".build" / "release" / "eventd"
DEFAULT_EVENTCTL = REPO / ".build" / "release" / "eventctl"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def topics_yaml(topics: dict[str, dict[str, str]]) -> str:
    lines = ["defaults:", "  replication_factor: 1", "  min_insync_replicas: 1", "topics:"]
    for name, keys in topics.items():
        spec = {"cleanup_policy": "[delete]", "retention": "7d", "segment": "7d"}
        spec.update(keys)
        lines += [f"  {name}:"] + [f"    {k}: {v}" for k, v in spec.items()]
    return "\n".join(lines) + "\n"


class Eventd:
    """One eventd process on a fresh or existing work directory."""

    def __init__(self, binary: Path, workdir: Path, topics: dict[str, dict[str, str]], extra_args: list[str] | None = None,
                 memory_cap=None):
        self.binary = Path(binary)
        self.workdir = Path(workdir)
        self.data_dir = self.workdir / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.workdir / "topics.yaml").write_text(topics_yaml(topics))
        self.port = free_port()
        self.extra_args = extra_args or []
        self.proc: subprocess.Popen | None = None
        # A bench/memory_cap.py MemoryCap (or None): see that file for why.
        self.memory_cap = memory_cap

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        if not self.binary.exists():
            raise SystemExit(f"eventd not found: {self.binary} (swift build -c release --product eventd, or pass --eventd)")
        log = open(self.workdir / "eventd.log", "ab")
        self.proc = subprocess.Popen(
            [str(self.binary), "--listen", self.bootstrap, "--data-dir", str(self.data_dir),
             "--topics", str(self.workdir / "topics.yaml"),
             "--registry-listen", f"127.0.0.1:{free_port()}", "--log-level", "warning", *self.extra_args],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=self.memory_cap.enter if self.memory_cap else None)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"eventd exited with {self.proc.returncode}; see {self.workdir / 'eventd.log'}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    self.kill()
                    raise SystemExit(f"eventd did not listen within {timeout:.0f}s")
                time.sleep(0.1)

    def cpu_seconds(self) -> float:
        """User plus system CPU time of the broker process so far."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self, timeout: float = 120.0) -> None:
        """SIGTERM (eventd writes its final checkpoints and fsyncs) and wait."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise SystemExit(f"eventd did not exit within {timeout:.0f}s of SIGTERM")
        if rc != 0:
            raise SystemExit(f"eventd exited with {rc} after SIGTERM; see {self.workdir / 'eventd.log'}")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


def produce(bootstrap: str, topic: str, count: int, value_bytes: int, partitions: int = 1,
            linger_ms: int = 5, extra_config: dict | None = None) -> float:
    """Produces `count` values of `value_bytes` bytes (acks=all, no compression), spread
    round-robin over `partitions`; returns the wall seconds until every delivery report
    arrived. Raises on any delivery error."""
    from confluent_kafka import Producer

    config = {
        "bootstrap.servers": bootstrap, "acks": "all", "linger.ms": linger_ms,
        "compression.type": "none", "queue.buffering.max.messages": 1_000_000,
        "queue.buffering.max.kbytes": 1_048_576, "enable.idempotence": False,
    }
    config.update(extra_config or {})
    producer = Producer(config)
    errors: list[str] = []

    def report(err, _msg):
        if err is not None and len(errors) < 5:
            errors.append(str(err))

    # Distinct payloads are not needed for hashing cost; a fixed value keeps the Python
    # side as cheap as possible so the broker, not the load generator, is measured.
    value = os.urandom(value_bytes)
    start = time.monotonic()
    for i in range(count):
        while True:
            try:
                producer.produce(topic, value=value, partition=i % partitions, on_delivery=report)
                break
            except BufferError:
                producer.poll(0.05)
        if i % 1000 == 0:
            producer.poll(0)
    remaining = producer.flush(300)
    elapsed = time.monotonic() - start
    if remaining or errors:
        raise SystemExit(f"produce to {topic} failed: {remaining} undelivered, errors {errors}")
    return elapsed


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}
