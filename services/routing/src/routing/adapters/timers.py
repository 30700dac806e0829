"""Durable clock alarms in the SQL store: planned with the case, fired exactly once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from shared.contracts.envelope import as_utc
from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from routing.adapters.tables import TimerRecord
from routing.service_layer.ports import DueTimer


class SqlTimerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def cancel(self, case_id: str) -> None:
        """Drop the case's alarms that have not fired (paused, decided, re-planned)."""
        await self.session.exec(
            delete(TimerRecord)
            .where(col(TimerRecord.case_id) == case_id)
            .where(col(TimerRecord.fired_at).is_(None))
        )

    async def plan(self, timers: Sequence[DueTimer], *, new: bool = False) -> None:
        """Replace the unfired alarms of these cases; alarms that fired stay fired.

        ``new``: the cases were created in this transaction, so they have no alarms yet.
        """
        if new:
            self.session.add_all([TimerRecord(**t.__dict__) for t in timers])
            return
        for case_id in {t.case_id for t in timers}:
            await self.cancel(case_id)
        fired = await self.session.exec(
            select(TimerRecord.case_id, TimerRecord.level).where(
                col(TimerRecord.case_id).in_([t.case_id for t in timers])
            )
        )
        done = set(fired.all())
        for t in timers:
            if (t.case_id, t.level) not in done:
                self.session.add(TimerRecord(**t.__dict__))

    async def due(self, now: datetime, limit: int = 100) -> list[DueTimer]:
        query = (
            select(TimerRecord)
            .where(col(TimerRecord.fired_at).is_(None), col(TimerRecord.fire_at) <= now)
            .order_by(col(TimerRecord.fire_at))
            .limit(limit)
        )
        return [_due(r) for r in await self.session.exec(query)]

    async def mark_fired(self, timer: DueTimer, now: datetime) -> bool:
        """True for exactly one caller: whoever sets ``fired_at`` first."""
        result = await self.session.exec(
            update(TimerRecord)
            .where(col(TimerRecord.case_id) == timer.case_id)
            .where(col(TimerRecord.level) == timer.level)
            .where(col(TimerRecord.fired_at).is_(None))
            .values(fired_at=now)
        )
        return result.rowcount == 1


def _due(r: TimerRecord) -> DueTimer:
    return DueTimer(r.case_id, r.level, as_utc(r.fire_at), r.due_on, r.elapsed_share, r.breached)
