"""The applicant cancels or moves their appointment (asked through notify's status page)."""

from __future__ import annotations

from routing.adapters.selfservice_events import refused_event
from routing.domain.appointments import Appointment
from routing.domain.selfservice import Refusal, later_than, refusal
from routing.service_layer.appointments import (
    NoSeatError,
    Scheduler,
    cancel_appointment,
    rebook_appointment,
)
from routing.service_layer.commands import ChangeAppointment
from routing.service_layer.ports import UnitOfWork


async def change_appointment(
    cmd: ChangeAppointment, uow: UnitOfWork, scheduler: Scheduler
) -> Appointment | None:
    """Cancel or move the appointment as the applicant; else announce why not (None)."""
    case = await uow.cases.get(cmd.case_id)
    if case is not None:
        await uow.lock_team(case.team)  # a staff change of this appointment waits, or we do
    current = await uow.appointments.for_case(cmd.case_id) if case else None
    now = scheduler.clock.now()
    reason: Refusal | None = refusal(current, now)
    if case is not None and current is not None and reason is None:
        if cmd.action == "cancel":
            return await cancel_appointment(case, uow, "applicant")
        day = scheduler.office.start_of(cmd.not_before) if cmd.not_before else None
        try:
            bound = later_than(current, now, day)
            return await rebook_appointment(case, uow, scheduler, "applicant", later_than=bound)
        except NoSeatError:
            reason = "no_seat"
    uow.publish(refused_event(cmd, reason or "no_appointment"))
    return None
