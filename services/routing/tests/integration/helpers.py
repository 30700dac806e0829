"""Running routing against a real nats-server in tests, and reading what it published."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import nats
from routing.config import Settings
from routing.entrypoints.app import create_app
from shared.contracts import CloudEvent
from shared.messaging.outbox import event_headers
from shared.subjects import Namespace
from shared.testing.app import running_app

from ..fakes import FakeClock

HEAD = {"X-Lotse-Staff": "s-head", "X-Lotse-Role": "head_of_office"}
ANA = {"X-Lotse-Staff": "s-ana", "X-Lotse-Role": "caseworker", "X-Lotse-Team": "residence"}
BEN = {"X-Lotse-Staff": "s-ben", "X-Lotse-Role": "caseworker", "X-Lotse-Team": "residence"}


def settings(url: str, ns: Namespace, db: str, tmp: Path, **extra: object) -> Settings:
    return Settings(nats_url=url, namespace=ns.prefix, database_url=db, var_dir=tmp, **extra)  # type: ignore[arg-type]


@asynccontextmanager
async def routing_app(
    url: str, ns: Namespace, db: str, tmp: Path, clock: FakeClock | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    config = settings(url, ns, db, tmp, timer_interval_s=0.05)
    async with running_app(create_app(config, clock=clock or FakeClock())) as client:
        yield client


async def publish_event(url: str, ns: Namespace, event: CloudEvent) -> None:
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        await js.publish(
            ns.subject(type(event)), event.to_json_bytes(), headers=event_headers(event)
        )
    finally:
        await nc.close()


async def published(url: str, ns: Namespace, kind: type[CloudEvent]) -> list[dict]:
    """Bodies of every ``kind`` event in its producer's stream so far."""
    nc = await nats.connect(url)
    try:
        sub = await nc.jetstream().pull_subscribe(ns.subject(kind), stream=ns.stream(kind.producer))
        found: list[dict] = []
        while True:
            try:
                batch = await sub.fetch(100, timeout=0.5)
            except (nats.errors.TimeoutError, TimeoutError):  # nats-py raises either
                return found
            found += [json.loads(m.data) for m in batch]
    finally:
        await nc.close()


def has(url: str, ns: Namespace, kind: type[CloudEvent], count: int = 1) -> object:
    async def check() -> bool:
        return len(await published(url, ns, kind)) >= count

    return check
