"""Expected-version appends (`event_store: true`, topic config
compliancelog.expected.version=true): a record with headers aggregate-id and
aggregate-version must be that aggregate's next version, else the batch is refused with
INVALID_RECORD; the check survives a restart and a kill -9."""

from __future__ import annotations

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, ConfigResource

TOPICS = {
    "account-events": {"partitions": 1, "event_store": "true"},
    "plain-events": 1,
}

INVALID_RECORD = 87


def produce(broker, topic: str, aggregate: str | None, version: int | None, value: bytes = b"{}") -> int:
    """Produces one record (alone in its batch) and returns the delivery error code, 0 for success."""
    producer = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 0})
    outcome: list[int] = []
    headers = []
    if aggregate is not None:
        headers.append(("aggregate-id", aggregate.encode()))
    if version is not None:
        headers.append(("aggregate-version", str(version).encode()))
    producer.produce(topic, key=aggregate.encode() if aggregate else None, value=value, headers=headers,
                     on_delivery=lambda err, msg: outcome.append(err.code() if err else 0))
    assert producer.flush(15) == 0
    return outcome[0]


def test_the_flag_is_a_topic_config(broker):
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    configs = {}
    for topic in ("account-events", "plain-events"):
        [future] = admin.describe_configs([ConfigResource(ConfigResource.Type.TOPIC, topic)]).values()
        configs[topic] = {name: entry.value for name, entry in future.result(timeout=15).items()}
    assert configs["account-events"]["compliancelog.expected.version"] == "true"
    assert configs["plain-events"]["compliancelog.expected.version"] == "false"


def test_only_the_next_version_is_accepted(broker):
    assert produce(broker, "account-events", "acct-1", 1) == 0
    assert produce(broker, "account-events", "acct-1", 1) == INVALID_RECORD  # stale
    assert produce(broker, "account-events", "acct-1", 3) == INVALID_RECORD  # skips 2
    assert produce(broker, "account-events", "acct-1", 2) == 0
    assert produce(broker, "account-events", "acct-2", 2) == INVALID_RECORD  # a new stream starts at 1
    assert produce(broker, "account-events", "acct-1", 0) == INVALID_RECORD  # not a positive version
    # Records without both headers are not events and pass.
    assert produce(broker, "account-events", "acct-1", None) == 0
    # Topics that did not opt in are not checked.
    assert produce(broker, "plain-events", "acct-1", 7) == 0
    assert produce(broker, "plain-events", "acct-1", 7) == 0


def test_the_check_survives_restart_and_kill9(fresh_broker):
    assert produce(fresh_broker, "account-events", "acct-9", 1) == 0
    assert produce(fresh_broker, "account-events", "acct-9", 2) == 0
    fresh_broker.restart()
    assert produce(fresh_broker, "account-events", "acct-9", 2) == INVALID_RECORD
    assert produce(fresh_broker, "account-events", "acct-9", 3) == 0
    fresh_broker.kill9()
    fresh_broker.start()
    assert produce(fresh_broker, "account-events", "acct-9", 3) == INVALID_RECORD
    assert produce(fresh_broker, "account-events", "acct-9", 4) == 0
