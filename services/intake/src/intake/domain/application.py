"""An application as intake accepts it; personal data stays inside intake."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from intake.domain.attachments import OTHER, StoredAttachment
from intake.domain.catalogue import Catalogue, Concern

CHANNELS = ("online", "email", "phone", "counter", "partner")
VULNERABILITY_FLAGS = ("minor", "pregnancy", "disability", "illness", "elderly", "trauma")


class UnknownConcernError(ValueError):
    """The concern key is not in the catalogue."""

    def __init__(self, key: str, valid: Sequence[str]) -> None:
        # the submitted value is not repeated: whatever was typed there may be personal data
        super().__init__("unknown concern: not a key of the catalogue")
        self.key = key
        self.valid = list(valid)


class UnknownDocumentError(ValueError):
    """A submitted document kind is not in the catalogue."""

    def __init__(self, index: int, kind: str) -> None:
        super().__init__("unknown document kind: not a document of the catalogue")
        self.index = index
        self.kind = kind


@dataclass(frozen=True)
class Applicant:
    """Who applies: personal data, never leaves intake except contact data to notify."""

    family_name: str
    given_name: str | None = None
    date_of_birth: date | None = None
    nationality: str | None = None
    email: str | None = None
    phone: str | None = None
    postal_address: str | None = None


@dataclass(frozen=True)
class Application:
    case_id: str
    ticket: str
    concern: Concern
    channel: str
    language: str
    received_at: datetime
    applicant: Applicant
    submitted_documents: tuple[str, ...] = ()
    permit_expires_on: date | None = None
    travel_date: date | None = None
    urgency_reason: str | None = None
    message: str | None = None
    attachments: tuple[StoredAttachment, ...] = ()
    vulnerability_flags: tuple[str, ...] = ()
    staff_id: str | None = None
    duplicate_key: str | None = None

    @property
    def missing_documents(self) -> list[str]:
        return self.concern.missing_documents(self.submitted_documents)

    @property
    def permit_expiry_month(self) -> str | None:
        return None if self.permit_expires_on is None else self.permit_expires_on.strftime("%Y-%m")

    @property
    def urgent_travel(self) -> bool:
        """A travel date counts as urgent only when the applicant says why."""
        return self.travel_date is not None and bool(self.urgency_reason)

    @property
    def walk_in(self) -> bool:
        return self.channel == "counter"


@dataclass(frozen=True)
class ApplicationSummary:
    """What staff see about an application by ticket: no personal data."""

    ticket: str
    case_id: str
    concern: str
    channel: str
    language: str
    received_at: datetime
    missing_documents: tuple[str, ...]
    submitted_documents: tuple[str, ...] = ()
    vulnerability_flags: tuple[str, ...] = ()
    staff_id: str | None = None
    closed_at: datetime | None = None
    erased_at: datetime | None = None


def resolve_concern(catalogue: Catalogue, key: str) -> Concern:
    concern = catalogue.get(key)
    if concern is None:
        raise UnknownConcernError(key, catalogue.keys())
    return concern


def check_documents(catalogue: Catalogue, kinds: Sequence[str]) -> tuple[str, ...]:
    """The submitted kinds, de-duplicated in order; rejects a kind the catalogue lacks."""
    known = catalogue.document_keys()
    for index, kind in enumerate(kinds):
        if kind not in known:
            raise UnknownDocumentError(index, kind)
    return tuple(dict.fromkeys(kinds))


def checklist_kinds(kinds: Sequence[str], attachments: Sequence[StoredAttachment]) -> list[str]:
    """Declared kinds plus the kinds of attached files ('other' counts for nothing)."""
    return [*kinds, *(a.kind for a in attachments if a.kind != OTHER)]
