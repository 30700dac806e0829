"""Partner load: structured-mode CloudEvents published to the INBOUND stream, open loop.

A sample is accepted when JetStream acknowledges the publish (the partner's "accepted":
the event is durable and intake will take it). Its case id is learnt later by the observer.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from functools import partial
from typing import Any

import nats
import orjson
from nats.aio.client import Client
from nats.js import JetStreamContext
from shared.testing.chaos import application
from tqdm import tqdm

from bench.load import LoadResult, Sample

SOURCE = "/bench/partner-portal"
TYPE = "de.example.application.submitted"
HEADERS = {"content-type": "application/cloudevents+json"}
RUN = uuid.uuid4().hex[:8]


def partner_event(i: int) -> bytes:
    """The online form's fields as a CloudEvent; ``source`` + ``id`` is the idempotency key."""
    data = {k: v for k, v in application(i).items() if k != "channel"}
    event = {
        "specversion": "1.0",
        "id": f"bench-{RUN}-{i}",
        "source": SOURCE,
        "type": TYPE,
        "datacontenttype": "application/json",
        "data": data,
    }
    return orjson.dumps(event)


class Publisher:
    """One connection publishing asynchronously (acks pipelined) to the inbound subject."""

    def __init__(self, url: str, subject: str) -> None:
        self.url, self.subject = url, subject
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None

    async def __aenter__(self) -> Publisher:
        self._nc = await nats.connect(self.url)
        self._js = self._nc.jetstream(publish_async_max_pending=20_000)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._nc is not None:
            await self._nc.close()

    async def send(self, sample: Sample) -> asyncio.Future[Any]:
        assert self._js is not None
        ack = await self._js.publish_async(
            self.subject, partner_event(sample.index), headers=dict(HEADERS)
        )
        ack.add_done_callback(partial(_acked, sample))
        return ack


def _acked(sample: Sample, ack: asyncio.Future[Any]) -> None:
    if not ack.cancelled() and ack.exception() is None:
        sample.accepted_at = time.perf_counter()


async def open_loop(
    url: str, subject: str, rate: float, duration_s: float, offset: int = 0
) -> LoadResult:
    """Offer ``rate`` partner events/s for ``duration_s`` s on a fixed schedule."""
    result = LoadResult(offered_rate=rate, duration_s=duration_s)
    acks: list[asyncio.Future[Any]] = []
    async with Publisher(url, subject) as publisher:
        start = time.perf_counter()
        for i in tqdm(range(int(rate * duration_s)), desc=f"partner {rate:g}/s", leave=False):
            due = start + i / rate
            if (delay := due - time.perf_counter()) > 0:
                await asyncio.sleep(delay)
            sample = Sample(sent_at=due, index=offset + i)  # latency counts from the schedule
            result.samples.append(sample)
            acks.append(await publisher.send(sample))
        await asyncio.gather(*acks, return_exceptions=True)
    return result


async def burst(url: str, subject: str, count: int, offset: int = 0) -> LoadResult:
    """``count`` partner events at once: a back-fill after a partner's outage."""
    result = LoadResult(offered_rate=float("inf"), duration_s=0.0)
    acks: list[asyncio.Future[Any]] = []
    async with Publisher(url, subject) as publisher:
        for i in tqdm(range(count), desc="partner burst", unit="ev", leave=False):
            sample = Sample(sent_at=time.perf_counter(), index=offset + i)
            result.samples.append(sample)
            acks.append(await publisher.send(sample))
        await asyncio.gather(*acks, return_exceptions=True)
    if result.samples:
        last = max(s.accepted_at or 0.0 for s in result.samples)
        result.duration_s = last - result.samples[0].sent_at
    return result
