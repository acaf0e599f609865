"""Caps a broker's memory, page cache included, with a cgroup — the broker's steady state.

Why: this machine is a VM whose kernel reports freed memory back to the host
(/sys/module/page_reporting). Touching such memory again costs a host page fault per
page: `dd` of 3 GB into fresh page cache took 4.5-7 s of system time here, the same
write into page cache pages just recycled 0.5-0.65 s. A broker that writes through
the page cache (eventd) would pay that fault on every byte it writes until the VM's
free memory is used up, so its CPU per message tripled from one 4-second run to the
next while its data directory grew — a property of the VM, not of the broker. In a
broker's steady state (a production container with a memory limit, or any machine
whose page cache is full) written pages are recycled. The benchmark runs eventd in a
memory cgroup (default 1 GiB, `--eventd-memory-mb`) so that it reaches that state
within its first second; Tansu's memory engine keeps every record on its heap and is
left uncapped. The cap can only cost eventd (reads of older data come from disk).

Works with cgroup v1 (`memory.limit_in_bytes`) or v2 (`memory.max`) when run as root;
elsewhere `MemoryCap.path` is None and the brokers run uncapped (reported as such).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOTS = [(Path("/sys/fs/cgroup/memory"), "memory.limit_in_bytes"), (Path("/sys/fs/cgroup"), "memory.max")]


class MemoryCap:
    def __init__(self, name: str, limit_bytes: int):
        self.limit_bytes = limit_bytes
        self.path: Path | None = None
        self.why_not = "no cap requested" if limit_bytes <= 0 else ""
        if limit_bytes <= 0:
            return
        for root, limit_file in ROOTS:
            if not (root / "cgroup.procs").exists() or (root == Path("/sys/fs/cgroup") and not (root / "cgroup.controllers").exists()):
                continue
            path = root / f"compliancelog-bench-{name}"
            try:
                path.mkdir(exist_ok=True)
                (path / limit_file).write_text(str(limit_bytes))
                self.path = path
                return
            except OSError as error:
                self.why_not = f"cannot create {path}: {error}"
        self.why_not = self.why_not or "no writable memory cgroup hierarchy"

    def enter(self) -> None:
        """For subprocess's `preexec_fn`: moves the child into the cgroup before it execs."""
        if self.path is not None:
            (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def describe(self) -> str:
        if self.path is None:
            return f"uncapped ({self.why_not})"
        return f"{self.limit_bytes >> 20} MiB memory cgroup ({self.path})"
