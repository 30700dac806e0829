"""Appointments: the earliest fitting seat on routing, and book / rebook / cancel by staff."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol

from routing.adapters.appointment_events import (
    By,
    booked_event,
    cancelled_event,
    rebooked_event,
)
from routing.adapters.office_file import OfficeSetup
from routing.domain.appointments import Appointment, Seat, earliest_seat, fits, seat_key, window
from routing.domain.case import Case
from routing.domain.lifecycle import CaseConflictError
from routing.domain.priority import Priority
from routing.service_layer.office import Office
from routing.service_layer.ports import Clock, UnitOfWork

log = logging.getLogger(__name__)


class NoSeatError(CaseConflictError):
    """No fitting free seat (HTTP 409)."""


class NoSeatReport(Protocol):
    def no_seat(self, team: str) -> None:
        """A case of ``team`` was routed without an appointment (its calendar is full)."""


class _LogEach:
    def no_seat(self, team: str) -> None:
        log.warning("no free appointment seat", extra={"team": team})


@dataclass(frozen=True)
class Scheduler:
    """Finds seats in the team calendars of the office setup."""

    setup: OfficeSetup
    office: Office
    clock: Clock
    full: NoSeatReport = field(default_factory=_LogEach)

    async def seat_for(
        self,
        uow: UnitOfWork,
        case: Case,
        at: datetime | None = None,
        *,
        later_than: datetime | None = None,
    ) -> Seat | None:
        """The free seat at ``at`` if given, else the earliest fitting one after ``later_than``."""
        calendar = self.setup.calendars.get(case.team)
        if calendar is None:
            return None
        await uow.lock_team(case.team)  # the free seats read below stay free until commit
        now, zone = self.clock.now(), self.office.zone
        days = window(calendar, now, zone)
        start = self.office.start_of(days[0])
        end = start + timedelta(days=len(days))
        taken = await uow.appointments.taken(case.team, start, end)
        urgent = case.priority is Priority.URGENT
        if at is None:
            after = max(now, later_than) if later_than is not None else now
            seat = earliest_seat(
                calendar, self.office.calendar, zone, urgent=urgent, after=after, taken=taken
            )
            return seat if seat is not None and seat.starts_at < end else None
        if not self.office.calendar.is_business_day(self.office.local_day(at)):
            return None
        seats = calendar.seats_on(self.office.local_day(at), zone)
        return next(
            (
                s
                for s in seats
                if s.starts_at == at
                and fits(s, urgent=urgent, after=now)
                and seat_key(s) not in taken
            ),
            None,
        )


async def auto_book(case: Case, uow: UnitOfWork, scheduler: Scheduler) -> Appointment | None:
    """On routing: the earliest fitting seat for a case that needs a visit (none if all full)."""
    seat = await scheduler.seat_for(uow, case)
    if seat is None:
        scheduler.full.no_seat(case.team)
        return None
    return await _hold(uow, case, seat, scheduler, "system")


async def book_appointment(
    case: Case, uow: UnitOfWork, scheduler: Scheduler, by: By, at: datetime | None = None
) -> Appointment:
    """Book the earliest fitting seat (or the slot at ``at``); a case holds one appointment."""
    if await uow.appointments.for_case(case.case_id) is not None:
        raise CaseConflictError("the case has an appointment already; rebook it")
    seat = await scheduler.seat_for(uow, case, at)
    if seat is None:
        raise NoSeatError("no free appointment seat fits")
    return await _hold(uow, case, seat, scheduler, by)


async def rebook_appointment(
    case: Case,
    uow: UnitOfWork,
    scheduler: Scheduler,
    by: By,
    at: datetime | None = None,
    *,
    later_than: datetime | None = None,
) -> Appointment:
    """Move the appointment to the slot at ``at``, else the earliest other (later) fitting seat."""
    before = await _current(uow, case)
    seat = await scheduler.seat_for(uow, case, at, later_than=later_than)
    if seat is None or seat_key(seat) == seat_key(before.seat):
        raise NoSeatError("no other free appointment seat fits")
    moved = replace(before, seat=seat)
    await uow.appointments.move(moved)
    uow.publish(rebooked_event(case, moved, before, by))
    return moved


async def cancel_appointment(case: Case, uow: UnitOfWork, by: By) -> Appointment:
    """Release the seat."""
    before = await _current(uow, case)
    await uow.appointments.remove(case.case_id)
    uow.publish(cancelled_event(case, before, by))
    return before


async def _current(uow: UnitOfWork, case: Case) -> Appointment:
    found = await uow.appointments.for_case(case.case_id)
    if found is None:
        raise CaseConflictError("the case has no appointment")
    return found


async def _hold(
    uow: UnitOfWork, case: Case, seat: Seat, scheduler: Scheduler, by: By
) -> Appointment:
    location = scheduler.setup.calendars[case.team].location
    held = Appointment(uuid.uuid4().hex, case.case_id, case.ticket, case.team, seat, location)
    await uow.appointments.add(held)
    uow.publish(booked_event(case, held, by))
    return held
