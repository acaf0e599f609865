"""Renders bench/run.py's results as a Markdown table and a chart.

Ratios are always ours/peer on the median. For throughput higher is better (a ratio
above 1 means eventd is faster); for latency and times lower is better (below 1 means
eventd is faster).
"""

from __future__ import annotations


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _cell(s: dict | None) -> str:
    if not s:
        return "–"
    return f"{_fmt(s['median'])} ({_fmt(s['min'])}–{_fmt(s['max'])})"


def _ratio(ours: dict | None, peer: dict | None) -> str:
    if not ours or not peer or not peer["median"]:
        return "–"
    return f"{ours['median'] / peer['median']:.2f}x"


def peer_rows(doc: dict):
    """(label, unit, full, plain, peer, higher_is_better) for every scenario measured on both."""
    full, plain, peer = doc["ours"]["full"], doc["ours"]["plain"], doc["peer"]
    for s in doc["scenarios"]:
        r = s.get("results", {})
        if peer not in r:
            continue
        if s["kind"] == "produce":
            for metric, unit in (("msg_per_s", "msg/s"), ("mb_per_s", "MB/s")):
                yield s["scenario"], unit, r.get(full, {}).get(metric), r.get(plain, {}).get(metric), r[peer][metric], True
        elif s["kind"] == "latency":
            for p in ("p50", "p99", "p999"):
                yield f"{s['scenario']} {p}", "ms", r.get(full, {}).get(p), r.get(plain, {}).get(p), r[peer][p], False
        elif s["kind"] == "consume":
            yield s["scenario"], "MB/s", r.get(full, {}).get("mb_per_s"), r.get(plain, {}).get("mb_per_s"), r[peer]["mb_per_s"], True
        elif s["kind"] == "rebalance":
            yield s["scenario"], "ms", r.get(full, {}).get("ms"), r.get(plain, {}).get("ms"), r[peer]["ms"], False


