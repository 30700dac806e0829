"""The applicant cancels or asks for a later appointment: the rules and the use case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

import pytest
from routing.adapters.office_file import OfficeSetup
from routing.domain.appointments import Appointment, Seat, SlotCalendar, seat_key
from routing.domain.case import Case
from routing.domain.priority import Priority
from routing.domain.selfservice import later_than, refusal
from routing.service_layer.appointments import Scheduler
from routing.service_layer.commands import ChangeAppointment
from routing.service_layer.selfservice import change_appointment
from shared.contracts import AppointmentCancelled, AppointmentChangeRefused, AppointmentRebooked

from ..fakes import MONDAY, OFFICE, FakeClock, FakeUnitOfWork

BERLIN = OFFICE.zone
WEEKDAYS = {day: ((time(8), time(9)),) for day in range(5)}
# three 20-minute seats a day (08:00, 08:20, 08:40 Berlin); 08:40 is the emergency pool
CALENDAR = SlotCalendar("residence", "Raum 1.12", WEEKDAYS, 20, 1, 1 / 3, horizon_days=10)


def at(day: int, hhmm: str) -> datetime:
    """An instant in November 2026, Berlin time (MONDAY is the 23rd, 10:00 Berlin)."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime(2026, 11, day, hours, minutes, tzinfo=BERLIN).astimezone(UTC)


def seat(day: int, hhmm: str) -> Seat:
    found = [
        s for s in CALENDAR.seats_on(date(2026, 11, day), BERLIN) if s.starts_at == at(day, hhmm)
    ]
    return found[0]


def case(ticket: str, priority: Priority = Priority.NORMAL) -> Case:
    return Case(
        f"case-{ticket}", ticket, "residence_permit_extension", "residence", priority, (), "v1",
        "de", "online", MONDAY, MONDAY,
    )  # fmt: skip


def held(ticket: str, day: int, hhmm: str) -> Appointment:
    return Appointment(f"apt-{ticket}", f"case-{ticket}", ticket, "residence", seat(day, hhmm), "R")


@dataclass
class FakeAppointmentRepository:
    rows: dict[str, Appointment] = field(default_factory=dict)

    async def for_case(self, case_id: str) -> Appointment | None:
        return self.rows.get(case_id)

    async def taken(self, team: str, start: datetime, end: datetime) -> set[tuple[datetime, int]]:
        return {
            seat_key(a.seat)
            for a in self.rows.values()
            if a.team == team and start <= a.seat.starts_at < end
        }

    async def add(self, appointment: Appointment) -> None:
        self.rows[appointment.case_id] = appointment

    async def move(self, appointment: Appointment) -> None:
        self.rows[appointment.case_id] = appointment

    async def remove(self, case_id: str) -> None:
        self.rows.pop(case_id, None)


@dataclass
class Uow(FakeUnitOfWork):
    appointments: FakeAppointmentRepository = field(default_factory=FakeAppointmentRepository)


def office(*appointments: Appointment, cases: tuple[Case, ...] = ()) -> Uow:
    uow = Uow()
    for c in cases or (case("A"),):
        uow.cases.add(c)
    for a in appointments:
        uow.appointments.rows[a.case_id] = a
    return uow


def scheduler(now: datetime = MONDAY) -> Scheduler:
    setup = OfficeSetup(calendars={"residence": CALENDAR})
    return Scheduler(setup, OFFICE, FakeClock(now))


def ask(action: Literal["cancel", "rebook"], not_before: date | None = None) -> ChangeAppointment:
    return ChangeAppointment("req-1", "case-A", "A", action, not_before, "corr")


def test_only_a_held_appointment_that_has_not_begun_may_change() -> None:
    tuesday = held("A", 24, "08:00")
    assert refusal(None, MONDAY) == "no_appointment"
    assert refusal(tuesday, MONDAY) is None
    assert refusal(tuesday, at(24, "08:00")) == "too_late"
    assert refusal(tuesday, at(25, "08:00")) == "too_late"


