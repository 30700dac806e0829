"""Appointment slots: a team's calendar, its emergency pool, the earliest fitting seat."""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from routing.domain.calendar import BusinessCalendar


@dataclass(frozen=True)
class Seat:
    """One bookable place: a slot (start, end) and a seat number within its capacity."""

    starts_at: datetime
    ends_at: datetime
    seat: int
    emergency: bool


@dataclass(frozen=True)
class Appointment:
    """A seat held for a case (one per case)."""

    appointment_id: str
    case_id: str
    ticket: str
    team: str
    seat: Seat
    location: str


@dataclass(frozen=True)
class SlotCalendar:
    """A team's opening hours (by weekday 0=Mon), slot length, seats per slot, emergency share."""

    team: str
    location: str
    hours: Mapping[int, tuple[tuple[time, time], ...]]
    slot_minutes: int = 20
    capacity: int = 1
    emergency_share: float = 0.0
    horizon_days: int = 30

    def seats_on(self, day: date, zone: ZoneInfo) -> list[Seat]:
        """Every seat of ``day`` in time order; an even spread of them is the emergency pool."""
        plain = [(s, e, n) for s, e in self._slots(day, zone) for n in range(self.capacity)]
        total = len(plain)
        pool = round(total * self.emergency_share)
        return [
            Seat(s, e, n, (i * pool) // total != ((i + 1) * pool) // total)
            for i, (s, e, n) in enumerate(plain)
        ]

    def _slots(self, day: date, zone: ZoneInfo) -> Iterator[tuple[datetime, datetime]]:
        step = timedelta(minutes=self.slot_minutes)
        for opens, closes in self.hours.get(day.weekday(), ()):
            start = datetime.combine(day, opens, tzinfo=zone)
            end = datetime.combine(day, closes, tzinfo=zone)
            while start + step <= end:
                yield start, start + step
                start += step


def fits(seat: Seat, *, urgent: bool, after: datetime) -> bool:
    """Open to this case: in the future, and from the emergency pool only when urgent."""
    return seat.starts_at > after and (urgent or not seat.emergency)


def earliest_seat(
    calendar: SlotCalendar,
    office: BusinessCalendar,
    zone: ZoneInfo,
    *,
    urgent: bool,
    after: datetime,
    taken: Container[tuple[datetime, int]],
) -> Seat | None:
    """The first free seat fitting the case on a business day within the horizon, else None."""
    for day in window(calendar, after, zone):
        if office.is_business_day(day):
            for seat in calendar.seats_on(day, zone):
                if fits(seat, urgent=urgent, after=after) and seat_key(seat) not in taken:
                    return seat
    return None


def window(calendar: SlotCalendar, after: datetime, zone: ZoneInfo) -> list[date]:
    """The days a booking made at ``after`` may fall on."""
    first = after.astimezone(zone).date()
    return [first + timedelta(days=n) for n in range(calendar.horizon_days + 1)]


def seat_key(seat: Seat) -> tuple[datetime, int]:
    """What the store keeps unique per team: the slot's start and the seat number."""
    return (seat.starts_at.astimezone(UTC), seat.seat)
