"""The benchmark report: JSON for machines, Markdown for people, an SVG latency-over-time plot."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from bench.plot import svg_plot


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
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _pct(ratio: float | None) -> str:
    return "n/a" if ratio is None else f"{ratio:.1%}"


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(_fmt(v) for v in row) + " |" for row in rows]


def _ceiling(report: dict[str, Any]) -> list[str]:
    c = report["ceiling"]
    return [
        "## Ceiling (same NATS server)",
        "",
        *_table(
            ["measure", "msg/s"],
            [
                [
                    "raw JetStream async publish (sync_interval: always, as Lotse runs)",
                    c["raw_publish_per_s"],
                ],
                [
                    "raw JetStream async publish (default fsync interval)",
                    c["raw_publish_default_sync_per_s"],
                ],
                ["lean 3-hop pipeline (sync_interval: always)", c["lean_pipeline_per_s"]],
            ],
        ),
    ]


def _sustained(report: dict[str, Any]) -> list[str]:
    lines = [
        "## Sustained load (open loop)",
        "",
        "accept = partner: publish → JetStream ack; HTTP: request → 201. e2e = accepted → routed "
        "and notified (observed on NATS). processed/s = cases done ÷ (last done - first sent).",
        "",
    ]
    rows = [
        [p["kind"], p["offered_per_s"], p["achieved_per_s"], p["processed_per_s"],
         f"{p['accepted']}/{p['offered']}", p["lost"], _pct(p["ratio_to_lean"]),
         p["accept_ms"]["p50"], p["accept_ms"]["p99"], p["routed_ms"]["p99"],
         p["e2e_ms"]["p50"], p["e2e_ms"]["p90"], p["e2e_ms"]["p99"], p["e2e_ms"]["max"],
         p["counted_after_s"]]
        for p in report["sustained"]
    ]  # fmt: skip
    header = ["via", "offered/s", "achieved/s", "processed/s", "accepted", "lost",
              "ratio to lean", "accept p50 ms", "accept p99 ms", "routed p99 ms", "e2e p50 ms",
              "e2e p90 ms", "e2e p99 ms", "e2e max ms", "counted after s"]  # fmt: skip
    return lines + _table(header, rows)


def _burst_and_freshness(report: dict[str, Any]) -> list[str]:
    lines = ["## Burst (all at once; seconds from the first submission)", ""]
    rows = [
        [b["kind"], b["count"], b["accepted"], b["accepted_s"], b["routed_s"], b["notified_s"],
         b["counted_s"], b.get("routed"), b.get("notified"), b.get("processed"),
         b.get("processed_per_s"), b["lost"]]
        for b in report["burst"].values()
    ]  # fmt: skip
    header = ["via", "count", "accepted", "all accepted s", "all routed s", "all notified s",
              "all counted s", "routed", "notified", "both (done)", "done/s",
              "lost"]  # fmt: skip
    lines += [
        "A blank time was not reached within the budget (`--budget`); lost is then blank "
        "(unknown): the work was still going on.",
        "",
    ]
    f = report["freshness"]
    ms = f["freshness_ms"]
    return [
        *lines,
        *_table(header, rows),
        "",
        "## Queue freshness (HTTP 201 → ticket on the team's SSE stream)",
        "",
        f"{f['accepted']} applications at {f['offered_per_s']:g}/s, {f['seen']} seen on "
        f"{f['streams_connected']}/{len(f['teams'])} team streams ({', '.join(f['teams'])}): "
        f"p50 {_fmt(ms['p50'])} ms, p90 {_fmt(ms['p90'])} ms, p99 {_fmt(ms['p99'])} ms, "
        f"max {_fmt(ms['max'])} ms.",
    ]


def _replay(report: dict[str, Any]) -> list[str]:
    r = report["replay"]
    return [
        "## Replay (metrics projection rebuilt from the streams)",
        "",
        f"`{r['command']}`: {_fmt(r['events'])} of {_fmt(r['seeded'])} seeded events "
        f"({r['skipped']} skipped) in {_fmt(r['replay_s'])} s = **{_fmt(r['events_per_s'])} "
        f"events/s** ({_fmt(r['wall_events_per_s'])}/s counting process start, "
        f"{_fmt(r['wall_s'])} s); exit code {r['exit_code']}.",
    ]


def _processes(report: dict[str, Any]) -> list[str]:
    where = report["where_time_goes"]
    names = where["processes"]
    rows = [
        [g["phase"], g["applications"], g["wall_s"], *(g["cpu_s_per_1000"][n] for n in names)]
        for g in where["groups"]
    ]
    return [
        "## Processes (whole run)",
        "",
        *_table(
            ["process", "CPU s", "peak RSS MB"],
            [[n, s["cpu_s"], s["peak_rss_mb"]] for n, s in report["processes"].items()],
        ),
        "",
        "## Where the time goes (CPU seconds per 1,000 applications)",
        "",
        "`bench` is this load generator and observer; `nats` the server.",
        "",
        *_table(["phase", "applications", "wall s", *names], rows),
    ]


def _actual(row: dict[str, Any]) -> str:
    return _pct(row["actual"]) if row["goal"].endswith("30 %") else _fmt(row["actual"])


def _targets(report: dict[str, Any]) -> list[str]:
    rows = [
        [t["target"], t["goal"], _actual(t), f"**{t['status']}**", t["note"]]
        for t in report["targets"]
    ]
    return ["## Targets (issue 8)", "", *_table(["target", "goal", "this run", "", "note"], rows)]


def markdown(report: dict[str, Any]) -> str:
    lines = [
        "# Lotse benchmark",
        "",
        f"Machine: {report['machine']}. Store: {report['store']}. One run; ratios are to the "
        "ceiling measured in the same run.",
        f"Command: `{report['command']}`",
        "",
    ]
    for section in (_targets, _ceiling, _sustained, _burst_and_freshness, _replay, _processes):
        lines += [*section(report), ""]
    return "\n".join(lines)


def write(report: dict[str, Any], points: dict[str, list[tuple[float, float]]], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, indent=2))
    (out / "report.md").write_text(markdown(report))
    (out / "latency.svg").write_text(svg_plot(points, "Lotse end-to-end latency over time"))
