"""Commands routing acts on (imperative; translated from events at the edge)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from routing.domain.triage import Facts


@dataclass(frozen=True)
class RouteCase:
    """Triage a newly received application and queue it for its team."""

    case_id: str
    ticket: str
    team: str | None
    language: str
    received_at: datetime
    facts: Facts
    correlation_id: str


@dataclass(frozen=True)
class ActOnCase:
    """A caseworker action on a case: claim, release, close (no further details)."""

    ticket: str
    actor: str
    action: str


@dataclass(frozen=True)
class RequestDocuments:
    """Ask the applicant for documents; the case's clock pauses."""

    ticket: str
    actor: str
    documents: tuple[str, ...]
    reply_by: date | None = None


@dataclass(frozen=True)
class ForwardCase:
    ticket: str
    actor: str
    team: str
    reason_code: str


@dataclass(frozen=True)
class DecideCase:
    ticket: str
    actor: str
    outcome: str
    referral: str | None = None


@dataclass(frozen=True)
class ResumeCase:
    """What the case waited for arrived (documents added)."""

    case_id: str
    correlation_id: str


@dataclass(frozen=True)
class ChangeAppointment:
    """The applicant asks to cancel, or for a later appointment (not before a day, if named)."""

    request_id: str
    case_id: str
    ticket: str
    action: Literal["cancel", "rebook"]
    not_before: date | None
    correlation_id: str
