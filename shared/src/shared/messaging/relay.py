"""The outbox relay: publish pending rows in order, mark them sent only after the JetStream ack."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from nats.js import JetStreamContext
from prometheus_client import CollectorRegistry, Counter, Gauge
from sqlalchemy import delete, func, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.contracts.envelope import as_utc, utcnow
from shared.messaging.tables import OutboxMessage
from shared.store import writer_gate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutboxBacklog:
    """What an operator needs to know about unsent events."""

    pending: int
    oldest_created_at: datetime | None

    def oldest_age_seconds(self, now: datetime | None = None) -> float:
        if self.oldest_created_at is None:
            return 0.0
        oldest = as_utc(self.oldest_created_at)
        return max(0.0, ((now or utcnow()) - oldest).total_seconds())


async def read_backlog(session: AsyncSession) -> OutboxBacklog:
    """How many rows wait to be published and when the oldest was written."""
    query = select(func.count(), func.min(OutboxMessage.created_at)).where(
        col(OutboxMessage.sent_at).is_(None)
    )
    row = (await session.exec(query)).one()
    return OutboxBacklog(pending=int(row[0]), oldest_created_at=row[1])


async def outbox_backlog(sessions: async_sessionmaker[AsyncSession]) -> OutboxBacklog:
    async with sessions() as session:
        return await read_backlog(session)


class RelayMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.published = Counter(
            "lotse_outbox_published", "Events published from the outbox", registry=registry
        )
        self.failures = Counter(
            "lotse_outbox_publish_failures", "Failed outbox publish attempts", registry=registry
        )
        self.pending = Gauge("lotse_outbox_pending", "Unsent outbox rows", registry=registry)
        self.oldest_age = Gauge(
            "lotse_outbox_oldest_age_seconds", "Age of the oldest unsent row", registry=registry
        )


class OutboxRelay:
    """Publishes unsent outbox rows; safe to run in several replicas (dedupe by ``Nats-Msg-Id``)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        js: Callable[[], JetStreamContext],
        connected: Callable[[], bool],
        metrics: RelayMetrics,
        *,
        batch_size: int = 500,
        idle_poll_s: float = 0.5,
        publish_timeout_s: float = 5.0,
        keep_sent_s: float = 600.0,
    ) -> None:
        self._sessions = sessions
        self._js = js
        self._connected = connected
        self._careful = False  # after a failed round: one publish at a time until all succeed
        self._metrics = metrics
        self._batch_size = batch_size
        self._idle_poll_s = idle_poll_s
        self._timeout = publish_timeout_s
        # Sent rows are kept a while (longer than the stream's dedupe window) for operators,
        # then deleted: the event lives on in JetStream, and the outbox must not become a
        # second, unguarded copy of personal data.
        self._keep_sent = timedelta(seconds=keep_sent_s)
        self._purge_every_s = min(60.0, keep_sent_s)
        self._last_purge = 0.0
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        bind = sessions.kw.get("bind")
        self._gate: contextlib.AbstractAsyncContextManager[Any] = (
            writer_gate(bind) if isinstance(bind, AsyncEngine) else contextlib.nullcontext()
        )

    def wake(self) -> None:
        """Tell the relay new rows were committed (it also polls, so this is only for latency)."""
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                sent = await self.relay_once()
                failures = 0
            except Exception:  # keep relaying whatever happens; every failure is counted
                failures += 1
                self._metrics.failures.inc()
                log.warning("outbox relay round failed", exc_info=True)
                await asyncio.sleep(min(5.0, 0.2 * 2**failures))
                continue
            if sent < self._batch_size:
                await self._wait_for_work()

    async def _wait_for_work(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self._idle_poll_s)
        self._wake.clear()

    async def relay_once(self) -> int:
        """Publish one batch in id order; returns how many rows were marked sent."""
        if not self._connected():
            return 0
        async with self._sessions() as session:
            rows = await self._pending(session)
            if not rows:
                await self._purge_sent(session)
                await self._refresh_gauges(session)
                return 0
            acked = await self._publish(rows)
            sent_ids = [row.id for row in rows[:acked]]
            # the write waits its turn with the process's units of work instead of
            # spinning against them in SQLite's busy handler
            async with self._gate:
                await self._mark(session, rows, sent_ids, acked)
        self._metrics.published.inc(acked)
        self._careful = acked < len(rows)
        if acked < len(rows):
            msg = f"JetStream did not acknowledge outbox row {rows[acked].id}"
            raise RuntimeError(msg)
        return acked

    async def _mark(
        self,
        session: AsyncSession,
        rows: Sequence[OutboxMessage],
        sent_ids: list[int | None],
        acked: int,
    ) -> None:
        if sent_ids:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(sent_ids))  # type: ignore[union-attr]
                .values(sent_at=utcnow())
            )
        if acked < len(rows):
            await session.execute(
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == rows[acked].id)
                .values(attempts=OutboxMessage.attempts + 1)
            )
        await session.commit()

    async def _pending(self, session: AsyncSession) -> Sequence[OutboxMessage]:
        query = (
            select(OutboxMessage)
            .where(col(OutboxMessage.sent_at).is_(None))
            .order_by(col(OutboxMessage.id))
            .limit(self._batch_size)
            .with_for_update(skip_locked=True)
        )
        return (await session.exec(query)).all()

    async def _publish(self, rows: Sequence[OutboxMessage]) -> int:
        """The count of leading rows JetStream acknowledged, in id order.

        Normally the batch is pipelined. After a failed round the relay publishes one row
        at a time, so that nothing overtakes a row whose fate was unknown.
        """
        js = self._js()
        if self._careful:
            for index, r in enumerate(rows):
                try:
                    await js.publish(
                        r.subject, r.payload, timeout=self._timeout, headers=json.loads(r.headers)
                    )
                except Exception:  # the row stays unsent; the round reports the failure
                    return index
            return len(rows)
        results = await asyncio.gather(
            *(
                js.publish(
                    r.subject, r.payload, timeout=self._timeout, headers=json.loads(r.headers)
                )
                for r in rows
            ),
            return_exceptions=True,
        )
        for index, result in enumerate(results):
            if isinstance(result, BaseException):
                return index
        return len(rows)

    async def _purge_sent(self, session: AsyncSession) -> None:
        if time.monotonic() - self._last_purge < self._purge_every_s:
            return
        self._last_purge = time.monotonic()
        async with self._gate:
            await self._delete_old(session)

    async def _delete_old(self, session: AsyncSession) -> None:
        await session.execute(
            delete(OutboxMessage).where(
                col(OutboxMessage.sent_at) < utcnow() - self._keep_sent,
            )
        )
        await session.commit()

    async def _refresh_gauges(self, session: AsyncSession) -> None:
        backlog = await read_backlog(session)
        self._metrics.pending.set(backlog.pending)
        self._metrics.oldest_age.set(backlog.oldest_age_seconds())
