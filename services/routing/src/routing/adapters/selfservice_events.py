"""The applicant's appointment requests (from notify) in, and their refusals out."""

from __future__ import annotations

from shared.contracts import AppointmentChangeRefused, AppointmentChangeRequested
from shared.contracts.routing.v1 import AppointmentChangeRefusedData
from shared.messaging.deadletter import PoisonMessage

from routing.domain.selfservice import Refusal
from routing.service_layer.commands import ChangeAppointment


def to_change_appointment(event: AppointmentChangeRequested) -> ChangeAppointment:
    """The command the request asks for; ``PoisonMessage`` if it never can be valid."""
    data = event.data
    if data.case_id != event.subject:
        raise PoisonMessage("invalid event: data.case_id differs from the subject")
    return ChangeAppointment(
        request_id=event.id,
        case_id=data.case_id,
        ticket=data.ticket,
        action=data.action,
        not_before=data.not_before,
        correlation_id=event.correlationid,
    )


def refused_event(cmd: ChangeAppointment, reason: Refusal) -> AppointmentChangeRefused:
    data = AppointmentChangeRefusedData(
        case_id=cmd.case_id,
        ticket=cmd.ticket,
        action=cmd.action,
        reason=reason,
        request_id=cmd.request_id,
    )
    return AppointmentChangeRefused.build(
        subject=cmd.case_id, data=data, correlation_id=cmd.correlation_id
    )