def markdown(doc: dict) -> str:
    m = doc["machine"]
    out = [
        "# eventd vs Tansu — latest run",
        "",
        f"Generated {doc['generated']} by `make bench` (`bench/run.py`). Machine: {m['cores']} cores ({m['cpu']}), "
        f"load average {m['loadavg_start'][0]:.1f} at start and {m['loadavg_end'][0]:.1f} at the end. "
        f"Client: librdkafka {m['librdkafka']} (bench/loadgen, compiled) for both brokers. Peer: {m.get('tansu', 'tansu')}, "
        f"memory engine. eventd commit {m['commit']}{' (with uncommitted changes)' if m['dirty'] else ''}.",
        "",
        f"Each cell: median (min–max) of {doc['settings']['runs']} runs, runs alternating between brokers. "
        "**full** = eventd with audit and schema validation on; **plain** = both off. acks=all, linger 5 ms, "
        f"{doc['settings'].get('producers', 1)} producer client(s) per produce run, "
        "no compression; eventd fsyncs before acking (group commit), Tansu keeps everything in memory "
        "and is restarted empty before each of its produce runs (its fastest state). "
        "Ratios are ours/Tansu: above 1 is better for throughput, below 1 is better for latency and times. "
        f"eventd memory, page cache included: {m.get('eventd_memory', 'uncapped')}; Tansu uncapped "
        "(why: bench/memory_cap.py — this VM returns freed memory to its host, so fresh page cache costs a host fault per page).",
        "",
        "| scenario | unit | eventd full | eventd plain | Tansu | full/Tansu | plain/Tansu |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, unit, full, plain, peer, _ in peer_rows(doc):
        out.append(f"| {label} | {unit} | {_cell(full)} | {_cell(plain)} | {_cell(peer)} | {_ratio(full, peer)} | {_ratio(plain, peer)} |")

    produce = [s for s in doc["scenarios"] if s["kind"] == "produce"]
    if produce:
        names = list(produce[0]["results"])
        out += ["", "## Produce, every variant (msg/s; broker CPU µs per message; load generator CPU in cores)", "",
                "| scenario | " + " | ".join(names) + " |", "| --- |" + " --- |" * len(names)]
        for s in produce:
            cells = []
            for n in names:
                r = s["results"][n]
                cells.append(f"{_fmt(r['msg_per_s']['median'])} · {_fmt(r['broker_cpu_us_per_msg']['median'])} µs · "
                             f"{r['loadgen_cpu_cores']['median']:.2f}" + (" ⚠" if r['loadgen_cpu_cores']['median'] >= 0.9 else "")
                             + (f" · **{r['errors']} errors**" if r["errors"] else ""))
            out.append(f"| {s['scenario']} | " + " | ".join(cells) + " |")
        out += ["", f"⚠ = the load generator used ≥ 0.9 of a core's time on this {m['cores']}-core machine: it shares "
                "the cores with the broker, so that figure is bounded by the machine as much as by the broker.",
                "", "Overheads from these runs (1 − variant/plain, msg/s medians):", ""]
        plain = doc["ours"]["plain"]
        for s in produce:
            r = s["results"]
            base = r[plain]["msg_per_s"]["median"]
            parts = []
            for n in names:
                if n.startswith("eventd") and n != plain:
                    parts.append(f"{n.removeprefix('eventd-')}: {(1 - r[n]['msg_per_s']['median'] / base) * 100:+.1f}%")
            out.append(f"- {s['scenario']}: " + ", ".join(parts))

    extra = [s for s in doc["scenarios"] if s["kind"] in ("recovery", "verify", "audit-overhead")]
    if extra:
        out += ["", "## eventd only", ""]
        for s in extra:
            if s["kind"] == "recovery":
                r = s["results"]["eventd-recovery"]
                out.append(f"- {s['scenario']}: listening after {_cell(r['listening_s'])} s; first acks=all produce "
                           f"answered after {_cell(r['first_produce_s'])} s. Then, stopped cleanly, `eventctl verify "
                           f"--data-dir` over its {r['verify_record_bytes'] / 1e9:.2f} GB of segment files: "
                           f"{_cell(r['verify_gb_per_s'])} GB/s (measured by bench/run.py itself).")
            elif s["kind"] == "verify":
                ssl = s.get("openssl_sha256_16k_gb_per_s")
                if "results" in s:
                    raw = s["results"]["eventd"]["raw"]
                    out.append(f"- {s['scenario']}: {_cell(s['results']['eventd']['gb_per_s'])} GB/s over "
                               f"{raw['record_bytes'] / 1e9:.2f} GB of record bytes ({raw['value_size']} B values, "
                               f"bench/audit/verify_throughput.py); `openssl speed -evp sha256` (16 KiB blocks, one core): "
                               f"{_fmt(ssl)} GB/s.")
                else:
                    out.append(f"- {s['scenario']}: {s.get('note')}; openssl sha256: {_fmt(ssl)} GB/s.")
            else:
                raw = s.get("raw")
                if raw:
                    out.append(f"- {s['scenario']}: audit costs {raw['overhead_pct']}% of msg/s "
                               f"({raw['audit_off']['messages_per_s']} → {raw['audit_on']['messages_per_s']} msg/s) and "
                               f"{raw['broker_cpu_overhead_pct']}% more broker CPU per message.")
                else:
                    out.append(f"- {s['scenario']}: {s.get('note')}")
    failed = [s for s in doc["scenarios"] if s["kind"] == "error"]
    if failed:
        out += ["", "## Scenarios that failed in this run", ""]
        out += [f"- {s['scenario']}: {s['error']}" for s in failed]
    rss = m.get("broker_rss_mb")
    if rss:
        out += ["", "Broker resident memory at the end of the peer scenarios (MiB): "
                + ", ".join(f"{k} {v}" for k, v in rss.items()) + "."]
    out += ["", f"Settings: `{ {k: v for k, v in doc['settings'].items() if k not in ('out',)} }`", ""]
    return "\n".join(out)


def chart(doc: dict, path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = list(peer_rows(doc))
    if not rows:
        return
    labels, full, plain = [], [], []
    for label, unit, f, p, peer, higher in rows:
        if unit == "MB/s" and "produce" in label:
            continue  # the msg/s row carries the same ratio
        labels.append(f"{label} [{unit}]" + ("" if higher else " (lower is better)"))
        full.append(f["median"] / peer["median"] if f and peer["median"] else 0)
        plain.append(p["median"] / peer["median"] if p and peer["median"] else 0)
    fig, ax = plt.subplots(figsize=(11, 0.55 * len(labels) + 1.8))
    y = range(len(labels))
    ax.barh([i + 0.2 for i in y], full, height=0.4, label="eventd full (audit + validation)", color="#1f77b4")
    ax.barh([i - 0.2 for i in y], plain, height=0.4, label="eventd plain", color="#aec7e8")
    ax.axvline(1.0, color="black", linewidth=1)
    ax.set_yticks(list(y))
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("ratio eventd / Tansu (median; log scale; 1 = parity)")
    ax.set_title(f"eventd vs Tansu, {doc['generated'][:16].replace('T', ' ')} UTC\n"
                 f"{doc['machine']['cores']} cores, load average {doc['machine']['loadavg_start'][0]:.1f}", fontsize=10)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
