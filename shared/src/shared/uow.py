"""The unit of work every service's use cases run in: state, outbox and inbox in one commit."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from contextvars import ContextVar
from types import TracebackType
from typing import Any, Self, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.contracts.envelope import CloudEvent
from shared.messaging.batch import Delivered, Outcome
from shared.messaging.inbox import (
    is_duplicate_delivery,
    processed_among,
    processed_values,
    write_processed,
)
from shared.messaging.outbox import outbox_values, write_outbox
from shared.store import writer_gate
from shared.subjects import Namespace

log = logging.getLogger(__name__)
_holding: ContextVar[bool] = ContextVar("lotse_uow_gate_held", default=False)


@asynccontextmanager
async def writer_turn(engine: AsyncEngine) -> AsyncIterator[None]:
    """Hold the store's writer gate for work made of several units of work (they pass).

    A batch consumer takes one turn for its whole batch: queued per unit of work instead,
    its 25 deliveries would each wait behind every other consumer's turn, and a batch
    would outlast its ack wait and be redelivered while still being worked on.
    """
    if _holding.get():
        yield
        return
    async with writer_gate(engine):
        token = _holding.set(True)
        try:
            yield
        finally:
            _holding.reset(token)


class SqlUnitOfWork:
    """One database transaction; events staged with ``publish`` leave only if it commits.

    Services subclass it to attach their repositories in ``_open``.
    """

    session: AsyncSession

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        ns: Namespace,
        on_commit: Callable[[], None] = lambda: None,
    ) -> None:
        self._sessions = sessions
        self._ns = ns
        self._on_commit = on_commit
        self._published = False
        self._outbox: list[dict[str, Any]] = []
        self._inbox: list[dict[str, Any]] = []
        bind = sessions.kw.get("bind")
        self._engine = bind if isinstance(bind, AsyncEngine) else None
        self._turn = AsyncExitStack()

    async def __aenter__(self) -> Self:
        # a unit of work opened inside another one, or inside a batch's turn, of the same
        # task passes: it would otherwise wait for itself
        if self._engine is not None:
            await self._turn.enter_async_context(writer_turn(self._engine))
        self.session = self._sessions()
        self._published = False
        self._outbox, self._inbox = [], []
        self._open()
        return self

    def _open(self) -> None:
        """Hook for subclasses: build repositories on ``self.session``."""

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self.session.rollback()
            await self.session.close()
        finally:
            await self._turn.aclose()

    def publish(self, *events: CloudEvent) -> None:
        """Stage events in this transaction (the transactional outbox; written at commit)."""
        self._outbox += [outbox_values(self._ns, event) for event in events]
        self._published = self._published or bool(events)

    async def seen_among(self, consumer: str, event_ids: Sequence[str]) -> set[str]:
        return await processed_among(self.session, consumer, event_ids)

    def mark_processed(self, consumer: str, event_id: str) -> None:
        """Stage the inbox row (written at commit, with the rest of the batch's)."""
        self._inbox.append(processed_values(consumer, event_id))

    async def commit(self) -> None:
        outbox, self._outbox = self._outbox, []
        inbox, self._inbox = self._inbox, []
        await write_outbox(self.session, outbox)
        await write_processed(self.session, inbox)
        await self.session.commit()
        if self._published:
            self._on_commit()
            self._published = False

    async def rollback(self) -> None:
        self._outbox, self._inbox = [], []
        await self.session.rollback()


U = TypeVar("U", bound="SqlUnitOfWork")
E = TypeVar("E", bound=CloudEvent)


async def process_once(
    uow: U, consumer: str, event_id: str, apply: Callable[[U], Awaitable[None]]
) -> bool:
    """Run ``apply`` for an event exactly once per consumer; False if it was done before.

    The inbox row commits with the state change; a twin delivery racing on another replica
    loses on the primary key and is treated as already done.
    """
    try:
        (applied,) = await _in_one_transaction(uow, consumer, [(event_id, apply)])
    except IntegrityError as error:
        if is_duplicate_delivery(error):
            return False
        raise
    return applied


Apply = Callable[[U], Awaitable[None]]
# per event: True (applied now), False (done before: a redelivery) or the error it met
Result = bool | Exception


async def process_batch(
    open_uow: Callable[[], U],
    consumer: str,
    items: Sequence[tuple[str, Apply[U]]],
    preload: Apply[U] | None = None,
) -> list[Result]:
    """Apply each ``(event_id, apply)`` once per consumer, all in one transaction if it can.

    The whole batch commits together with its inbox rows: one inbox query, one commit. If
    anything fails (an event's own error, a lost race with a twin, a busy store), nothing
    of the batch is kept and each event is tried again in a transaction of its own
    (``process_once``), so one bad event costs only itself. ``apply`` must only change
    the store (and stage events): it may run twice, once in the failed batch. ``preload``
    runs first in the batch's transaction (say, to read what all its events touch at once).
    """
    if len(items) > 1:
        try:
            return list(await _in_one_transaction(open_uow(), consumer, items, preload))
        except Exception as error:
            log.info(
                "batch failed as a whole; applying its events one by one",
                extra={"events": len(items), "error": type(error).__name__},
            )
    results: list[Result] = []
    for event_id, apply in items:
        try:
            results.append(await process_once(open_uow(), consumer, event_id, apply))
        except Exception as error:
            results.append(error)
    return results


async def _in_one_transaction(
    uow: U, consumer: str, items: Sequence[tuple[str, Apply[U]]], preload: Apply[U] | None = None
) -> list[bool]:
    async with uow:
        if preload is not None:
            await preload(uow)
        done = await uow.seen_among(consumer, [event_id for event_id, _ in items])
        results: list[bool] = []
        for event_id, apply in items:
            if event_id in done:  # processed before, or twice in this batch
                results.append(False)
                continue
            await apply(uow)
            uow.mark_processed(consumer, event_id)
            done.add(event_id)
            results.append(True)
        await uow.commit()
    return results


async def process_events(
    open_uow: Callable[[], U],
    consumer: str,
    items: Sequence[Delivered[E]],
    prepare: Callable[[E], Apply[U]],
    preload: Callable[[U, Sequence[E]], Awaitable[None]] | None = None,
) -> list[Result]:
    """``process_batch`` over a batch consumer's events, one result per event.

    ``prepare`` turns an event into its change (translating it); an event it refuses
    (an invalid field) gets that error as its result and is parked by the settlement.
    ``preload`` gets the events ``prepare`` accepted, at the start of the batch's one
    transaction (see ``process_batch``).
    """
    prepared: list[tuple[str, Apply[U]] | Exception] = []
    accepted: list[E] = []
    for item in items:
        try:
            prepared.append((item.event.id, _traced(item, prepare(item.event))))
            accepted.append(item.event)
        except Exception as error:
            prepared.append(error)
    work = [p for p in prepared if not isinstance(p, Exception)]
    first: Apply[U] | None = None
    if preload is not None:
        load = preload

        async def first(uow: U) -> None:
            await load(uow, accepted)

    applied = iter(await process_batch(open_uow, consumer, work, first))
    return [p if isinstance(p, Exception) else next(applied) for p in prepared]


def _traced(item: Delivered[E], apply: Apply[U]) -> Apply[U]:
    """``apply`` in the event's own trace: what it stages carries that trace on."""

    async def run(uow: U) -> None:
        with item.traced():
            await apply(uow)

    return run


def outcomes(results: Sequence[Result]) -> list[Outcome]:
    """What to tell the broker per event: done (``None``) or the error to retry or park."""
    return [result if isinstance(result, Exception) else None for result in results]
