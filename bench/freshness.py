"""Queue freshness: a caseworker's live queue (routing's SSE stream), subscribed like the page.

Each ``queue`` event carries the team's whole work list; a ticket's first appearance is when
the caseworker would see it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

from bench import load
from bench.phases import Run, drain, wait_until
from bench.report import summary_ms


def staff_headers(team: str) -> dict[str, str]:
    """A caseworker of ``team`` (routing trusts these headers with LOTSE_AUTH=dev)."""
    return {"X-Lotse-Staff": "bench-caseworker", "X-Lotse-Role": "caseworker", "X-Lotse-Team": team}


@dataclass
class QueueWatch:
    routing_url: str
    teams: list[str]
    seen: dict[str, float] = field(default_factory=dict)  # ticket -> first seen
    events: int = 0
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _connected: set[str] = field(default_factory=set)
    _all_connected: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self, timeout: float = 10.0) -> QueueWatch:
        """Subscribe to every team's stream; returns once each sent its first queue."""
        self._tasks = [asyncio.create_task(self._watch(team)) for team in self.teams]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._all_connected.wait(), timeout)
        return self

    async def _watch(self, team: str) -> None:
        url = f"{self.routing_url}/v1/queues/{team}/stream"
        timeout = httpx.Timeout(10, read=None)
        async with (
            httpx.AsyncClient(timeout=timeout) as client,
            client.stream(
                "GET",
                url,
                params={
                    "ticket": (
                        await client.post(f"{url}-ticket", headers=staff_headers(team))
                    ).json()["ticket"]
                },
            ) as response,
        ):
            response.raise_for_status()
            async for line in response.aiter_lines():
                if line.startswith("data:"):
                    self._on_queue(line[5:])
                    self._connected.add(team)
                    if len(self._connected) == len(self.teams):
                        self._all_connected.set()

    @property
    def connected(self) -> int:
        return len(self._connected)

    def _on_queue(self, data: str) -> None:
        now = time.perf_counter()
        self.events += 1
        for case in orjson.loads(data)["cases"]:
            self.seen.setdefault(case["ticket"], now)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
                await task


async def measure(run: Run, rate: float, duration: float) -> dict[str, Any]:
    """Acceptance (HTTP 201 with the ticket) → the ticket first on its team's SSE queue stream."""
    intake = run.services.url("intake")
    warm = await load.burst(intake, 3, concurrency=3, offset=run.take(3))  # learn the teams
    run.expected += len(warm.accepted)
    await drain(run, run.grace, "warm-up")
    teams = sorted(set(run.observer.teams.values()))
    watch = await QueueWatch(run.services.url("routing"), teams).start()
    result = await load.open_loop(intake, rate, duration, run.take(int(rate * duration)))
    run.expected += len(result.accepted)
    tickets = {s.ticket for s in result.accepted}

    async def all_seen() -> bool:
        return all(t in watch.seen for t in tickets)

    await wait_until(all_seen, run.grace)
    await watch.stop()
    await drain(run, run.grace, "drain freshness")
    latencies = [
        watch.seen[s.ticket] - s.accepted_at
        for s in result.accepted
        if s.ticket in watch.seen and s.accepted_at
    ]
    return {
        "teams": teams,
        "streams_connected": watch.connected,
        "offered_per_s": rate,
        "accepted": len(result.accepted),
        "seen": len(latencies),
        "queue_events": watch.events,
        "freshness_ms": summary_ms(latencies),
    }
