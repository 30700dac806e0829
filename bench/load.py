"""Open-loop load: requests leave on a fixed schedule, however slowly the system answers,
so a slow system cannot hide its latency by slowing the sender. Latency is counted from
the scheduled send time, so a late sender (a busy client) does not hide it either."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from shared.testing.chaos import application
from tqdm import tqdm


@dataclass
class Sample:
    sent_at: float
    accepted_at: float | None = None
    case_id: str | None = None
    index: int = -1
    ticket: str | None = None


@dataclass
class LoadResult:
    offered_rate: float
    duration_s: float
    samples: list[Sample] = field(default_factory=list)

    @property
    def accepted(self) -> list[Sample]:
        return [s for s in self.samples if s.accepted_at is not None]


async def _post(client: httpx.AsyncClient, url: str, i: int, sample: Sample) -> None:
    try:
        response = await client.post(url, json=application(i))
    except httpx.HTTPError:
        return
    if response.status_code == 201:
        sample.accepted_at = time.perf_counter()
        body = response.json()
        sample.case_id, sample.ticket = body["case_id"], body.get("ticket")


async def open_loop(intake_url: str, rate: float, duration_s: float, offset: int = 0) -> LoadResult:
    """Offer ``rate`` applications/s for ``duration_s`` seconds over HTTP."""
    result = LoadResult(offered_rate=rate, duration_s=duration_s)
    total = int(rate * duration_s)
    url = f"{intake_url}/v1/applications"
    limits = httpx.Limits(max_connections=512, max_keepalive_connections=512)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        tasks: list[asyncio.Task[Any]] = []
        start = time.perf_counter()
        for i in tqdm(
            range(total), desc=f"HTTP {rate:g}/s", unit="req", mininterval=1, leave=False
        ):
            due = start + i / rate
            if (delay := due - time.perf_counter()) > 0:
                await asyncio.sleep(delay)
            sample = Sample(sent_at=due, index=offset + i)  # latency counts from the schedule
            result.samples.append(sample)
            tasks.append(asyncio.create_task(_post(client, url, offset + i, sample)))
        await asyncio.gather(*tasks)
    return result


async def burst(intake_url: str, count: int, concurrency: int = 64, offset: int = 0) -> LoadResult:
    """``count`` applications at once (as fast as ``concurrency`` connections take them)."""
    result = LoadResult(offered_rate=float("inf"), duration_s=0.0)
    url = f"{intake_url}/v1/applications"
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)
    bar = tqdm(total=count, desc="burst", unit="app", leave=False)

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            i = queue.get_nowait()
            sample = Sample(sent_at=time.perf_counter(), index=offset + i)
            result.samples.append(sample)
            await _post(client, url, offset + i, sample)
            bar.update()

    async with httpx.AsyncClient(timeout=60) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    bar.close()
    return result
