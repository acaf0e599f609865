#!/usr/bin/env python3
"""Offline audit verification throughput: GB/s of record bytes for `eventctl verify --data-dir`.

Creates a data directory by running eventd and producing --total-mb MB of --value-bytes
values to an audited topic (acks=all, linger 5 ms, no compression), stops eventd cleanly
(final checkpoints), then times `eventctl verify --data-dir` --runs times. Record bytes are
the batch bytes in the segment files of the audited topic (what verify reads and hashes,
`__audit` excluded); the rate is record bytes / wall seconds of the eventctl process.

Prints one JSON object: {"record_bytes", "value_bytes", "seconds", "gb_per_s", ...} with
the median run in "seconds"/"gb_per_s" and min/max beside them, plus the median CPU
seconds of eventctl ("cpu_seconds", user + system). GB = 10^9 bytes.

    bench/audit/verify_throughput.py --value-bytes 1024 --total-mb 1024 --runs 5
"""

from __future__ import annotations

import argparse
import json
import resource
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eventd_process import DEFAULT_EVENTCTL, DEFAULT_EVENTD, Eventd, produce, summary  # noqa: E402

TOPIC = "bench-audited"


def record_bytes(data_dir: Path, topic: str) -> int:
    """Sum of the segment files (`<base offset>.log`) of every partition of `topic`."""
    total = 0
    for partition_dir in data_dir.glob(f"{topic}-*"):
        total += sum(f.stat().st_size for f in partition_dir.glob("*.log"))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eventd", type=Path, default=DEFAULT_EVENTD)
    parser.add_argument("--eventctl", type=Path, default=DEFAULT_EVENTCTL)
    parser.add_argument("--value-bytes", type=int, default=1024)
    parser.add_argument("--total-mb", type=float, default=1024, help="MB (10^6 bytes) of values to produce")
    parser.add_argument("--runs", type=int, default=5, help="timed verify runs (median, min, max reported)")
    parser.add_argument("--partitions", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="keep the data here (reused when it already holds data)")
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="verify-bench-"))
    data_dir = workdir / "data"
    count = int(args.total_mb * 1e6 / args.value_bytes)
    produce_seconds = None
    if not (args.workdir and record_bytes(data_dir, TOPIC) > 0):
        broker = Eventd(args.eventd, workdir, {TOPIC: {"partitions": str(args.partitions), "audit": "true"}})
        broker.start()
        try:
            produce_seconds = produce(broker.bootstrap, TOPIC, count, args.value_bytes, args.partitions)
        finally:
            broker.stop()
        (workdir / "bench.json").write_text(json.dumps({"records": count, "value_size": args.value_bytes}))
    else:
        made = json.loads((workdir / "bench.json").read_text())
        count, args.value_bytes = made["records"], made["value_size"]
    total = record_bytes(data_dir, TOPIC)
    try:
        if not args.eventctl.exists():
            raise SystemExit(f"eventctl not found: {args.eventctl} (swift build -c release --product eventctl, or pass --eventctl)")
        seconds, cpu = [], []
        for _ in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.monotonic()
            result = subprocess.run([str(args.eventctl), "verify", "--data-dir", str(data_dir)],
                                    capture_output=True, text=True, stdin=subprocess.DEVNULL)
            seconds.append(time.monotonic() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            if result.returncode != 0:
                raise SystemExit(f"eventctl verify exited {result.returncode}:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        rates = [total / s / 1e9 for s in seconds]
        s, r = summary(seconds), summary(rates)
        print(json.dumps({
            "record_bytes": total,
            "value_bytes": count * args.value_bytes,
            "seconds": round(s["median"], 4),
            "gb_per_s": round(r["median"], 3),
            "seconds_min": round(s["min"], 4), "seconds_max": round(s["max"], 4),
            "gb_per_s_min": round(r["min"], 3), "gb_per_s_max": round(r["max"], 3),
            # CPU seconds (user + system) of eventctl: on a shared machine the wall rate
            # also measures the other processes; the CPU figure does not.
            "cpu_seconds": round(summary(cpu)["median"], 4),
            "runs": args.runs, "value_size": args.value_bytes, "records": count,
            "partitions": args.partitions, "cores": os.cpu_count(),
            "produce_seconds": None if produce_seconds is None else round(produce_seconds, 2),
        }))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
