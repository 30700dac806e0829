"""Booked seats in a real store: read once per transaction under the team lock, kept true."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from routing.adapters.tables import AppointmentRecord
from routing.bootstrap import MIGRATIONS
from routing.domain.appointments import Appointment, Seat, seat_key
from routing.service_layer.unit_of_work import RoutingUnitOfWork
from shared.subjects import Namespace
from sqlalchemy import event

from shared import store

START = datetime(2026, 12, 1, 8, tzinfo=UTC)
END = START + timedelta(days=30)


def appointment(case: str, minutes: int, team: str = "residence") -> Appointment:
    at = START + timedelta(minutes=minutes)
    seat = Seat(at, at + timedelta(minutes=20), 1, False)
    return Appointment(f"a-{case}", case, f"T-{case}", team, seat, "Rathaus")


async def test_taken_seats_are_read_once_per_transaction_and_kept_up_to_date(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'routing.db'}"
    await store.migrate(url, MIGRATIONS, "routing")
    engine = store.create_engine(url)
    reads: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.startswith("SELECT") and "FROM appointments" in statement:
            reads.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    sessions = store.session_factory(engine)
    try:
        async with RoutingUnitOfWork(sessions, Namespace("t")) as uow:
            await uow.lock_team("residence")
            assert await uow.appointments.taken("residence", START, END) == set()
            booked = appointment("c1", 0)
            await uow.appointments.add(booked)
            taken = await uow.appointments.taken("residence", START, END)
            assert taken == {seat_key(booked.seat)}, "a seat held in this transaction is taken"
            taken.add((END, 9))  # a caller's copy: the repository's view stays right
            await uow.appointments.add(appointment("c2", 20, team="family"))
            assert await uow.appointments.taken("residence", START, END) == {seat_key(booked.seat)}
            assert len(reads) == 1, "read once, then kept up to date"
            await uow.appointments.remove("c1")
            assert await uow.appointments.taken("residence", START, END) == set()
            assert len(reads) == 2, "a removal is read again"
            await uow.commit()
        async with sessions() as session:
            rows = (await session.execute(sa.select(AppointmentRecord.case_id))).scalars().all()
        assert rows == ["c2"]
    finally:
        await engine.dispose()
