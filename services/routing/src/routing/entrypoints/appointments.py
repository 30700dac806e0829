"""``/v1/cases/{ticket}/appointment``: book, rebook, cancel, show (staff; for the applicant too).

Routing does not know tracking codes, so applicants change appointments through staff (the
service point or the team) for now: ``on_behalf_of_applicant`` marks it in the event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict
from shared.http import PROBLEM_JSON, IsoDateTime

from routing.adapters.appointment_events import By, appointment_public
from routing.adapters.tables import AppointmentPublic
from routing.bootstrap import Container
from routing.domain.appointments import Appointment
from routing.domain.case import Case
from routing.domain.lifecycle import CaseConflictError
from routing.entrypoints.guard import change
from routing.entrypoints.http import Ticket
from routing.entrypoints.identity import BOOKING, CurrentStaff
from routing.service_layer import appointments
from routing.service_layer.unit_of_work import RoutingUnitOfWork

RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": {PROBLEM_JSON: {}}}
    for code, text in (
        (401, "Who? (no staff identity)"),
        (403, "Not allowed for this role or team"),
        (404, "Unknown ticket"),
        (409, "No fitting free seat, or no / already an appointment"),
    )
}


class AppointmentBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    starts_at: IsoDateTime | None = None
    on_behalf_of_applicant: bool = False

    def by(self) -> By:
        return "applicant" if self.on_behalf_of_applicant else "staff"


class CancelBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    on_behalf_of_applicant: bool = False


def router(container: Container) -> APIRouter:
    """Appointments of a case."""
    api = APIRouter(prefix="/v1/cases/{ticket}/appointment", tags=["appointments"])
    scheduler = container.scheduler

    async def run(who: Any, ticket: str, action: str, use: Any) -> Response | AppointmentPublic:
        result = await change(container, who, ticket.upper(), action, use, BOOKING)
        return result if isinstance(result, Response) else appointment_public(result)

    @api.get("", response_model=AppointmentPublic, responses=RESPONSES)
    async def show(ticket: Ticket, who: CurrentStaff) -> Response | AppointmentPublic:
        """The case's appointment (409 if it has none)."""

        async def use(uow: RoutingUnitOfWork, case: Case) -> Appointment:
            found = await uow.appointments.for_case(case.case_id)
            if found is None:
                raise CaseConflictError("the case has no appointment")
            return found

        return await run(who, ticket, "read_appointment", use)

    @api.post("", response_model=AppointmentPublic, responses=RESPONSES)
    async def book(
        ticket: Ticket, who: CurrentStaff, body: AppointmentBody | None = None
    ) -> Response | AppointmentPublic:
        """Book the earliest fitting seat, or the slot at ``starts_at``."""
        body = body or AppointmentBody()
        at: datetime | None = body.starts_at

        async def use(uow: RoutingUnitOfWork, case: Case) -> Appointment:
            return await appointments.book_appointment(case, uow, scheduler, body.by(), at)

        return await run(who, ticket, "book_appointment", use)

    @api.post("/rebook", response_model=AppointmentPublic, responses=RESPONSES)
    async def rebook(
        ticket: Ticket, who: CurrentStaff, body: AppointmentBody | None = None
    ) -> Response | AppointmentPublic:
        """Move the appointment to the slot at ``starts_at`` or the earliest other fitting seat."""
        body = body or AppointmentBody()

        async def use(uow: RoutingUnitOfWork, case: Case) -> Appointment:
            return await appointments.rebook_appointment(
                case, uow, scheduler, body.by(), body.starts_at
            )

        return await run(who, ticket, "rebook_appointment", use)

    @api.post("/cancel", response_model=AppointmentPublic, responses=RESPONSES)
    async def cancel(
        ticket: Ticket, who: CurrentStaff, body: CancelBody | None = None
    ) -> Response | AppointmentPublic:
        """Cancel the appointment; its seat is free again."""
        by: By = "applicant" if body and body.on_behalf_of_applicant else "staff"

        async def use(uow: RoutingUnitOfWork, case: Case) -> Appointment:
            return await appointments.cancel_appointment(case, uow, by)

        return await run(who, ticket, "cancel_appointment", use)

    return api
