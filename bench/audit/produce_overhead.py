#!/usr/bin/env python3
"""Produce throughput with the audit chain on versus off, against one release eventd.

Declares two topics that differ only in `audit`, then produces --total-mb MB of
--value-bytes values to each (confluent-kafka, acks=all, linger 5 ms, no compression),
alternating plain/audited for --runs rounds so that background load hits both alike.
Besides wall throughput it reports the broker's CPU seconds per produced GB (from
/proc/PID/stat), which still shows the cost of auditing when the load generator, not
the broker, is the bottleneck.

Prints one JSON object: {"audit_off": {...}, "audit_on": {...}, "overhead_pct": ...}
where overhead_pct = (1 - median on / median off) * 100 of messages/s (positive = slower
with audit), and "broker_cpu_overhead_pct" compares broker CPU per message.

    bench/audit/produce_overhead.py --value-bytes 1024 --total-mb 200 --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from eventd_process import DEFAULT_EVENTD, Eventd, produce, summary  # noqa: E402
from memory_cap import MemoryCap  # noqa: E402

PLAIN, AUDITED = "bench-plain", "bench-audited"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eventd", type=Path, default=DEFAULT_EVENTD)
    parser.add_argument("--value-bytes", type=int, default=1024)
    parser.add_argument("--total-mb", type=float, default=200, help="MB (10^6 bytes) of values per run and topic")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--partitions", type=int, default=1)
    parser.add_argument("--linger-ms", type=int, default=5)
    parser.add_argument("--memory-mb", type=int, default=1024,
                        help="memory cgroup cap for eventd, page cache included (0: none); see bench/memory_cap.py")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="audit-overhead-bench-"))
    count = int(args.total_mb * 1e6 / args.value_bytes)
    spec = {"partitions": str(args.partitions)}
    broker = Eventd(args.eventd, workdir, {PLAIN: {**spec, "audit": "false"}, AUDITED: {**spec, "audit": "true"}},
                    memory_cap=MemoryCap("produce-overhead", args.memory_mb << 20))
    broker.start()
    results: dict[str, dict[str, list[float]]] = {t: {"seconds": [], "cpu": []} for t in (PLAIN, AUDITED)}
    try:
        # Warm-up: connections, metadata, first segment files.
        for topic in (PLAIN, AUDITED):
            produce(broker.bootstrap, topic, min(count, 20_000), args.value_bytes, args.partitions, args.linger_ms)
        for run in range(args.runs):
            order = (PLAIN, AUDITED) if run % 2 == 0 else (AUDITED, PLAIN)
            for topic in order:
                cpu_before = broker.cpu_seconds()
                seconds = produce(broker.bootstrap, topic, count, args.value_bytes, args.partitions, args.linger_ms)
                results[topic]["cpu"].append(broker.cpu_seconds() - cpu_before)
                results[topic]["seconds"].append(seconds)
    finally:
        broker.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    def side(topic: str) -> dict:
        rates = [count / s for s in results[topic]["seconds"]]
        mbs = [count * args.value_bytes / s / 1e6 for s in results[topic]["seconds"]]
        cpu_us = [c / count * 1e6 for c in results[topic]["cpu"]]
        r, m, c = summary(rates), summary(mbs), summary(cpu_us)
        return {
            "messages_per_s": round(r["median"]), "messages_per_s_min": round(r["min"]), "messages_per_s_max": round(r["max"]),
            "mb_per_s": round(m["median"], 1), "mb_per_s_min": round(m["min"], 1), "mb_per_s_max": round(m["max"], 1),
            "broker_cpu_us_per_message": round(c["median"], 3),
            "broker_cpu_us_per_message_min": round(c["min"], 3), "broker_cpu_us_per_message_max": round(c["max"], 3),
        }

    off, on = side(PLAIN), side(AUDITED)
    print(json.dumps({
        "value_size": args.value_bytes, "messages_per_run": count, "runs": args.runs,
        "partitions": args.partitions, "linger_ms": args.linger_ms, "acks": "all", "cores": os.cpu_count(),
        "audit_off": off, "audit_on": on,
        "overhead_pct": round((1 - on["messages_per_s"] / off["messages_per_s"]) * 100, 1),
        "broker_cpu_overhead_pct": round((on["broker_cpu_us_per_message"] / off["broker_cpu_us_per_message"] - 1) * 100, 1),
    }))


if __name__ == "__main__":
    main()
