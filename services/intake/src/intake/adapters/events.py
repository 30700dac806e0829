"""Translate what intake accepted into its v1 events."""

from __future__ import annotations

from collections.abc import Sequence

from shared.contracts import ApplicantContactRecorded, ApplicationReceived
from shared.contracts.intake.v1 import (
    ApplicantContactRecordedData,
    ApplicationJoinedCase,
    ApplicationJoinedCaseData,
    ApplicationReceivedData,
    DocumentsAdded,
    DocumentsAddedData,
    OutboxBacklogExceeded,
    OutboxBacklogExceededData,
    PersonalDataErased,
    PersonalDataErasedData,
    StoredDocument,
)

from intake.domain.application import Applicant, Application
from intake.domain.attachments import StoredAttachment


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
        vulnerability_flags=list(app.vulnerability_flags),
        permit_expiry_month=app.permit_expiry_month,
    )
    return ApplicationReceived.build(subject=app.case_id, data=data, correlation_id=app.case_id)


def applicant_contact_recorded(
    case_id: str, ticket: str, language: str, applicant: Applicant, tracking_code: str
) -> ApplicantContactRecorded:
    """Contact data and the status-link secret, for notify alone."""
    data = ApplicantContactRecordedData(
        case_id=case_id,
        ticket=ticket,
        tracking_code=tracking_code,
        language=language,
        email=applicant.email,
        phone=applicant.phone,
    )
    return ApplicantContactRecorded.build(subject=case_id, data=data, correlation_id=case_id)


def documents_added(
    case_id: str,
    ticket: str,
    attachments: Sequence[StoredAttachment],
    missing: Sequence[str],
    channel: str,
) -> DocumentsAdded:
    """Files now in intake's blob store, by id and sha256 (never the bytes)."""
    documents = [
        StoredDocument(
            document_id=a.document_id,
            kind=a.kind,
            sha256=a.sha256,
            size=a.size,
            content_type=a.content_type,  # type: ignore[arg-type]  # sniffed: one of the three
        )
        for a in attachments
    ]
    data = DocumentsAddedData(
        case_id=case_id,
        ticket=ticket,
        documents=documents,
        missing_documents=list(missing),
        channel=channel,  # type: ignore[arg-type]
    )
    return DocumentsAdded.build(subject=case_id, data=data, correlation_id=case_id)


def application_joined_case(
    case_id: str, ticket: str, channel: str, language: str, submission_id: str
) -> ApplicationJoinedCase:
    data = ApplicationJoinedCaseData(
        case_id=case_id,
        ticket=ticket,
        channel=channel,  # type: ignore[arg-type]
        language=language,
        submission_id=submission_id,
    )
    return ApplicationJoinedCase.build(subject=case_id, data=data, correlation_id=case_id)


def outbox_backlog_exceeded(
    pending: int, oldest_age_seconds: float, threshold_pending: int, threshold_age: float
) -> OutboxBacklogExceeded:
    data = OutboxBacklogExceededData(
        pending=pending,
        oldest_age_seconds=oldest_age_seconds,
        threshold_pending=threshold_pending,
        threshold_age_seconds=threshold_age,
    )
    return OutboxBacklogExceeded.build(subject="outbox", data=data)


def personal_data_erased(case_id: str, ticket: str, reason: str) -> PersonalDataErased:
    """Every service erases what it holds about this case's applicant."""
    data = PersonalDataErasedData(case_id=case_id, ticket=ticket, reason=reason)  # type: ignore[arg-type]
    return PersonalDataErased.build(subject=case_id, data=data, correlation_id=case_id)
