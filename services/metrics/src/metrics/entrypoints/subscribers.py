"""Metrics' event subscribers: thin, they translate and fold each event in exactly once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from shared.contracts import (
    ApplicationJoinedCase,
    ApplicationReceived,
    AppointmentBooked,
    CaseClaimed,
    CaseClosed,
    CaseDecided,
    CaseRouted,
    CloudEvent,
    DocumentsRequested,
    NotificationFailed,
    NotificationSent,
    OutboxBacklogExceeded,
    SurveyAnswered,
)
from shared.uow import process_once

from metrics.adapters.translators import (
    to_command,
    to_record_notification,
    to_record_received,
    to_record_routed,
)
from metrics.bootstrap import Container
from metrics.service_layer.projection import (
    apply_command,
    open_unrouted,
    record_notification,
    record_received,
    record_routed,
)
from metrics.service_layer.unit_of_work import MetricsUnitOfWork

C = TypeVar("C")


def register(container: Container) -> None:
    """Attach metrics' durable consumers to the container's broker."""
    runtime, zone, meters = container.runtime, container.settings.zone(), container.instruments

    @runtime.subscriber(ApplicationReceived, description="Count a new application")  # type: ignore[untyped-decorator]
    async def on_application_received(event: ApplicationReceived) -> None:
        """Fold an application's non-personal facts in once."""
        await fold(
            container,
            event,
            to_record_received(event, zone),
            record_received,
            meters.count_received,
        )

    @runtime.subscriber(CaseRouted, description="Count a routing decision")  # type: ignore[untyped-decorator]
    async def on_case_routed(event: CaseRouted) -> None:
        """Fold a case's priority and team in once, before or after its application."""
        await fold(
            container, event, to_record_routed(event, zone), record_routed, meters.count_routed
        )

    @runtime.subscriber(NotificationSent, description="Count a delivered notification")  # type: ignore[untyped-decorator]
    async def on_notification_sent(event: NotificationSent) -> None:
        """Fold a sent notification in once."""
        cmd = to_record_notification(event, zone)
        await fold(container, event, cmd, record_notification, meters.count_notification)

    @runtime.subscriber(NotificationFailed, description="Count a failed notification")  # type: ignore[untyped-decorator]
    async def on_notification_failed(event: NotificationFailed) -> None:
        """Fold a failed notification in once."""
        cmd = to_record_notification(event, zone)
        await fold(container, event, cmd, record_notification, meters.count_notification)

    register_lifecycle(container)


def register_lifecycle(container: Container) -> None:
    """Lifecycle, duplicate, appointment and survey events: facts only, no counters."""
    runtime = container.runtime

    @runtime.subscriber(ApplicationJoinedCase, description="Count a duplicate submission")  # type: ignore[untyped-decorator]
    async def on_application_joined_case(event: ApplicationJoinedCase) -> None:
        """Fold a duplicate submission in once (duplicate rate)."""
        await fold_any(container, event)

    @runtime.subscriber(DocumentsRequested, description="Note a documents request")  # type: ignore[untyped-decorator]
    async def on_documents_requested(event: DocumentsRequested) -> None:
        """Fold a case's first documents request in once."""
        await fold_any(container, event)

    @runtime.subscriber(CaseClaimed, description="Time to first response (no actor kept)")  # type: ignore[untyped-decorator]
    async def on_case_claimed(event: CaseClaimed) -> None:
        """Fold a case's first claim in once; who claimed it is never stored."""
        await fold_any(container, event)

    @runtime.subscriber(CaseDecided, description="Lead time and share within target")  # type: ignore[untyped-decorator]
    async def on_case_decided(event: CaseDecided) -> None:
        """Fold a decision in once."""
        await fold_any(container, event)

    @runtime.subscriber(CaseClosed, description="Outflow of the backlog")  # type: ignore[untyped-decorator]
    async def on_case_closed(event: CaseClosed) -> None:
        """Fold a closed case in once."""
        await fold_any(container, event)

    @runtime.subscriber(AppointmentBooked, description="Waiting time to appointment")  # type: ignore[untyped-decorator]
    async def on_appointment_booked(event: AppointmentBooked) -> None:
        """Fold an appointment booking in once."""
        await fold_any(container, event)

    @runtime.subscriber(SurveyAnswered, description="Satisfaction score")  # type: ignore[untyped-decorator]
    async def on_survey_answered(event: SurveyAnswered) -> None:
        """Fold a survey answer in once."""
        await fold_any(container, event)

    @runtime.subscriber(OutboxBacklogExceeded, description="Intake outbox backlog alarm")  # type: ignore[untyped-decorator]
    async def on_outbox_backlog_exceeded(event: OutboxBacklogExceeded) -> None:
        """Keep intake's backlog report (counts and age) for the early-warning rule."""
        await fold_any(container, event)


async def fold_any(container: Container, event: CloudEvent) -> None:
    """Translate and fold an event that moves no Prometheus counter."""
    cmd = to_command(event, container.settings.zone())
    await fold(container, event, cmd, apply_command, _no_count)


def _no_count(_cmd: object) -> None:
    return None


async def fold(
    container: Container,
    event: CloudEvent,
    cmd: C,
    use_case: Callable[[C, MetricsUnitOfWork], Awaitable[None]],
    count: Callable[[C], None],
) -> None:
    """Apply a use case once per event id; only a first application moves the counters."""
    runtime = container.runtime
    consumer = runtime.ns.durable(runtime.service, type(event))

    async def apply(uow: MetricsUnitOfWork) -> None:
        await use_case(cmd, uow)

    if await process_once(container.uow(), consumer, event.id, apply):
        count(cmd)
        container.instruments.open_unrouted.set(await open_unrouted(container.uow()))
