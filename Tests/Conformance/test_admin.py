"""Admin APIs through confluent-kafka's AdminClient and kafka-python's KafkaAdminClient,
topics from topics.yaml, auto-create off, and offset look-ups."""

from __future__ import annotations

import time

import confluent_kafka
import kafka
import kafka.admin
import kafka.errors
import pytest
from confluent_kafka import KafkaError, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions, NewTopic

from clients import Rec, confluent_consume, confluent_consumer, confluent_produce, partition_count, unique

TOPICS = {"admin-offsets": 1, "admin-delete-records": 2}


@pytest.fixture(scope="module")
def admin(broker):
    return AdminClient({"bootstrap.servers": broker.bootstrap, "socket.timeout.ms": 10000})


@pytest.fixture(scope="module")
def kp_admin(broker):
    a = kafka.KafkaAdminClient(bootstrap_servers=broker.bootstrap, request_timeout_ms=15000)
    yield a
    a.close()


def wait_until(cond, what: str, timeout: float = 15):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def topic_config(admin, topic) -> dict[str, str]:
    res = ConfigResource(ConfigResource.Type.TOPIC, topic)
    entries = admin.describe_configs([res])[res].result(timeout=15)
    return {k: e.value for k, e in entries.items()}


def test_topics_file_topics_exist(admin, kp_admin):
    md = admin.list_topics(timeout=10)
    assert "conformance-plain" in md.topics
    assert len(md.topics["conformance-plain"].partitions) == 3
    assert "conformance-plain" in kp_admin.list_topics()


def test_create_topic_with_configs_confluent(admin, broker):
    name = unique("admin-cf")
    fs = admin.create_topics([NewTopic(name, num_partitions=4, replication_factor=1,
                                       config={"retention.ms": "86400000", "cleanup.policy": "delete"})],
                             request_timeout=15)
    fs[name].result(timeout=15)
    wait_until(lambda: name in admin.list_topics(timeout=10).topics, "topic in metadata")
    assert partition_count(broker.bootstrap, name) == 4
    assert topic_config(admin, name)["retention.ms"] == "86400000"
    # and it is usable
    confluent_produce(broker.bootstrap, name, [Rec(value=b"x", partition=3)])


def test_create_existing_topic_fails(admin):
    fs = admin.create_topics([NewTopic("conformance-plain", num_partitions=3, replication_factor=1)])
    with pytest.raises(confluent_kafka.KafkaException) as e:
        fs["conformance-plain"].result(timeout=15)
    assert e.value.args[0].code() == KafkaError.TOPIC_ALREADY_EXISTS


def test_create_topic_kafka_python(kp_admin, broker):
    name = unique("admin-kp")
    kp_admin.create_topics([kafka.admin.NewTopic(name, num_partitions=2, replication_factor=1,
                                                 topic_configs={"retention.ms": "3600000"})])
    wait_until(lambda: name in kp_admin.list_topics(), "topic listed")
    assert partition_count(broker.bootstrap, name) == 2


def test_alter_configs(admin):
    name = unique("admin-alter")
    admin.create_topics([NewTopic(name, 1, 1)])[name].result(timeout=15)
    res = ConfigResource(ConfigResource.Type.TOPIC, name, set_config={"retention.ms": "172800000"})
    admin.alter_configs([res])[res].result(timeout=15)  # AlterConfigs v0 (non-incremental)
    assert topic_config(admin, name)["retention.ms"] == "172800000"


def test_describe_configs_kafka_python(kp_admin):
    res = kafka.admin.ConfigResource(kafka.admin.ConfigResourceType.TOPIC, "conformance-plain")
    out = kp_admin.describe_configs([res])
    assert out, "no describe_configs response"


def test_create_partitions(admin, broker):
    name = unique("admin-parts")
    admin.create_topics([NewTopic(name, 2, 1)])[name].result(timeout=15)
    admin.create_partitions([NewPartitions(name, 5)])[name].result(timeout=15)
    wait_until(lambda: partition_count(broker.bootstrap, name) == 5, "5 partitions")
    confluent_produce(broker.bootstrap, name, [Rec(value=b"new partition", partition=4)])


