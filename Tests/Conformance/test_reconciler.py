"""`eventctl topics lint | plan | apply` against the real eventd (DESIGN.md contract).

Exit codes under test: plan 0 = nothing to change, 2 = changes pending, 1 = error or a
refused change (partition decrease, replication change, policy weakening, deleting an
immutable topic); apply 0 = cluster matches afterwards, 1 = failure or refused plan
(then nothing is applied). Undeclared topics are reported (`? undeclared topic …`) and
do not change plan's exit code unless --allow-delete is given.

Each test gets its own broker (`fresh_broker`) so drift made by one cannot leak into another.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from confluent_kafka.admin import (AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource, NewPartitions,
                                   NewTopic)

from conftest import free_port

# What the broker itself creates from its own topics.yaml at start (plus conformance-plain: 3).
TOPICS = {
    "orders": {"partitions": 2, "retention": "7d"},
    "vault": {"partitions": 1, "retention": "30d", "immutable": "true", "audit": "true"},
}

DAY_MS = 86_400_000

# The desired state eventctl reconciles to: one topic unchanged, one changed and grown,
# the immutable one as the broker has it, and a new immutable, audited topic.
DESIRED = """\
defaults:
  replication_factor: 1
  min_insync_replicas: 1
topics:
  conformance-plain:
    partitions: 3
    cleanup_policy: [delete]
    retention: 7d
  orders:
    partitions: 4
    cleanup_policy: [delete]
    retention: 30d
    compression: snappy
  vault:
    partitions: 1
    cleanup_policy: [delete]
    retention: 30d
    immutable: true
    audit: true
  payments:
    partitions: 3
    cleanup_policy: [compact, delete]
    retention: 7y
    retention_floor: 1y
    immutable: true
    audit: true
"""

_admins: dict[str, AdminClient] = {}


def admin(broker) -> AdminClient:
    """One client per broker, kept alive: a dropped AdminClient cancels its pending futures."""
    if broker.bootstrap not in _admins:
        _admins[broker.bootstrap] = AdminClient({"bootstrap.servers": broker.bootstrap})
    return _admins[broker.bootstrap]


@pytest.fixture(autouse=True)
def _drop_admin_clients():
    """Each test's broker stops at teardown; its AdminClient must go too, or it keeps reconnecting."""
    yield
    _admins.clear()


def wait(futures: dict) -> None:
    for future in futures.values():
        future.result(timeout=15)


def topic_configs(broker, topic: str) -> dict[str, str]:
    [future] = admin(broker).describe_configs([ConfigResource(ConfigResource.Type.TOPIC, topic)]).values()
    return {name: entry.value for name, entry in future.result(timeout=15).items()}


def topics(broker) -> dict[str, int]:
    """Topic name → partition count, as the cluster reports it."""
    metadata = admin(broker).list_topics(timeout=10)
    return {name: len(t.partitions) for name, t in metadata.topics.items()}


def desired_file(tmp_path: Path, text: str = DESIRED) -> Path:
    path = tmp_path / "desired" / "topics.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def out(result) -> str:
    return result.stdout + result.stderr


class Ctl:
    """eventctl topics bound to one broker and one desired file."""

    def __init__(self, eventctl, broker, file: Path):
        self.eventctl, self.broker, self.file = eventctl, broker, file

    def __call__(self, command: str, *extra: str):
        return self.eventctl.run("topics", command, "--bootstrap", self.broker.bootstrap, "--file", str(self.file), *extra)

    def converge(self) -> None:
        applied = self("apply")
        assert applied.returncode == 0, out(applied)
        plan = self("plan")
        assert plan.returncode == 0, out(plan)


@pytest.fixture
def ctl(eventctl, fresh_broker, tmp_path) -> Ctl:
    return Ctl(eventctl, fresh_broker, desired_file(tmp_path))


def test_lint_accepts_the_desired_file_and_the_repo_file(eventctl, tmp_path):
    result = eventctl.run("topics", "lint", "--file", str(desired_file(tmp_path)))
    assert result.returncode == 0, out(result)
    repo = Path(__file__).resolve().parents[2]
    # --file defaults to ./topics.yaml.
    result = eventctl.run("topics", "lint", cwd=repo)
    assert result.returncode == 0, out(result)


