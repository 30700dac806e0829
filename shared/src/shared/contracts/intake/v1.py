"""Events produced by intake, major version 1."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field

from shared.contracts.envelope import CloudEvent, EventData

Channel = Literal["online", "email", "phone", "counter", "partner"]


class ApplicationReceivedData(EventData):
    """What every consumer may know about a new application: no names, no contact data."""

    case_id: str = Field(description="pseudonymous case id (also the CloudEvent subject)")
    ticket: str = Field(description="the ticket number the applicant quotes")
    concern: str = Field(description="catalogue key of the concern")
    channel: Channel
    language: str = Field(description="BCP 47 tag the applicant chose")
    received_at: str = Field(description="ISO 8601 UTC instant intake accepted it")
    team: str | None = Field(default=None, description="responsible team from the catalogue")
    missing_documents: list[str] = Field(default_factory=list)
    submitted_documents: list[str] = Field(default_factory=list)
    permit_expires_on: date | None = None
    travel_date: date | None = None
    urgent_travel: bool = False
    walk_in: bool = False
    vulnerability_flags: list[str] = Field(
        default_factory=list,
        description="flags ticked by staff, e.g. 'minor', 'pregnancy', 'disability' (no free text)",
    )
    permit_expiry_month: str | None = Field(
        default=None, description="YYYY-MM the current permit expires: known future demand"
    )


class ApplicationReceived(CloudEvent):
    """Intake accepted an application and opened a case."""

    producer: ClassVar[str] = "intake"
    name: ClassVar[str] = "application_received"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.intake.application_received.v1"] = (
        "de.lotse.intake.application_received.v1"
    )
    data: ApplicationReceivedData


class ApplicantContactRecordedData(EventData):
    """How to reach the applicant: only notify subscribes to this subject."""

    case_id: str
    ticket: str
    tracking_code: str = Field(
        description="the secret code of the status link; notify keeps a hash"
    )
    language: str
    email: str | None = None
    phone: str | None = None


class ApplicantContactRecorded(CloudEvent):
    """Intake recorded how the applicant wants to be told about their case."""

    producer: ClassVar[str] = "intake"
    name: ClassVar[str] = "applicant_contact_recorded"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.intake.applicant_contact_recorded.v1"] = (
        "de.lotse.intake.applicant_contact_recorded.v1"
    )
    data: ApplicantContactRecordedData


class StoredDocument(EventData):
    """An attachment in intake's blob store, referenced, never embedded."""

    document_id: str
    kind: str = Field(description="catalogue document key, or 'other'")
    sha256: str
    size: int
    content_type: Literal["application/pdf", "image/jpeg", "image/png"]


class DocumentsAddedData(EventData):
    """The applicant (or staff) added documents to an open case."""

    case_id: str
    ticket: str
    documents: list[StoredDocument]
    missing_documents: list[str] = Field(description="what is still missing afterwards")
    channel: Channel


class DocumentsAdded(CloudEvent):
    """Documents arrived for a case; a case waiting for them resumes."""

    producer: ClassVar[str] = "intake"
    name: ClassVar[str] = "documents_added"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.intake.documents_added.v1"] = "de.lotse.intake.documents_added.v1"
    data: DocumentsAddedData


class ApplicationJoinedCaseData(EventData):
    """A new submission was recognised as the same person and concern as an open case."""

    case_id: str = Field(description="the open case it joined")
    ticket: str = Field(description="the open case's ticket, which the applicant is told")
    channel: Channel
    language: str
    submission_id: str = Field(description="pseudonymous id of the joining submission")


class ApplicationJoinedCase(CloudEvent):
    """Intake linked a duplicate submission to the open case instead of opening another."""

    producer: ClassVar[str] = "intake"
    name: ClassVar[str] = "application_joined_case"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.intake.application_joined_case.v1"] = (
        "de.lotse.intake.application_joined_case.v1"
    )
    data: ApplicationJoinedCaseData


class OutboxBacklogExceededData(EventData):
    """Intake's outbox holds more, or older, unsent events than the operator's threshold."""

    pending: int
    oldest_age_seconds: float
    threshold_pending: int
    threshold_age_seconds: float


class OutboxBacklogExceeded(CloudEvent):
    """Operator alert: events are not getting out (NATS down or slow)."""

    producer: ClassVar[str] = "intake"
    name: ClassVar[str] = "outbox_backlog_exceeded"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.intake.outbox_backlog_exceeded.v1"] = (
        "de.lotse.intake.outbox_backlog_exceeded.v1"
    )
    data: OutboxBacklogExceededData


class PersonalDataErasedData(EventData):
    """Intake erased an applicant's personal data (retention period over, or on request)."""

    case_id: str
    ticket: str
    reason: Literal["retention", "request"]


class PersonalDataErased(CloudEvent):
    """Every service now erases or anonymises what it holds about this case's applicant."""

    producer: ClassVar[str] = "intake"
    name: ClassVar[str] = "personal_data_erased"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.intake.personal_data_erased.v1"] = (
        "de.lotse.intake.personal_data_erased.v1"
    )
    data: PersonalDataErasedData
