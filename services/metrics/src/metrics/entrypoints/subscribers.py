"""Metrics' event subscribers: thin, they translate and fold each event in exactly once.

Each consumer takes a whole pull batch into one transaction (``shared.uow.process_batch``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

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
from shared.messaging.batch import BatchHandler, Delivered, Outcome
from shared.uow import outcomes, process_events

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
    """Attach metrics' durable consumers to the container's broker: one transaction a batch."""
    runtime, meters = container.runtime, container.instruments
    folds: list[tuple[type[CloudEvent], Translate[Any], UseCase[Any], Count[Any], str]] = [
        (
            ApplicationReceived,
            to_record_received,
            record_received,
            meters.count_received,
            "Count a new application",
        ),
        (
            CaseRouted,
            to_record_routed,
            record_routed,
            meters.count_routed,
            "Count a routing decision",
        ),
        (
            NotificationSent,
            to_record_notification,
            record_notification,
            meters.count_notification,
            "Count a delivered notification",
        ),
        (
            NotificationFailed,
            to_record_notification,
            record_notification,
            meters.count_notification,
            "Count a failed notification",
        ),
    ]
    for event, translate, use_case, count, description in folds:
        runtime.batch_subscriber(
            event, folding(container, event, translate, use_case, count), description=description
        )
    register_lifecycle(container)


# Lifecycle, duplicate, appointment and survey events: facts only, no counters.
LIFECYCLE: dict[type[CloudEvent], str] = {
    ApplicationJoinedCase: "Count a duplicate submission",
    DocumentsRequested: "Note a documents request",
    CaseClaimed: "Time to first response (no actor kept)",
    CaseDecided: "Lead time and share within target",
    CaseClosed: "Outflow of the backlog",
    AppointmentBooked: "Waiting time to appointment",
    SurveyAnswered: "Satisfaction score",
    OutboxBacklogExceeded: "Intake outbox backlog alarm",
}


def register_lifecycle(container: Container) -> None:
    """Events folded in without moving a Prometheus counter."""
    for event, description in LIFECYCLE.items():
        handle = folding(container, event, to_command, apply_command, _no_count)
        container.runtime.batch_subscriber(event, handle, description=description)


def _no_count(_cmd: object) -> None:
    return None


Translate = Callable[[Any, ZoneInfo], C]
UseCase = Callable[[C, MetricsUnitOfWork], Awaitable[None]]
Count = Callable[[C], None]


def folding(
    container: Container,
    event_type: type[CloudEvent],
    translate: Translate[C],
    use_case: UseCase[C],
    count: Count[C],
) -> BatchHandler[Any]:
    """A batch handler folding each event in once; only a first application moves counters."""
    runtime, zone = container.runtime, container.settings.zone()
    consumer = runtime.ns.durable(runtime.service, event_type)

    async def handle(items: list[Delivered[Any]]) -> list[Outcome]:
        cmds: dict[str, C] = {}

        def prepare(event: CloudEvent) -> Callable[[MetricsUnitOfWork], Awaitable[None]]:
            cmd = cmds[event.id] = translate(event, zone)

            async def apply(uow: MetricsUnitOfWork) -> None:
                await use_case(cmd, uow)

            return apply

        results = await process_events(container.uow, consumer, items, prepare)
        for item, result in zip(items, results, strict=True):
            if result is True:
                count(cmds[item.event.id])
        if any(result is True for result in results):
            container.instruments.open_unrouted.set(await open_unrouted(container.uow()))
        return outcomes(results)

    return handle
