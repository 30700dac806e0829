"""Booked seats in the SQL store; the unique (team, starts_at, seat) forbids double booking."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.contracts.envelope import as_utc
from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from routing.adapters.tables import AppointmentRecord
from routing.domain.appointments import Appointment, Seat, seat_key


class SqlAppointmentRepository:
    """Appointments of one transaction, which holds the team lock of every team it reads.

    Under that lock nobody else books a seat, so the taken seats read once stay true for
    the rest of the transaction: a batch of cases booking into one team reads them once,
    not once per case (at a surge every case would read the whole horizon's bookings).
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._taken: dict[tuple[str, datetime, datetime], set[tuple[datetime, int]]] = {}

    async def for_case(self, case_id: str) -> Appointment | None:
        query = select(AppointmentRecord).where(AppointmentRecord.case_id == case_id)
        record = (await self.session.exec(query)).first()
        return _domain(record) if record is not None else None

    async def taken(self, team: str, start: datetime, end: datetime) -> set[tuple[datetime, int]]:
        """Booked (UTC start, seat) of ``team`` in [start, end) (a copy: change it freely)."""
        key = (team, start, end)
        if key not in self._taken:
            self._taken[key] = await self._read_taken(team, start, end)
        return set(self._taken[key])

    async def _read_taken(
        self, team: str, start: datetime, end: datetime
    ) -> set[tuple[datetime, int]]:
        query = select(AppointmentRecord.starts_at, AppointmentRecord.seat).where(
            AppointmentRecord.team == team,
            col(AppointmentRecord.starts_at) >= start.astimezone(UTC),
            col(AppointmentRecord.starts_at) < end.astimezone(UTC),
        )
        return {(as_utc(at), seat) for at, seat in await self.session.exec(query)}

    async def add(self, appointment: Appointment) -> None:
        """Hold the seat; ``IntegrityError`` at flush if someone holds it already."""
        self.session.add(_record(appointment))
        await self.session.flush()
        key = seat_key(appointment.seat)
        for (team, start, end), taken in self._taken.items():
            if team == appointment.team and start <= appointment.seat.starts_at < end:
                taken.add(key)

    async def move(self, appointment: Appointment) -> None:
        """The case's appointment to another seat; ``IntegrityError`` if that seat is held."""
        self._taken.clear()  # the seat it leaves is not known here: read again
        values = _record(appointment).model_dump(
            include={"starts_at", "ends_at", "seat", "emergency"}
        )
        await self.session.exec(
            update(AppointmentRecord)
            .where(col(AppointmentRecord.case_id) == appointment.case_id)
            .values(**values)
        )

    async def remove(self, case_id: str) -> None:
        self._taken.clear()
        await self.session.exec(
            delete(AppointmentRecord).where(col(AppointmentRecord.case_id) == case_id)
        )


def _record(a: Appointment) -> AppointmentRecord:
    return AppointmentRecord(
        appointment_id=a.appointment_id,
        case_id=a.case_id,
        ticket=a.ticket,
        team=a.team,
        starts_at=a.seat.starts_at.astimezone(UTC),
        ends_at=a.seat.ends_at.astimezone(UTC),
        seat=a.seat.seat,
        emergency=a.seat.emergency,
        location=a.location,
    )


def _domain(r: AppointmentRecord) -> Appointment:
    seat = Seat(as_utc(r.starts_at), as_utc(r.ends_at), r.seat, r.emergency)
    return Appointment(r.appointment_id, r.case_id, r.ticket, r.team, seat, r.location)
