"""Keyword-only queries over the facts: every KPI is one of these, so each is testable alone.

A case counts as received on its office-calendar ``received_on`` day and as routed on its
``routed_on`` day; its team is the routed team, else the catalogue's team.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from metrics.adapters.tables import CaseFact, NotificationFact
from metrics.service_layer.commands import Outcome

DIGITAL_CHANNELS = ("online", "email", "partner")
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Period:
    """Office-calendar days ``start`` to ``end``, both included."""

    start: date
    end: date


@dataclass(frozen=True)
class Filters:
    """Narrow every figure to cases with these attributes (``None`` = all)."""

    team: str | None = None
    concern: str | None = None
    channel: str | None = None
    language: str | None = None


def team_of() -> ColumnElement[Any]:
    return func.coalesce(col(CaseFact.routed_team), col(CaseFact.team))


def case_filters(filters: Filters) -> list[ColumnElement[bool]]:
    wanted = {
        "concern": (col(CaseFact.concern), filters.concern),
        "channel": (col(CaseFact.channel), filters.channel),
        "language": (col(CaseFact.language), filters.language),
        "team": (team_of(), filters.team),
    }
    return [column == value for column, value in wanted.values() if value is not None]


def received_in(period: Period) -> ColumnElement[bool]:
    return col(CaseFact.received_on).between(period.start, period.end)


def routed_in(period: Period) -> ColumnElement[bool]:
    return col(CaseFact.routed_on).between(period.start, period.end)


async def count_cases(session: AsyncSession, *, where: Sequence[ColumnElement[bool]]) -> int:
    query = select(func.count()).select_from(CaseFact).where(*where)
    return int((await session.exec(query)).one())


async def count_received(session: AsyncSession, *, period: Period, filters: Filters) -> int:
    return await count_cases(session, where=[received_in(period), *case_filters(filters)])


async def count_routed(session: AsyncSession, *, period: Period, filters: Filters) -> int:
    return await count_cases(session, where=[routed_in(period), *case_filters(filters)])


async def count_open_unrouted(session: AsyncSession, *, period: Period, filters: Filters) -> int:
    """Received in the period and not routed by its last day."""
    not_routed = or_(col(CaseFact.routed_on).is_(None), col(CaseFact.routed_on) > period.end)
    return await count_cases(
        session, where=[received_in(period), not_routed, *case_filters(filters)]
    )


async def count_missing_documents(
    session: AsyncSession, *, period: Period, filters: Filters
) -> int:
    """Received in the period with at least one document missing."""
    missing = col(CaseFact.missing_documents_count) > 0
    return await count_cases(session, where=[received_in(period), missing, *case_filters(filters)])


async def count_digital(session: AsyncSession, *, period: Period, filters: Filters) -> int:
    """Received in the period online, by e-mail or through a partner."""
    digital = col(CaseFact.channel).in_(DIGITAL_CHANNELS)
    return await count_cases(session, where=[received_in(period), digital, *case_filters(filters)])


async def count_notifications(
    session: AsyncSession, *, period: Period, filters: Filters, outcome: Outcome
) -> int:
    """Notifications with this outcome in the period, of cases matching the filters."""
    query = (
        select(func.count())
        .select_from(NotificationFact)
        .outerjoin(CaseFact, col(CaseFact.case_id) == col(NotificationFact.case_id))
        .where(
            col(NotificationFact.occurred_on).between(period.start, period.end),
            col(NotificationFact.outcome) == outcome,
            *case_filters(filters),
        )
    )
    return int((await session.exec(query)).one())


async def received_by(
    session: AsyncSession, *, dimension: str, period: Period, filters: Filters
) -> dict[str, int]:
    """Applications received in the period, by ``concern``/``channel``/``language``/``team``."""
    key = team_of() if dimension == "team" else col(getattr(CaseFact, dimension))
    return await _grouped(session, key, [received_in(period), *case_filters(filters)])


async def routed_by_priority(
    session: AsyncSession, *, period: Period, filters: Filters
) -> dict[str, int]:
    """Cases routed in the period, by priority."""
    where = [routed_in(period), *case_filters(filters)]
    return await _grouped(session, col(CaseFact.priority), where)


async def _grouped(
    session: AsyncSession, key: Any, where: Sequence[ColumnElement[bool]]
) -> dict[str, int]:
    query = select(key, func.count()).select_from(CaseFact).where(*where).group_by(key)
    rows = (await session.exec(query)).all()
    return {str(k) if k is not None else UNKNOWN: int(n) for k, n in sorted(rows, key=_nulls_last)}


def _nulls_last(row: Any) -> tuple[bool, str]:
    return (row[0] is None, str(row[0]))


async def received_by_day(
    session: AsyncSession, *, period: Period, filters: Filters
) -> dict[date, int]:
    where = and_(received_in(period), *case_filters(filters))
    return await _per_day(session, col(CaseFact.received_on), where)


async def routed_by_day(
    session: AsyncSession, *, period: Period, filters: Filters
) -> dict[date, int]:
    where = and_(routed_in(period), *case_filters(filters))
    return await _per_day(session, col(CaseFact.routed_on), where)


async def _per_day(session: AsyncSession, day: Any, where: ColumnElement[bool]) -> dict[date, int]:
    query = select(day, func.count()).select_from(CaseFact).where(where).group_by(day)
    return {d: int(n) for d, n in (await session.exec(query)).all()}
