"""The office a routing instance serves: its business-day calendar and its time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from routing.domain.calendar import BusinessCalendar
from routing.domain.case import Case
from routing.domain.clocks import alarms
from routing.service_layer.ports import DueTimer


@dataclass(frozen=True)
class Office:
    calendar: BusinessCalendar
    zone: ZoneInfo

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def start_of(self, day: date) -> datetime:
        """Midnight of ``day`` in the office, as a UTC instant."""
        return datetime.combine(day, time(0), tzinfo=self.zone).astimezone(UTC)

    def timers_for(self, case: Case) -> list[DueTimer]:
        """The durable alarms of ``case``'s clock (none without a due date)."""
        if case.due_on is None:
            return []
        return [
            DueTimer(
                case.case_id,
                alarm.level.value,
                self.start_of(alarm.on),
                case.due_on,
                alarm.elapsed_share,
                alarm.breached,
            )
            for alarm in alarms(case.due_on, case.target_days, self.calendar)
        ]
