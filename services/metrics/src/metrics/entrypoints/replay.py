"""Rebuild the projection from the streams into a fresh store (``python -m metrics.replay``).

Every consumed subject is read from its first message with an ephemeral pull consumer
(no acks, in server memory, gone when idle); each event goes through the live path's
translator and ``apply_command``, many per transaction.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import nats
import nats.errors
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from pydantic import ValidationError
from shared.contracts import CloudEvent
from shared.messaging.deadletter import PoisonMessage
from shared.messaging.topology import SUBSCRIPTIONS
from tqdm import tqdm

from metrics.adapters.translators import to_command
from metrics.bootstrap import MIGRATIONS
from metrics.config import Settings
from metrics.service_layer.replay import Replayed, apply_batch, is_empty
from metrics.service_layer.unit_of_work import MetricsUnitOfWork
from shared import store

log = logging.getLogger(__name__)
FETCH_TIMEOUT_S = 5.0


class StoreNotEmptyError(RuntimeError):
    """Replay only fills a fresh store; it never mixes into a live one."""


@dataclass
class ReplayReport:
    events: int = 0
    skipped: int = 0
    seconds: float = 0.0
    per_event: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


@dataclass
class Source:
    """One consumed event type: its ephemeral consumer and how many messages it holds now."""

    event: type[CloudEvent]
    consumer: str
    sub: JetStreamContext.PullSubscription
    total: int


async def open_sources(js: JetStreamContext, settings: Settings) -> list[Source]:
    ns, sources = settings.ns(), []
    for event in SUBSCRIPTIONS[settings.service]:
        config = ConsumerConfig(
            ack_policy=AckPolicy.NONE,
            deliver_policy=DeliverPolicy.ALL,
            inactive_threshold=60.0,
            mem_storage=True,
        )
        try:
            sub = await js.pull_subscribe(
                ns.subject(event), stream=ns.stream(event.producer), config=config
            )
        except NotFoundError:
            continue  # the producer's stream does not exist yet: nothing to replay
        total = (await sub.consumer_info()).num_pending or 0
        sources.append(Source(event, ns.durable(settings.service, event), sub, total))
    return sources


async def read(source: Source, batch: int) -> AsyncIterator[list[Msg]]:
    """The messages that were in the stream when replay began, in batches."""
    left = source.total
    while left > 0:
        try:
            msgs = await source.sub.fetch(min(batch, left), timeout=FETCH_TIMEOUT_S)
        except (nats.errors.TimeoutError, TimeoutError):
            log.warning("stream ended early", extra={"event": source.event.event_type()})
            return
        left -= len(msgs)
        yield msgs


def translate(source: Source, msg: Msg, settings: Settings) -> Replayed | None:
    """The live path's translation; ``None`` for a message the live consumer would dead-letter."""
    try:
        event = source.event.model_validate_json(msg.data)
        return Replayed(source.consumer, event.id, to_command(event, settings.zone()))
    except (ValidationError, PoisonMessage, ValueError):
        return None


async def replay(settings: Settings, *, batch: int = 2000, progress: bool = True) -> ReplayReport:
    """Fold every event in the streams into the (empty) store of ``settings``."""
    url = settings.resolved_database_url()
    await store.migrate(url, MIGRATIONS, settings.service)
    engine = store.create_engine(url)
    sessions = store.session_factory(engine)
    nc = await nats.connect(settings.nats_servers())
    try:

        def uow() -> MetricsUnitOfWork:
            return MetricsUnitOfWork(sessions, settings.ns())

        if not await is_empty(uow()):
            msg = "the target store already holds facts; replay into a fresh store"
            raise StoreNotEmptyError(msg)
        return await _fold_all(settings, nc.jetstream(), uow, batch=batch, progress=progress)
    finally:
        await nc.close()
        await engine.dispose()


async def _fold_all(
    settings: Settings,
    js: JetStreamContext,
    uow: Callable[[], MetricsUnitOfWork],
    *,
    batch: int,
    progress: bool,
) -> ReplayReport:
    report, started, seen = ReplayReport(), time.perf_counter(), set[tuple[str, str]]()
    sources = await open_sources(js, settings)
    with tqdm(total=sum(s.total for s in sources), unit="ev", disable=not progress) as bar:
        for source in sources:
            async for msgs in read(source, batch):
                items = [translate(source, m, settings) for m in msgs]
                fresh = [i for i in items if i and (i.consumer, i.event_id) not in seen]
                seen.update((i.consumer, i.event_id) for i in fresh)
                await apply_batch(fresh, uow())
                report.skipped += items.count(None)
                report.events += len(fresh)
                name = source.event.event_type()
                report.per_event[name] = report.per_event.get(name, 0) + len(fresh)
                bar.update(len(msgs))
            await source.sub.unsubscribe()
    report.seconds = time.perf_counter() - started
    return report
