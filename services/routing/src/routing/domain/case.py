"""A routed case and the order a team's work list is in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from routing.domain.priority import Priority

FALLBACK_TEAM = "service_point"


class CaseStatus(StrEnum):
    QUEUED = "queued"


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


def team_for(catalogue_team: str | None) -> str:
    """The team intake's catalogue named, else the service point."""
    return catalogue_team or FALLBACK_TEAM


def work_order(case: Case) -> tuple[int, datetime, str]:
    """Sort key of a work list: most pressing priority first, then whoever waited longest."""
    return (case.priority.rank, case.received_at, case.ticket)


def work_list(cases: Iterable[Case]) -> list[Case]:
    """Queued cases in the order a team should take them."""
    return sorted((c for c in cases if c.status is CaseStatus.QUEUED), key=work_order)
