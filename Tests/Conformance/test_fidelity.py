"""Keys, headers, nulls, empties and timestamps survive byte for byte, across clients.

Each producer writes to its own topic once; each consumer then reads every
producer's topic (3 x 3 matrix).
"""

import json
import time

import pytest

from clients import CLIENTS, Rec, consume, kcat_consume_json, kcat_headers, produce

TOPICS = {f"fidelity-from-{client}": 2 for client in CLIENTS}

# Near "now": the topics have 7-day retention, so old timestamps could be deleted.
T0 = (int(time.time() * 1000) // 1000) * 1000 - 3_600_000

BINARY = bytes(range(256))


def rich_records(null_header_values: bool = True) -> list[Rec]:
    """For clients that control everything (confluent-kafka; kafka-python's send()
    refuses null header values, so its records carry none)."""
    null = (("null", None),) if null_header_values else ()
    return [
        Rec(key=b"k1", value=b"v1", timestamp=T0, partition=0,
            headers=(("dup", b"a"), ("dup", b"b"), ("empty", b""), *null,
                     ("bin", BINARY), ("cl\u00e9-\u00fc", "\u20ac".encode()))),
        Rec(key=None, value=b"no key", timestamp=T0 + 1, partition=0),
        Rec(key=b"k3", value=b"", timestamp=T0 + 2, partition=0),
        Rec(key=b"\x00\xff\x00 binary key", value=BINARY * 4, timestamp=T0 + 1000, partition=1),
        Rec(key=b"", value=None, timestamp=T0 + 2000, partition=1),
        Rec(key=b"k6", value=b"late", timestamp=T0 + 7_200_000, partition=1),
        Rec(key=b"k7", value=b"x" * 100_000, timestamp=T0 + 3, partition=0,
            headers=(("only", b"one"),)),
    ]


def kcat_records() -> list[Rec]:
    """What kcat -P can express: fixed key (-k) and headers (-H) per run, one file per value,
    no explicit timestamps, no null header values."""
    return [
        Rec(key=b"k1", value=b"v1", partition=0, headers=(("dup", b"a"), ("dup", b"b"))),
        Rec(key=b"k1", value=BINARY, partition=0, headers=(("dup", b"a"), ("dup", b"b"))),
        Rec(key=None, value=b"no key", partition=0),
        Rec(key=b"\xff\x01 binary key", value=BINARY * 4, partition=1),
        Rec(key=b"k5", value=b"x" * 100_000, partition=1, headers=(("only", b"one"),)),
    ]


_produced: dict[str, tuple[list[Rec], int, int]] = {}


def produced(broker, client: str):
    """Produce once per producer client; returns (records, t_before_ms, t_after_ms)."""
    if client not in _produced:
        recs = {"kcat": kcat_records, "kafka-python": lambda: rich_records(null_header_values=False)}.get(
            client, rich_records)()
        before = int(time.time() * 1000)
        produce(client, broker.bootstrap, f"fidelity-from-{client}", recs)
        _produced[client] = (recs, before, int(time.time() * 1000))
    return _produced[client]


def by_partition_in_order(recs):
    return sorted(recs, key=lambda r: r.partition)  # stable: keeps per-partition order


@pytest.mark.parametrize("consumer", CLIENTS)
@pytest.mark.parametrize("producer", CLIENTS)
def test_round_trip(broker, producer, consumer):
    sent, before, after = produced(broker, producer)
    topic = f"fidelity-from-{producer}"
    got = consume(consumer, broker.bootstrap, topic, [0, 1], len(sent))
    got = sorted(got, key=lambda g: (g.partition, g.offset))
    expected = by_partition_in_order(sent)
    assert len(got) == len(expected), f"{consumer} read {len(got)} of {len(expected)}"

    for g, e in zip(got, expected):
        assert (g.partition, g.key, g.value) == (e.partition, e.key, e.value)
        if e.timestamp is not None:
            assert g.timestamp == e.timestamp, f"timestamp at {g.partition}/{g.offset}"
        else:
            assert before - 1000 <= g.timestamp <= after + 1000, "CreateTime outside produce window"
        if consumer != "kcat":  # kcat's binary format has no headers; see the JSON check below
            assert g.headers == e.headers, f"headers at {g.partition}/{g.offset}"

    if consumer == "kcat":
        check_kcat_json(broker, topic, expected)


def check_kcat_json(broker, topic, expected):
    """kcat -J: headers (text ones), timestamps, null vs. empty key/payload."""
    envelopes = []
    for p in (0, 1):
        envelopes += kcat_consume_json(broker.bootstrap, topic, p)
    envelopes.sort(key=lambda e: (e["partition"], e["offset"]))
    assert len(envelopes) == len(expected)
    for env, e in zip(envelopes, expected):
        if e.timestamp is not None:
            assert env["ts"] == e.timestamp
        assert (env["key"] is None) == (e.key is None)
        assert (env["payload"] is None) == (e.value is None)
        text_headers = all(v is None or _is_text(v) for _k, v in e.headers)
        if text_headers:
            assert kcat_headers(env) == e.headers
        else:
            assert [k for k, _ in kcat_headers(env)] == [k for k, _ in e.headers]


def _is_text(b: bytes) -> bool:
    try:
        s = b.decode()
    except UnicodeDecodeError:
        return False
    return s.isprintable()


def test_json_envelope_is_parseable_sanity():
    # guards the helper against kcat's documented dict form as well as its list form
    assert kcat_headers({"headers": ["a", "1", "a", "2", "n", None]}) == (("a", b"1"), ("a", b"2"), ("n", None))
    assert kcat_headers(json.loads('{"headers": {"a": "1"}}')) == (("a", b"1"),)
