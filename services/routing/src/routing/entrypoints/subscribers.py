"""Routing's event subscribers: thin, they translate and call a use case exactly once.

Each consumer takes a whole pull batch into one transaction (``shared.uow.process_events``);
an event that fails costs only itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from shared.contracts import ApplicationReceived, AppointmentChangeRequested, DocumentsAdded
from shared.contracts.envelope import CloudEvent
from shared.messaging.batch import BatchHandler, Delivered, Outcome
from shared.uow import outcomes, process_events

from routing.adapters.selfservice_events import to_change_appointment
from routing.adapters.translators import to_route_case
from routing.bootstrap import Container
from routing.domain.case import team_for
from routing.service_layer.actions import resume_case
from routing.service_layer.assignment import assign_waiting
from routing.service_layer.commands import ResumeCase
from routing.service_layer.selfservice import change_appointment
from routing.service_layer.unit_of_work import RoutingUnitOfWork
from routing.service_layer.use_cases import route_case
from shared import audit

Apply = Callable[[RoutingUnitOfWork], Awaitable[None]]


def register(container: Container) -> None:
    """Attach routing's durable consumers to the container's broker."""
    runtime = container.runtime

    def route(event: ApplicationReceived) -> Apply:
        """Route the new case once, however often the event arrives."""
        cmd = to_route_case(event)

        async def apply(uow: RoutingUnitOfWork) -> None:
            case = await route_case(
                cmd, uow, container.rules, container.clock, container.office, container.scheduler
            )
            await assign_waiting(case.team, uow, container.office_setup, container.clock)

        return apply

    def resume(event: DocumentsAdded) -> Apply:
        """A case waiting for documents runs again (its clock resumes); others ignore it."""
        cmd = ResumeCase(case_id=event.data.case_id, correlation_id=event.correlationid)

        async def apply(uow: RoutingUnitOfWork) -> None:
            await resume_case(cmd, uow, container.clock, container.office)
            if (case := await uow.cases.get(cmd.case_id)) is not None:
                await assign_waiting(case.team, uow, container.office_setup, container.clock)

        return apply

    def change(event: AppointmentChangeRequested) -> Apply:
        """Cancel or rebook once as actor "applicant" (audited); else publish the refusal."""
        cmd = to_change_appointment(event)

        async def apply(uow: RoutingUnitOfWork) -> None:
            changed = await change_appointment(cmd, uow, container.scheduler)
            if changed is not None:
                await audit.append(
                    uow.session,
                    actor="applicant",
                    action=f"{cmd.action}_appointment",
                    case_ref=changed.ticket,
                    reason=f"tracking code; request {cmd.request_id}",
                )

        return apply

    consumers: list[tuple[type[CloudEvent], Callable[[Any], Apply], str]] = [
        (ApplicationReceived, route, "Triage a new application"),
        (DocumentsAdded, resume, "Resume a case waiting for documents"),
        (
            AppointmentChangeRequested,
            change,
            "Cancel or move an appointment for the applicant (notify's status page)",
        ),
    ]
    for event, prepare, description in consumers:
        first = _learn_new if event is ApplicationReceived else None
        runtime.batch_subscriber(
            event, _applying(container, event, prepare, first), description=description
        )


async def _learn_new(uow: RoutingUnitOfWork, events: Sequence[ApplicationReceived]) -> None:
    """Take a routing batch's team locks (in name order) and learn which cases are new."""
    for team in sorted({team_for(event.data.team) for event in events}):
        await uow.lock_team(team)
    data = [event.data for event in events]
    await uow.cases.learn_new([d.case_id for d in data], [d.ticket for d in data])


Preload = Callable[[RoutingUnitOfWork, Sequence[Any]], Awaitable[None]]


def _applying(
    container: Container,
    event_type: type[CloudEvent],
    prepare: Callable[[Any], Apply],
    preload: Preload | None = None,
) -> BatchHandler[Any]:
    """One transaction per batch; ``preload`` first reads what the batch's events touch."""
    consumer = container.runtime.ns.durable(container.runtime.service, event_type)

    async def handle(items: list[Delivered[Any]]) -> list[Outcome]:
        return outcomes(await process_events(container.uow, consumer, items, prepare, preload))

    return handle
