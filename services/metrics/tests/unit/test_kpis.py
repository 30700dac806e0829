"""Each KPI on hand-made fact sequences, against a real (SQLite, and PostgreSQL) store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from metrics.service_layer.kpis import KpiReport, kpi_report
from metrics.service_layer.queries import Filters, Period

from ..fakes import DAY, Store, migrated_store, notified, received, routed

WEEK = Period(start=DAY, end=DAY + timedelta(days=6))
BEFORE, AFTER = DAY - timedelta(days=1), DAY + timedelta(days=7)


@pytest.fixture
async def facts(database_url: str) -> AsyncIterator[Store]:
    async with migrated_store(database_url) as store:
        yield store


async def report(facts: Store, period: Period = WEEK, **filters: str) -> KpiReport:
    async with facts.uow() as uow:
        return await kpi_report(uow.session, period=period, filters=Filters(**filters))


async def test_applications_received_counts_only_days_in_the_period(facts: Store) -> None:
    await facts.apply(received("c1", BEFORE), received("c2"), received("c3", DAY + timedelta(6)))
    await facts.apply(received("c4", AFTER))
    assert (await report(facts)).applications_received == 2


async def test_cases_routed_counts_by_the_day_of_routing(facts: Store) -> None:
    await facts.apply(
        received("c1", BEFORE), routed("c1", DAY), received("c2"), routed("c2", AFTER)
    )
    kpis = await report(facts)
    assert (kpis.applications_received, kpis.cases_routed) == (1, 1)


async def test_open_unrouted_counts_cases_not_routed_by_the_last_day(facts: Store) -> None:
    await facts.apply(received("c1"), routed("c1"), received("c2"), received("c3"))
    await facts.apply(routed("c3", AFTER), received("c4", BEFORE))
    assert (await report(facts)).open_unrouted == 2


async def test_notification_delivery_rate_is_sent_over_all_outcomes(facts: Store) -> None:
    await facts.apply(received("c1"), notified("n1", "c1"), notified("n2", "c1"))
    await facts.apply(notified("n3", "c1", outcome="failed"), notified("n4", "c1", AFTER))
    kpis = await report(facts)
    assert (kpis.notifications_sent, kpis.notifications_failed) == (2, 1)
    assert kpis.notification_delivery_rate == pytest.approx(0.6667)


async def test_rates_are_null_when_there_is_nothing_to_divide(facts: Store) -> None:
    kpis = await report(facts)
    assert kpis.notification_delivery_rate is None
    assert kpis.missing_documents_rate is None
    assert kpis.digital_share is None


async def test_missing_documents_rate_is_share_of_received_with_any_missing(facts: Store) -> None:
    await facts.apply(received("c1", missing_documents_count=2), received("c2"))
    await facts.apply(received("c3"), received("c4", missing_documents_count=1))
    assert (await report(facts)).missing_documents_rate == 0.5


async def test_digital_share_counts_online_email_and_partner(facts: Store) -> None:
    channels = ["online", "email", "partner", "phone", "counter"]
    await facts.apply(*(received(f"c{i}", channel=ch) for i, ch in enumerate(channels)))
    assert (await report(facts)).digital_share == 0.6


async def test_breakdowns_count_received_cases_and_routed_priorities(facts: Store) -> None:
    await facts.apply(received("c1", language="ar", team=None), received("c2", channel="phone"))
    await facts.apply(received("c3", concern="settlement_permit", team="team_b"))
    await facts.apply(routed("c1", team="team_c", priority="urgent"), routed("c2"))
    kpis = await report(facts)
    assert kpis.by_channel == {"online": 2, "phone": 1}
    assert kpis.by_concern == {"residence_permit_extension": 2, "settlement_permit": 1}
    assert kpis.by_language == {"ar": 1, "de": 2}
    assert kpis.by_team == {"team_a": 1, "team_b": 1, "team_c": 1}
    assert kpis.by_priority == {"normal": 1, "urgent": 1}


async def test_case_without_any_team_is_counted_as_unknown(facts: Store) -> None:
    await facts.apply(received("c1", team=None))
    assert (await report(facts)).by_team == {"unknown": 1}


async def test_by_day_lists_every_day_of_the_period(facts: Store) -> None:
    await facts.apply(received("c1"), received("c2"), routed("c1", DAY + timedelta(days=2)))
    by_day = (await report(facts)).by_day
    assert len(by_day) == 7
    assert [(d.received, d.routed) for d in by_day[:3]] == [(2, 0), (0, 0), (0, 1)]
    assert by_day[0].date == DAY


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"concern": "settlement_permit"}, 1),
        ({"channel": "phone"}, 1),
        ({"language": "ar"}, 1),
        ({"team": "team_b"}, 2),
        ({"team": "team_b", "language": "ar"}, 1),
    ],
)
async def test_filters_narrow_the_figures(
    facts: Store, filters: dict[str, str], expected: int
) -> None:
    await facts.apply(received("c1", concern="settlement_permit", team="team_b"))
    await facts.apply(received("c2", channel="phone"), received("c3", language="ar"))
    await facts.apply(routed("c3", team="team_b"))
    kpis = await report(facts, **filters)
    assert kpis.applications_received == expected
    assert kpis.filters.model_dump(exclude_none=True) == filters


async def test_filters_apply_to_notifications_through_their_case(facts: Store) -> None:
    await facts.apply(received("c1"), received("c2", channel="phone"))
    await facts.apply(notified("n1", "c1"), notified("n2", "c2"), notified("n3", "c2"))
    assert (await report(facts, channel="phone")).notifications_sent == 2
    assert (await report(facts)).notifications_sent == 3
