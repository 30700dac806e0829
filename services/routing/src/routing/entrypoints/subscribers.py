"""Routing's event subscribers: thin, they translate and call a use case exactly once."""

from __future__ import annotations

from shared.contracts import ApplicationReceived, AppointmentChangeRequested, DocumentsAdded
from shared.uow import process_once

from routing.adapters.selfservice_events import to_change_appointment
from routing.adapters.translators import to_route_case
from routing.bootstrap import Container
from routing.service_layer.actions import resume_case
from routing.service_layer.assignment import assign_waiting
from routing.service_layer.commands import ResumeCase
from routing.service_layer.selfservice import change_appointment
from routing.service_layer.unit_of_work import RoutingUnitOfWork
from routing.service_layer.use_cases import route_case
from shared import audit


def register(container: Container) -> None:
    """Attach routing's durable consumers to the container's broker."""
    runtime = container.runtime
    received = runtime.ns.durable(runtime.service, ApplicationReceived)
    added = runtime.ns.durable(runtime.service, DocumentsAdded)

    @runtime.subscriber(ApplicationReceived, description="Triage a new application")  # type: ignore[untyped-decorator]
    async def on_application_received(event: ApplicationReceived) -> None:
        """Route the new case once, however often the event arrives."""
        cmd = to_route_case(event)

        async def apply(uow: RoutingUnitOfWork) -> None:
            case = await route_case(
                cmd, uow, container.rules, container.clock, container.office, container.scheduler
            )
            await assign_waiting(case.team, uow, container.office_setup, container.clock)

        await process_once(container.uow(), received, event.id, apply)

    @runtime.subscriber(DocumentsAdded, description="Resume a case waiting for documents")  # type: ignore[untyped-decorator]
    async def on_documents_added(event: DocumentsAdded) -> None:
        """A case waiting for documents runs again (its clock resumes); others ignore it."""
        cmd = ResumeCase(case_id=event.data.case_id, correlation_id=event.correlationid)

        async def apply(uow: RoutingUnitOfWork) -> None:
            await resume_case(cmd, uow, container.clock, container.office)
            if (case := await uow.cases.get(cmd.case_id)) is not None:
                await assign_waiting(case.team, uow, container.office_setup, container.clock)

        await process_once(container.uow(), added, event.id, apply)

    register_selfservice(container)


def register_selfservice(container: Container) -> None:
    """The applicant's own appointment changes, asked for on notify's status page."""
    runtime = container.runtime
    requested = runtime.ns.durable(runtime.service, AppointmentChangeRequested)

    @runtime.subscriber(  # type: ignore[untyped-decorator]
        AppointmentChangeRequested, description="Cancel or move an appointment for the applicant"
    )
    async def on_appointment_change_requested(event: AppointmentChangeRequested) -> None:
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

        await process_once(container.uow(), requested, event.id, apply)
