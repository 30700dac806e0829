"""The measured phases against the running platform: sustained load and bursts.

Phases run one after another; each waits until the pipeline has drained (every accepted
application routed and notified) before the next begins, so their figures do not mix.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from shared.subjects import Namespace
from shared.testing.processes import Platform
from tqdm import tqdm

from bench import load, partner
from bench.load import LoadResult
from bench.observe import Observer
from bench.report import summary_ms

Check = Callable[[], Awaitable[bool]]


async def wait_until(check: Check, timeout: float) -> float | None:
    """Seconds until ``check`` held, or None after ``timeout``."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if await check():
            return round(time.perf_counter() - started, 2)
        await asyncio.sleep(0.1)
    return None


async def drain(run: Run, timeout: float, desc: str) -> float | None:
    """Wait (with a progress bar of notified cases) until every accepted case is done."""
    seen = run.observer.notified
    with tqdm(total=run.expected, desc=desc, unit="case", leave=False) as bar:

        async def check() -> bool:
            bar.update(min(len(seen), run.expected) - bar.n)
            return await run.drained()

        return await wait_until(check, timeout)


@dataclass
class Run:
    services: Platform
    observer: Observer
    nats_url: str
    ns: Namespace
    lean: float
    origin: float = field(default_factory=time.perf_counter)
    points: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    offset: int = 0  # the next synthetic applicant's number (each applicant is new)
    expected: int = 0  # accepted applications the pipeline must finish
    grace: float = 120.0  # seconds a phase waits for the pipeline beyond its size / 50 per s
    budget: float = 600.0  # seconds a burst waits at most before it reports what it got

    def take(self, count: int) -> int:
        start, self.offset = self.offset, self.offset + count
        return start

    @property
    def inbound(self) -> str:
        return self.ns.inbound_subject("applications", 1)

    async def drained(self) -> bool:
        o = self.observer
        return len(o.routed) >= self.expected and len(o.notified) >= self.expected

    async def counted(self) -> bool:
        url = f"{self.services.url('metrics')}/v1/kpis"
        async with httpx.AsyncClient(timeout=5) as client:
            kpis = (await client.get(url)).json()
        return int(kpis["applications_received"]) >= self.expected


async def sustained(run: Run, kind: str, rate: float, duration: float) -> dict[str, Any]:
    """Offer ``rate``/s for ``duration`` s over ``kind`` (partner events or HTTP), then drain."""
    count = int(rate * duration)
    if kind == "partner":
        result = await partner.open_loop(run.nats_url, run.inbound, rate, duration, run.take(count))
    else:
        result = await load.open_loop(run.services.url("intake"), rate, duration, run.take(count))
    run.expected += len(result.accepted)
    sent = time.perf_counter()
    await drain(run, run.grace + count / 50, f"drain {kind} {rate:g}/s")
    drained_s = time.perf_counter() - sent
    counted_s = await wait_until(run.counted, run.grace)
    run.observer.resolve(result.samples)
    report = phase_report(result, run.observer, run.lean)
    report.update(kind=kind, drained_after_s=round(drained_s, 2), counted_after_s=counted_s)
    run.points.setdefault(kind, []).extend(
        (s.accepted_at - run.origin, (done - s.accepted_at) * 1000)
        for s in result.accepted
        if s.accepted_at and (done := run.observer.done_at(s.case_id))
    )
    return report


def phase_report(result: LoadResult, observer: Observer, lean: float) -> dict[str, Any]:
    accepted = result.accepted
    first = min((s.sent_at for s in result.samples), default=0.0)
    last_accept = max((s.accepted_at or 0.0 for s in accepted), default=first)
    achieved = len(accepted) / (last_accept - first) if last_accept > first else 0.0
    done = {id(s): observer.done_at(s.case_id) for s in accepted}
    finished = [t for t in done.values() if t is not None]
    processed = len(finished) / (max(finished) - first) if finished else 0.0
    return {
        "offered_per_s": result.offered_rate,
        "offered": len(result.samples),
        "accepted": len(accepted),
        "achieved_per_s": round(achieved, 1),
        "processed_per_s": round(processed, 1),
        "ratio_to_lean": round(processed / lean, 3) if lean else None,
        "lost": len(accepted) - len(finished),
        "accept_ms": summary_ms([s.accepted_at - s.sent_at for s in accepted if s.accepted_at]),
        "routed_ms": summary_ms(
            [
                observer.routed[s.case_id] - (s.accepted_at or 0)
                for s in accepted
                if s.case_id in observer.routed
            ]
        ),
        "e2e_ms": summary_ms([t - (s.accepted_at or 0) for s in accepted if (t := done[id(s)])]),
    }


async def burst(run: Run, kind: str, count: int) -> dict[str, Any]:
    """``count`` at once; each figure is seconds from the first submission until all were done."""
    started = time.perf_counter()
    if kind == "partner":
        result = await partner.burst(run.nats_url, run.inbound, count, run.take(count))
    else:
        result = await load.burst(run.services.url("intake"), count, offset=run.take(count))
    before, run.expected = run.expected, run.expected + len(result.accepted)
    report: dict[str, Any] = {
        "kind": kind,
        "count": count,
        "accepted": len(result.accepted),
        "accepted_s": round(time.perf_counter() - started, 2),
    }
    observer, timeout = run.observer, min(run.grace + count / 50, run.budget)
    checks: dict[str, Check] = {
        "routed_s": lambda: _at_least(observer.routed, run.expected),
        "notified_s": lambda: _at_least(observer.notified, run.expected),
        "counted_s": run.counted,
    }
    with tqdm(total=count, desc=f"{kind} burst: processed", unit="case", leave=False) as bar:
        for key, check in checks.items():

            async def tick(check: Check = check) -> bool:
                bar.update(max(0, min(count, len(observer.notified) - before)) - bar.n)
                return await check()

            left = timeout - (time.perf_counter() - started)
            done = await wait_until(tick, left) if left > 0 else None
            report[key] = None if done is None else round(time.perf_counter() - started, 2)
    observer.resolve(result.samples)
    finished = [t for s in result.accepted if (t := observer.done_at(s.case_id)) is not None]
    elapsed = (max(finished) if finished else time.perf_counter()) - started
    report["processed"] = len(finished)
    ids = [s.case_id for s in result.accepted if s.case_id is not None]
    report["routed"] = sum(1 for c in ids if c in observer.routed)
    report["notified"] = sum(1 for c in ids if c in observer.notified)
    report["processed_per_s"] = round(len(finished) / elapsed, 1) if elapsed > 0 else None
    unfinished = len(result.accepted) - len(finished)
    # within the budget, what is not done is lost; past it, it may just be late
    report["lost"] = unfinished if report["counted_s"] is not None else None
    report["unfinished"] = unfinished
    return report


def fell_behind(phase: dict[str, Any]) -> bool:
    """The pipeline did not keep up with the offered rate (under 90 %, or unfinished work)."""
    kept = min(phase["processed_per_s"], phase["achieved_per_s"])
    return bool(kept < 0.9 * phase["offered_per_s"] or phase["lost"] > 0)


async def _at_least(seen: dict[str, float], count: int) -> bool:
    return len(seen) >= count
