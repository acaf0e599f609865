"""Starts the real `eventd` binary for the conformance tests.

EVENTD_BIN names the binary (default: <repo>/.build/debug/eventd). Each test
module gets its own broker (fresh data dir, its own topics.yaml built from the
module's TOPICS dict); tests that restart or kill the broker use the
function-scoped `fresh_broker` fixture instead.

Development aid only: if EVENTD_BIN points at a `tansu` binary, the fixture
starts it with its own flags (memory storage) and creates the declared topics
through the admin API, to smoke-check the tests themselves before eventd exists.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEFAULT_BIN = REPO / ".build" / "debug" / "eventd"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 30.0

# Declared in every test broker's topics.yaml; modules add their own via TOPICS.
BASE_TOPICS = {"conformance-plain": 3}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def topics_yaml(topics: dict[str, int | dict]) -> str:
    """A topics.yaml; a topic is a partition count, or a dict of topics.yaml keys
    (e.g. {"partitions": 1, "immutable": "true", "retention": "30d"})."""
    lines = ["defaults:", "  replication_factor: 1", "  min_insync_replicas: 1", "topics:"]
    for name, spec in topics.items():
        keys = {"cleanup_policy": "[delete]", "retention": "7d"}
        keys.update({"partitions": spec} if isinstance(spec, int) else spec)
        lines += [f"  {name}:"] + [f"    {key}: {value}" for key, value in keys.items()]
    return "\n".join(lines) + "\n"


class Broker:
    """One eventd process bound to a fixed port and data dir across restarts."""

    def __init__(self, binary: Path, workdir: Path, topics: dict[str, int], extra_args: list[str] | None = None):
        self.binary = Path(binary)
        self.extra_args = list(extra_args or [])
        self.workdir = workdir
        self.data_dir = workdir / "data"
        self.topics_file = workdir / "topics.yaml"
        self.stderr_path = workdir / "eventd.stderr.log"
        self.topics = topics
        self.port = free_port()
        self.registry_port = free_port()
        self.proc: subprocess.Popen | None = None
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.topics_file.write_text(topics_yaml(topics))
        self.is_tansu = self.binary.name == "tansu"

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def registry_url(self) -> str:
        return f"http://127.0.0.1:{self.registry_port}"

    def command(self) -> list[str]:
        if self.is_tansu:
            url = f"tcp://127.0.0.1:{self.port}"
            return [str(self.binary), "broker", "--listener-url", url, "--advertised-listener-url", url]
        return [str(self.binary), "--listen", self.bootstrap, "--data-dir", str(self.data_dir),
                "--topics", str(self.topics_file),
                "--registry-listen", f"127.0.0.1:{self.registry_port}"] + self.extra_args

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stderr_tail(self, limit: int = 6000) -> str:
        try:
            data = self.stderr_path.read_bytes()
        except FileNotFoundError:
            return "(no stderr captured)"
        return data[-limit:].decode(errors="replace")

    def start(self) -> None:
        assert not self.running, "broker already running"
        if not self.binary.exists():
            pytest.fail(f"broker binary not found: {self.binary} (build it, or set EVENTD_BIN)")
        with open(self.stderr_path, "ab") as log:
            log.write(f"\n=== start {' '.join(self.command())}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            rc = self.proc.poll()
            if rc is not None:
                pytest.fail(f"eventd exited with {rc} during start-up; stderr tail:\n{self.stderr_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.kill9()
                pytest.fail(f"eventd did not accept connections on {self.bootstrap} within "
                            f"{START_TIMEOUT:.0f}s; stderr tail:\n{self.stderr_tail()}")
            time.sleep(0.1)
        if self.is_tansu:
            self._create_topics_via_admin()

    def stop(self, timeout: float = STOP_TIMEOUT) -> int:
        """SIGTERM and wait; returns the exit code. Fails if it does not exit in time."""
        if not self.running:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill9()
            pytest.fail(f"eventd did not exit within {timeout:.0f}s of SIGTERM; stderr tail:\n"
                        f"{self.stderr_tail()}")

    def kill9(self) -> None:
        if self.running:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()

    def _create_topics_via_admin(self) -> None:
        from confluent_kafka.admin import AdminClient, NewTopic
        admin = AdminClient({"bootstrap.servers": self.bootstrap})
        futures = admin.create_topics([NewTopic(n, p, 1) for n, p in self.topics.items()])
        for f in futures.values():
            f.result(timeout=15)


def _binary() -> Path:
    return Path(os.environ.get("EVENTD_BIN", str(DEFAULT_BIN)))


def _make_broker(request, tmp_path_factory) -> Broker:
    topics = {**BASE_TOPICS, **getattr(request.module, "TOPICS", {})}
    workdir = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    # A module may pass extra eventd flags, e.g. EVENTD_ARGS = ["--log-cleaner-interval-ms", "200"].
    return Broker(_binary(), workdir, topics, getattr(request.module, "EVENTD_ARGS", None))


@pytest.fixture(scope="module")
def broker(request, tmp_path_factory):
    """A broker shared by the tests of one module (fresh data dir per module)."""
    b = _make_broker(request, tmp_path_factory)
    b.start()
    yield b
    if b.running:
        b.stop()
    b.kill9()


@pytest.fixture
def fresh_broker(request, tmp_path_factory):
    """A broker of the test's own, for tests that stop, kill or restart it."""
    b = _make_broker(request, tmp_path_factory)
    b.start()
    yield b
    if b.running:
        b.stop()
    b.kill9()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for value in getattr(item, "funcargs", {}).values():
            if isinstance(value, Broker):
                report.sections.append((f"eventd stderr ({value.stderr_path})", value.stderr_tail()))


def pytest_sessionstart(session):
    import shutil
    if shutil.which("kcat") is None:
        raise pytest.UsageError("kcat is not installed (run `make deps`)")


# --- eventctl -----------------------------------------------------------------

DEFAULT_EVENTCTL_BIN = REPO / ".build" / "debug" / "eventctl"


class EventCtl:
    """Runs the real `eventctl` binary (EVENTCTL_BIN, default <repo>/.build/debug/eventctl)."""

    def __init__(self, binary: Path):
        self.binary = Path(binary)

    def run(self, *args: str, cwd: Path | None = None, timeout: float = 120.0) -> subprocess.CompletedProcess:
        """Runs `eventctl ARGS…` and returns the finished process (text stdout/stderr, returncode)."""
        return subprocess.run([str(self.binary), *args], cwd=cwd, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="session")
def eventctl() -> EventCtl:
    binary = Path(os.environ.get("EVENTCTL_BIN", str(DEFAULT_EVENTCTL_BIN)))
    if not binary.exists():
        pytest.fail(f"eventctl binary not found: {binary} (build it, or set EVENTCTL_BIN)")
    return EventCtl(binary)
