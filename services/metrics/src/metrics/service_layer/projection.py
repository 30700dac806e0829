"""Projection use cases: each folds one event's facts into the store."""

from __future__ import annotations

from metrics.service_layer.commands import (
    Command,
    RecordNotification,
    RecordReceived,
    RecordRouted,
)
from metrics.service_layer.merge import Fold
from metrics.service_layer.unit_of_work import MetricsUnitOfWork

__all__ = ["Command", "apply_command", "open_unrouted"]


async def apply_command(cmd: Command, uow: MetricsUnitOfWork) -> None:
    """Fold any projection command into its row, by the rules of ``merge`` (order-independent)."""
    await uow.facts.write(Fold.of(cmd))


async def record_received(cmd: RecordReceived, uow: MetricsUnitOfWork) -> None:
    """Record a new application's non-personal facts (arrival order does not matter)."""
    await apply_command(cmd, uow)


async def record_routed(cmd: RecordRouted, uow: MetricsUnitOfWork) -> None:
    """Record a case's triage outcome, before or after its application arrived."""
    await apply_command(cmd, uow)


async def record_notification(cmd: RecordNotification, uow: MetricsUnitOfWork) -> None:
    """Record that a notification was sent or failed."""
    await apply_command(cmd, uow)


async def open_unrouted(uow: MetricsUnitOfWork) -> int:
    """Cases received and not yet routed, across the whole store."""
    async with uow:
        return await uow.facts.open_unrouted()
