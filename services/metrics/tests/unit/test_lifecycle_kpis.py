"""Lifecycle KPIs and targets on hand-made event sequences, against a real store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from metrics.service_layer.commands import (
    RecordAppointment,
    RecordDecided,
    RecordJoined,
    RecordMilestone,
    RecordSurvey,
)
from metrics.service_layer.kpis import KpiReport, kpi_report
from metrics.service_layer.queries import Filters, Period
from metrics.service_layer.targets import Target, Targets

from ..fakes import DAY, Store, at, migrated_store, received

WEEK = Period(start=DAY, end=DAY + timedelta(days=6))


@pytest.fixture
async def facts(database_url: str) -> AsyncIterator[Store]:
    async with migrated_store(database_url) as store:
        yield store


async def report(facts: Store, targets: Targets | None = None, **filters: str) -> KpiReport:
    async with facts.uow() as uow:
        return await kpi_report(
            uow.session, period=WEEK, filters=Filters(**filters), targets=targets
        )


def decided(case_id: str, days: int, within: bool | None = True) -> RecordDecided:
    day = DAY + timedelta(days=days)
    return RecordDecided(case_id, at(day), day, "granted", within, "team_a")


async def test_first_claim_wins_whatever_order_the_claims_arrive_in(facts: Store) -> None:
    await facts.apply(received("c1"))
    await facts.apply(RecordMilestone("c1", "claimed_at", at(DAY, 15)))
    await facts.apply(RecordMilestone("c1", "claimed_at", at(DAY, 12)))
    await facts.apply(RecordMilestone("c1", "claimed_at", at(DAY, 16)))
    assert (await report(facts)).first_response_hours.p50 == 2.0


async def test_decisions_give_lead_time_outflow_backlog_and_target_share(facts: Store) -> None:
    await facts.apply(received("c1"), received("c2"), received("c3"), received("c4"))
    await facts.apply(decided("c1", 2), decided("c2", 4, within=False), decided("c3", 10))
    kpis = await report(facts)
    assert (kpis.cases_decided, kpis.backlog_open) == (2, 2)
    assert (kpis.lead_time_days.p50, kpis.within_target_share) == (3.0, 0.5)
    assert kpis.backlog_age_days["0-7"] == 2
    assert kpis.oldest_open_days == 6


async def test_duplicate_rate_counts_joined_submissions_among_all_submissions(
    facts: Store,
) -> None:
    await facts.apply(received("c1"), received("c2"), received("c3"))
    await facts.apply(RecordJoined("s1", "c1", "email", "de", DAY))
    await facts.apply(RecordJoined("s1", "c1", "email", "de", DAY))  # replay: once
    kpis = await report(facts)
    assert (kpis.duplicates, kpis.duplicate_rate) == (1, 0.25)
    assert (await report(facts, channel="phone")).duplicates == 0


async def test_satisfaction_and_appointment_waits_by_team(facts: Store) -> None:
    for i, score in enumerate((5, 4, 3)):
        await facts.apply(RecordSurvey(f"s{i}", score, "c", "team_a", "online", "de", DAY))
    await facts.apply(RecordSurvey("s9", 1, "c", "team_b", "online", "de", DAY))
    await facts.apply(RecordAppointment("a1", "c1", "team_a", "c", "de", DAY, 3.0))
    await facts.apply(RecordAppointment("a2", "c2", "team_a", "c", "de", DAY, 9.0))
    kpis = await report(facts, team="team_a")
    assert (kpis.satisfaction_mean, kpis.satisfaction_responses) == (4.0, 3)
    assert kpis.appointment_wait_days.p50 == 6.0


async def test_documents_requested_rate_is_share_of_received(facts: Store) -> None:
    await facts.apply(received("c1"), received("c2"))
    await facts.apply(RecordMilestone("c1", "documents_requested_at", at(DAY, 12)))
    assert (await report(facts)).documents_requested_rate == 0.5


async def test_every_targeted_figure_is_shown_beside_its_team_target(facts: Store) -> None:
    await facts.apply(received("c1"), received("c2"), decided("c1", 1, within=False))
    targets = Targets(
        defaults={"backlog_open": Target("backlog_open", "at_most", 5)},
        teams={"team_a": {"within_target_share": Target("within_target_share", "at_least", 0.9)}},
    )
    by_figure = {g.figure: g for g in (await report(facts, targets, team="team_a")).targets}
    assert by_figure["backlog_open"].met is True
    assert by_figure["backlog_open"].gap == -4
    share = by_figure["within_target_share"]
    assert (share.actual, share.gap, share.met) == (0.0, -0.9, False)
    office = {g.figure for g in (await report(facts, targets)).targets}
    assert office == {"backlog_open"}
