"""Commands the intake use cases accept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from intake.domain.application import Applicant
from intake.domain.attachments import Upload


@dataclass(frozen=True)
class SubmitApplication:
    concern: str
    applicant: Applicant
    channel: str = "online"
    language: str = "de"
    documents: tuple[str, ...] = ()
    permit_expires_on: date | None = None
    travel_date: date | None = None
    urgency_reason: str | None = None
    message: str | None = None
    uploads: tuple[Upload, ...] = ()
    vulnerability_flags: tuple[str, ...] = ()
    staff_id: str | None = None


@dataclass(frozen=True)
class AddDocuments:
    """Follow-up documents for an open case, proven by its tracking code."""

    ticket: str
    tracking_code: str
    uploads: tuple[Upload, ...]
    channel: str = "online"


@dataclass(frozen=True)
class IdempotencyKey:
    """The client's ``Idempotency-Key`` and a hash of the request it came with."""

    key: str
    request_hash: str
