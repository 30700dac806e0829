"""The daily breakdown behind ``/v1/kpis.csv``: day x concern x channel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import case
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from metrics.adapters.tables import CaseFact, NotificationFact
from metrics.service_layer.queries import (
    UNKNOWN,
    Filters,
    Period,
    case_filters,
    received_in,
    routed_in,
)

Key = tuple[date, str, str]


@dataclass
class BreakdownRow:
    """The figures of one office day for one concern and application channel."""

    day: date
    concern: str
    channel: str
    received: int = 0
    routed: int = 0
    missing_documents: int = 0
    notifications: dict[str, int] = field(default_factory=lambda: {"sent": 0, "failed": 0})


async def daily_breakdown(
    session: AsyncSession, *, period: Period, filters: Filters
) -> list[BreakdownRow]:
    """Every (day, concern, channel) with any figure in the period, in that order."""
    rows: dict[Key, BreakdownRow] = {}
    for day, concern, channel, n, missing in await _received(session, period, filters):
        row = _row(rows, day, concern, channel)
        row.received, row.missing_documents = int(n), int(missing or 0)
    for day, concern, channel, n in await _routed(session, period, filters):
        _row(rows, day, concern, channel).routed = int(n)
    for day, concern, channel, outcome, n in await _notified(session, period, filters):
        _row(rows, day, concern, channel).notifications[outcome] = int(n)
    return [rows[key] for key in sorted(rows)]


def _row(
    rows: dict[Key, BreakdownRow], day: date, concern: str | None, channel: str | None
) -> BreakdownRow:
    key = (day, concern or UNKNOWN, channel or UNKNOWN)
    return rows.setdefault(key, BreakdownRow(*key))


async def _received(session: AsyncSession, period: Period, filters: Filters) -> Sequence[Any]:
    day, concern, channel = col(CaseFact.received_on), col(CaseFact.concern), col(CaseFact.channel)
    missing = func.sum(case((col(CaseFact.missing_documents_count) > 0, 1), else_=0))
    query = (
        sa.select(day, concern, channel, func.count(), missing)
        .where(received_in(period), *case_filters(filters))
        .group_by(day, concern, channel)
    )
    # sqlmodel types select()/exec() for at most four columns; sqlalchemy's select has five
    return list((await session.exec(query)).all())  # type: ignore[call-overload]


async def _routed(session: AsyncSession, period: Period, filters: Filters) -> Sequence[Any]:
    day, concern, channel = col(CaseFact.routed_on), col(CaseFact.concern), col(CaseFact.channel)
    query = (
        select(day, concern, channel, func.count())
        .where(routed_in(period), *case_filters(filters))
        .group_by(day, concern, channel)
    )
    return list((await session.exec(query)).all())


async def _notified(session: AsyncSession, period: Period, filters: Filters) -> Sequence[Any]:
    day, outcome = col(NotificationFact.occurred_on), col(NotificationFact.outcome)
    concern, channel = col(CaseFact.concern), col(CaseFact.channel)
    query = (
        sa.select(day, concern, channel, outcome, func.count())
        .select_from(NotificationFact)
        .outerjoin(CaseFact, col(CaseFact.case_id) == col(NotificationFact.case_id))
        .where(day.between(period.start, period.end), *case_filters(filters))
        .group_by(day, concern, channel, outcome)
    )
    return list((await session.exec(query)).all())  # type: ignore[call-overload]
