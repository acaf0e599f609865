"""Audit chain (issue #6), end to end with the real binaries: eventd chains records of
`audit: true` topics and writes signed checkpoints to `__audit`; `eventctl verify` checks a
stopped broker's files, `replay --verify` / `prove` / `verify-proof` work over the wire, and
`audit follow` is the companion for clusters without eventd.

Tampering is done the way an insider with file access would: on a stopped broker, editing
segment files with Python and fixing every batch CRC, so that only the audit chain can tell."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import signal
import struct
import subprocess
import time
from pathlib import Path

import pytest

from clients import Rec, confluent_consume, confluent_produce
from kafka_helpers import crc32c

EVENTD_ARGS = ["--log-cleaner-interval-ms", "200", "--audit-checkpoint-interval-ms", "200"]
TOPICS = {
    "audited": {"partitions": 1, "audit": "true"},
    "audited-two": {"partitions": 2, "audit": "true"},
    "audited-compacted": {"partitions": 1, "audit": "true", "cleanup_policy": "[compact]", "segment": "300ms"},
    "audited-expiring": {"partitions": 1, "audit": "true", "cleanup_policy": "[delete]", "segment": "300ms", "retention": "5s"},
    "companion-source": {"partitions": 2},
    "audit-companion": {"partitions": 1},
}

TAMPERED = 3
HEADER = 61


# --- segment files ------------------------------------------------------------------------


def segment(data_dir: Path, topic: str, partition: int = 0) -> Path:
    [path] = sorted((data_dir / f"{topic}-{partition}").glob("*.log"))[:1]
    return path


def batches(data: bytes) -> list[tuple[int, bytes]]:
    """[(position, batch bytes)] of a segment file."""
    out, pos = [], 0
    while pos + 12 <= len(data):
        length = struct.unpack(">i", data[pos + 8:pos + 12])[0]
        out.append((pos, data[pos:pos + 12 + length]))
        pos += 12 + length
    return out


def fix_crc(batch: bytes) -> bytes:
    """Recomputes the batch CRC-32C (over bytes 21..end), as a careful forger would."""
    return batch[:17] + struct.pack(">I", crc32c(batch[21:])) + batch[21:]


def base_offset(batch: bytes) -> int:
    return struct.unpack(">q", batch[:8])[0]


def record_count(batch: bytes) -> int:
    return struct.unpack(">i", batch[57:61])[0]


def varint(data: bytes, pos: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return (result >> 1) ^ -(result & 1), pos


def split_records(batch: bytes) -> list[tuple[int, bytes]]:
    """[(offset delta, encoded record)] of an uncompressed batch."""
    out, pos = [], HEADER
    for _ in range(record_count(batch)):
        length, body = varint(batch, pos)
        record = batch[pos:body + length]
        _, p = varint(record, len(record) - length + 1)  # skip attributes, timestamp delta
        delta, _ = varint(record, p)
        out.append((delta, record))
        pos = body + length
    return out


def rewrite(path: Path, edit) -> None:
    data = path.read_bytes()
    path.write_bytes(edit(data))


def produce_audited(bootstrap: str, topic: str, groups: int = 4, per_group: int = 4, partition: int = 0) -> list[int]:
    """Produces `groups` uncompressed batches of `per_group` records; returns their offsets."""
    offsets = []
    for g in range(groups):
        recs = [Rec(key=b"acct-%d" % (g * per_group + i), value=b"payment-%04d-amount=%d" % (g * per_group + i, 100 + i),
                    headers=(("source", b"test"),), partition=partition) for i in range(per_group)]
        offsets += [o for _, o in confluent_produce(bootstrap, topic, recs, compression="none", linger_ms=50)]
    return offsets


def verify(eventctl, data_dir: Path, *extra: str):
    return eventctl.run("verify", "--data-dir", str(data_dir), *extra)


def assert_tampered(result, *needles: str) -> None:
    out = result.stdout + result.stderr
    print(out)  # shown with -s or on failure: what an operator would read
    assert result.returncode == TAMPERED, f"expected exit 3, got {result.returncode}:\n{out}"
    for needle in needles:
        assert needle in out, f"{needle!r} not in:\n{out}"


# --- a stopped broker's data, tampered with copy by copy ----------------------------------


@pytest.fixture(scope="module")
def snapshot(broker, tmp_path_factory):
    """Audited data written by a broker and its final checkpoints (SIGTERM), copied aside."""
    offsets = produce_audited(broker.bootstrap, "audited")
    for p in (0, 1):
        produce_audited(broker.bootstrap, "audited-two", groups=2, partition=p)
    assert offsets == list(range(16))
    assert broker.stop() == 0
    copy = tmp_path_factory.mktemp("audit-snapshot") / "data"
    shutil.copytree(broker.data_dir, copy)
    broker.start()
    return copy


@pytest.fixture
def data(snapshot, tmp_path):
    """A private copy of the snapshot to tamper with."""
    copy = tmp_path / "data"
    shutil.copytree(snapshot, copy)
    return copy


def test_verify_intact_data_directory(eventctl, snapshot):
    result = verify(eventctl, snapshot)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK topic audited partition 0: 16 records verified" in result.stdout
    assert "OK topic audited-two partition 1" in result.stdout
    assert verify(eventctl, snapshot, "--topic", "audited").returncode == 0


def test_changed_value_with_fixed_crc_is_detected(eventctl, data):
    seg = segment(data, "audited")

    def edit(raw: bytes) -> bytes:
        at = raw.index(b"payment-0006-amount=102") + len(b"payment-0006-amount=")
        raw = raw[:at] + b"9" + raw[at + 1:]  # 102 -> 902
        out = b""
        for _, b in batches(raw):
            out += fix_crc(b)
        return out

    rewrite(seg, edit)
    assert_tampered(verify(eventctl, data), "topic audited partition 0 offset 6", "recordChanged")


def test_unfixed_crc_is_reported_as_corrupt_bytes_with_position(eventctl, data):
    seg = segment(data, "audited")
    rewrite(seg, lambda raw: raw.replace(b"payment-0006", b"payment-X006"))
    result = verify(eventctl, data)
    assert_tampered(result, "topic audited partition 0", "corruptBytes", str(seg), "at byte")


def test_torn_tail_is_reported_with_file_and_position(eventctl, data):
    seg = segment(data, "audited")
    size = seg.stat().st_size
    rewrite(seg, lambda raw: raw + raw[:30])  # half a batch header and a bit: a torn write
    assert_tampered(verify(eventctl, data), "corruptBytes", f"{seg} at byte {size}", "torn write")


def test_removed_record_on_a_non_compacted_topic_is_detected(eventctl, data):
    seg = segment(data, "audited")

    def edit(raw: bytes) -> bytes:
        out = b""
        for _, b in batches(raw):
            if base_offset(b) == 4 and record_count(b) >= 3:
                kept = [r for d, r in split_records(b) if d != 1]  # drop offset 5, keep the rest
                body = b"".join(kept)
                header = bytearray(b[:HEADER])
                header[57:61] = struct.pack(">i", len(kept))
                header[8:12] = struct.pack(">i", HEADER - 12 + len(body))
                b = fix_crc(bytes(header) + body)
            out += b
        return out

    before = seg.read_bytes()
    rewrite(seg, edit)
    assert seg.read_bytes() != before, "the batch at offset 4 should hold several records"
    assert_tampered(verify(eventctl, data), "topic audited partition 0 offset 5", "recordMissing")


def test_removed_whole_batch_is_detected(eventctl, data):
    seg = segment(data, "audited")
    rewrite(seg, lambda raw: b"".join(b for _, b in batches(raw) if base_offset(b) != 8))
    assert_tampered(verify(eventctl, data), "topic audited partition 0 offset 8", "recordMissing")


def test_swapped_batches_are_detected(eventctl, data):
    seg = segment(data, "audited")

    def edit(raw: bytes) -> bytes:
        bs = [b for _, b in batches(raw)]
        bs[1], bs[2] = bs[2], bs[1]
        return b"".join(bs)

    rewrite(seg, edit)
    result = verify(eventctl, data)
    assert_tampered(result, "topic audited partition 0 offset", "recordsOutOfOrder")


def test_truncated_last_batch_is_detected(eventctl, data):
    seg = segment(data, "audited")
    last_pos, last = batches(seg.read_bytes())[-1]
    with open(seg, "r+b") as f:
        f.truncate(last_pos)
    assert_tampered(verify(eventctl, data), f"topic audited partition 0 offset {base_offset(last)}", "truncated")


def audit_values(data_dir: Path, key: bytes) -> list[int]:
    """Byte positions in the __audit-0 segment of the audit record values keyed `key`."""
    raw = segment(data_dir, "__audit").read_bytes()
    positions, at = [], 0
    while (at := raw.find(b"CLAR", at)) >= 0:
        # The key (varint length + bytes) and a varint value length precede the value.
        if key in raw[max(0, at - len(key) - 6):at]:
            positions.append(at)
        at += 4
    return positions


def rewrite_audit(data_dir: Path, edit_value_at) -> None:
    """Applies `edit_value_at(bytearray)` to the segment, then fixes every batch CRC."""
    seg = segment(data_dir, "__audit")
    raw = bytearray(seg.read_bytes())
    edit_value_at(raw)
    seg.write_bytes(b"".join(fix_crc(b) for _, b in batches(bytes(raw))))


def checkpoint_span(raw: bytes, value_at: int) -> tuple[int, int]:
    """(start, length) of the checkpoint bytes inside the audit value at `value_at`."""
    length = struct.unpack(">I", raw[value_at + 5:value_at + 9])[0]
    return value_at + 9, length


def test_altered_checkpoint_signature_is_detected(eventctl, data):
    [first, *_] = audit_values(data, b"audited/0")

    def edit(raw: bytearray) -> None:
        start, length = checkpoint_span(raw, first)
        raw[start + length + 10] ^= 0x01  # a byte of the Ed25519 signature

    rewrite_audit(data, edit)
    assert_tampered(verify(eventctl, data), "topic audited partition 0", "badSignature", "audit offset")


def test_checkpoint_signed_by_another_key_is_detected(eventctl, data):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    other = Ed25519PrivateKey.generate()
    other_public = other.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    other_id = hashlib.sha256(other_public).digest()[:8]
    [first, *_] = audit_values(data, b"audited/0")

    def edit(raw: bytearray) -> None:
        # Checkpoint encoding (AuditChain's Checkpoint): ... 8-byte key ID last; signature after it.
        start, length = checkpoint_span(raw, first)
        checkpoint = bytes(raw[start:start + length - 8]) + other_id
        raw[start:start + length] = checkpoint
        raw[start + length:start + length + 64] = other.sign(checkpoint)

    rewrite_audit(data, edit)
    result = verify(eventctl, data)
    assert_tampered(result, "topic audited partition 0", "badSignature", other_id.hex())


def test_verify_with_the_wrong_public_key_fails(eventctl, data, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key = tmp_path / "other.pub"
    key.write_text(Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex() + "\n")
    assert_tampered(verify(eventctl, data, "--public-key", str(key)), "badSignature")


# --- compaction and retention are not tampering --------------------------------------------


def test_compaction_and_retention_verify_cleanly(fresh_broker, eventctl):
    b = fresh_broker
    old = int(time.time() * 1000) - 3_600_000
    for round_ in range(3):
        confluent_produce(b.bootstrap, "audited-compacted",
                          [Rec(key=b"k%d" % i, value=b"v%d-%d" % (i, round_)) for i in range(5)])
        confluent_produce(b.bootstrap, "audited-expiring",
                          [Rec(key=b"k", value=b"old-%d-%d" % (round_, i), timestamp=old) for i in range(3)])
        time.sleep(0.5)  # roll segments (segment: 300ms)
    confluent_produce(b.bootstrap, "audited-expiring", [Rec(key=b"k", value=b"fresh")])
    confluent_produce(b.bootstrap, "audited-compacted", [Rec(key=b"k0", value=b"last")])
    deadline = time.monotonic() + 30
    compacted = expired = False
    while time.monotonic() < deadline and not (compacted and expired):
        time.sleep(0.5)
        kept = confluent_consume(b.bootstrap, "audited-compacted", [0], 1, settle=0.5)
        compacted = 0 < len(kept) < 16
        expiring = confluent_consume(b.bootstrap, "audited-expiring", [0], 1, settle=0.5)
        expired = bool(expiring) and expiring[0].offset > 0
    assert compacted and expired, "the cleaner should have compacted and expired records"
    assert b.stop() == 0
    result = verify(eventctl, b.data_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK topic audited-compacted partition 0" in result.stdout and "compacted" in result.stdout
    assert "OK topic audited-expiring partition 0" in result.stdout and "below the log start" in result.stdout


# --- inclusion proofs --------------------------------------------------------------------


def prove(eventctl, broker, topic: str, partition: int, offset: int, *extra: str):
    return eventctl.run("prove", "--bootstrap", broker.bootstrap, "--topic", topic, "--partition", str(partition),
                        "--offset", str(offset), "--public-key", str(broker.data_dir / "audit-signing.key.pub"), *extra)


def flip_base64(text: str) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[len(raw) // 2] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def flip_hex(text: str) -> str:
    return text[:5] + ("0" if text[5] != "0" else "1") + text[6:]


def test_inclusion_proof_verifies_and_any_change_breaks_it(broker, snapshot, eventctl, tmp_path):
    result = prove(eventctl, broker, "audited", 0, 6)
    assert result.returncode == 0, result.stderr
    proof_file = tmp_path / "proof.json"
    proof_file.write_text(result.stdout)
    public_key = str(broker.data_dir / "audit-signing.key.pub")
    ok = eventctl.run("verify-proof", str(proof_file), "--public-key", public_key)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "offset 6" in ok.stdout

    proof = json.loads(result.stdout)
    assert base64.b64decode(proof["value"]) == b"payment-0006-amount=102"
    mutations = {
        "value": lambda p: p.update(value=flip_base64(p["value"])),
        "key": lambda p: p.update(key=flip_base64(p["key"])),
        "header": lambda p: p["headers"][0].update(value=flip_base64(p["headers"][0]["value"])),
        "timestamp": lambda p: p.update(timestamp=p["timestamp"] + 1),
        "offset": lambda p: p.update(offset=p["offset"] + 1),
        "leafIndex": lambda p: p.update(leafIndex=p["leafIndex"] ^ 1),
        "auditPath": lambda p: p["auditPath"].__setitem__(0, flip_hex(p["auditPath"][0])),
        "rootHash": lambda p: p["checkpoint"].update(rootHash=flip_hex(p["checkpoint"]["rootHash"])),
        "signature": lambda p: p["checkpoint"].update(signature=flip_base64(p["checkpoint"]["signature"])),
        "treeSize": lambda p: (p["checkpoint"].update(treeSize=p["treeSize"] + 1), p.update(treeSize=p["treeSize"] + 1)),
        "checkpointTimestamp": lambda p: p["checkpoint"].update(timestampMs=p["checkpoint"]["timestampMs"] + 1),
        "previousCheckpointHash": lambda p: p["checkpoint"].update(previousCheckpointHash=flip_hex(p["checkpoint"]["previousCheckpointHash"])),
    }
    for name, mutate in mutations.items():
        changed = json.loads(result.stdout)
        mutate(changed)
        path = tmp_path / f"proof-{name}.json"
        path.write_text(json.dumps(changed))
        bad = eventctl.run("verify-proof", str(path), "--public-key", public_key)
        assert bad.returncode == TAMPERED, f"changed {name}: exit {bad.returncode}\n{bad.stdout}{bad.stderr}"


# --- replay over the wire -------------------------------------------------------------------


def replay(eventctl, broker, topic: str, *extra: str, audit_topic: str = "__audit", public_key: str | None = None):
    return eventctl.run("replay", "--bootstrap", broker.bootstrap, "--topic", topic, "--verify", "--format", "json",
                        "--audit-topic", audit_topic,
                        "--public-key", public_key or str(broker.data_dir / "audit-signing.key.pub"), *extra)


def test_replay_verify_intact(broker, snapshot, eventctl):
    result = replay(eventctl, broker, "audited")
    assert result.returncode == 0, result.stdout + result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["offset"] for e in events] == list(range(16))
    assert events[6]["value"] == "payment-0006-amount=102" and events[6]["key"] == "acct-6"
    assert events[6]["headers"] == [{"key": "source", "value": "test"}]
    assert {"offset", "partition", "timestamp", "key", "headers", "value"} <= set(events[0])
    two = replay(eventctl, broker, "audited-two", "--partition", "1")
    assert two.returncode == 0, two.stderr
    assert {json.loads(line)["partition"] for line in two.stdout.splitlines()} == {1}
    started = time.monotonic()
    empty = replay(eventctl, broker, "audited-compacted")  # audited, nothing written yet
    assert empty.returncode == 0 and empty.stdout == "", empty.stderr
    assert time.monotonic() - started < 10, "an empty partition's end should be noticed, not waited out"


def test_replay_verify_catches_tampering_the_broker_accepted(fresh_broker, eventctl):
    b = fresh_broker
    produce_audited(b.bootstrap, "audited")
    assert b.stop() == 0
    seg = segment(b.data_dir, "audited")

    def edit(raw: bytes) -> bytes:
        at = raw.index(b"payment-0009-amount=101") + len(b"payment-0009-amount=")
        raw = raw[:at] + b"7" + raw[at + 1:]
        return b"".join(fix_crc(b) for _, b in batches(raw))

    rewrite(seg, edit)
    b.start()  # recovery accepts the batch: its CRC is right
    result = replay(eventctl, b, "audited")
    assert_tampered(result, "topic audited partition 0 offset 9", "recordChanged")
    assert json.loads(result.stdout.splitlines()[9])["value"] == "payment-0009-amount=701"


# --- the companion ----------------------------------------------------------------------------


def test_audit_follow_companion_chains_and_resumes(broker, eventctl, tmp_path):
    key = tmp_path / "companion.key"
    for p in (0, 1):
        confluent_produce(broker.bootstrap, "companion-source",
                          [Rec(key=b"c%d" % i, value=b"companion-%d-%d" % (p, i), partition=p) for i in range(10)])

    def follow():
        return eventctl.run("audit", "follow", "--bootstrap", broker.bootstrap, "--topics", "companion-source",
                            "--audit-topic", "audit-companion", "--signing-key", str(key), "--until-caught-up")

    first = follow()
    assert first.returncode == 0, first.stderr
    check = replay(eventctl, broker, "companion-source", audit_topic="audit-companion", public_key=str(key) + ".pub")
    assert check.returncode == 0, check.stderr
    assert "OK topic companion-source partition 1: 10 records verified" in check.stderr

    confluent_produce(broker.bootstrap, "companion-source", [Rec(key=b"late", value=b"late", partition=1)])
    second = follow()  # resumes after the last covered offset
    assert second.returncode == 0, second.stderr
    check = replay(eventctl, broker, "companion-source", audit_topic="audit-companion", public_key=str(key) + ".pub")
    assert check.returncode == 0, check.stderr
    assert "OK topic companion-source partition 1: 11 records verified" in check.stderr

    proof = eventctl.run("prove", "--bootstrap", broker.bootstrap, "--topic", "companion-source", "--partition", "1",
                         "--offset", "10", "--audit-topic", "audit-companion", "--public-key", str(key) + ".pub")
    assert proof.returncode == 0, proof.stderr
    (tmp_path / "p.json").write_text(proof.stdout)
    assert eventctl.run("verify-proof", str(tmp_path / "p.json"), "--public-key", str(key) + ".pub").returncode == 0

    # Long-running mode: time-based checkpoints while following, a final one on SIGTERM.
    follower = subprocess.Popen([str(eventctl.binary), "audit", "follow", "--bootstrap", broker.bootstrap,
                                 "--topics", "companion-source", "--audit-topic", "audit-companion",
                                 "--signing-key", str(key), "--checkpoint-interval-ms", "200"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(2)
        confluent_produce(broker.bootstrap, "companion-source", [Rec(key=b"live", value=b"live-%d" % i, partition=0) for i in range(3)])
        time.sleep(2)
    finally:
        follower.send_signal(signal.SIGTERM)
        _, err = follower.communicate(timeout=30)
    assert follower.returncode == 0, err
    check = replay(eventctl, broker, "companion-source", audit_topic="audit-companion", public_key=str(key) + ".pub")
    assert check.returncode == 0, check.stderr
    assert "OK topic companion-source partition 0: 13 records verified" in check.stderr
