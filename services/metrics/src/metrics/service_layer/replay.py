"""Rebuild the projection: fold already-translated events in, many per transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from metrics.service_layer.projection import Command, apply_command
from metrics.service_layer.unit_of_work import MetricsUnitOfWork


@dataclass(frozen=True)
class Replayed:
    """One event to fold in again: the live consumer's name, the event id, its command."""

    consumer: str
    event_id: str
    cmd: Command


async def apply_batch(items: Sequence[Replayed], uow: MetricsUnitOfWork) -> None:
    """Fold a batch in through ``apply_command`` and mark each event processed, in one commit.

    The inbox rows make the rebuilt store safe to go live: a redelivery is then a no-op.
    """
    async with uow:
        for item in items:
            await apply_command(item.cmd, uow)
            uow.mark_processed(item.consumer, item.event_id)
        await uow.commit()


async def is_empty(uow: MetricsUnitOfWork) -> bool:
    """True when the store holds no facts yet (replay only fills a fresh store)."""
    async with uow:
        return await uow.facts.is_empty()
