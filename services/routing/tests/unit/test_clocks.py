"""Service clocks: due dates from the rule file's targets, alarms before and after them."""

from __future__ import annotations

from datetime import date

from routing.adapters.holidays_calendar import land_calendar
from routing.domain.clocks import Level, Targets, alarms

BW = land_calendar("BW")
TARGETS = Targets(business_days=20, by_concern={"eu_blue_card": 10}, statutory_days={"x": 7})


def test_due_date_uses_the_concerns_target_in_business_days() -> None:
    monday = date(2026, 11, 23)
    assert TARGETS.due_on("eu_blue_card", monday, BW) == date(2026, 12, 7)
    assert TARGETS.due_on("other", monday, BW) == date(2026, 12, 21)


def test_statutory_deadline_wins_when_it_is_earlier() -> None:
    # 7 calendar days after Monday 23 Nov: Monday 30 Nov, before 20 business days
    assert TARGETS.due_on("x", date(2026, 11, 23), BW) == date(2026, 11, 30)


def test_alarms_warn_at_eighty_percent_then_climb_the_ladder() -> None:
    due = date(2026, 12, 7)  # 10 business days after Mon 23 Nov
    warn, lead, head = alarms(due, 10, BW)
    assert (warn.level, warn.on, warn.elapsed_share, warn.breached) == (
        Level.CASEWORKER, date(2026, 12, 3), 0.8, False,
    )  # fmt: skip
    assert (lead.level, lead.on, lead.breached) == (Level.TEAM_LEAD, date(2026, 12, 8), True)
    assert (head.level, head.on) == (Level.HEAD_OF_OFFICE, date(2026, 12, 10))
    assert BW.business_days_between(date(2026, 11, 23), warn.on) == 8


def test_a_short_target_still_warns_before_it_is_due() -> None:
    warn, *_ = alarms(date(2026, 11, 24), 1, BW)
    assert warn.on == date(2026, 11, 24)
    assert warn.elapsed_share == 1.0
