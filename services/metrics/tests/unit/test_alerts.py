"""Early-warning rules fire and clear, each change once, through the outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from metrics.adapters.targets_file import load_rules, load_targets
from metrics.service_layer.alerting import apply_conditions, gather
from metrics.service_layer.alerts import Rule, condition, transitions
from metrics.service_layer.commands import RecordOutboxBacklog
from metrics.service_layer.targets import Targets
from shared.contracts import AlertCleared, AlertRaised
from shared.messaging.tables import OutboxMessage
from shared.subjects import Namespace
from sqlmodel import select

from ..fakes import DAY, Store, migrated_store, received, routed

NOW = datetime(2026, 5, 1, 8, tzinfo=UTC)
OLDEST = [Rule("oldest_open", "critical", {"max_days": 30})]


@pytest.fixture
async def facts(database_url: str) -> AsyncIterator[Store]:
    async with migrated_store(database_url) as store:
        yield store


def dead(count: int | None):  # type: ignore[no-untyped-def]
    async def counter() -> int | None:
        return count

    return counter


async def evaluate(  # type: ignore[type-arg]
    facts: Store, rules: list[Rule], dead_letters: int | None = 0, now: datetime = NOW
) -> tuple:
    conditions = await gather(
        facts.uow(), rules, Targets(), now.date(), dead(dead_letters), now=now
    )
    return await apply_conditions(facts.uow(), conditions, now)


async def outbox_types(facts: Store) -> list[str]:
    async with facts.uow() as uow:
        return [r.subject for r in (await uow.session.exec(select(OutboxMessage))).all()]


def test_transitions_raise_new_and_clear_ended_alerts_only() -> None:
    from metrics.service_layer.alerts import condition

    rule = OLDEST[0]
    now = [
        condition(rule, "a", 40, 30, above=True, text="x"),
        condition(rule, "b", 5, 30, above=True, text="x"),
    ]
    change = transitions(["oldest_open:a", "oldest_open:b", "oldest_open:gone"], now)
    assert change.raise_ == []
    assert change.clear == ["oldest_open:b"]


async def test_oldest_open_case_fires_once_and_clears_when_decided(facts: Store) -> None:
    await facts.apply(received("c1", DAY), routed("c1", DAY))
    raised, _ = await evaluate(facts, OLDEST)
    assert set(raised) == {"oldest_open:office", "oldest_open:team_a"}
    assert await evaluate(facts, OLDEST) == ([], [])  # still firing: nothing new
    from metrics.service_layer.commands import RecordDecided

    await facts.apply(
        RecordDecided("c1", NOW - timedelta(hours=1), NOW.date(), "granted", True, "team_a")
    )
    _, cleared = await evaluate(facts, OLDEST)
    assert set(cleared) == {"oldest_open:office", "oldest_open:team_a"}
    types = await outbox_types(facts)
    assert types.count(Namespace().subject(AlertRaised)) == 2
    assert types.count(Namespace().subject(AlertCleared)) == 2


async def test_dead_letters_fire_and_an_unreachable_nats_changes_nothing(facts: Store) -> None:
    rules = [Rule("dead_letters", "critical", {"at_least": 1})]
    assert await evaluate(facts, rules, dead_letters=0) == ([], [])
    assert await evaluate(facts, rules, dead_letters=3) == (["dead_letters:office"], [])
    assert await evaluate(facts, rules, dead_letters=None) == ([], [])
    assert await evaluate(facts, rules, dead_letters=0) == ([], ["dead_letters:office"])
    async with facts.uow() as uow:
        (alert,) = await uow.alerts.listing()
        assert (alert.active, alert.value) == (False, 3.0)


async def test_shipped_rule_and_target_files_load() -> None:
    rules = load_rules(None)
    assert {r.rule for r in rules} == {
        "backlog_forecast",
        "within_target_below",
        "oldest_open",
        "dead_letters",
        "outbox_backlog",
    }
    assert load_targets(None).for_team("team_a")["backlog_open"].value == 120


async def test_outbox_backlog_report_fires_and_clears_after_its_window(facts: Store) -> None:
    rules = [Rule("outbox_backlog", "critical", {"window_minutes": 30})]
    assert await evaluate(facts, rules) == ([], [])
    report = RecordOutboxBacklog("ev-1", "intake", 812, 95.0, NOW - timedelta(minutes=5))
    await facts.apply(report)
    assert await evaluate(facts, rules) == (["outbox_backlog:office"], [])
    assert await evaluate(facts, rules, now=NOW + timedelta(minutes=20)) == ([], [])
    later = NOW + timedelta(minutes=40)
    assert await evaluate(facts, rules, now=later) == ([], ["outbox_backlog:office"])
    async with facts.uow() as uow:
        (alert,) = await uow.alerts.listing()
        assert alert.value == 812.0
        assert alert.summary.startswith("office: intake outbox backlog")
        assert alert.summary_de is not None
        assert alert.summary_de.startswith("Behörde: Rückstau im Postausgang")


def test_summaries_speak_german_and_english() -> None:
    rule = Rule("backlog_forecast", "warning", {"within_weeks": 4})
    c = condition(rule, "team_a", 300, 250, above=True, weeks=4)
    assert c.summary == "team_a: forecast backlog within 4 weeks (300, threshold 250)"
    assert c.summary_de == "team_a: prognostizierter Rückstand in 4 Wochen (300, Schwelle 250)"
