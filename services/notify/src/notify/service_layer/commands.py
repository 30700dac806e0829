"""What notify is asked to do, translated from the events it consumes or from HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from notify.domain.case import Details


@dataclass(frozen=True)
class RecordApplication:
    case_id: str
    event_id: str
    correlation_id: str
    ticket: str
    concern: str
    language: str
    received_at: datetime
    missing_documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordContact:
    """Carries the secret tracking code: never log this command."""

    case_id: str
    event_id: str
    correlation_id: str
    tracking_code: str
    language: str
    email: str | None = None
    phone: str | None = None

    def __repr__(self) -> str:
        return f"RecordContact(case_id={self.case_id!r}, ...)"


@dataclass(frozen=True)
class RecordStep:
    """One step of the case (routed, documents requested, appointment, decision, ...)."""

    case_id: str
    event_id: str
    correlation_id: str
    kind: str
    at: datetime
    details: Details = field(default_factory=dict)


@dataclass(frozen=True)
class AnswerSurvey:
    survey_id: str
    score: int
    comment: str
    language: str


@dataclass(frozen=True)
class SetPreferences:
    """The applicant's choices, addressed by the secret tracking code (never log it)."""

    tracking_code: str
    channels: tuple[str, ...] | None
    language: str | None
    essential_only: bool

    def __repr__(self) -> str:
        return "SetPreferences(...)"


@dataclass(frozen=True)
class RequestAppointmentChange:
    """Cancel or move the appointment, addressed by the secret tracking code (never log it)."""

    tracking_code: str
    action: Literal["cancel", "rebook"]
    not_before: date | None = None

    def __repr__(self) -> str:
        return f"RequestAppointmentChange(action={self.action!r}, ...)"


@dataclass(frozen=True)
class MailAlert:
    """An early-warning alert for a team lead (no personal data in it)."""

    alert_id: str
    event_id: str
    team: str | None
    severity: str
    summary: str


@dataclass(frozen=True)
class ErasePersonalData:
    """Intake erased the applicant's data (retention or request): notify forgets its part."""

    case_id: str
    event_id: str
    reason: str
    at: datetime
