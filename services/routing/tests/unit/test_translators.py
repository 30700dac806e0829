"""Contract <-> command translation, including events that can never be valid."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from routing.adapters.translators import case_public, case_routed_event, to_route_case
from routing.domain.case import Case
from routing.domain.priority import Priority
from shared.contracts.intake.v1 import ApplicationReceived
from shared.messaging.deadletter import PoisonMessage

from ..fakes import received


def test_application_received_becomes_route_case_with_its_facts() -> None:
    event = received(
        "T-1",
        channel="counter",
        walk_in=True,
        travel_date="2026-12-01",
        urgent_travel=True,
        permit_expires_on="2026-12-24",
        concern="eu_blue_card",
        team=None,
    )
    cmd = to_route_case(event)
    assert (cmd.case_id, cmd.ticket, cmd.team, cmd.language) == ("case-T-1", "T-1", None, "de")
    assert cmd.correlation_id == event.correlationid
    assert cmd.received_at == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    facts = cmd.facts
    assert (facts.concern, facts.channel, facts.walk_in, facts.urgent_travel) == (
        "eu_blue_card",
        "counter",
        True,
        True,
    )
    assert (facts.travel_date, facts.permit_expires_on) == (date(2026, 12, 1), date(2026, 12, 24))


def test_naive_received_at_is_read_as_utc() -> None:
    cmd = to_route_case(received("T-2", received_at="2026-11-23T08:00:00"))
    assert cmd.received_at == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_unreadable_received_at_is_poison() -> None:
    with pytest.raises(PoisonMessage, match="received_at"):
        to_route_case(received("T-3", received_at="last tuesday"))


def test_case_id_differing_from_subject_is_poison() -> None:
    event = received("T-4")
    forged = ApplicationReceived.model_validate({**event.model_dump(), "subject": "case-else"})
    with pytest.raises(PoisonMessage, match="subject"):
        to_route_case(forged)


def test_case_becomes_case_routed_and_public_view() -> None:
    at = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    case = Case(
        case_id="c-1",
        ticket="T-5",
        concern="toleration",
        team="humanitarian",
        priority=Priority.URGENT,
        reasons=("r1", "r2"),
        rule_version="v1",
        language="ar",
        channel="phone",
        received_at=at,
        routed_at=at,
    )
    event = case_routed_event(case, "corr-1")
    assert (event.subject, event.correlationid, event.type) == (
        "c-1",
        "corr-1",
        "de.lotse.routing.case_routed.v1",
    )
    assert event.data.model_dump()["priority"] == "urgent"
    public = case_public(case).model_dump()
    assert public["status"] == "queued"
    assert public["reasons"] == ["r1", "r2"]
