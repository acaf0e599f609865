"""Payment sagas (issue #7), end to end with the real binaries: `eventctl demo payments`
runs the saga orchestrator and the simulated payments and ledger participants against
eventd, with random participant failures and lost replies.

The invariants are checked twice: by the demo itself (it exits 1 when one fails) and here,
independently, from the topics the broker holds: every saga ended completed, compensated or
awaiting review; no participant applied a command (idempotency key) twice; the ledger's
postings are exactly the completed payments' money. The crash test kills the orchestrator
process with SIGKILL at random moments and restarts it with the same run id."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

from confluent_kafka import Consumer, TopicPartition

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "schemas"

TOPICS = {
    # As in the repository's topics.yaml: audited, and validated against their Avro schemas.
    "compliance-events": {"partitions": 6, "audit": "true",
                          "schema": f"{{value: {SCHEMAS / 'compliance-event.avsc'}, compatibility: BACKWARD}}"},
    "risk-assessments": {"partitions": 6, "audit": "true",
                         "schema": f"{{value: {SCHEMAS / 'risk-assessment.avsc'}, compatibility: BACKWARD}}"},
}


def demo_args(broker, *extra: str) -> list[str]:
    return ["demo", "payments", "--bootstrap", broker.bootstrap, "--registry-url", broker.registry_url,
            "--public-key", str(broker.data_dir / "audit-signing.key.pub"), "--json", *extra]


def summary(proc) -> dict:
    assert proc.returncode == 0, f"demo exited {proc.returncode}\nstdout:\n{proc.stdout[-4000:]}\nstderr:\n{proc.stderr[-4000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def read_topic(bootstrap: str, topic: str) -> list:
    """Every record of `topic` as it is now (up to each partition's high watermark)."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"saga-test-{time.time_ns()}",
                         "enable.auto.commit": False, "auto.offset.reset": "earliest"})
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        ends = {}
        for p in partitions:
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
            if high > low:
                ends[p] = high
        consumer.assign([TopicPartition(topic, p, 0) for p in ends])
        records, deadline = [], time.monotonic() + 60
        positions = {p: 0 for p in ends}
        while any(positions[p] < ends[p] for p in ends):
            assert time.monotonic() < deadline, f"reading {topic} stalled at {positions} of {ends}"
            message = consumer.poll(0.5)
            if message is None or message.error():
                continue
            positions[message.partition()] = message.offset() + 1
            if message.offset() < ends[message.partition()]:
                records.append(message)
        return records
    finally:
        consumer.close()


def check_invariants(bootstrap: str, saga_ids: set[str] | None = None) -> dict:
    """Checks the invariants from the topics; returns the sagas by status."""
    latest = {}
    for message in read_topic(bootstrap, "saga-state"):
        if message.value() is None:
            continue  # catch-up markers (tombstones)
        state = json.loads(message.value())["state"]
        if state["id"] not in latest or latest[state["id"]]["version"] < state["version"]:
            latest[state["id"]] = state
    if saga_ids is not None:
        assert saga_ids <= set(latest), "sagas missing from saga-state"
    statuses = Counter(s["status"] for s in latest.values())
    assert set(statuses) <= {"completed", "compensated", "awaitingReview"}, statuses

    applied = []
    for topic in ("payments-applied", "ledger-applied"):
        applied += [json.loads(m.value()) for m in read_topic(bootstrap, topic) if m.value() is not None]
    keys = Counter(record["command"]["idempotencyKey"] for record in applied)
    twice = {key: n for key, n in keys.items() if n > 1}
    assert not twice, f"commands applied more than once: {list(twice.items())[:5]}"

    # The ledger: what was posted and not reversed, per payment.
    posted = {}
    for record in applied:
        command = record["command"]
        if record["outcome"] != "succeeded":
            continue
        payment = command["payload"]["payment-id"]
        if command["name"] == "PostToLedger":
            posted[payment] = int(command["payload"]["amount-minor"])
        elif command["name"] == "ReversePosting" and record.get("undidAction"):
            posted.pop(payment, None)
    completed = {sid: int(s["input"]["amount-minor"]) for sid, s in latest.items() if s["status"] == "completed"}
    assert posted == completed, "ledger postings differ from the completed payments"
    assert sum(posted.values()) == sum(completed.values()) > 0
    return statuses


def test_thousand_payments_with_random_failures_end_consistent(broker, eventctl):
    proc = eventctl.run(*demo_args(broker, "--count", "1000", "--run-id", "e2e", "--failure-rate", "0.1",
                                   "--drop-reply-rate", "0.02", "--attempt-timeout-ms", "1000"),
                        cwd=REPO, timeout=240)
    result = summary(proc)
    assert result["payments"] == 1000
    assert result["completed"] + result["compensated"] + result["awaiting_review"] == 1000
    assert result["failed"] == 0 and result["running"] == 0 and result["violations"] == []
    assert result["audit_verified"] is True
    # The run exercised what it claims to: failures, lost replies, reviews, compensations.
    assert result["simulated_failures"] > 100
    assert result["repeats_answered"] > 0
    assert result["awaiting_review"] > 0 and result["compensated"] > 0 and result["completed"] > 500
    statuses = check_invariants(broker.bootstrap)
    assert statuses["completed"] == result["completed"]

    status = eventctl.run("sagas", "status", "--bootstrap", broker.bootstrap)
    assert status.returncode == 0, status.stderr
    assert f"  completed: {result['completed']}" in status.stdout
    assert f"  awaitingReview: {result['awaiting_review']}" in status.stdout


def saga_state_size(bootstrap: str) -> int:
    """Records written to saga-state so far (the sum of its high watermarks)."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "saga-test-watermarks"})
    try:
        partitions = consumer.list_topics("saga-state", timeout=10).topics["saga-state"].partitions
        return sum(consumer.get_watermark_offsets(TopicPartition("saga-state", p), timeout=10)[1] for p in partitions)
    finally:
        consumer.close()


def test_orchestrator_killed_at_random_points_resumes_every_saga(fresh_broker, eventctl):
    rng = random.Random(int(os.environ.get("SAGA_CRASH_SEED", "7")))
    args = [str(eventctl.binary), *demo_args(fresh_broker, "--count", "300", "--run-id", "crash", "--failure-rate", "0.1",
                                             "--drop-reply-rate", "0.02", "--attempt-timeout-ms", "1000")]
    kills = 0
    for _ in range(5):
        # A random point of the run, measured in saga state changes rather than seconds so
        # that a slow machine still gets killed mid-run, not during start-up.
        target = saga_state_size(fresh_broker.bootstrap) + rng.randint(30, 500)
        proc = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while proc.poll() is None and saga_state_size(fresh_broker.bootstrap) < target and time.monotonic() < deadline:
            time.sleep(0.02)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.communicate(timeout=30)
    assert kills >= 3, "the run finished before it could be killed"

    final = subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=240, stdin=subprocess.DEVNULL)
    result = summary(final)
    assert result["payments"] == 300
    # Killed processes had started sagas; the last one resumed them rather than starting anew.
    assert result["started_now"] < 300
    assert result["completed"] + result["compensated"] + result["awaiting_review"] == 300
    assert result["failed"] == 0 and result["running"] == 0 and result["violations"] == []
    assert result["audit_verified"] is True
    check_invariants(fresh_broker.bootstrap)
