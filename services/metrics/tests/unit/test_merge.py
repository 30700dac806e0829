"""The merge rules: folding commands in memory gives the rows the live upserts give."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from metrics.adapters.tables import CaseFact, NotificationFact
from metrics.service_layer.commands import (
    Command,
    RecordClosed,
    RecordDecided,
    RecordMilestone,
)
from metrics.service_layer.merge import (
    EARLIEST,
    FILL,
    MILESTONES,
    SET,
    SPECS,
    Fold,
    combine,
)
from sqlmodel import delete, select

from ..fakes import DAY, Store, at, migrated_store, notified, received, routed


@pytest.fixture
async def facts(database_url: str) -> AsyncIterator[Store]:
    async with migrated_store(database_url) as store:
        yield store


def history() -> list[Command]:
    """Two cases touched by every kind of case command, plus a notification twice."""
    cmds: list[Command] = []
    for case in ("c1", "c2"):
        cmds += [
            routed(case, channel="phone", team="team_b"),
            received(case, channel="online", team=None, permit_expiry_month="2026-05"),
            RecordMilestone(case, "claimed_at", at(DAY, 15)),
            RecordMilestone(case, "claimed_at", at(DAY, 13)),
            RecordDecided(case, at(DAY, 16), DAY, "granted", True, "team_c"),
            RecordClosed(case, at(DAY, 17), DAY),
            notified(f"n-{case}", case),
            notified(f"n-{case}", case, kind="reminder"),
        ]
    return cmds


async def rows(facts: Store) -> list[object]:
    async with facts.uow() as uow:
        cases = (await uow.session.exec(select(CaseFact).order_by(CaseFact.case_id))).all()
        notes = (await uow.session.exec(select(NotificationFact))).all()
        return [r.model_dump() for r in [*cases, *notes]]


async def test_a_fold_written_at_once_equals_the_commands_one_by_one(facts: Store) -> None:
    cmds = history()
    await facts.apply(*cmds)  # the live path: one upsert per command and transaction
    expected = await rows(facts)
    async with facts.uow() as uow:
        for table in (CaseFact, NotificationFact):
            await uow.session.exec(delete(table))
        await uow.commit()
    for half in (cmds[:5], cmds[5:]):  # the replay path: folds, across a batch boundary
        async with facts.uow() as uow:
            await uow.facts.write(Fold.of(*half))
            await uow.commit()
    assert await rows(facts) == expected


async def test_the_application_wins_and_the_earliest_claim_stays(facts: Store) -> None:
    await facts.apply(*history())
    first = (await rows(facts))[0]
    assert isinstance(first, dict)
    assert (first["channel"], first["routed_team"], first["team"]) == ("online", "team_b", None)
    assert first["claimed_at"].replace(tzinfo=None) == at(DAY, 13).replace(tzinfo=None)


def test_rules_compose() -> None:
    assert combine((SET, None), (FILL, "b")) == (SET, "b")
    assert combine((SET, "a"), (FILL, "b")) == (SET, "a")
    assert combine((FILL, "a"), (SET, "b")) == (SET, "b")
    assert combine((FILL, None), (FILL, "b")) == (FILL, "b")
    late, early = at(DAY, 15), at(DAY, 9)
    assert combine((EARLIEST, late), (EARLIEST, early)) == (EARLIEST, early)
    assert combine((EARLIEST, early), (EARLIEST, None)) == (EARLIEST, early)
    with pytest.raises(ValueError, match="mix"):
        combine((FILL, "a"), (EARLIEST, late))


def test_no_column_mixes_fill_and_earliest() -> None:
    rules: dict[tuple[str, str], set[str]] = {}
    for spec in itertools.chain(SPECS.values(), MILESTONES.values()):
        for column, _, rule in spec.columns:
            rules.setdefault((spec.table, column), set()).add(rule)
    assert all(not {FILL, EARLIEST} <= found for found in rules.values())


def test_a_fold_keeps_one_row_per_key() -> None:
    fold = Fold.of(received("c1"), routed("c1"), RecordClosed("c1", at(DAY), DAY))
    [row] = fold.tables["case_facts"].values()
    assert row.values["case_id"] == "c1"
    assert dict(row.shape)["concern"] == SET
    assert row.values["closed_at"] - row.values["received_at"] == timedelta(0)
