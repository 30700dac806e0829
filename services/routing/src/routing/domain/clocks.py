"""Service-level clocks: the due date of a case and the alarms before and after it."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from routing.domain.calendar import BusinessCalendar

WARN_SHARE = 0.8
LADDER_DAYS_AFTER_DUE = {"team_lead": 1, "head_of_office": 3}


class Level(StrEnum):
    """Who is alerted: the caseworker before the breach, then up the ladder."""

    CASEWORKER = "caseworker"
    TEAM_LEAD = "team_lead"
    HEAD_OF_OFFICE = "head_of_office"


@dataclass(frozen=True)
class Targets:
    """Service targets in business days, and statutory deadlines in calendar days, by concern."""

    business_days: int = 20
    by_concern: Mapping[str, int] = field(default_factory=dict)
    statutory_days: Mapping[str, int] = field(default_factory=dict)

    def due_on(self, concern: str, start: date, calendar: BusinessCalendar) -> date:
        """The earlier of the service target and the statutory deadline of the concern."""
        days = self.by_concern.get(concern, self.business_days)
        due = calendar.add_business_days(start, days)
        if (legal := self.statutory_days.get(concern)) is not None:
            due = min(due, calendar.deadline(start, legal))
        return due


@dataclass(frozen=True)
class Alarm:
    level: Level
    on: date
    elapsed_share: float
    breached: bool


def alarms(due: date, target_days: int, calendar: BusinessCalendar) -> list[Alarm]:
    """Warning at 80 % of the target, then the team lead and the head of office after the breach."""
    total = max(target_days, 1)
    left = total - math.ceil(total * WARN_SHARE)
    warn = Alarm(Level.CASEWORKER, _back(due, left, calendar), (total - left) / total, False)
    ladder = [
        Alarm(Level(name), calendar.add_business_days(due, days), (total + days) / total, True)
        for name, days in LADDER_DAYS_AFTER_DUE.items()
    ]
    return [warn, *ladder]


def _back(day: date, days: int, calendar: BusinessCalendar) -> date:
    """The business day ``days`` business days before ``day``."""
    for _ in range(days):
        day = day.fromordinal(day.toordinal() - 1)
        while not calendar.is_business_day(day):
            day = day.fromordinal(day.toordinal() - 1)
    return day
