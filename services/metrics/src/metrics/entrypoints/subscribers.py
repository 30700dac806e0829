"""Metrics' event subscribers: thin, they translate and fold each event in exactly once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from shared.contracts import (
    ApplicationReceived,
    CaseRouted,
    CloudEvent,
    NotificationFailed,
    NotificationSent,
)
from shared.uow import process_once

from metrics.adapters.translators import (
    to_record_notification,
    to_record_received,
    to_record_routed,
)
from metrics.bootstrap import Container
from metrics.service_layer.projection import (
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
