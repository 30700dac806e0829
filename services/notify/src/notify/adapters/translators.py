"""Contract (wire events) to command translation; the only place that knows both."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.contracts import ApplicantContactRecorded, ApplicationReceived, CaseRouted
from shared.messaging.deadletter import PoisonMessage

from notify.service_layer.commands import RecordApplication, RecordContact, RecordRouting


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
        correlation_id=event.correlationid,
        tracking_code=data.tracking_code,
        language=data.language,
        email=data.email,
        phone=data.phone,
    )


def record_routing(event: CaseRouted) -> RecordRouting:
    data = event.data
    return RecordRouting(
        case_id=data.case_id, at=event.time, team=data.team, priority=data.priority
    )
