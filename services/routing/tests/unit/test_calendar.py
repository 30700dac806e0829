"""Business days with the Land's holidays; deadlines per § 31 VwVfG / § 193 BGB."""

from __future__ import annotations

from datetime import date

import pytest
from routing.adapters.holidays_calendar import land_calendar

BW, BE, BY = land_calendar("BW"), land_calendar("BE"), land_calendar("BY")


@pytest.mark.parametrize(
    ("day", "in_bw", "in_be"),
    [
        (date(2026, 1, 6), False, True),  # Epiphany: holiday in BW, not in Berlin
        (date(2026, 3, 9), True, True),  # Monday after Women's Day (Sunday 8 March in Berlin)
        (date(2026, 6, 4), False, True),  # Corpus Christi: BW yes, Berlin no
        (date(2026, 10, 3), False, False),  # Saturday and German Unity Day
        (date(2026, 12, 25), False, False),
        (date(2026, 11, 24), True, True),  # an ordinary Tuesday
    ],
)
def test_business_days_follow_the_lands_holidays(day: date, in_bw: bool, in_be: bool) -> None:
    assert (BW.is_business_day(day), BE.is_business_day(day)) == (in_bw, in_be)


def test_womens_day_on_a_weekday_is_a_holiday_in_berlin_only() -> None:
    assert not BE.is_business_day(date(2027, 3, 8))
    assert BW.is_business_day(date(2027, 3, 8))


def test_adding_business_days_skips_weekends_and_holidays() -> None:
    # Thursday 31 Dec 2026 + 2: Fri 1 Jan (holiday), weekend, Mon 4 Jan, Tue 5 Jan (BW)
    assert BW.add_business_days(date(2026, 12, 31), 2) == date(2027, 1, 5)
    # Tue 5 Jan + 1 in BW skips Epiphany (Wed 6 Jan); Berlin works that day
    assert BW.add_business_days(date(2027, 1, 5), 1) == date(2027, 1, 7)
    assert BE.add_business_days(date(2027, 1, 5), 1) == date(2027, 1, 6)


def test_business_days_between_counts_the_end_not_the_start() -> None:
    assert BW.business_days_between(date(2026, 11, 20), date(2026, 11, 23)) == 1  # Fri -> Mon
    assert BW.business_days_between(date(2026, 11, 23), date(2026, 11, 23)) == 0
    assert BW.business_days_between(date(2026, 12, 31), date(2027, 1, 7)) == 3


def test_deadline_ending_on_a_weekend_moves_to_monday() -> None:
    # received Friday 13 Nov 2026; 14 days end Friday 27 Nov; 15 days end Saturday -> Monday
    assert BW.deadline(date(2026, 11, 13), 14) == date(2026, 11, 27)
    assert BW.deadline(date(2026, 11, 13), 15) == date(2026, 11, 30)


def test_deadline_ending_on_a_holiday_depends_on_the_land() -> None:
    # 1 Nov (All Saints) is a holiday in Bavaria and BW but not Berlin; Nov 1 2027 is a Monday
    assert BY.deadline(date(2027, 10, 4), 28) == date(2027, 11, 2)
    assert BE.deadline(date(2027, 10, 4), 28) == date(2027, 11, 1)
