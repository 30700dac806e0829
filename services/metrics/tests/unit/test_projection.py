"""The fact store: order-independent upserts that keep nothing personal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from metrics.adapters.tables import CaseFact
from metrics.adapters.translators import to_record_received, to_record_routed
from metrics.config import Settings
from shared.contracts import ApplicationReceived, CaseRouted
from shared.contracts.intake.v1 import ApplicationReceivedData
from shared.contracts.routing.v1 import CaseRoutedData
from shared.messaging.deadletter import PoisonMessage
from sqlmodel import select

from ..fakes import Store, migrated_store, notified, received, routed

BERLIN = Settings().zone()


@pytest.fixture
async def facts(database_url: str) -> AsyncIterator[Store]:
    async with migrated_store(database_url) as store:
        yield store


async def rows(facts: Store) -> list[dict[str, object]]:
    async with facts.uow() as uow:
        found = (await uow.session.exec(select(CaseFact).order_by(CaseFact.case_id))).all()
        return [r.model_dump() for r in found]


async def test_routed_before_received_gives_the_same_facts(facts: Store) -> None:
    await facts.apply(received("c1", channel="phone"), routed("c1", channel="online"))
    await facts.apply(routed("c2", channel="online"), received("c2", channel="phone"))
    first, second = await rows(facts)
    assert {**first, "case_id": "c2"} == second
    assert first["channel"] == "phone"


async def test_routed_alone_fills_what_the_application_will_confirm(facts: Store) -> None:
    await facts.apply(routed("c1", team="team_b", priority="urgent"))
    [row] = await rows(facts)
    assert row["received_at"] is None
    assert (row["concern"], row["routed_team"], row["priority"]) == (
        "residence_permit_extension",
        "team_b",
        "urgent",
    )


async def test_the_same_facts_twice_change_nothing(facts: Store) -> None:
    await facts.apply(received("c1"), routed("c1"), notified("n1", "c1"))
    before = await rows(facts)
    await facts.apply(received("c1"), routed("c1"), notified("n1", "c1"))
    assert await rows(facts) == before


def application(received_at: str) -> ApplicationReceived:
    data = ApplicationReceivedData(
        case_id="case-1",
        ticket="ABH-2026-000123",
        concern="residence_permit_extension",
        channel="email",
        language="fa",
        received_at=received_at,
        missing_documents=["passport_copy", "biometric_photo"],
        urgent_travel=True,
    )
    return ApplicationReceived.build(subject=data.case_id, data=data)


def test_received_day_is_the_office_calendar_day() -> None:
    cmd = to_record_received(application("2026-03-01T23:30:00+00:00"), BERLIN)
    assert cmd.received_on == date(2026, 3, 2)
    assert cmd.received_at == datetime(2026, 3, 1, 23, 30, tzinfo=UTC)


def test_received_facts_carry_counts_not_documents_and_no_ticket() -> None:
    cmd = to_record_received(application("2026-03-02T10:00:00Z"), BERLIN)
    assert cmd.missing_documents_count == 2
    assert cmd.urgent_travel is True
    assert "ABH-2026-000123" not in repr(cmd)


def test_unparseable_received_at_is_a_poison_message() -> None:
    with pytest.raises(PoisonMessage, match=r"data\.received_at"):
        to_record_received(application("yesterday"), BERLIN)


def test_routed_day_comes_from_the_event_time() -> None:
    data = CaseRoutedData(
        case_id="case-1",
        ticket="ABH-2026-000123",
        concern="residence_permit_extension",
        team="team_a",
        priority="high",
        reasons=["travel soon"],
        rule_version="2026-01",
        language="de",
        channel="online",
    )
    event = CaseRouted.build(
        subject="case-1", data=data, time=datetime(2026, 3, 2, 23, 5, tzinfo=UTC)
    )
    cmd = to_record_routed(event, BERLIN)
    assert (cmd.routed_on, cmd.priority, cmd.team) == (date(2026, 3, 3), "high", "team_a")