def test_lint_prints_every_error_with_its_position(eventctl, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("topics:\n  orders:\n    partitions: 0\n    retension: 7d\n")
    result = eventctl.run("topics", "lint", "--file", str(bad))
    assert result.returncode == 1, out(result)
    lines = [line for line in result.stderr.splitlines() if line.startswith(f"{bad}:")]
    assert len(lines) >= 2, result.stderr
    assert any(line.startswith(f"{bad}:3:") for line in lines), result.stderr
    assert any(line.startswith(f"{bad}:4:") and "retension" in line for line in lines), result.stderr


def test_fresh_cluster_plan_apply_plan(ctl):
    plan = ctl("plan")
    assert plan.returncode == 2, out(plan)
    assert "+ create payments: 3 partitions, replication factor 1" in plan.stdout
    assert f"~ orders: retention.ms {7 * DAY_MS} → {30 * DAY_MS}" in plan.stdout
    assert "~ orders: compression.type producer → snappy" in plan.stdout
    assert "~ orders: partitions 2 → 4" in plan.stdout
    # Only differences are shown: unchanged topics and internal topics do not appear.
    assert "conformance-plain" not in plan.stdout and "vault" not in plan.stdout
    assert "__" not in plan.stdout and "_schemas" not in plan.stdout

    applied = ctl("apply")
    assert applied.returncode == 0, out(applied)
    assert "No changes" in applied.stdout  # the re-plan after applying

    again = ctl("plan")
    assert again.returncode == 0, out(again)
    assert "No changes" in again.stdout

    assert topics(ctl.broker)["orders"] == 4 and topics(ctl.broker)["payments"] == 3
    payments = topic_configs(ctl.broker, "payments")
    assert payments["compliancelog.immutable"] == "true"
    assert payments["compliancelog.audit"] == "true"
    assert payments["compliancelog.retention.floor.ms"] == str(365 * DAY_MS)
    assert payments["cleanup.policy"] in ("compact,delete", "delete,compact")
    assert payments["retention.ms"] == str(7 * 365 * DAY_MS)
    assert topic_configs(ctl.broker, "orders")["retention.ms"] == str(30 * DAY_MS)

    # A no-change apply is a success too.
    noop = ctl("apply")
    assert noop.returncode == 0, out(noop)


def test_config_drift_by_another_admin_client_is_detected_and_repaired(ctl):
    ctl.converge()
    entry = ConfigEntry("retention.ms", str(DAY_MS), incremental_operation=AlterConfigOpType.SET)
    resource = ConfigResource(ConfigResource.Type.TOPIC, "orders", incremental_configs=[entry])
    wait(admin(ctl.broker).incremental_alter_configs([resource]))

    plan = ctl("plan")
    assert plan.returncode == 2, out(plan)
    assert f"~ orders: retention.ms {DAY_MS} → {30 * DAY_MS}" in plan.stdout
    assert "compression.type" not in plan.stdout
    ctl.converge()


def test_deleted_topic_drift_is_recreated(ctl):
    ctl.converge()
    wait(admin(ctl.broker).delete_topics(["orders"], operation_timeout=10))
    plan = ctl("plan")
    assert plan.returncode == 2, out(plan)
    assert "+ create orders: 4 partitions" in plan.stdout
    ctl.converge()


def test_partitions_added_by_another_admin_client_are_a_refused_decrease(ctl):
    ctl.converge()
    wait(admin(ctl.broker).create_partitions([NewPartitions("orders", 6)]))
    plan = ctl("plan")
    assert plan.returncode == 1, out(plan)
    assert "! refused: orders: cannot decrease partitions 6 → 4" in plan.stdout
    assert "Kafka cannot remove partitions" in plan.stdout
    # apply refuses the whole plan and changes nothing.
    applied = ctl("apply")
    assert applied.returncode == 1, out(applied)
    assert topics(ctl.broker)["orders"] == 6


def test_declared_partition_decrease_is_refused_and_nothing_applied(eventctl, fresh_broker, tmp_path):
    file = desired_file(tmp_path, DESIRED.replace("  conformance-plain:\n    partitions: 3",
                                                  "  conformance-plain:\n    partitions: 1"))
    ctl = Ctl(eventctl, fresh_broker, file)
    plan = ctl("plan")
    assert plan.returncode == 1, out(plan)
    assert "! refused: conformance-plain: cannot decrease partitions 3 → 1" in plan.stdout
    applied = ctl("apply")
    assert applied.returncode == 1, out(applied)
    assert "nothing applied" in applied.stderr
    # All or nothing: the pending creation did not happen either.
    assert "payments" not in topics(fresh_broker)


def test_replication_factor_the_cluster_cannot_do_is_refused(eventctl, fresh_broker, tmp_path):
    file = desired_file(tmp_path, DESIRED.replace("  replication_factor: 1", "  replication_factor: 3"))
    plan = Ctl(eventctl, fresh_broker, file)("plan")
    assert plan.returncode == 1, out(plan)
    # Existing topics: a replication change; new ones: more replicas than the one broker.
    assert "cannot change replication factor 1 → 3" in plan.stdout
    assert "replication factor 3 exceeds the cluster's 1 broker(s)" in plan.stdout


def test_weakening_an_immutable_topic_is_refused_before_asking_the_broker(eventctl, fresh_broker, tmp_path):
    weakened = DESIRED.replace("    retention: 30d\n    immutable: true\n    audit: true\n",
                               "    retention: 30d\n")
    assert weakened != DESIRED
    plan = Ctl(eventctl, fresh_broker, desired_file(tmp_path, weakened))("plan")
    assert plan.returncode == 1, out(plan)
    assert "! refused: vault: is immutable on the cluster; immutability cannot be turned off" in plan.stdout


def test_undeclared_topic_is_reported_and_deleted_only_with_allow_delete(ctl):
    ctl.converge()
    wait(admin(ctl.broker).create_topics([NewTopic("stray", 1, 1)]))

    # Reported, but not a pending change: plan stays 0 and apply keeps it.
    plan = ctl("plan")
    assert plan.returncode == 0, out(plan)
    assert "? undeclared topic stray (not deleted; pass --allow-delete)" in plan.stdout
    applied = ctl("apply")
    assert applied.returncode == 0, out(applied)
    assert "stray" in topics(ctl.broker)

    # With --allow-delete the deletion is a pending change, then done.
    plan = ctl("plan", "--allow-delete")
    assert plan.returncode == 2, out(plan)
    assert "- delete stray (not declared)" in plan.stdout
    applied = ctl("apply", "--allow-delete")
    assert applied.returncode == 0, out(applied)
    assert "stray" not in topics(ctl.broker)
    # Internal topics are never deletion candidates.
    assert any(name.startswith("__") for name in topics(ctl.broker))


def test_allow_delete_refuses_an_immutable_undeclared_topic(ctl):
    ctl.converge()
    wait(admin(ctl.broker).create_topics([NewTopic("sealed", 1, 1, config={"compliancelog.immutable": "true"})]))
    wait(admin(ctl.broker).create_topics([NewTopic("stray", 1, 1)]))

    plan = ctl("plan")
    assert plan.returncode == 0, out(plan)
    assert "? undeclared topic sealed (immutable; never deleted)" in plan.stdout

    plan = ctl("plan", "--allow-delete")
    assert plan.returncode == 1, out(plan)
    assert "! refused: sealed: is immutable and can never be deleted" in plan.stdout
    assert "- delete stray" in plan.stdout

    applied = ctl("apply", "--allow-delete")
    assert applied.returncode == 1, out(applied)
    present = topics(ctl.broker)
    # The planner refused before asking: neither topic was deleted (all or nothing).
    assert "sealed" in present and "stray" in present


def test_apply_failure_prints_the_brokers_message(eventctl, fresh_broker, tmp_path):
    broken = DESIRED + "  odd:\n    partitions: 1\n    configs:\n      no.such.config: x\n"
    ctl = Ctl(eventctl, fresh_broker, desired_file(tmp_path, broken))
    applied = ctl("apply")
    assert applied.returncode == 1, out(applied)
    assert "create odd" in applied.stderr and "no.such.config" in applied.stderr, out(applied)


def test_unreachable_cluster_is_an_error(eventctl, tmp_path):
    plan = eventctl.run("topics", "plan", "--bootstrap", f"127.0.0.1:{free_port()}", "--timeout", "3",
                        "--file", str(desired_file(tmp_path)))
    assert plan.returncode == 1, out(plan)
    assert plan.stderr.strip(), "an error message is expected on stderr"


def test_invalid_desired_file_is_an_error_with_positions(eventctl, fresh_broker, tmp_path):
    bad = desired_file(tmp_path, "topics:\n  orders:\n    partitions: -1\n")
    plan = Ctl(eventctl, fresh_broker, bad)("plan")
    assert plan.returncode == 1, out(plan)
    assert f"{bad}:3:" in plan.stderr


# --- librdkafka's mock cluster ---------------------------------------------------------
#
# The mock brokers listen on real localhost sockets, so the eventctl executable can reach
# them while another process hosts the cluster. That host is a few lines of ctypes over the
# system librdkafka (the 2.0.2 that eventctl links). What the mock covers: Metadata, so the
# planner sees topics and partitions and plans creations. What it cannot cover: its brokers
# implement no admin APIs (CreateTopics, DeleteTopics, CreatePartitions, DescribeConfigs,
# AlterConfigs; rdkafka_mock_handlers.c) and advertise no controller, so every admin request
# ends in "Failed while waiting for controller". The tests pin that down: plan works for an
# empty mock, and every admin step fails cleanly with exit 1 and the client's message.

MOCK_HOST = r"""
import ctypes, sys
lib = ctypes.CDLL(sys.argv[1])
lib.rd_kafka_conf_new.restype = ctypes.c_void_p
lib.rd_kafka_new.restype = ctypes.c_void_p
lib.rd_kafka_new.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
lib.rd_kafka_mock_cluster_new.restype = ctypes.c_void_p
lib.rd_kafka_mock_cluster_new.argtypes = [ctypes.c_void_p, ctypes.c_int]
lib.rd_kafka_mock_cluster_bootstraps.restype = ctypes.c_char_p
lib.rd_kafka_mock_cluster_bootstraps.argtypes = [ctypes.c_void_p]
lib.rd_kafka_mock_topic_create.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int]
errstr = ctypes.create_string_buffer(512)
conf = lib.rd_kafka_conf_new()
rk = lib.rd_kafka_new(0, conf, errstr, 512)
cluster = lib.rd_kafka_mock_cluster_new(rk, 1)
for spec in sys.argv[2:]:
    name, partitions = spec.split(":")
    lib.rd_kafka_mock_topic_create(cluster, name.encode(), int(partitions), 1)
print(lib.rd_kafka_mock_cluster_bootstraps(cluster).decode(), flush=True)
sys.stdin.read()  # serve until the test closes stdin
"""

MOCK_DESIRED = "topics:\n  orders:\n    partitions: 2\n  fresh:\n    partitions: 1\n"


def _system_librdkafka() -> str:
    import ctypes.util
    path = ctypes.util.find_library("rdkafka")
    if path is None:
        pytest.skip("system librdkafka not found")
    return path


@pytest.fixture
def mock_cluster():
    """Starts mock cluster hosts: `mock_cluster("orders:2", …)` → bootstrap; stopped at teardown."""
    import subprocess as sp
    import sys
    hosts = []

    def start(*topics: str) -> str:
        host = sp.Popen([sys.executable, "-c", MOCK_HOST, _system_librdkafka(), *topics],
                        stdin=sp.PIPE, stdout=sp.PIPE, stderr=sp.DEVNULL, text=True)
        hosts.append(host)
        bootstrap = host.stdout.readline().strip()
        if not bootstrap:
            pytest.skip("could not start librdkafka's mock cluster")
        return bootstrap

    yield start
    for host in hosts:
        host.stdin.close()
        try:
            host.wait(timeout=15)
        except sp.TimeoutExpired:
            host.kill()


def test_mock_cluster_plan_sees_metadata_but_admin_requests_fail(eventctl, mock_cluster, tmp_path):
    file = desired_file(tmp_path, MOCK_DESIRED)
    args = ["--bootstrap", mock_cluster(), "--file", str(file), "--timeout", "5"]
    plan = eventctl.run("topics", "plan", *args)
    assert plan.returncode == 2, out(plan)
    assert "+ create orders: 2 partitions" in plan.stdout and "+ create fresh: 1 partition" in plan.stdout
    applied = eventctl.run("topics", "apply", *args)
    assert applied.returncode == 1, out(applied)
    assert "create orders" in applied.stderr and "failed" in applied.stderr


def test_mock_cluster_cannot_describe_configs_of_an_existing_topic(eventctl, mock_cluster, tmp_path):
    file = desired_file(tmp_path, MOCK_DESIRED)
    plan = eventctl.run("topics", "plan", "--bootstrap", mock_cluster("orders:2"), "--file", str(file),
                        "--timeout", "5")
    assert plan.returncode == 1, out(plan)
    assert "describing the configs of 'orders'" in plan.stderr
