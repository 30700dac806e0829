"""Projection use cases: each folds one event's facts into the store."""

from __future__ import annotations

from metrics.service_layer.commands import (
    RecordAppointment,
    RecordClosed,
    RecordDecided,
    RecordJoined,
    RecordMilestone,
    RecordNotification,
    RecordOutboxBacklog,
    RecordReceived,
    RecordRouted,
    RecordSurvey,
)
from metrics.service_layer.unit_of_work import MetricsUnitOfWork

Command = (
    RecordReceived
    | RecordRouted
    | RecordNotification
    | RecordMilestone
    | RecordDecided
    | RecordClosed
    | RecordJoined
    | RecordAppointment
    | RecordSurvey
    | RecordOutboxBacklog
)


async def record_received(cmd: RecordReceived, uow: MetricsUnitOfWork) -> None:
    """Record a new application's non-personal facts (arrival order does not matter)."""
    await uow.facts.record_received(cmd)


async def record_routed(cmd: RecordRouted, uow: MetricsUnitOfWork) -> None:
    """Record a case's triage outcome, before or after its application arrived."""
    await uow.facts.record_routed(cmd)


async def record_notification(cmd: RecordNotification, uow: MetricsUnitOfWork) -> None:
    """Record that a notification was sent or failed."""
    await uow.facts.record_notification(cmd)


async def record_milestone(cmd: RecordMilestone, uow: MetricsUnitOfWork) -> None:
    """Record the first claim or documents request of a case (never who did it)."""
    await uow.facts.record_milestone(cmd)


async def record_decided(cmd: RecordDecided, uow: MetricsUnitOfWork) -> None:
    """Record a case's decision: lead time ends here."""
    await uow.facts.record_decided(cmd)


async def record_closed(cmd: RecordClosed, uow: MetricsUnitOfWork) -> None:
    """Record that a case was closed."""
    await uow.facts.record_closed(cmd)


async def record_fact(
    cmd: RecordJoined | RecordAppointment | RecordSurvey | RecordOutboxBacklog,
    uow: MetricsUnitOfWork,
) -> None:
    """Record a duplicate submission, an appointment, a survey answer or an outbox report."""
    await uow.facts.record_fact(cmd)


async def apply_command(cmd: Command, uow: MetricsUnitOfWork) -> None:
    """Dispatch any projection command to its use case (replay and tests use this)."""
    if isinstance(cmd, RecordReceived):
        await record_received(cmd, uow)
    elif isinstance(cmd, RecordRouted):
        await record_routed(cmd, uow)
    elif isinstance(cmd, RecordNotification):
        await record_notification(cmd, uow)
    elif isinstance(cmd, RecordMilestone):
        await record_milestone(cmd, uow)
    elif isinstance(cmd, RecordDecided):
        await record_decided(cmd, uow)
    elif isinstance(cmd, RecordClosed):
        await record_closed(cmd, uow)
    else:
        await record_fact(cmd, uow)


async def open_unrouted(uow: MetricsUnitOfWork) -> int:
    """Cases received and not yet routed, across the whole store."""
    async with uow:
        return await uow.facts.open_unrouted()
