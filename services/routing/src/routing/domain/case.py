"""A routed case and the order a team's work list is in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from routing.domain.priority import Priority

FALLBACK_TEAM = "service_point"


class CaseStatus(StrEnum):
    QUEUED = "queued"
    CLAIMED = "claimed"
    WAITING = "waiting"
    DECIDED = "decided"
    CLOSED = "closed"


OPEN = frozenset({CaseStatus.QUEUED, CaseStatus.CLAIMED})


@dataclass(frozen=True)
class Case:
    case_id: str
    ticket: str
    concern: str
    team: str
    priority: Priority
    reasons: tuple[str, ...]
    rule_version: str
    language: str
    channel: str
    received_at: datetime
    routed_at: datetime
    status: CaseStatus = CaseStatus.QUEUED
    due_on: date | None = None
    target_days: int = 0
    claimed_by: str | None = None
    paused_on: date | None = None
    paused_business_days: int = 0
    outcome: str | None = None
    version: int = 1


def team_for(catalogue_team: str | None) -> str:
    """The team intake's catalogue named, else the service point."""
    return catalogue_team or FALLBACK_TEAM


def work_order(case: Case) -> tuple[int, datetime, str]:
    """Sort key of a work list: most pressing priority first, then whoever waited longest."""
    return (case.priority.rank, case.received_at, case.ticket)


def work_list(cases: Iterable[Case]) -> list[Case]:
    """Open cases (queued or claimed) in the order a team should take them."""
    return sorted((c for c in cases if c.status in OPEN), key=work_order)
