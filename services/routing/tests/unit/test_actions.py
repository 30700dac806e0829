"""Caseworker use cases: events with the actor, clock paused and resumed, alarms fired once."""

from __future__ import annotations

import pytest
from routing.adapters.rules_file import load_rules
from routing.adapters.translators import to_route_case
from routing.config import DEFAULT_RULES
from routing.domain.lifecycle import CaseConflictError
from routing.service_layer import actions
from routing.service_layer.commands import ActOnCase, DecideCase, RequestDocuments, ResumeCase
from routing.service_layer.use_cases import route_case
from shared.contracts import (
    CaseClaimed,
    CaseDecided,
    CaseResumed,
    DocumentsRequested,
)

from ..fakes import OFFICE, FakeClock, FakeUnitOfWork, received

RULES = load_rules(DEFAULT_RULES)


async def routed(uow: FakeUnitOfWork, ticket: str = "T-1") -> None:
    await route_case(to_route_case(received(ticket)), uow, RULES, FakeClock(), OFFICE)
    uow.published.clear()


async def test_claim_publishes_the_actor_and_a_second_claim_conflicts() -> None:
    uow = FakeUnitOfWork()
    await routed(uow)
    case = await actions.act_on_case(ActOnCase("T-1", "s-ana", "claim"), uow)
    assert case.claimed_by == "s-ana"
    claimed, change = uow.published
    assert isinstance(claimed, CaseClaimed)
    assert claimed.data.actor == "s-ana"
    assert change.data.change == "claimed"  # type: ignore[attr-defined]
    with pytest.raises(CaseConflictError):
        await actions.act_on_case(ActOnCase("T-1", "s-ben", "claim"), uow)


async def test_unknown_ticket_is_not_found() -> None:
    with pytest.raises(actions.CaseNotFoundError):
        await actions.act_on_case(ActOnCase("NOPE", "s-ana", "claim"), FakeUnitOfWork())


async def test_documents_requested_pause_alarms_and_documents_added_resume_them() -> None:
    uow, clock = FakeUnitOfWork(), FakeClock()
    await routed(uow)
    await actions.act_on_case(ActOnCase("T-1", "s-ana", "claim"), uow)
    cmd = RequestDocuments("T-1", "s-ana", ("passport_copy",))
    await actions.request_documents(cmd, uow, clock)
    assert isinstance(uow.published[-2], DocumentsRequested)
    assert uow.published[-2].data.documents == ["passport_copy"]  # type: ignore[attr-defined]
    assert uow.timers.rows == {}
    await actions.resume_case(ResumeCase("case-T-1", "corr"), uow, clock.later(days=7), OFFICE)
    resumed = uow.published[-2]
    assert isinstance(resumed, CaseResumed)
    assert resumed.data.paused_business_days == 5
    assert resumed.data.due_on == "2026-12-21"  # 14 Dec + 5 business days
    assert len(uow.timers.rows) == 3


async def test_documents_added_to_a_case_not_waiting_changes_nothing() -> None:
    uow = FakeUnitOfWork()
    await routed(uow)
    await actions.resume_case(ResumeCase("case-T-1", "c"), uow, FakeClock(), OFFICE)
    assert uow.published == []


async def test_decision_stops_the_clock_and_says_if_it_was_within_target() -> None:
    uow, clock = FakeUnitOfWork(), FakeClock()
    await routed(uow)
    await actions.act_on_case(ActOnCase("T-1", "s-ana", "claim"), uow)
    await actions.decide_case(DecideCase("T-1", "s-ana", "granted"), uow, clock)
    decided = uow.published[-2]
    assert isinstance(decided, CaseDecided)
    assert (decided.data.outcome, decided.data.within_target) == ("granted", True)
    assert uow.timers.rows == {}
