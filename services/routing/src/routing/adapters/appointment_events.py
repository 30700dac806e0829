"""Appointment events for notify: booked, rebooked, cancelled."""

from __future__ import annotations

from typing import Literal

from shared.contracts import AppointmentBooked, AppointmentCancelled, AppointmentRebooked
from shared.contracts.routing.v1 import AppointmentData, AppointmentRebookedData

from routing.adapters.tables import AppointmentPublic
from routing.domain.appointments import Appointment
from routing.domain.case import Case

By = Literal["applicant", "staff", "system"]


def _data(case: Case, a: Appointment, by: By) -> dict[str, object]:
    return {
        "case_id": case.case_id,
        "ticket": case.ticket,
        "team": a.team,
        "appointment_id": a.appointment_id,
        "starts_at": a.seat.starts_at.isoformat(),
        "ends_at": a.seat.ends_at.isoformat(),
        "location": a.location,
        "emergency": a.seat.emergency,
        "language": case.language,
        "concern": case.concern,
        "by": by,
    }


def booked_event(case: Case, a: Appointment, by: By) -> AppointmentBooked:
    data = AppointmentData.model_validate(_data(case, a, by))
    return AppointmentBooked.build(subject=case.case_id, data=data, correlation_id=case.case_id)


def rebooked_event(case: Case, a: Appointment, before: Appointment, by: By) -> AppointmentRebooked:
    fields = {**_data(case, a, by), "previous_starts_at": before.seat.starts_at.isoformat()}
    data = AppointmentRebookedData.model_validate(fields)
    return AppointmentRebooked.build(subject=case.case_id, data=data, correlation_id=case.case_id)


def cancelled_event(case: Case, a: Appointment, by: By) -> AppointmentCancelled:
    data = AppointmentData.model_validate(_data(case, a, by))
    return AppointmentCancelled.build(subject=case.case_id, data=data, correlation_id=case.case_id)


def appointment_public(a: Appointment) -> AppointmentPublic:
    return AppointmentPublic(
        appointment_id=a.appointment_id,
        ticket=a.ticket,
        team=a.team,
        starts_at=a.seat.starts_at,
        ends_at=a.seat.ends_at,
        location=a.location,
        emergency=a.seat.emergency,
    )
