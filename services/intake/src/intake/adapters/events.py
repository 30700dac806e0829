"""Translate an accepted application into intake's v1 events."""

from __future__ import annotations

from shared.contracts import ApplicantContactRecorded, ApplicationReceived
from shared.contracts.intake.v1 import ApplicantContactRecordedData, ApplicationReceivedData

from intake.domain.application import Application


def application_received(app: Application) -> ApplicationReceived:
    """The event everyone may read: no names, no contact data, no free text."""
    data = ApplicationReceivedData(
        case_id=app.case_id,
        ticket=app.ticket,
        concern=app.concern.key,
        channel=app.channel,  # type: ignore[arg-type]  # checked against CHANNELS at the edge
        language=app.language,
        received_at=app.received_at.isoformat(),
        team=app.concern.team,
        missing_documents=app.missing_documents,
        submitted_documents=list(app.submitted_documents),
        permit_expires_on=app.permit_expires_on,
        travel_date=app.travel_date,
        urgent_travel=app.urgent_travel,
        walk_in=app.walk_in,
    )
    return ApplicationReceived.build(subject=app.case_id, data=data, correlation_id=app.case_id)


def applicant_contact_recorded(app: Application, tracking_code: str) -> ApplicantContactRecorded:
    """Contact data and the status-link secret, for notify alone."""
    data = ApplicantContactRecordedData(
        case_id=app.case_id,
        ticket=app.ticket,
        tracking_code=tracking_code,
        language=app.language,
        email=app.applicant.email,
        phone=app.applicant.phone,
    )
    return ApplicantContactRecorded.build(
        subject=app.case_id, data=data, correlation_id=app.case_id
    )
