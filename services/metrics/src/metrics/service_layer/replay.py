"""Rebuild the projection: fold already-translated events in, a whole batch per transaction."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from shared.contracts.envelope import utcnow

from metrics.service_layer.commands import Command
from metrics.service_layer.merge import Fold
from metrics.service_layer.unit_of_work import MetricsUnitOfWork


@dataclass(frozen=True)
class Replayed:
    """Events to fold in again: commands in stream order, event ids per live consumer."""

    cmds: Sequence[Command]
    processed: Mapping[str, Sequence[str]]


async def apply_batch(batch: Replayed, uow: MetricsUnitOfWork) -> None:
    """Fold a batch in memory by the live merge rules, write it in bulk and mark it processed.

    One commit per batch; the inbox rows make the rebuilt store safe to go live: a
    redelivery is then a no-op.
    """
    async with uow:
        await uow.facts.write(Fold.of(*batch.cmds))
        now = utcnow()
        for consumer, event_ids in batch.processed.items():
            await uow.facts.mark_processed(consumer, event_ids, now)
        await uow.commit()


class Writer:
    """Batches commit one after another, in order; one is written while the next translates."""

    def __init__(self, uow: Callable[[], MetricsUnitOfWork]) -> None:
        self.uow = uow
        self.task: asyncio.Task[None] | None = None

    async def submit(self, job: Replayed) -> None:
        await self.drain()
        self.task = asyncio.create_task(apply_batch(job, self.uow()))

    async def drain(self) -> None:
        task, self.task = self.task, None
        if task is not None:
            await task

    async def abandon(self) -> None:
        task, self.task = self.task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def is_empty(uow: MetricsUnitOfWork) -> bool:
    """True when the store holds no facts yet (replay only fills a fresh store)."""
    async with uow:
        return await uow.facts.is_empty()
