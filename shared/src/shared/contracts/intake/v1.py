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
