"""Routing's event subscribers: thin, they translate and call a use case exactly once."""

from __future__ import annotations

from shared.contracts import ApplicationReceived
from shared.uow import process_once

from routing.adapters.translators import to_route_case
from routing.bootstrap import Container
from routing.service_layer.unit_of_work import RoutingUnitOfWork
from routing.service_layer.use_cases import route_case


def register(container: Container) -> None:
    """Attach routing's durable consumers to the container's broker."""
    runtime = container.runtime
    consumer = runtime.ns.durable(runtime.service, ApplicationReceived)

    subscriber = runtime.subscriber(ApplicationReceived, description="Triage a new application")

    @subscriber  # type: ignore[untyped-decorator]
    async def on_application_received(event: ApplicationReceived) -> None:
        """Route the new case once, however often the event arrives."""
        cmd = to_route_case(event)

        async def apply(uow: RoutingUnitOfWork) -> None:
            await route_case(cmd, uow, container.rules, container.clock)

        await process_once(container.uow(), consumer, event.id, apply)
