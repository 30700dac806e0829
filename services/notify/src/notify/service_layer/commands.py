"""What notify is asked to do, translated from the events it consumes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
    """Carries the secret tracking code: never log or store this command."""

    case_id: str
    correlation_id: str
    tracking_code: str
    language: str
    email: str | None = None
    phone: str | None = None

    def __repr__(self) -> str:
        return f"RecordContact(case_id={self.case_id!r}, ...)"


@dataclass(frozen=True)
class RecordRouting:
    case_id: str
    at: datetime
    team: str
    priority: str
