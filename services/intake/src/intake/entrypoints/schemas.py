"""The HTTP contract of intake: request and response bodies, and request -> command."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from shared.contracts.intake.v1 import Channel
from shared.http import IsoDate

from intake.domain.application import VULNERABILITY_FLAGS, Applicant
from intake.domain.attachments import StoredAttachment, Upload
from intake.service_layer.commands import SubmitApplication

Key = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LanguageTag = Annotated[
    str, StringConstraints(max_length=35, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]
Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=40, pattern=r"^\+?[0-9][0-9 ()/.-]{3,38}$"),
]
EARLIEST_BIRTH = date(1900, 1, 1)


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ApplicantIn(_Input):
    given_name: Name | None = None
    family_name: Name
    date_of_birth: IsoDate | None = None
    nationality: str | None = Field(None, pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3")
    email: Email | None = None
    phone: Phone | None = None
    postal_address: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None
    ) = None

    @field_validator("date_of_birth")
    @classmethod
    def _plausible_birth(cls, value: date | None) -> date | None:
        if value is not None and not EARLIEST_BIRTH <= value <= date.today():
            msg = "must be a date between 1900-01-01 and today"
            raise ValueError(msg)
        return value


class DocumentIn(_Input):
    kind: Key = Field(description="catalogue document key, e.g. passport")


class ApplicationIn(_Input):
    concern: Key = Field(description="catalogue key, see GET /v1/concerns")
    channel: Channel = "online"
    language: LanguageTag = Field("de", description="BCP 47 language tag")
    applicant: ApplicantIn
    permit_expires_on: IsoDate | None = None
    travel_date: IsoDate | None = None
    urgency_reason: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None
    ) = None
    message: Annotated[str, StringConstraints(max_length=5000)] | None = None
    documents: list[DocumentIn] = Field(default_factory=list, max_length=50)

    def to_command(self, uploads: tuple[Upload, ...] = ()) -> SubmitApplication:
        return SubmitApplication(
            concern=self.concern,
            applicant=Applicant(**self.applicant.model_dump()),
            channel=self.channel,
            language=self.language,
            documents=tuple(d.kind for d in self.documents),
            permit_expires_on=self.permit_expires_on,
            travel_date=self.travel_date,
            urgency_reason=self.urgency_reason or None,
            message=self.message or None,
            uploads=uploads,
        )


class StaffApplicationIn(ApplicationIn):
    """A walk-in or phone call recorded by staff: checklist ticked at the desk, flags."""

    channel: Channel = Field("counter", description="set by the endpoint")
    checklist: list[Key] = Field(
        default_factory=list, max_length=50, description="document keys seen at the desk"
    )
    vulnerability_flags: list[Annotated[str, StringConstraints(max_length=32)]] = Field(
        default_factory=list, max_length=len(VULNERABILITY_FLAGS)
    )

    @field_validator("vulnerability_flags")
    @classmethod
    def _known_flags(cls, value: list[str]) -> list[str]:
        unknown = [f for f in value if f not in VULNERABILITY_FLAGS]
        if unknown:
            msg = f"unknown flag(s) {unknown}; one of {', '.join(VULNERABILITY_FLAGS)}"
            raise ValueError(msg)
        return list(dict.fromkeys(value))

    def to_staff_command(self, channel: str, staff_id: str) -> SubmitApplication:
        base = self.to_command()
        kinds = tuple(dict.fromkeys([*base.documents, *self.checklist]))
        flags = tuple(self.vulnerability_flags)
        return replace(
            base, channel=channel, documents=kinds, staff_id=staff_id, vulnerability_flags=flags
        )


class ReceiptOut(BaseModel):
    ticket: str = Field(description="read it out on the phone, e.g. K7QM-4T9X-R")
    tracking_code: str = Field(description="secret of the status link; shown once")
    status_url: str
    missing_documents: list[str]
    case_id: str
    joined: bool = Field(
        False, description="true: the same person already has this concern open; see ticket"
    )


class AttachmentOut(BaseModel):
    document_id: str
    kind: str
    sha256: str
    size: int
    content_type: str

    @classmethod
    def of(cls, attachment: StoredAttachment) -> AttachmentOut:
        return cls.model_validate(attachment.__dict__)


class DocumentsReceiptOut(BaseModel):
    ticket: str
    documents: list[AttachmentOut]
    missing_documents: list[str]


class DocumentOut(BaseModel):
    key: str
    names: dict[str, str] = Field(description="by language: de, de-simple, en, ar, tr, ...")
    descriptions: dict[str, str] = Field(default_factory=dict)


class ConcernOut(BaseModel):
    key: str
    names: dict[str, str]
    legal_basis: str | None
    team: str
    target_days: int
    in_person: bool
    required_documents: list[DocumentOut]
    retention_days_after_closing: int = Field(
        description="days after the case closes until the applicant's personal data is erased"
    )


class CatalogueOut(BaseModel):
    version: str
    concerns: list[ConcernOut]


class OutboxOut(BaseModel):
    pending: int
    oldest_age_seconds: float
