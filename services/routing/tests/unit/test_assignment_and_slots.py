"""Capacity-aware assignment and appointment seats (pure domain)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from routing.domain.appointments import SlotCalendar, earliest_seat, seat_key
from routing.domain.assignment import Caseworker, open_load, plan
from routing.domain.case import Case, CaseStatus
from routing.domain.priority import Priority

from ..fakes import MONDAY, OFFICE

BERLIN = ZoneInfo("Europe/Berlin")


def case(
    ticket: str, priority: Priority = Priority.NORMAL, lang: str = "de", hours: int = 0
) -> Case:
    at = MONDAY - timedelta(hours=hours)
    return Case(f"c-{ticket}", ticket, "x", "residence", priority, (), "v1", lang, "online", at, at)


def test_most_pressing_then_oldest_goes_first_and_the_rest_holds() -> None:
    workers = [Caseworker("w1", "residence", frozenset({"de"}), max_open=1)]
    cases = [case("OLD", hours=5), case("URG", Priority.URGENT), case("NEW", hours=1)]
    pairs = plan(cases, workers, {}, MONDAY.date())
    assert [(c.ticket, w.id) for c, w in pairs] == [("URG", "w1")]


def test_language_is_preferred_and_capacity_and_absence_respected() -> None:
    today = MONDAY.date()
    workers = [
        Caseworker("de1", "residence", frozenset({"de"}), max_open=5),
        Caseworker("fa1", "residence", frozenset({"fa", "de"}), max_open=1),
        Caseworker("fa2", "residence", frozenset({"fa"}), max_open=5, absent=frozenset({today})),
    ]
    pairs = plan([case("A", lang="fa", hours=2), case("B", lang="fa")], workers, {}, today)
    assert [(c.ticket, w.id) for c, w in pairs] == [("A", "fa1"), ("B", "de1")]


def test_held_cases_count_against_the_cap() -> None:
    held = replace(case("H"), status=CaseStatus.WAITING, claimed_by="w1")
    load = open_load([held, case("Q")])
    assert load == {"w1": 1}
    assert plan([case("Q")], [Caseworker("w1", "residence", max_open=1)], load, MONDAY.date()) == []


CAL = SlotCalendar(
    "residence", "Room 1", {0: ((time(8), time(9)),)}, slot_minutes=20, capacity=2,
    emergency_share=0.5,
)  # fmt: skip


def test_emergency_pool_is_an_even_share_and_only_for_urgent_cases() -> None:
    seats = CAL.seats_on(date(2026, 11, 23), BERLIN)
    assert len(seats) == 6
    assert sum(s.emergency for s in seats) == 3
    after = datetime(2026, 11, 22, tzinfo=UTC)
    normal = earliest_seat(CAL, OFFICE.calendar, BERLIN, urgent=False, after=after, taken=set())
    urgent = earliest_seat(CAL, OFFICE.calendar, BERLIN, urgent=True, after=after, taken=set())
    assert normal is not None
    assert not normal.emergency
    assert urgent is not None
    assert urgent.starts_at == seats[0].starts_at
    assert urgent.starts_at <= normal.starts_at


def test_taken_seats_are_skipped_and_a_full_calendar_gives_none() -> None:
    monday = CAL.seats_on(date(2026, 11, 23), BERLIN)
    after = datetime(2026, 11, 22, tzinfo=UTC)
    taken = {seat_key(s) for s in monday}
    nxt = earliest_seat(CAL, OFFICE.calendar, BERLIN, urgent=True, after=after, taken=taken)
    assert nxt is not None
    assert nxt.starts_at.date() == date(2026, 11, 30)
    short = replace(CAL, horizon_days=3)
    assert (
        earliest_seat(short, OFFICE.calendar, BERLIN, urgent=True, after=after, taken=taken) is None
    )
