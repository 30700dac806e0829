"""Figures per day, week or month: inflow, outflow, backlog, lead time and target share."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from metrics.service_layer import figures as f
from metrics.service_layer.lifecycle_kpis import QuantilesPublic, public, share
from metrics.service_layer.lifecycle_queries import case_rows
from metrics.service_layer.queries import Filters, Period


class SeriesPoint(BaseModel):
    start: date
    end: date
    received: int
    decided: int
    backlog_end: int
    lead_time_days: QuantilesPublic
    first_response_hours: QuantilesPublic
    within_target_share: float | None


def points(rows: list[f.CaseRow], period: Period, grain: f.Grain) -> list[SeriesPoint]:
    """One point per bucket of the period (pure; rows must reach back to the first case)."""
    out = []
    for bucket in f.buckets(period, grain):
        hit, judged = f.within_target(rows, bucket)
        out.append(
            SeriesPoint(
                start=bucket.start,
                end=bucket.end,
                received=sum(1 for r in rows if f.within(r.received_on, bucket)),
                decided=f.decided(rows, bucket),
                backlog_end=f.backlog(rows, bucket.end),
                lead_time_days=public(f.lead_time_days(rows, bucket)),
                first_response_hours=public(f.first_response_hours(rows, bucket)),
                within_target_share=share(hit, judged),
            )
        )
    return out


async def series(
    session: AsyncSession, *, period: Period, filters: Filters, grain: f.Grain
) -> list[SeriesPoint]:
    """The series of ``period`` narrowed by ``filters``."""
    return points(await case_rows(session, until=period.end, filters=filters), period, grain)
