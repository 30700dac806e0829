"""`make bench`: start the real platform, drive it, write var/bench/report.{json,md}, latency.svg.

python -m bench                       # the full run (rates 10…4000/s, 20 s each, burst 100,000;
                                      # rates stop rising once one is not kept up with, and a
                                      # burst waits at most --budget s)
python -m bench --tiny                # seconds: keeps the harness working inside `make test`
python -m bench --rates 100,500 --duration 20 --burst 20000 --replay 200000
python -m bench --postgres            # the services on PostgreSQL (DATABASE_URL or local server)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform as host
import shutil
import sys
import tempfile
import time
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from shared.subjects import Namespace
from shared.testing.chaos import NATS_CONFIG, ROOT
from shared.testing.nats_server import NatsServer
from shared.testing.processes import Platform

from bench import freshness, phases, replay
from bench.ceiling import lean_pipeline, raw_publish
from bench.observe import Observer
from bench.procstat import cpu_per_thousand, cpu_snapshot, peak_rss_mb
from bench.report import write
from bench.stores import admin_url, no_databases, postgres_databases
from bench.targets import targets


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument(
        "--rates",
        default="10,50,100,500,1000,2000,4000",
        help="offered rates per second (rising until one is not kept up with)",
    )
    p.add_argument("--duration", type=float, default=20.0, help="seconds per rate")
    p.add_argument("--burst", type=int, default=100_000, help="partner events at once")
    p.add_argument("--http-burst", type=int, default=10_000, help="HTTP applications at once")
    p.add_argument("--ceiling", type=int, default=50_000, help="messages for the ceiling runs")
    p.add_argument("--replay", type=int, default=1_000_000, help="events to replay")
    p.add_argument("--freshness-rate", type=float, default=10.0, help="HTTP/s while watching SSE")
    p.add_argument("--grace", type=float, default=120.0, help="max wait for a phase to drain")
    p.add_argument(
        "--budget",
        type=float,
        default=600.0,
        help="max wait for a burst to finish; past it the burst reports what it got",
    )
    p.add_argument("--postgres", action="store_true", help="run the services on PostgreSQL")
    p.add_argument("--tiny", action="store_true")
    p.add_argument("--out", type=Path, default=ROOT / "var" / "bench")
    args = p.parse_args(argv)
    if args.budget < 60:
        p.error("--budget must be at least 60 s: the burst target is a minute")
    if args.tiny:
        args.rates, args.duration, args.burst, args.http_burst = "20", 1.5, 50, 20
        args.ceiling, args.replay, args.freshness_rate, args.grace = 1000, 3000, 20.0, 20.0
    return args


async def measure_ceiling(args: argparse.Namespace, workdir: Path, url: str) -> dict[str, float]:
    default_sync = NatsServer(workdir / "nats-default-sync").start()
    try:
        raw_default = await raw_publish(default_sync.url, args.ceiling)
    finally:
        default_sync.stop()
    return {
        "raw_publish_per_s": round(await raw_publish(url, args.ceiling), 1),
        "raw_publish_default_sync_per_s": round(raw_default, 1),
        "lean_pipeline_per_s": round(await lean_pipeline(url, args.ceiling // 2, workdir), 1),
    }


async def drive(
    args: argparse.Namespace,
    workdir: Path,
    nats_server: NatsServer,
    env: dict[str, str],
    lean: float,
) -> dict[str, Any]:
    """Start the four services and run every phase against them."""
    ns = Namespace("bench")
    services = Platform(nats_server.url, ns.prefix, workdir, {"LOG_LEVEL": "WARNING", **env})
    services.start()
    observer = await Observer(nats_server.url, ns).start()
    run = phases.Run(
        services, observer, nats_server.url, ns, lean, grace=args.grace, budget=args.budget
    )
    assert nats_server.proc is not None
    pids = {s: p.pid for s, p in services.procs.items()}
    pids.update(nats=nats_server.proc.pid, bench=os.getpid())
    groups: list[dict[str, Any]] = []
    cpu0 = cpu_snapshot(pids)

    async def measured(name: str, work: Any) -> Any:
        before, expected, started = cpu_snapshot(pids), run.expected, time.perf_counter()
        result = await work
        apps, wall = run.expected - expected, round(time.perf_counter() - started, 1)
        per = cpu_per_thousand(before, cpu_snapshot(pids), apps)
        groups.append({"phase": name, "applications": apps, "wall_s": wall, "cpu_s_per_1000": per})
        return result

    try:
        duration = min(args.duration, 10.0)
        fresh = await measured("freshness", freshness.measure(run, args.freshness_rate, duration))
        rates = [float(r) for r in args.rates.split(",")]
        sustained: list[dict[str, Any]] = []
        for kind in ("partner", "http"):
            sustained += await measured(f"{kind} sustained", _rates(run, kind, rates, args))
        # HTTP first: a partner burst larger than the budget leaves work behind, and
        # nothing is measured after it but replay (on a store of its own)
        bursts = {
            kind: await measured(f"{kind} burst", phases.burst(run, kind, count))
            for kind, count in (("http", args.http_burst), ("partner", args.burst))
        }
        cpu = cpu_snapshot(pids)
        processes = {
            s: {"cpu_s": round(cpu[s] - cpu0[s], 1), "peak_rss_mb": round(peak_rss_mb(p.pid), 1)}
            for s, p in services.procs.items()
        }
    finally:
        await observer.stop()
        services.stop()
    return {
        "freshness": fresh,
        "sustained": sustained,
        "burst": bursts,
        "processes": processes,
        "where_time_goes": {"processes": list(pids), "groups": groups},
        "points": run.points,
    }


async def _rates(
    run: phases.Run, kind: str, rates: list[float], args: argparse.Namespace
) -> list[dict[str, Any]]:
    """Rates in rising order, until one is not kept up with: higher ones cannot be either,
    and each would only pile up a backlog (hours of it at 4,000/s) before the next phase."""
    done: list[dict[str, Any]] = []
    for rate in sorted(rates):
        phase = await phases.sustained(run, kind, rate, args.duration)
        done.append(phase)
        if phases.fell_behind(phase):
            skipped = [r for r in sorted(rates) if r > rate]
            if skipped:
                print(f"{kind}: fell behind at {rate:g}/s; not offering {skipped}")
            break
    return done


async def run(args: argparse.Namespace, workdir: Path, command: str) -> dict[str, Any]:
    nats_server = NatsServer(workdir / "nats", None, "-c", str(NATS_CONFIG)).start()
    stores: AbstractAsyncContextManager[dict[str, str]] = (
        postgres_databases(admin_url()) if args.postgres else no_databases()
    )
    try:
        ceiling = await measure_ceiling(args, workdir, nats_server.url)
        async with stores as env:
            driven = await drive(args, workdir, nats_server, env, ceiling["lean_pipeline_per_s"])
    finally:
        nats_server.stop()
    points = driven.pop("points")
    report = {
        "machine": f"{host.machine()}, {os.cpu_count()} cores, Python {host.python_version()}",
        "store": "PostgreSQL (a database per service)" if args.postgres else "SQLite",
        "command": command,
        "ceiling": ceiling,
        **driven,
        "replay": await replay.measure(workdir, args.replay),
    }
    report["targets"] = targets(report)
    write(report, points, args.out)
    return report


def keep_logs(workdir: Path, logs: Path) -> None:
    """The services' and NATS's logs of the run, beside the report."""
    logs.mkdir(parents=True, exist_ok=True)
    for log in workdir.rglob("*.log"):
        shutil.copy(
            log,
            logs / f"{log.parent.name}-{log.name}" if log.name == "nats.log" else logs / log.name,
        )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    with tempfile.TemporaryDirectory(prefix="lotse-bench-") as tmp:
        try:
            asyncio.run(run(args, Path(tmp), " ".join(["python -m bench", *argv])))
        finally:
            keep_logs(Path(tmp), args.out / "logs")
    print((args.out / "report.md").read_text())
    print(f"report: {args.out}/report.json, report.md, latency.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
