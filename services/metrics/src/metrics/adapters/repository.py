"""Facts in the service's SQL store, written as order-independent upserts."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from metrics.adapters.tables import (
    AppointmentFact,
    CaseFact,
    DuplicateFact,
    NotificationFact,
    OutboxReport,
    SurveyFact,
)
from metrics.service_layer.commands import (
    RecordAppointment,
    RecordClosed,
    RecordDecided,
    RecordJoined,
    RecordMilestone,
    RecordNotification,
    RecordOutboxBacklog,
    RecordReceived,
    RecordRouted,
    RecordSurvey,
)

CASES: sa.Table = CaseFact.__table__  # type: ignore[attr-defined]
NOTIFICATIONS: sa.Table = NotificationFact.__table__  # type: ignore[attr-defined]
TABLES: dict[type[Any], sa.Table] = {
    RecordJoined: DuplicateFact.__table__,  # type: ignore[attr-defined]
    RecordAppointment: AppointmentFact.__table__,  # type: ignore[attr-defined]
    RecordSurvey: SurveyFact.__table__,  # type: ignore[attr-defined]
    RecordOutboxBacklog: OutboxReport.__table__,  # type: ignore[attr-defined]
}
# CaseRouted repeats these; the application's own values win, whichever arrives first.
GAP_FILLERS = ("concern", "channel", "language")


class SqlFacts:
    """Upserts keyed by case id / notification id: replays and reordering give one result."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record_received(self, cmd: RecordReceived) -> None:
        values = asdict(cmd)
        await self._upsert(
            CASES, values, update={k: v for k, v in values.items() if k != "case_id"}
        )

    async def record_routed(self, cmd: RecordRouted) -> None:
        values = asdict(cmd)
        values["routed_team"] = values.pop("team")
        update: dict[str, Any] = {
            k: v for k, v in values.items() if k != "case_id" and k not in GAP_FILLERS
        }
        for name in GAP_FILLERS:
            update[name] = func.coalesce(CASES.c[name], values[name])
        await self._upsert(CASES, values, update=update)

    async def record_milestone(self, cmd: RecordMilestone) -> None:
        """Keep the earliest instant, whatever order the events arrive in."""
        column = CASES.c[cmd.milestone]
        earliest = sa.case((column.is_(None) | (column > cmd.at), cmd.at), else_=column)
        values = {"case_id": cmd.case_id, cmd.milestone: cmd.at}
        await self._upsert(CASES, values, update={cmd.milestone: earliest})

    async def record_decided(self, cmd: RecordDecided) -> None:
        values = asdict(cmd)
        team = values.pop("team")
        update = {k: v for k, v in values.items() if k != "case_id"}
        update["routed_team"] = func.coalesce(CASES.c.routed_team, team)
        await self._upsert(CASES, {**values, "routed_team": team}, update=update)

    async def record_closed(self, cmd: RecordClosed) -> None:
        values = asdict(cmd)
        await self._upsert(
            CASES, values, update={k: v for k, v in values.items() if k != "case_id"}
        )

    async def record_notification(self, cmd: RecordNotification) -> None:
        await self._upsert(NOTIFICATIONS, asdict(cmd), update={})

    async def record_fact(
        self, cmd: RecordJoined | RecordAppointment | RecordSurvey | RecordOutboxBacklog
    ) -> None:
        """Facts of their own table, keyed by their own id; a replay changes nothing."""
        values = asdict(cmd)
        table = TABLES[type(cmd)]
        key = table.primary_key.columns[0].name
        await self._upsert(table, values, update={k: v for k, v in values.items() if k != key})

    async def is_empty(self) -> bool:
        """No case and no notification facts at all."""
        cases = (await self.session.exec(select(func.count()).select_from(CaseFact))).one()
        notes = (await self.session.exec(select(func.count()).select_from(NotificationFact))).one()
        return int(cases) + int(notes) == 0

    async def latest_outbox_pending(self, *, since: datetime) -> int | None:
        """Pending events in the newest outbox backlog report since ``since``; None if none."""
        query = (
            select(OutboxReport.pending)
            .where(col(OutboxReport.reported_at) >= since)
            .order_by(col(OutboxReport.reported_at).desc())
        )
        return (await self.session.exec(query.limit(1))).first()

    async def open_unrouted(self) -> int:
        """Cases received and not yet routed, across all time (the gauge's value)."""
        query = select(func.count()).where(
            col(CaseFact.received_at).is_not(None), col(CaseFact.routed_at).is_(None)
        )
        return int((await self.session.exec(query)).one())

    async def _upsert(
        self, table: sa.Table, values: dict[str, Any], *, update: dict[str, Any]
    ) -> None:
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        keys = [c.name for c in table.primary_key.columns]
        stmt = insert(table).values(**values)
        if update:
            stmt = stmt.on_conflict_do_update(index_elements=keys, set_=update)
        else:
            stmt = stmt.on_conflict_do_nothing(index_elements=keys)
        await self.session.exec(stmt)
