"""Every compression codec, produced by every client and read back by every client."""

import os

import pytest

from clients import CLIENTS, CODECS, Rec, consume, produce

TOPICS = {f"codec-{codec}-{client}": 1 for codec in CODECS for client in CLIENTS}

N = 150


def records(codec: str) -> list[Rec]:
    """Compressible text plus incompressible bytes; ~40 KiB per batch so snappy's
    xerial framing (32 KiB blocks, kafka-python) needs more than one chunk."""
    return [Rec(key=b"codec-key",
                value=(f"{codec} record {i:05d} ".encode() * 12) + os.urandom(32),
                partition=0)
            for i in range(N)]


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize("producer", CLIENTS)
def test_codec_round_trip(broker, producer, codec):
    topic = f"codec-{codec}-{producer}"
    sent = records(codec)
    produce(producer, broker.bootstrap, topic, sent, compression=codec)

    for consumer in CLIENTS:
        got = sorted(consume(consumer, broker.bootstrap, topic, [0], len(sent)), key=lambda c: c.offset)
        assert len(got) == len(sent), f"{consumer} read {len(got)} of {len(sent)} ({producer}/{codec})"
        assert [g.offset for g in got] == list(range(got[0].offset, got[0].offset + len(sent)))
        assert [g.value for g in got] == [r.value for r in sent], f"{consumer}: values differ"
        assert all(g.key == b"codec-key" for g in got), f"{consumer}: keys differ"
