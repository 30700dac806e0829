"""The KPI report: every figure of ``GET /v1/kpis`` for one period and filter set."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel.ext.asyncio.session import AsyncSession

from metrics.service_layer import queries as q
from metrics.service_layer.lifecycle_kpis import (
    LifecycleFigures,
    lifecycle_figures,
    targeted_actuals,
)
from metrics.service_layer.queries import Filters, Period
from metrics.service_layer.targets import TargetGap, Targets, gaps

DIMENSIONS = ("channel", "concern", "team", "language")


class PeriodPublic(BaseModel):
    """Office-calendar days, both ends included."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    from_: date = Field(alias="from")
    to: date
    days: int


class FiltersPublic(BaseModel):
    team: str | None = None
    concern: str | None = None
    channel: str | None = None
    language: str | None = None


class DayPublic(BaseModel):
    date: date
    received: int
    routed: int


class KpiReport(LifecycleFigures):
    """Aggregates only: counts, shares and breakdowns; never a case."""

    period: PeriodPublic
    filters: FiltersPublic
    applications_received: int
    cases_routed: int
    open_unrouted: int
    notifications_sent: int
    notifications_failed: int
    notification_delivery_rate: float | None
    missing_documents_rate: float | None
    digital_share: float | None
    by_channel: dict[str, int]
    by_concern: dict[str, int]
    by_team: dict[str, int]
    by_language: dict[str, int]
    by_priority: dict[str, int]
    by_day: list[DayPublic]
    targets: list[TargetGap]


def share(part: int, whole: int) -> float | None:
    """``part / whole`` rounded to four places; ``None`` when there is nothing to divide."""
    return round(part / whole, 4) if whole else None


def days_of(period: Period) -> list[date]:
    return [period.start + timedelta(days=i) for i in range((period.end - period.start).days + 1)]


async def kpi_report(
    session: AsyncSession, *, period: Period, filters: Filters, targets: Targets | None = None
) -> KpiReport:
    """Compute every KPI for ``period`` narrowed by ``filters``, each beside its target."""
    received = await q.count_received(session, period=period, filters=filters)
    sent, failed = [
        await q.count_notifications(session, period=period, filters=filters, outcome=outcome)
        for outcome in ("sent", "failed")
    ]
    missing = await q.count_missing_documents(session, period=period, filters=filters)
    digital = await q.count_digital(session, period=period, filters=filters)
    life = await lifecycle_figures(session, period=period, filters=filters, received=received)
    delivery = share(sent, sent + failed)
    soll = (targets or Targets()).for_team(filters.team)
    by = {
        f"by_{d}": await q.received_by(session, dimension=d, period=period, filters=filters)
        for d in DIMENSIONS
    }
    return KpiReport(
        period=PeriodPublic(from_=period.start, to=period.end, days=len(days_of(period))),
        filters=FiltersPublic(**vars(filters)),
        applications_received=received,
        cases_routed=await q.count_routed(session, period=period, filters=filters),
        open_unrouted=await q.count_open_unrouted(session, period=period, filters=filters),
        notifications_sent=sent,
        notifications_failed=failed,
        notification_delivery_rate=delivery,
        missing_documents_rate=share(missing, received),
        digital_share=share(digital, received),
        by_priority=await q.routed_by_priority(session, period=period, filters=filters),
        by_day=await _by_day(session, period=period, filters=filters),
        targets=gaps(soll, targeted_actuals(life, delivery)),
        **by,
        **life.model_dump(),
    )


async def _by_day(session: AsyncSession, *, period: Period, filters: Filters) -> list[DayPublic]:
    received = await q.received_by_day(session, period=period, filters=filters)
    routed = await q.routed_by_day(session, period=period, filters=filters)
    return [
        DayPublic(date=d, received=received.get(d, 0), routed=routed.get(d, 0))
        for d in days_of(period)
    ]
