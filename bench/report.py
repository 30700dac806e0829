"""The benchmark report: JSON for machines, Markdown for people, an SVG latency-over-time plot."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[index]


def summary_ms(values_s: list[float]) -> dict[str, float | None]:
    ms = [v * 1000 for v in values_s]
    return {
        "p50": _r(percentile(ms, 50)),
        "p90": _r(percentile(ms, 90)),
        "p99": _r(percentile(ms, 99)),
        "max": _r(max(ms) if ms else None),
    }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def markdown(report: dict[str, Any]) -> str:
    ceiling = report["ceiling"]
    lines = [
        "# Lotse benchmark",
        "",
        f"Machine: {report['machine']}. Store: {report['store']}. One run; ratios are to the "
        "ceiling measured in the same run.",
        "",
        "## Ceiling (same NATS server)",
        "",
        "| measure | msg/s |",
        "|---|---|",
        f"| raw JetStream async publish (sync_interval: always, as Lotse runs) "
        f"| {_fmt(ceiling['raw_publish_per_s'])} |",
        f"| raw JetStream async publish (default fsync interval) "
        f"| {_fmt(ceiling['raw_publish_default_sync_per_s'])} |",
        f"| lean 3-hop pipeline (sync_interval: always) | {_fmt(ceiling['lean_pipeline_per_s'])} |",
        "",
        "## Sustained load over HTTP (open loop)",
        "",
        "| offered/s | achieved/s | accepted | ratio to lean | accept p50 ms | accept p99 ms "
        "| e2e p50 ms | e2e p90 ms | e2e p99 ms | e2e max ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for phase in report["sustained"]:
        acc, e2e = phase["accept_ms"], phase["e2e_ms"]
        lines.append(
            f"| {phase['offered_per_s']:g} | {_fmt(phase['achieved_per_s'])} | "
            f"{phase['accepted']}/{phase['offered']} | {_fmt(phase['ratio_to_lean'])} | "
            f"{_fmt(acc['p50'])} | {_fmt(acc['p99'])} | {_fmt(e2e['p50'])} | {_fmt(e2e['p90'])} | "
            f"{_fmt(e2e['p99'])} | {_fmt(e2e['max'])} |"
        )
    b = report["burst"]
    lines += [
        "",
        "## Burst",
        "",
        f"{b['count']} applications at once: accepted {b['accepted']}, all routed after "
        f"{_fmt(b['routed_s'])} s, all notified after {_fmt(b['notified_s'])} s, all counted after "
        f"{_fmt(b['counted_s'])} s; lost {b['lost']}.",
        "",
        "## Processes (whole run)",
        "",
        "| process | CPU s | peak RSS MB |",
        "|---|---|---|",
    ]
    for name, stats in report["processes"].items():
        lines.append(f"| {name} | {_fmt(stats['cpu_s'])} | {_fmt(stats['peak_rss_mb'])} |")
    lines += ["", "e2e = accepted by intake → notification sent by notify (observed on NATS).", ""]
    return "\n".join(lines)


def svg_plot(points: list[tuple[float, float]], title: str) -> str:
    """Latency (ms) over time (s) as a plain SVG scatter; no plotting library needed."""
    width, height, pad = 800, 360, 50
    if not points:
        points = [(0.0, 0.0)]
    max_t = max(p[0] for p in points) or 1.0
    max_ms = max(p[1] for p in points) or 1.0

    def x(t: float) -> float:
        return pad + (width - 2 * pad) * t / max_t

    def y(ms: float) -> float:
        return height - pad - (height - 2 * pad) * ms / max_ms

    dots = "".join(
        f'<circle cx="{x(t):.1f}" cy="{y(ms):.1f}" r="1.5" fill="#1f5fa8"/>' for t, ms in points
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{title}"><title>{title}</title>'
        f'<rect width="100%" height="100%" fill="white"/>'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'stroke="#333"/>'
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="#333"/>'
        f'<text x="{width / 2}" y="{height - 12}" text-anchor="middle" font-size="13">'
        f"seconds since start (max {max_t:.0f})</text>"
        f'<text x="14" y="{pad - 14}" font-size="13">end-to-end ms (max {max_ms:.0f})</text>'
        f"{dots}</svg>"
    )


def write(report: dict[str, Any], points: list[tuple[float, float]], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, indent=2))
    (out / "report.md").write_text(markdown(report))
    (out / "latency.svg").write_text(svg_plot(points, "Lotse end-to-end latency over time"))
