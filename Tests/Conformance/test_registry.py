"""The built-in Schema Registry, driven by confluent-kafka's own Schema Registry client and
serializers, and the broker refusing records that do not match a registered schema."""

from __future__ import annotations

import json
import struct
import time

import pytest
from confluent_kafka import Consumer, KafkaError, KafkaException, Producer
from confluent_kafka.admin import AdminClient, NewTopic
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from clients import unique

INVALID_RECORD = 87

PAYMENT_AVRO = json.dumps({
    "type": "record", "name": "Payment", "namespace": "com.example",
    "fields": [
        {"name": "id", "type": "string"},
        {"name": "amount_minor", "type": "long"},
        {"name": "currency", "type": "string"},
    ],
})
# Adds a field without a default: BACKWARD-incompatible (new readers cannot read old data).
PAYMENT_AVRO_INCOMPATIBLE = json.dumps({
    "type": "record", "name": "Payment", "namespace": "com.example",
    "fields": [
        {"name": "id", "type": "string"},
        {"name": "amount_minor", "type": "long"},
        {"name": "currency", "type": "string"},
        {"name": "merchant", "type": "string"},
    ],
})
PAYMENT_JSON = json.dumps({
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Payment", "type": "object",
    "properties": {"id": {"type": "string"}, "amount_minor": {"type": "integer"}, "currency": {"type": "string"}},
    "required": ["id", "amount_minor", "currency"],
    "additionalProperties": False,
})


def validated_topic(broker, name: str) -> str:
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    [future] = admin.create_topics([NewTopic(name, 1, config={"compliancelog.value.schema.validation": "true"})]).values()
    future.result(timeout=15)
    return name


def produce_raw(broker, topic: str, values: list[bytes]) -> list:
    """Produces raw bytes; returns each delivery's error (None when stored)."""
    producer = Producer({"bootstrap.servers": broker.bootstrap, "acks": "all", "linger.ms": 0,
                         "message.send.max.retries": 0, "enable.idempotence": False})
    results: list = [None] * len(values)
    done = [False] * len(values)
    for i, value in enumerate(values):
        def report(err, _msg, i=i):
            results[i] = err
            done[i] = True
        producer.produce(topic, value=value, on_delivery=report)
        producer.flush(15)  # one batch per record: a bad record refuses only its own batch
    assert all(done), "deliveries did not complete"
    return results


def consume_values(broker, topic: str, count: int, timeout: float = 30) -> list[bytes]:
    consumer = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": unique("registry"),
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([topic])
    values: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while len(values) < count and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None:
                values.append(msg.value())
    finally:
        consumer.close()
    return values


def test_avro_serializer_round_trip_through_registry_and_broker(broker):
    topic = validated_topic(broker, "registry-avro")
    registry = SchemaRegistryClient({"url": broker.registry_url})
    serializer = AvroSerializer(registry, PAYMENT_AVRO)
    deserializer = AvroDeserializer(registry, PAYMENT_AVRO)
    ctx = SerializationContext(topic, MessageField.VALUE)
    payments = [{"id": f"p{i}", "amount_minor": 1000 * i, "currency": "SEK"} for i in range(10)]
    errors = produce_raw(broker, topic, [serializer(p, ctx) for p in payments])
    assert errors == [None] * 10
    got = [deserializer(v, ctx) for v in consume_values(broker, topic, 10)]
    assert got == payments
    latest = registry.get_latest_version(f"{topic}-value")
    assert latest.version == 1 and latest.schema.schema_type == "AVRO"


def test_incompatible_registration_is_409(broker):
    registry = SchemaRegistryClient({"url": broker.registry_url})
    subject = "registry-compat-value"
    registry.register_schema(subject, Schema(PAYMENT_AVRO, "AVRO"))
    with pytest.raises(SchemaRegistryError) as raised:
        registry.register_schema(subject, Schema(PAYMENT_AVRO_INCOMPATIBLE, "AVRO"))
    assert raised.value.http_status_code == 409
    assert raised.value.error_code == 40901


def test_unknown_id_and_corrupt_payload_are_refused_while_valid_records_flow(broker):
    topic = validated_topic(broker, "registry-guarded")
    registry = SchemaRegistryClient({"url": broker.registry_url})
    serializer = AvroSerializer(registry, PAYMENT_AVRO)
    ctx = SerializationContext(topic, MessageField.VALUE)
    valid = serializer({"id": "ok-1", "amount_minor": 100, "currency": "EUR"}, ctx)
    schema_id = struct.unpack(">I", valid[1:5])[0]
    unknown_id = b"\x00" + struct.pack(">I", 999_999) + valid[5:]
    corrupt = valid[:5] + b"\x99"  # the string length says 0x99/2 bytes follow; none do
    unframed = b"{\"not\": \"framed\"}"
    other_subjects_id = b"\x00" + struct.pack(">I", schema_id + 1000) + valid[5:]
    valid_after = serializer({"id": "ok-2", "amount_minor": 200, "currency": "EUR"}, ctx)
    results = produce_raw(broker, topic, [valid, unknown_id, corrupt, unframed, other_subjects_id, valid_after])
    assert results[0] is None and results[5] is None, "valid records must keep flowing"
    for err in results[1:5]:
        assert err is not None and err.code() == KafkaError.INVALID_RECORD, err
    values = consume_values(broker, topic, 2, timeout=15)
    assert values == [valid, valid_after]


def test_json_schema_serializer_round_trip(broker):
    topic = validated_topic(broker, "registry-json")
    registry = SchemaRegistryClient({"url": broker.registry_url})
    serializer = JSONSerializer(PAYMENT_JSON, registry)
    deserializer = JSONDeserializer(PAYMENT_JSON)
    ctx = SerializationContext(topic, MessageField.VALUE)
    payments = [{"id": f"j{i}", "amount_minor": i, "currency": "USD"} for i in range(5)]
    assert produce_raw(broker, topic, [serializer(p, ctx) for p in payments]) == [None] * 5
    assert [deserializer(v, ctx) for v in consume_values(broker, topic, 5)] == payments
    # A payload that breaks the schema (a string amount) is refused by the broker.
    framed = serializer(payments[0], ctx)
    bad = framed[:5] + json.dumps({"id": "x", "amount_minor": "lots", "currency": "USD"}).encode()
    [err] = produce_raw(broker, topic, [bad])
    assert err is not None and err.code() == KafkaError.INVALID_RECORD


def test_schema_ids_survive_a_restart(fresh_broker):
    registry = SchemaRegistryClient({"url": fresh_broker.registry_url})
    schema_id = registry.register_schema("registry-durable-value", Schema(PAYMENT_AVRO, "AVRO"))
    fresh_broker.kill9()
    fresh_broker.start()
    deadline = time.monotonic() + 20
    while True:
        try:
            again = SchemaRegistryClient({"url": fresh_broker.registry_url})
            assert again.get_schema(schema_id).schema_str.replace(" ", "") == PAYMENT_AVRO.replace(" ", "")
            assert again.register_schema("registry-durable-value", Schema(PAYMENT_AVRO, "AVRO")) == schema_id
            break
        except Exception:  # the registry listener may still be starting
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
