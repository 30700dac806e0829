"""`make bench`: start the real platform, drive it, write var/bench/report.{json,md}, latency.svg.

python -m bench                       # the full run (rates 100…4000/s, 20 s each, burst 100,000)
python -m bench --tiny                # seconds: keeps the harness working inside `make test`
python -m bench --rates 100,500 --duration 20 --burst 20000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform as host
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from shared.subjects import Namespace
from shared.testing.chaos import NATS_CONFIG, ROOT
from shared.testing.nats_server import NatsServer
from shared.testing.processes import Platform

from bench.ceiling import lean_pipeline, raw_publish
from bench.load import LoadResult, burst, open_loop
from bench.observe import Observer
from bench.procstat import cpu_seconds, peak_rss_mb
from bench.report import summary_ms, write


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rates", default="100,500,1000,2000,4000")
    p.add_argument("--duration", type=float, default=20.0)
    p.add_argument("--burst", type=int, default=100_000)
    p.add_argument("--ceiling", type=int, default=50_000, help="messages for the ceiling runs")
    p.add_argument("--tiny", action="store_true")
    p.add_argument("--out", type=Path, default=ROOT / "var" / "bench")
    args = p.parse_args(argv)
    if args.tiny:
        args.rates, args.duration, args.burst, args.ceiling = "20", 2.0, 50, 2000
    return args


async def wait_until(check: Any, timeout: float) -> float | None:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if await check():
            return round(time.perf_counter() - started, 2)
        await asyncio.sleep(0.1)
    return None


def phase_report(result: LoadResult, observer: Observer, lean: float) -> dict[str, Any]:
    accepted = result.accepted
    span = (
        max((s.accepted_at or 0) for s in accepted) - min(s.sent_at for s in result.samples)
        if accepted
        else 0
    )
    achieved = len(accepted) / span if span else 0.0
    e2e = [
        observer.notified[s.case_id] - s.accepted_at
        for s in accepted
        if s.case_id in observer.notified and s.accepted_at is not None
    ]
    return {
        "offered_per_s": result.offered_rate,
        "offered": len(result.samples),
        "accepted": len(accepted),
        "achieved_per_s": round(achieved, 1),
        "ratio_to_lean": round(achieved / lean, 3) if lean else None,
        "accept_ms": summary_ms([s.accepted_at - s.sent_at for s in accepted if s.accepted_at]),
        "e2e_ms": summary_ms(e2e),
    }


async def counted(metrics_url: str, expected: int) -> bool:
    async with httpx.AsyncClient(timeout=5) as client:
        kpis = (await client.get(f"{metrics_url}/v1/kpis")).json()
    return int(kpis["applications_received"]) >= expected


async def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    default_sync = NatsServer(workdir / "nats-default-sync").start()
    raw_default = await raw_publish(default_sync.url, args.ceiling)
    default_sync.stop()
    nats_server = NatsServer(workdir / "nats", None, "-c", str(NATS_CONFIG)).start()
    ceiling = {
        "raw_publish_per_s": round(await raw_publish(nats_server.url, args.ceiling), 1),
        "raw_publish_default_sync_per_s": round(raw_default, 1),
        "lean_pipeline_per_s": round(
            await lean_pipeline(nats_server.url, args.ceiling // 2, workdir), 1
        ),
    }
    lean = ceiling["lean_pipeline_per_s"]
    ns = Namespace("bench")
    services = Platform(nats_server.url, ns.prefix, workdir, {"LOG_LEVEL": "WARNING"}).start()
    observer = await Observer(nats_server.url, ns).start()
    cpu0 = {s: cpu_seconds(p.pid) for s, p in services.procs.items()}
    points: list[tuple[float, float]] = []
    origin = time.perf_counter()
    try:
        sustained, offset, total = [], 0, 0
        for rate in (float(r) for r in args.rates.split(",")):
            result = await open_loop(services.url("intake"), rate, args.duration, offset)
            offset += len(result.samples)
            total += len(result.accepted)
            await wait_until(lambda t=total: _all_notified(observer, t), 60 + total / 50)
            sustained.append(phase_report(result, observer, lean))
            points += [
                (s.accepted_at - origin, (observer.notified[s.case_id] - s.accepted_at) * 1000)
                for s in result.accepted
                if s.case_id in observer.notified and s.accepted_at
            ]
        burst_report = await run_burst(args, services, observer, offset, total)
        processes = {
            s: {
                "cpu_s": round(cpu_seconds(p.pid) - cpu0[s], 1),
                "peak_rss_mb": round(peak_rss_mb(p.pid), 1),
            }
            for s, p in services.procs.items()
        }
    finally:
        await observer.stop()
        services.stop()
        nats_server.stop()
    report = {
        "machine": f"{host.machine()}, {os.cpu_count()} cores, Python {host.python_version()}",
        "store": "SQLite",
        "ceiling": ceiling,
        "sustained": sustained,
        "burst": burst_report,
        "processes": processes,
    }
    write(report, points, args.out)
    return report


async def run_burst(
    args: argparse.Namespace, services: Platform, observer: Observer, offset: int, before: int
) -> dict[str, Any]:
    """All at once; each figure is seconds from the first submission until all were done."""
    started = time.perf_counter()
    result = await burst(services.url("intake"), args.burst, offset=offset)
    accepted = {s.case_id for s in result.accepted}
    timeout = 120 + args.burst / 50
    checks = {
        "routed_s": lambda: _all_in(observer.routed, accepted),
        "notified_s": lambda: _all_in(observer.notified, accepted),
        "counted_s": lambda: counted(services.url("metrics"), before + len(accepted)),
    }
    report: dict[str, Any] = {"count": args.burst, "accepted": len(accepted)}
    for key, check in checks.items():
        done = await wait_until(check, timeout)
        report[key] = None if done is None else round(time.perf_counter() - started, 2)
    report["lost"] = len(accepted - set(observer.notified))
    return report


async def _all_notified(observer: Observer, total: int) -> bool:
    return len(observer.notified) >= total


async def _all_in(seen: dict[str, float], wanted: set[str | None]) -> bool:
    return all(case in seen for case in wanted)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    with tempfile.TemporaryDirectory(prefix="lotse-bench-") as tmp:
        asyncio.run(run(args, Path(tmp)))
    print((args.out / "report.md").read_text())
    print(f"report: {args.out}/report.json, report.md, latency.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