def test_delete_records(admin, broker):
    topic = "admin-delete-records"
    confluent_produce(broker.bootstrap, topic, [Rec(value=b"%d" % i, partition=0) for i in range(10)])
    if hasattr(admin, "delete_records"):
        fs = admin.delete_records([TopicPartition(topic, 0, 5)], request_timeout=15)
        [f] = fs.values()
        f.result(timeout=15)
    else:  # older confluent-kafka
        kafka.KafkaAdminClient(bootstrap_servers=broker.bootstrap).delete_records(
            {kafka.TopicPartition(topic, 0): 5})
    c = confluent_consumer(broker.bootstrap)
    try:
        lo, hi = c.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)
    finally:
        c.close()
    assert (lo, hi) == (5, 10)
    got = confluent_consume(broker.bootstrap, topic, [0], 5, settle=0.5)
    assert [g.offset for g in got] == [5, 6, 7, 8, 9]


def test_delete_topic(admin):
    name = unique("admin-del")
    admin.create_topics([NewTopic(name, 1, 1)])[name].result(timeout=15)
    wait_until(lambda: name in admin.list_topics(timeout=10).topics, "topic created")
    admin.delete_topics([name], request_timeout=15)[name].result(timeout=15)
    wait_until(lambda: name not in admin.list_topics(timeout=10).topics, "topic deleted")


def test_produce_to_unknown_topic_is_refused_and_not_created(admin, broker):
    name = unique("never-created")
    p = confluent_kafka.Producer({"bootstrap.servers": broker.bootstrap,
                                  "topic.metadata.propagation.max.ms": 2000, "message.timeout.ms": 10000})
    errors = []
    p.produce(name, value=b"x", on_delivery=lambda err, m: errors.append(err))
    deadline = time.monotonic() + 30
    while p.flush(1.0) > 0:
        assert time.monotonic() < deadline
    assert len(errors) == 1 and errors[0] is not None, "produce to an unknown topic succeeded"
    assert errors[0].code() in (KafkaError.UNKNOWN_TOPIC_OR_PART, KafkaError._UNKNOWN_TOPIC)
    md = admin.list_topics(topic=name, timeout=10)
    assert md.topics[name].error is not None
    assert md.topics[name].error.code() == KafkaError.UNKNOWN_TOPIC_OR_PART
    assert name not in admin.list_topics(timeout=10).topics, "topic was auto-created"


def test_kafka_python_unknown_topic(broker):
    p = kafka.KafkaProducer(bootstrap_servers=broker.bootstrap, max_block_ms=3000, enable_idempotence=False)
    try:
        with pytest.raises(kafka.errors.KafkaError):
            p.send(unique("never-created-kp"), b"x").get(timeout=10)
    finally:
        p.close(timeout=5)


def test_list_offsets_earliest_latest_by_time(broker):
    topic = "admin-offsets"
    t0 = (int(time.time() * 1000) // 1000) * 1000 - 600_000
    confluent_produce(broker.bootstrap, topic,
                      [Rec(value=b"%d" % i, timestamp=t0 + 1000 * i, partition=0) for i in range(3)])
    tp = TopicPartition(topic, 0)
    c = confluent_consumer(broker.bootstrap)
    try:
        assert c.get_watermark_offsets(tp, timeout=10) == (0, 3)
        def at(ts):
            [r] = c.offsets_for_times([TopicPartition(topic, 0, ts)], timeout=10)
            assert r.error is None
            return r.offset
        assert at(t0 - 5000) == 0
        assert at(t0) == 0
        assert at(t0 + 500) == 1
        assert at(t0 + 2000) == 2
        assert at(t0 + 60_000) == -1  # past the last record: end
    finally:
        c.close()

    kc = kafka.KafkaConsumer(bootstrap_servers=broker.bootstrap, request_timeout_ms=15000)
    try:
        ktp = kafka.TopicPartition(topic, 0)
        assert kc.beginning_offsets([ktp])[ktp] == 0
        assert kc.end_offsets([ktp])[ktp] == 3
        assert kc.offsets_for_times({ktp: t0 + 1500})[ktp].offset == 2
    finally:
        kc.close()
