"""What caseworkers may do with a case, and what each action changes (pure transitions)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from routing.domain.calendar import BusinessCalendar
from routing.domain.case import OPEN, Case, CaseStatus

OUTCOMES = frozenset({"granted", "refused", "withdrawn", "referred"})


class CaseConflictError(Exception):
    """The action does not fit the case's current state (HTTP 409); the text says why."""


def _bump(case: Case, **changes: object) -> Case:
    return replace(case, version=case.version + 1, **changes)  # type: ignore[arg-type]


def _held_by(case: Case, actor: str) -> None:
    if case.status is not CaseStatus.CLAIMED:
        raise CaseConflictError(f"case is {case.status}, claim it first")
    if case.claimed_by != actor:
        raise CaseConflictError("case is held by another caseworker")


def claim(case: Case, actor: str) -> Case:
    """The actor holds the case; nobody else can while they do."""
    if case.status is CaseStatus.CLAIMED:
        raise CaseConflictError("case is already claimed")
    if case.status is not CaseStatus.QUEUED:
        raise CaseConflictError(f"case is {case.status}, only queued cases can be claimed")
    return _bump(case, status=CaseStatus.CLAIMED, claimed_by=actor)


def release(case: Case, actor: str) -> Case:
    """Back to the team queue."""
    _held_by(case, actor)
    return _bump(case, status=CaseStatus.QUEUED, claimed_by=None)


def request_documents(case: Case, actor: str, today: date) -> Case:
    """The case waits for the applicant; its clock pauses from ``today``."""
    _held_by(case, actor)
    return _bump(case, status=CaseStatus.WAITING, paused_on=today)


def resume(case: Case, today: date, calendar: BusinessCalendar) -> tuple[Case, int]:
    """The clock runs again; the due date moves by the business days it was paused."""
    if case.status is not CaseStatus.WAITING or case.paused_on is None:
        raise CaseConflictError(f"case is {case.status}, not waiting for documents")
    paused = calendar.business_days_between(case.paused_on, today)
    due = calendar.add_business_days(case.due_on, paused) if case.due_on else None
    status = CaseStatus.CLAIMED if case.claimed_by else CaseStatus.QUEUED
    total = case.paused_business_days + paused
    resumed = _bump(case, status=status, paused_on=None, paused_business_days=total, due_on=due)
    return resumed, paused


def forward(case: Case, team: str) -> Case:
    """Into another team's queue, unclaimed."""
    if case.status not in OPEN:
        raise CaseConflictError(f"case is {case.status}, only open cases can be forwarded")
    if team == case.team:
        raise CaseConflictError(f"case is already with team {team}")
    return _bump(case, team=team, status=CaseStatus.QUEUED, claimed_by=None)


def decide(case: Case, actor: str, outcome: str) -> Case:
    """A decision by whoever holds the case."""
    if outcome not in OUTCOMES:
        raise CaseConflictError(f"unknown outcome {outcome}")
    _held_by(case, actor)
    return _bump(case, status=CaseStatus.DECIDED, outcome=outcome)


def close(case: Case) -> Case:
    """Finished: only a decided case closes."""
    if case.status is not CaseStatus.DECIDED:
        raise CaseConflictError(f"case is {case.status}, only decided cases can be closed")
    return _bump(case, status=CaseStatus.CLOSED)
