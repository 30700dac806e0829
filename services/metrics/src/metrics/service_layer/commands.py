"""What the projection records, already stripped of everything it must not keep."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

Outcome = Literal["sent", "failed"]
Milestone = Literal["claimed_at", "documents_requested_at"]


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
    permit_expiry_month: str | None = None


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


@dataclass(frozen=True)
class RecordMilestone:
    """The first time a case reached ``milestone`` (claimed, documents requested); no actor."""

    case_id: str
    milestone: Milestone
    at: datetime


@dataclass(frozen=True)
class RecordDecided:
    """A case's decision: when, outcome, and whether within its service target."""

    case_id: str
    decided_at: datetime
    decided_on: date
    outcome: str
    within_target: bool | None
    team: str


@dataclass(frozen=True)
class RecordClosed:
    case_id: str
    closed_at: datetime
    closed_on: date


@dataclass(frozen=True)
class RecordJoined:
    """A duplicate submission joined an open case."""

    submission_id: str
    case_id: str
    channel: str
    language: str
    occurred_on: date


@dataclass(frozen=True)
class RecordAppointment:
    appointment_id: str
    case_id: str
    team: str
    concern: str
    language: str
    booked_on: date
    wait_days: float


@dataclass(frozen=True)
class RecordSurvey:
    survey_id: str
    score: int
    concern: str
    team: str | None
    channel: str | None
    language: str
    answered_on: date


@dataclass(frozen=True)
class RecordOutboxBacklog:
    """A producer's outbox backlog passed its threshold (the event's id keys the report)."""

    report_id: str
    producer: str
    pending: int
    oldest_age_seconds: float
    reported_at: datetime


Command = (
    RecordReceived
    | RecordRouted
    | RecordNotification
    | RecordMilestone
    | RecordDecided
    | RecordClosed
    | RecordJoined
    | RecordAppointment
    | RecordSurvey
    | RecordOutboxBacklog
)
