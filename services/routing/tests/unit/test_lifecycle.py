"""Caseworker actions as transitions: who may do what, and what pauses the clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from routing.adapters.holidays_calendar import land_calendar
from routing.domain import lifecycle
from routing.domain.case import Case, CaseStatus
from routing.domain.lifecycle import CaseConflictError
from routing.domain.priority import Priority

AT = datetime(2026, 11, 23, 8, tzinfo=UTC)
CASE = Case(
    "c-1", "T-1", "residence_permit_extension", "residence", Priority.NORMAL, ("r",), "v1",
    "de", "online", AT, AT, due_on=date(2026, 12, 14), target_days=15,
)  # fmt: skip


def test_claim_is_exclusive() -> None:
    claimed = lifecycle.claim(CASE, "s-ana")
    assert (claimed.status, claimed.claimed_by, claimed.version) == (CaseStatus.CLAIMED, "s-ana", 2)
    with pytest.raises(CaseConflictError, match="already claimed"):
        lifecycle.claim(claimed, "s-ben")


def test_only_the_holder_releases_decides_or_requests_documents() -> None:
    claimed = lifecycle.claim(CASE, "s-ana")
    for act in (
        lambda c: lifecycle.release(c, "s-ben"),
        lambda c: lifecycle.decide(c, "s-ben", "granted"),
        lambda c: lifecycle.request_documents(c, "s-ben", date(2026, 11, 24)),
    ):
        with pytest.raises(CaseConflictError, match="another caseworker"):
            act(claimed)
    assert lifecycle.release(claimed, "s-ana").status is CaseStatus.QUEUED


def test_waiting_pauses_the_clock_and_resuming_moves_the_due_date() -> None:
    calendar = land_calendar("BW")
    waiting = lifecycle.request_documents(
        lifecycle.claim(CASE, "s-ana"), "s-ana", date(2026, 11, 24)
    )
    assert (waiting.status, waiting.paused_on) == (CaseStatus.WAITING, date(2026, 11, 24))
    resumed, paused = lifecycle.resume(waiting, date(2026, 12, 1), calendar)  # Tue -> next Tue
    assert paused == 5
    assert resumed.due_on == date(2026, 12, 21)
    assert (resumed.status, resumed.claimed_by) == (CaseStatus.CLAIMED, "s-ana")
    assert resumed.paused_business_days == 5
    with pytest.raises(CaseConflictError, match="not waiting"):
        lifecycle.resume(resumed, date(2026, 12, 2), calendar)


def test_forward_unclaims_into_the_other_team_and_close_needs_a_decision() -> None:
    forwarded = lifecycle.forward(lifecycle.claim(CASE, "s-ana"), "family")
    assert (forwarded.team, forwarded.status, forwarded.claimed_by) == (
        "family", CaseStatus.QUEUED, None,
    )  # fmt: skip
    with pytest.raises(CaseConflictError, match="already with team"):
        lifecycle.forward(forwarded, "family")
    with pytest.raises(CaseConflictError, match="only decided"):
        lifecycle.close(forwarded)
    decided = lifecycle.decide(lifecycle.claim(forwarded, "s-ben"), "s-ben", "refused")
    assert lifecycle.close(decided).status is CaseStatus.CLOSED
    with pytest.raises(CaseConflictError):
        lifecycle.claim(replace(decided), "s-ana")
