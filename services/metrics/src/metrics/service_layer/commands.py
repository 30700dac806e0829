"""What the projection records, already stripped of everything it must not keep."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

Outcome = Literal["sent", "failed"]


@dataclass(frozen=True)
class RecordReceived:
    """The non-personal facts of a new application."""

    case_id: str
    received_at: datetime
    received_on: date
    concern: str
    channel: str
    language: str
    team: str | None
    missing_documents_count: int
    urgent_travel: bool


@dataclass(frozen=True)
class RecordRouted:
    """The triage outcome of a case; concern, channel and language fill gaps only."""

    case_id: str
    routed_at: datetime
    routed_on: date
    priority: str
    team: str
    concern: str
    channel: str
    language: str


@dataclass(frozen=True)
class RecordNotification:
    """A notification's outcome on one channel (no address, no content)."""

    notification_id: str
    case_id: str
    kind: str
    channel: str
    outcome: Outcome
    at: datetime
    occurred_on: date
