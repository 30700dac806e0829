"""Booked seats in the SQL store; the unique (team, starts_at, seat) forbids double booking."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.contracts.envelope import as_utc
from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from routing.adapters.tables import AppointmentRecord
from routing.domain.appointments import Appointment, Seat


class SqlAppointmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def for_case(self, case_id: str) -> Appointment | None:
        query = select(AppointmentRecord).where(AppointmentRecord.case_id == case_id)
        record = (await self.session.exec(query)).first()
        return _domain(record) if record is not None else None

    async def taken(self, team: str, start: datetime, end: datetime) -> set[tuple[datetime, int]]:
        """Booked (UTC start, seat) of ``team`` in [start, end)."""
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

    async def move(self, appointment: Appointment) -> None:
        """The case's appointment to another seat; ``IntegrityError`` if that seat is held."""
        values = _record(appointment).model_dump(
            include={"starts_at", "ends_at", "seat", "emergency"}
        )
        await self.session.exec(
            update(AppointmentRecord)
            .where(col(AppointmentRecord.case_id) == appointment.case_id)
            .values(**values)
        )

    async def remove(self, case_id: str) -> None:
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
