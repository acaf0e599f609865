"""Topic policy the broker enforces from topics.yaml: an immutable topic cannot be deleted,
cannot lose retention, audit or records; every admin change, accepted or refused, is
written to compliance-events."""

from __future__ import annotations

import time

import pytest
from confluent_kafka import KafkaException, TopicPartition
from confluent_kafka.admin import (AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource,
                                   NewTopic)

from clients import confluent_consume, confluent_produce, Rec

TOPICS = {
    "ledger": {"partitions": 2, "retention": "30d", "immutable": "true", "audit": "true"},
    "scratch": {"partitions": 1, "retention": "1d"},
    "compliance-events": {"partitions": 1, "retention": "7y"},
}

POLICY_VIOLATION = 44
TOPIC_DELETION_DISABLED = 73


_admins: dict[str, AdminClient] = {}


def admin(broker) -> AdminClient:
    """One client per broker, kept alive: a dropped AdminClient cancels its pending futures."""
    if broker.bootstrap not in _admins:
        _admins[broker.bootstrap] = AdminClient({"bootstrap.servers": broker.bootstrap})
    return _admins[broker.bootstrap]


def error_code(future) -> int:
    try:
        future.result(timeout=15)
    except KafkaException as e:
        return e.args[0].code()
    return 0


def topic_configs(broker, topic: str) -> dict[str, str]:
    resource = ConfigResource(ConfigResource.Type.TOPIC, topic)
    [future] = admin(broker).describe_configs([resource]).values()
    return {name: entry.value for name, entry in future.result(timeout=15).items()}


def test_declared_policy_is_visible_as_configs(broker):
    configs = topic_configs(broker, "ledger")
    assert configs["compliancelog.immutable"] == "true"
    assert configs["compliancelog.audit"] == "true"
    assert configs["retention.ms"] == str(30 * 86_400_000)


def test_immutable_topic_cannot_be_deleted(broker):
    [future] = admin(broker).delete_topics(["ledger"], operation_timeout=10).values()
    assert error_code(future) == TOPIC_DELETION_DISABLED
    assert "ledger" in admin(broker).list_topics(timeout=10).topics


def test_retention_of_immutable_topic_cannot_be_shortened(broker):
    resource = ConfigResource(ConfigResource.Type.TOPIC, "ledger", set_config={"retention.ms": str(86_400_000)})
    [future] = admin(broker).alter_configs([resource]).values()
    assert error_code(future) == POLICY_VIOLATION
    assert topic_configs(broker, "ledger")["retention.ms"] == str(30 * 86_400_000)


def test_audit_of_immutable_topic_cannot_be_turned_off(broker):
    resource = ConfigResource(ConfigResource.Type.TOPIC, "ledger", incremental_configs=[
        ConfigEntry("compliancelog.audit", "false", incremental_operation=AlterConfigOpType.SET)])
    [future] = admin(broker).incremental_alter_configs([resource]).values()
    assert error_code(future) == POLICY_VIOLATION
    assert topic_configs(broker, "ledger")["compliancelog.audit"] == "true"


def test_retention_of_immutable_topic_can_grow(broker):
    resource = ConfigResource(ConfigResource.Type.TOPIC, "ledger", incremental_configs=[
        ConfigEntry("retention.ms", str(60 * 86_400_000), incremental_operation=AlterConfigOpType.SET)])
    [future] = admin(broker).incremental_alter_configs([resource]).values()
    assert error_code(future) == 0
    assert topic_configs(broker, "ledger")["retention.ms"] == str(60 * 86_400_000)


def test_delete_records_on_immutable_topic_is_refused(broker):
    confluent_produce(broker.bootstrap, "ledger", [Rec(key=b"k", value=b"v%d" % i, partition=0) for i in range(3)])
    [future] = admin(broker).delete_records([TopicPartition("ledger", 0, 2)]).values()
    assert error_code(future) == POLICY_VIOLATION
    assert len(confluent_consume(broker.bootstrap, "ledger", [0], 3, settle=0.5)) == 3


def test_ordinary_topic_can_be_deleted(broker):
    [future] = admin(broker).delete_topics(["scratch"], operation_timeout=10).values()
    assert error_code(future) == 0


def test_admin_changes_are_written_to_compliance_events(broker):
    # Runs after the tests above (file order): their accepted and refused changes are there.
    deadline = time.monotonic() + 20
    values: list[bytes] = []
    while time.monotonic() < deadline:
        values = [m.value for m in confluent_consume(broker.bootstrap, "compliance-events", [0], 1, settle=1.0)]
        if any(b"DeleteTopics accepted" in v for v in values):
            break
    joined = b"\n".join(values)
    assert b"DeleteTopics refused" in joined and b"ledger" in joined
    assert b"TOPIC_DELETION_DISABLED" in joined
    assert b"AlterConfigs" in joined and b"POLICY_VIOLATION" in joined
    assert b"DeleteRecords" in joined
    assert b"DeleteTopics accepted" in joined and b"scratch" in joined
    # Confluent wire framing: magic byte 0, then a 4-byte schema id, then Avro.
    assert all(v[0] == 0 for v in values)
    # Decoded with the topic's schema, a refusal says BLOCKED and an accepted change PASSED.
    # (This module's compliance-events declares no schema, so the id is not registered here.)
    import io
    import json
    from pathlib import Path
    import fastavro
    schema = fastavro.parse_schema(json.loads(
        (Path(__file__).resolve().parents[2] / "schemas" / "compliance-event.avsc").read_text()))
    events = [fastavro.schemaless_reader(io.BytesIO(v[5:]), schema) for v in values]
    refused = [e for e in events if "refused" in (e["notes"] or "")]
    accepted = [e for e in events if "accepted" in (e["notes"] or "")]
    assert refused and all(e["kind"] == "ADMIN_CHANGE" and e["outcome"] == "BLOCKED" for e in refused)
    assert accepted and all(e["outcome"] == "PASSED" for e in accepted)
