"""Contract (wire events) to command translation; the only place that knows both."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.contracts import (
    AlertRaised,
    ApplicantContactRecorded,
    ApplicationJoinedCase,
    ApplicationReceived,
    AppointmentBooked,
    AppointmentCancelled,
    AppointmentChangeRefused,
    AppointmentRebooked,
    CaseClosed,
    CaseDecided,
    CaseRouted,
    DocumentsAdded,
    DocumentsRequested,
    PersonalDataErased,
)
from shared.contracts.envelope import CloudEvent
from shared.messaging.deadletter import PoisonMessage

from notify.domain.case import CHANGE_REFUSED, Details
from notify.service_layer.commands import (
    ErasePersonalData,
    MailAlert,
    RecordApplication,
    RecordContact,
    RecordStep,
)

APPOINTMENT_KINDS = {
    AppointmentBooked: "appointment_booked",
    AppointmentRebooked: "appointment_rebooked",
    AppointmentCancelled: "appointment_cancelled",
}


def _instant(value: str, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise PoisonMessage(f"invalid event: {field} is not an ISO 8601 instant") from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def record_application(event: ApplicationReceived) -> RecordApplication:
    data = event.data
    return RecordApplication(
        case_id=data.case_id,
        event_id=event.id,
        correlation_id=event.correlationid,
        ticket=data.ticket,
        concern=data.concern,
        language=data.language,
        received_at=_instant(data.received_at, "data.received_at"),
        missing_documents=tuple(data.missing_documents),
    )


def record_contact(event: ApplicantContactRecorded) -> RecordContact:
    data = event.data
    if not data.tracking_code.strip():
        raise PoisonMessage("invalid event: data.tracking_code is empty")
    return RecordContact(
        case_id=data.case_id,
        event_id=event.id,
        correlation_id=event.correlationid,
        tracking_code=data.tracking_code,
        language=data.language,
        email=data.email,
        phone=data.phone,
    )


def _step(event: CloudEvent, case_id: str, kind: str, details: Details) -> RecordStep:
    return RecordStep(case_id, event.id, event.correlationid, kind, event.time, details)


def record_routing(event: CaseRouted) -> RecordStep:
    d = event.data
    return _step(event, d.case_id, "routed", {"team": d.team, "priority": d.priority})


def documents_requested(event: DocumentsRequested) -> RecordStep:
    d = event.data
    details: Details = {"documents": list(d.documents), "reply_by": d.reply_by, "team": d.team}
    return _step(event, d.case_id, "documents_requested", details)


def documents_added(event: DocumentsAdded) -> RecordStep:
    d = event.data
    details: Details = {
        "count": str(len(d.documents)),
        "documents": [doc.kind for doc in d.documents],
        "missing_documents": list(d.missing_documents),
    }
    return _step(event, d.case_id, "documents_added", details)


def joined(event: ApplicationJoinedCase) -> RecordStep:
    d = event.data
    return _step(event, d.case_id, "joined", {"ticket": d.ticket})


def appointment(
    event: AppointmentBooked | AppointmentRebooked | AppointmentCancelled,
) -> RecordStep:
    d = event.data
    for field, value in (("starts_at", d.starts_at), ("ends_at", d.ends_at)):
        _instant(value, f"data.{field}")
    details: Details = {
        "appointment_id": d.appointment_id,
        "starts_at": d.starts_at,
        "ends_at": d.ends_at,
        "location": d.location,
        "by": d.by,
    }
    return _step(event, d.case_id, APPOINTMENT_KINDS[type(event)], details)


def appointment_change_refused(event: AppointmentChangeRefused) -> RecordStep:
    d = event.data
    details: Details = {"action": d.action, "reason": d.reason, "request_id": d.request_id}
    return _step(event, d.case_id, CHANGE_REFUSED, details)


def decided(event: CaseDecided) -> RecordStep:
    d = event.data
    details: Details = {"outcome": d.outcome, "referral": d.referral, "team": d.team}
    return _step(event, d.case_id, "decided", details)


def closed(event: CaseClosed) -> RecordStep:
    d = event.data
    return _step(event, d.case_id, "closed", {"team": d.team})


def mail_alert(event: AlertRaised) -> MailAlert:
    d = event.data
    return MailAlert(d.alert_id, event.id, d.team, d.severity, d.summary)


def erase(event: PersonalDataErased) -> ErasePersonalData:
    d = event.data
    return ErasePersonalData(d.case_id, event.id, d.reason, event.time)
