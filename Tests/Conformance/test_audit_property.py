"""Property test of the audit chain on a real broker: random appends (compressed and not,
keyed and tombstones), compaction and retention by the cleaner, and kill -9 / SIGTERM
restarts in random order; afterwards `eventctl verify` passes. Then any random single-byte
change to a segment file or to `__audit` makes it fail."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

from clients import Rec, confluent_produce

EVENTD_ARGS = ["--log-cleaner-interval-ms", "200", "--audit-checkpoint-interval-ms", "200",
               "--audit-checkpoint-records", "50"]
TOPICS = {
    "prop-ledger": {"partitions": 2, "audit": "true"},
    "prop-accounts": {"partitions": 1, "audit": "true", "cleanup_policy": "[compact]", "segment": "300ms"},
}
TAMPERED = 3
SEED = int(os.environ.get("AUDIT_PROPERTY_SEED", "20261125"))


def random_records(rng: random.Random, compacted: bool) -> list[Rec]:
    records = []
    for _ in range(rng.randint(1, 30)):
        key = b"acct-%d" % rng.randint(0, 9)
        value = None if compacted and rng.random() < 0.1 else rng.randbytes(rng.randint(0, 300))
        records.append(Rec(key=key, value=value, partition=rng.randint(0, 0 if compacted else 1)))
    return records


def test_random_history_verifies_and_any_byte_change_is_caught(fresh_broker, eventctl, tmp_path):
    rng = random.Random(SEED)
    broker = fresh_broker
    for step in range(24):
        topic = rng.choice(list(TOPICS))
        compression = rng.choice(["none", "gzip", "snappy", "lz4", "zstd"])
        confluent_produce(broker.bootstrap, topic, random_records(rng, topic == "prop-accounts"),
                          compression=compression, linger_ms=rng.choice([0, 20]))
        if step % 6 == 5:
            if rng.random() < 0.5:
                broker.kill9()
            else:
                assert broker.stop() == 0
            broker.start()
    assert broker.stop() == 0  # the final checkpoint

    intact = eventctl.run("verify", "--data-dir", str(broker.data_dir))
    assert intact.returncode == 0, intact.stdout + intact.stderr

    files = sorted(p for p in broker.data_dir.glob("*/*.log")
                   if p.parent.name.startswith(("prop-", "__audit-")) and p.stat().st_size > 0)
    assert any(p.parent.name == "__audit-0" for p in files)
    for trial in range(30):
        copy = tmp_path / f"trial-{trial}"
        shutil.copytree(broker.data_dir, copy)
        victim = copy / rng.choice(files).relative_to(broker.data_dir)
        data = bytearray(victim.read_bytes())
        position = rng.randrange(len(data))
        data[position] ^= 1 << rng.randrange(8)
        victim.write_bytes(bytes(data))
        result = eventctl.run("verify", "--data-dir", str(copy))
        assert result.returncode == TAMPERED, (
            f"a flipped bit at byte {position} of {victim.relative_to(copy)} went unnoticed:\n"
            + result.stdout + result.stderr)
        shutil.rmtree(copy)
