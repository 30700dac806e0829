"""Forecast use case: load a team's history from the store and forecast 8 weeks ahead."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from metrics.adapters.tables import CaseFact
from metrics.service_layer import figures as f
from metrics.service_layer import forecast as fc
from metrics.service_layer.lifecycle_queries import case_rows
from metrics.service_layer.queries import Filters, Period, case_filters, received_by_day

HISTORY_DAYS = 365
CAPACITY_DAYS = 28


class BandPublic(BaseModel):
    point: float
    lower: float
    upper: float


class WeekPublic(BaseModel):
    week_start: date
    inflow: BandPublic
    known_demand: float
    backlog: BandPublic


class ForecastPublic(BaseModel):
    """Point and 90 % interval per week; ``known_demand`` is already inside ``inflow``."""

    team: str | None
    as_of: date
    method: str
    weeks: list[WeekPublic]


async def daily_inflow(session: AsyncSession, *, as_of: date, filters: Filters) -> list[float]:
    """Applications per day up to ``as_of``, from the first day with any (at most a year)."""
    period = Period(start=as_of - timedelta(days=HISTORY_DAYS - 1), end=as_of)
    counts = await received_by_day(session, period=period, filters=filters)
    if not counts:
        return []
    first = min(counts)
    return [
        float(counts.get(first + timedelta(days=i), 0)) for i in range((as_of - first).days + 1)
    ]


async def expiry_months(session: AsyncSession, *, after: date, filters: Filters) -> dict[str, int]:
    month = col(CaseFact.permit_expiry_month)
    query = (
        select(month, func.count())
        .where(month > f"{after.year:04d}-{after.month:02d}", *case_filters(filters))
        .group_by(month)
    )
    return {str(m): int(n) for m, n in (await session.exec(query)).all() if m}


async def team_forecast(
    session: AsyncSession, *, team: str | None, as_of: date, weeks: int, expiry_share: float
) -> ForecastPublic:
    """Inflow and backlog forecast of ``team`` (or the whole office) after ``as_of``."""
    filters = Filters(team=team)
    rows = await case_rows(session, until=as_of, filters=filters)
    recent = Period(start=as_of - timedelta(days=CAPACITY_DAYS - 1), end=as_of)
    result = fc.forecast(
        await daily_inflow(session, as_of=as_of, filters=filters),
        as_of=as_of,
        weeks=weeks,
        backlog_now=f.backlog(rows, as_of),
        daily_capacity=f.decided(rows, recent) / CAPACITY_DAYS,
        known_months=await expiry_months(session, after=as_of, filters=filters),
        expiry_share=expiry_share,
    )
    return ForecastPublic(
        team=team,
        as_of=as_of,
        method=result.method,
        weeks=[
            WeekPublic(
                week_start=w.week_start,
                inflow=BandPublic(**vars(w.inflow)),
                known_demand=w.known_demand,
                backlog=BandPublic(**vars(w.backlog)),
            )
            for w in result.weeks
        ],
    )
