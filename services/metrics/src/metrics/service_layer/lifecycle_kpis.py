"""The lifecycle half of the KPI report: lead time, response, target share, backlog, quality."""

from __future__ import annotations

from statistics import fmean

from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from metrics.service_layer import figures as f
from metrics.service_layer import lifecycle_queries as lq
from metrics.service_layer.queries import Filters, Period


class QuantilesPublic(BaseModel):
    """Median and 90th percentile of ``n`` observations (``null`` when there are none)."""

    p50: float | None
    p90: float | None
    n: int


class LifecycleFigures(BaseModel):
    cases_decided: int
    backlog_open: int
    backlog_age_days: dict[str, int]
    oldest_open_days: int | None
    lead_time_days: QuantilesPublic
    first_response_hours: QuantilesPublic
    within_target_share: float | None
    duplicates: int
    duplicate_rate: float | None
    documents_requested_rate: float | None
    satisfaction_mean: float | None
    satisfaction_responses: int
    appointment_wait_days: QuantilesPublic


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def public(q: f.Quantiles) -> QuantilesPublic:
    return QuantilesPublic(p50=q.p50, p90=q.p90, n=q.n)


async def lifecycle_figures(
    session: AsyncSession, *, period: Period, filters: Filters, received: int
) -> LifecycleFigures:
    """Every lifecycle figure of ``period``; ``received`` is the period's inflow."""
    rows = await lq.case_rows(session, until=period.end, filters=filters)
    ages = f.open_ages(rows, period.end)
    hit, judged = f.within_target(rows, period)
    dups = await lq.count_duplicates(session, period=period, filters=filters)
    requested = await lq.count_documents_requested(session, period=period, filters=filters)
    scores = await lq.survey_scores(session, period=period, filters=filters)
    waits = await lq.appointment_waits(session, period=period, filters=filters)
    return LifecycleFigures(
        cases_decided=f.decided(rows, period),
        backlog_open=len(ages),
        backlog_age_days=f.age_distribution(rows, period.end),
        oldest_open_days=max(ages) if ages else None,
        lead_time_days=public(f.lead_time_days(rows, period)),
        first_response_hours=public(f.first_response_hours(rows, period)),
        within_target_share=share(hit, judged),
        duplicates=dups,
        duplicate_rate=share(dups, received + dups),
        documents_requested_rate=share(requested, received),
        satisfaction_mean=round(fmean(scores), 2) if scores else None,
        satisfaction_responses=len(scores),
        appointment_wait_days=public(f.quantiles(waits)),
    )


def targeted_actuals(
    figs: LifecycleFigures, delivery_rate: float | None
) -> dict[str, float | None]:
    """The figures targets may name, flattened."""
    return {
        "within_target_share": figs.within_target_share,
        "backlog_open": float(figs.backlog_open),
        "oldest_open_days": None if figs.oldest_open_days is None else float(figs.oldest_open_days),
        "lead_time_p50_days": figs.lead_time_days.p50,
        "lead_time_p90_days": figs.lead_time_days.p90,
        "first_response_p50_hours": figs.first_response_hours.p50,
        "first_response_p90_hours": figs.first_response_hours.p90,
        "notification_delivery_rate": delivery_rate,
        "duplicate_rate": figs.duplicate_rate,
        "satisfaction_mean": figs.satisfaction_mean,
        "appointment_wait_p50_days": figs.appointment_wait_days.p50,
    }