def test_later_means_after_now_the_current_slot_and_the_named_day() -> None:
    tuesday = held("A", 24, "08:00")
    assert later_than(tuesday, MONDAY, None) == at(24, "08:00")
    assert later_than(tuesday, at(24, "07:00"), at(23, "00:00")) == at(24, "08:00")
    friday = at(27, "00:00")
    assert later_than(tuesday, MONDAY, friday) == friday - timedelta(microseconds=1)
    assert later_than(tuesday, at(28, "12:00"), friday) == at(28, "12:00")


async def test_rebook_takes_the_next_later_seat_outside_the_emergency_pool() -> None:
    uow = office(held("A", 24, "08:00"), held("B", 24, "08:20"))
    moved = await change_appointment(ask("rebook"), uow, scheduler())
    assert moved is not None
    assert moved.seat.starts_at == at(25, "08:00")  # 24th 08:40 is the emergency pool
    [event] = uow.published
    assert isinstance(event, AppointmentRebooked)
    assert event.data.by == "applicant"
    assert datetime.fromisoformat(event.data.previous_starts_at) == at(24, "08:00")
    assert uow.appointments.rows["case-A"].seat.starts_at == at(25, "08:00")


async def test_rebook_never_moves_earlier_even_when_earlier_seats_are_free() -> None:
    uow = office(held("A", 25, "08:00"))
    moved = await change_appointment(ask("rebook"), uow, scheduler())
    assert moved is not None
    assert moved.seat.starts_at == at(25, "08:20")


async def test_an_urgent_case_may_move_into_the_emergency_pool() -> None:
    urgent = case("A", Priority.URGENT)
    uow = office(held("A", 24, "08:00"), held("B", 24, "08:20"), cases=(urgent,))
    moved = await change_appointment(ask("rebook"), uow, scheduler())
    assert moved is not None
    assert moved.seat.starts_at == at(24, "08:40")


async def test_rebook_honours_the_named_day_from_its_first_seat() -> None:
    uow = office(held("A", 24, "08:00"))
    moved = await change_appointment(ask("rebook", date(2026, 11, 27)), uow, scheduler())
    assert moved is not None
    assert moved.seat.starts_at == at(27, "08:00")


async def test_no_later_seat_within_the_horizon_is_refused_and_nothing_moves() -> None:
    uow = office(held("A", 24, "08:00"))
    assert await change_appointment(ask("rebook", date(2027, 1, 4)), uow, scheduler()) is None
    [event] = uow.published
    assert isinstance(event, AppointmentChangeRefused)
    assert (event.data.reason, event.data.action, event.data.request_id) == (
        "no_seat",
        "rebook",
        "req-1",
    )
    assert event.subject == "case-A"
    assert uow.appointments.rows["case-A"].seat.starts_at == at(24, "08:00")


async def test_cancel_releases_the_seat_as_the_applicant() -> None:
    uow = office(held("A", 24, "08:00"))
    cancelled = await change_appointment(ask("cancel"), uow, scheduler())
    assert cancelled is not None
    assert "case-A" not in uow.appointments.rows
    [event] = uow.published
    assert isinstance(event, AppointmentCancelled)
    assert event.data.by == "applicant"


@pytest.mark.parametrize(
    ("appointments", "now", "reason"),
    [((), MONDAY, "no_appointment"), ((held("A", 24, "08:00"),), at(24, "08:05"), "too_late")],
    ids=["none", "begun"],
)
async def test_what_cannot_be_changed_is_refused_with_the_reason(
    appointments: tuple[Appointment, ...], now: datetime, reason: str
) -> None:
    uow = office(*appointments)
    for action in ("cancel", "rebook"):
        assert await change_appointment(ask(action), uow, scheduler(now)) is None  # type: ignore[arg-type]
    assert [e.data.reason for e in uow.published] == [reason, reason]  # type: ignore[attr-defined]
    assert {e.type for e in uow.published} == {AppointmentChangeRefused.event_type()}
    assert uow.appointments.rows == {a.case_id: a for a in appointments}
