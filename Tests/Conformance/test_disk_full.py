"""Disk full: on a small tmpfs, produce gets KAFKA_STORAGE_ERROR (56) once the disk is full,
nothing already stored is damaged (no torn batch, index entries on batch boundaries, audit chain
intact), and produce works again once space is freed.

Needs root (mount -t tmpfs); CI runs as root.
"""

from __future__ import annotations

import os
import struct
import subprocess
import time
from pathlib import Path

import pytest

from clients import Rec, confluent_consume, confluent_produce
from conftest import Broker, _binary
from kafka_helpers import RawRecord, crc32c, encode_record_batch, produce_raw

TOPIC = "ledger"
TOPICS = {TOPIC: {"partitions": 2, "audit": "true"}}
EVENTD_ARGS = ["--audit-checkpoint-interval-ms", "100"]
KAFKA_STORAGE_ERROR = 56
FS_SIZE = 8 * 1024 * 1024
HEADROOM = 512 * 1024  # left free after the ballast: room for a few batches, then full


@pytest.fixture
def small_fs(tmp_path):
    mnt = tmp_path / "fs"
    mnt.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={FS_SIZE}", "tmpfs", str(mnt)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"cannot mount a {FS_SIZE}-byte tmpfs (needs root): {result.stderr.strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.fixture
def full_broker(tmp_path, small_fs):
    b = Broker(_binary(), tmp_path / "broker", TOPICS, EVENTD_ARGS)
    b.data_dir = small_fs / "data"  # logs on the small filesystem, eventd's own stderr log beside the test
    b.data_dir.mkdir()
    b.start()
    yield b
    if b.running:
        b.stop()
    b.kill9()


def free_bytes(path: Path) -> int:
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def fill(path: Path, leave: int) -> Path:
    ballast = path / "ballast"
    with open(ballast, "wb") as f:
        chunk = b"\0" * (1 << 20)
        remaining = free_bytes(path) - leave
        while remaining > 0:
            f.write(chunk[:min(len(chunk), remaining)])
            remaining -= len(chunk)
    return ballast


def top_up(ballast: Path) -> None:
    """Grows the ballast until the filesystem has no byte left."""
    fd = os.open(ballast, os.O_WRONLY | os.O_APPEND)
    try:
        for size in (1 << 16, 1 << 12, 1 << 8, 1):
            while True:
                try:
                    if os.write(fd, b"\0" * size) < size:
                        break
                except OSError:
                    break
    finally:
        os.close(fd)


def big_batch(i: int) -> tuple[bytes, bytes]:
    value = (b"%06d-" % i) * (64 * 1024 // 7)
    return encode_record_batch([RawRecord(key=b"k%d" % i, value=value)]), value


def check_partition_files(directory: Path) -> int:
    """Every segment is a run of whole batches with valid CRCs, and every offset-index entry points
    at the start of the batch it names. Returns the number of batches."""
    count = 0
    for log in sorted(directory.glob("*.log")):
        data = log.read_bytes()
        base = int(log.stem)
        starts: dict[int, int] = {}
        pos = 0
        while pos < len(data):
            assert len(data) - pos >= 61, f"{log}: {len(data) - pos} trailing bytes at {pos}, a torn batch"
            offset, length = struct.unpack_from(">qi", data, pos)
            end = pos + 12 + length
            assert end <= len(data), f"{log}: batch at {pos} runs past the end of the file (torn write)"
            (crc,) = struct.unpack_from(">I", data, pos + 17)
            assert crc32c(data[pos + 21:end]) == crc, f"{log}: bad CRC in the batch at {pos}"
            starts[pos] = offset
            pos = end
            count += 1
        index = (directory / f"{log.stem}.index").read_bytes()
        assert len(index) % 8 == 0, f"{log.stem}.index: {len(index)} bytes, not whole entries"
        for at in range(0, len(index), 8):
            relative, position = struct.unpack_from(">II", index, at)
            assert starts.get(position) == base + relative, \
                f"{log.stem}.index entry {at // 8} ({relative}, {position}) is not a batch start"
    return count


def test_disk_full_refuses_then_recovers(full_broker, eventctl):
    b = full_broker
    before = [Rec(key=b"a%d" % i, value=b"stored-before-%d" % i, partition=i % 2) for i in range(200)]
    confluent_produce(b.bootstrap, TOPIC, before, acks="all")

    ballast = fill(b.data_dir.parent, HEADROOM)
    stored: list[bytes] = []
    codes: list[int] = []
    for i in range(64):
        batch, value = big_batch(i)
        [part] = produce_raw(b.bootstrap, TOPIC, 0, batch)
        codes.append(part.error_code)
        if part.error_code == 0:
            stored.append(value)
        elif len([c for c in codes if c != 0]) >= 4:
            break
    refused = [c for c in codes if c != 0]
    assert stored, "nothing fit in the headroom: the test filled the disk too far"
    assert refused and set(refused) == {KAFKA_STORAGE_ERROR}, f"error codes while full: {codes}"

    # Now truly full (not a byte left): small records may still land in the slack of a file's
    # last page, but the audit checkpoints that follow them soon cannot be written. Their leaves
    # must then be carried by a later checkpoint, not lost.
    top_up(ballast)
    for i in range(20):
        value = b"while-full-%02d" % i
        [part] = produce_raw(b.bootstrap, TOPIC, 1, encode_record_batch([RawRecord(key=b"f%d" % i, value=value)]))
        assert part.error_code in (0, KAFKA_STORAGE_ERROR), f"error {part.error_code} while full"
        if part.error_code == 0:
            stored.append(value)
        time.sleep(0.15)
    assert "cannot write audit checkpoint" in b.stderr_tail(200_000), "no audit checkpoint failed while full"

    # While still full: the partition holds only whole, valid batches, and everything acknowledged reads back.
    check_partition_files(b.data_dir / f"{TOPIC}-0")
    got = confluent_consume(b.bootstrap, TOPIC, [0, 1], len(before) + len(stored), timeout=60)
    assert sorted(g.value for g in got) == sorted([r.value for r in before] + stored)

    # Space back: produce works again, through the raw request and through a real client.
    ballast.unlink()
    batch, value = big_batch(1000)
    [part] = produce_raw(b.bootstrap, TOPIC, 0, batch)
    assert part.error_code == 0, f"produce after freeing space: error {part.error_code}"
    stored.append(value)
    after = [Rec(key=b"z%d" % i, value=b"stored-after-%d" % i, partition=i % 2) for i in range(50)]
    confluent_produce(b.bootstrap, TOPIC, after, acks="all")

    assert b.stop() == 0
    for p in (0, 1):
        check_partition_files(b.data_dir / f"{TOPIC}-{p}")
    result = eventctl.run("verify", "--data-dir", str(b.data_dir))
    assert result.returncode == 0, f"audit verification failed:\n{result.stdout}\n{result.stderr}"

    b.start()
    expected = [r.value for r in before] + stored + [r.value for r in after]
    got = confluent_consume(b.bootstrap, TOPIC, [0, 1], len(expected), timeout=60)
    assert sorted(g.value for g in got) == sorted(expected)
