"""CPU seconds and peak RSS of a process, from /proc (Linux)."""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_snapshot(pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds so far of each named process."""
    return {name: cpu_seconds(pid) for name, pid in pids.items()}


def cpu_per_thousand(
    before: dict[str, float], after: dict[str, float], applications: int
) -> dict[str, float | None]:
    """CPU seconds each process spent per 1,000 applications between two snapshots."""
    if applications <= 0:
        return dict.fromkeys(after)
    return {name: round((after[name] - before[name]) * 1000 / applications, 2) for name in after}
