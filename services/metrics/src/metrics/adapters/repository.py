"""Facts in the service's SQL store: the merge rules as bulk, order-independent upserts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from shared.messaging.tables import InboxRecord
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from metrics.adapters.bulk import bind, execute_many
from metrics.adapters.tables import (
    AppointmentFact,
    CaseFact,
    DuplicateFact,
    NotificationFact,
    OutboxReport,
    SurveyFact,
)
from metrics.service_layer.merge import FILL, SET, Fold, Rule, Shape

INBOX: sa.Table = InboxRecord.__table__  # type: ignore[attr-defined]
INBOX_INSERT = sa.insert(INBOX)
FACT_MODELS = (CaseFact, NotificationFact, DuplicateFact, AppointmentFact, SurveyFact, OutboxReport)
FACT_TABLES: dict[str, sa.Table] = {
    str(model.__tablename__): model.__table__  # type: ignore[union-attr]
    for model in FACT_MODELS
}


def _merged(rule: Rule, stored: sa.ColumnElement[Any], new: sa.ColumnElement[Any]) -> Any:
    """A merge rule as the SQL expression that applies it to the stored value."""
    if rule == SET:
        return new
    if rule == FILL:
        return func.coalesce(stored, new)
    return sa.case((stored.is_(None) | (stored > new), new), else_=stored)


@lru_cache(maxsize=512)
def upsert(dialect: str, table_name: str, shape: Shape) -> sa.Insert:
    """``INSERT .. ON CONFLICT (key) DO UPDATE`` for rows of one shape (built once, reused)."""
    table = FACT_TABLES[table_name]
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    keys = [c.name for c in table.primary_key.columns]
    update = {name: _merged(rule, table.c[name], stmt.excluded[name]) for name, rule in shape}
    return stmt.on_conflict_do_update(index_elements=keys, set_=update)


PROCESSED_AT = frozenset({"processed_at"})


def _event_id(row: dict[str, Any]) -> str:
    return str(row["event_id"])


class SqlFacts:
    """Upserts keyed by case id / notification id: replays and reordering give one result."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def write(self, fold: Fold) -> None:
        """Merge every folded row into the store: one executemany per table and row shape."""
        conn = await self.session.connection()
        dialect = conn.dialect.name
        for table_name, rows in fold.tables.items():
            groups: dict[Shape, list[dict[str, Any]]] = {}
            for row in rows.values():
                groups.setdefault(row.shape, []).append(row.values)
            for shape, values in groups.items():
                await execute_many(conn, upsert(dialect, table_name, shape), values)

    async def mark_processed(self, consumer: str, event_ids: Iterable[str], at: datetime) -> None:
        """The inbox rows of many events at once (replay; the live path uses ``process_once``)."""
        conn = await self.session.connection()
        stamp = bind(conn, INBOX.c.processed_at, at)
        rows = [{"consumer": consumer, "event_id": i, "processed_at": stamp} for i in event_ids]
        await execute_many(conn, INBOX_INSERT, sorted(rows, key=_event_id), PROCESSED_AT)

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
