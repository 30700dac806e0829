"""Business days of the office's Land: service targets, legal deadlines (§ 31 VwVfG, § 193 BGB)."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)
SATURDAY = 5


@dataclass(frozen=True)
class BusinessCalendar:
    """Monday to Friday, except the Land's public holidays (any ``date in holidays`` container)."""

    holidays: Container[date]

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < SATURDAY and day not in self.holidays

    def next_business_day(self, day: date) -> date:
        """``day`` itself if it is a business day, else the next one."""
        while not self.is_business_day(day):
            day += ONE_DAY
        return day

    def add_business_days(self, start: date, days: int) -> date:
        """The business day ``days`` business days after ``start`` (``start`` not counted)."""
        day = start
        for _ in range(days):
            day = self.next_business_day(day + ONE_DAY)
        return day if days > 0 else self.next_business_day(start)

    def business_days_between(self, start: date, end: date) -> int:
        """Business days in (start, end]: what a clock running from ``start`` used by ``end``."""
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_business_day(day)
        return count

    def deadline(self, event_day: date, days: int) -> date:
        """A period of ``days`` calendar days after an event (§ 187(1) BGB: the event day does not
        count); ending on a weekend or holiday it ends the next business day (§ 31(3) VwVfG,
        § 193 BGB)."""
        return self.next_business_day(event_day + timedelta(days=days))
