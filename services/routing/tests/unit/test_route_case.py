"""Routing a case: team, triage, stored once, CaseRouted in the same unit of work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from routing.adapters.rules_file import load_rules
from routing.adapters.translators import to_route_case
from routing.config import DEFAULT_RULES
from routing.domain.case import CaseStatus
from routing.domain.priority import Priority
from routing.service_layer.use_cases import find_case, route_case, team_queue
from shared.contracts import CaseRouted, QueueChanged
from shared.messaging.deadletter import PoisonMessage

from ..fakes import MONDAY, OFFICE, FakeClock, FakeUnitOfWork, received

RULES = load_rules(DEFAULT_RULES)


async def test_route_case_queues_for_the_catalogue_team_and_announces_it() -> None:
    uow, clock = FakeUnitOfWork(), FakeClock()
    expiry = (MONDAY + timedelta(days=9)).date()
    event = received("T-1", permit_expires_on=expiry.isoformat())
    case = await route_case(to_route_case(event), uow, RULES, clock, OFFICE)

    assert (case.team, case.priority) == ("residence", Priority.HIGH)
    assert case.status is CaseStatus.QUEUED
    assert case.reasons == ("permit expires in 9 days → priority high (rules v1 §permit-expiring)",)
    assert case.routed_at == clock.now()
    assert case.received_at == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    announced, queue_change = uow.published
    assert isinstance(announced, CaseRouted)
    assert isinstance(queue_change, QueueChanged)
    assert (queue_change.data.team, queue_change.data.change) == ("residence", "added")
    assert announced.subject == "case-T-1"
    assert announced.correlationid == event.correlationid
    assert announced.data.priority == "high"
    assert announced.data.reasons == list(case.reasons)
    assert announced.data.rule_version == "v1"
    assert announced.data.due_on == "2026-12-14"  # 15 business days after Monday 23 Nov
    assert {t.level for t in uow.timers.rows.values()} == {
        "caseworker", "team_lead", "head_of_office",
    }  # fmt: skip


async def test_case_without_team_goes_to_the_service_point() -> None:
    uow = FakeUnitOfWork()
    case = await route_case(
        to_route_case(received("T-2", team=None)), uow, RULES, FakeClock(), OFFICE
    )
    assert case.team == "service_point"


async def test_same_case_under_another_event_is_routed_and_announced_once() -> None:
    uow = FakeUnitOfWork()
    first, again = received("T-3"), received("T-3")
    await route_case(to_route_case(first), uow, RULES, FakeClock(), OFFICE)
    await route_case(to_route_case(again), uow, RULES, FakeClock(), OFFICE)
    assert len(uow.cases.rows) == 1
    assert len([e for e in uow.published if isinstance(e, CaseRouted)]) == 1


async def test_ticket_of_another_case_is_refused_as_poison() -> None:
    uow = FakeUnitOfWork()
    await route_case(to_route_case(received("T-4")), uow, RULES, FakeClock(), OFFICE)
    clash = received("T-4", case_id="case-other")
    with pytest.raises(PoisonMessage, match="already belongs"):
        await route_case(to_route_case(clash), uow, RULES, FakeClock(), OFFICE)


async def test_team_queue_lists_most_pressing_then_oldest() -> None:
    uow = FakeUnitOfWork()
    trip = {"urgent_travel": True, "travel_date": "2026-11-25"}
    arrivals = [
        ("N-old", "2026-11-20T08:00:00+00:00", {}),
        ("U-new", "2026-11-23T08:00:00+00:00", trip),
        ("H-new", "2026-11-22T08:00:00+00:00", {"concern": "eu_blue_card"}),
        ("H-old", "2026-11-21T08:00:00+00:00", {"permit_expires_on": "2026-11-01"}),
        ("N-new", "2026-11-22T09:00:00+00:00", {}),
        ("X-other", "2026-11-01T08:00:00+00:00", {"team": "family"}),
    ]
    for ticket, at, extra in arrivals:
        event = received(ticket, received_at=at, **extra)
        await route_case(to_route_case(event), uow, RULES, FakeClock(), OFFICE)
    queue = await team_queue("residence", uow)
    assert [c.ticket for c in queue] == ["U-new", "H-old", "H-new", "N-old", "N-new"]
    assert await find_case("X-other", uow) is not None
