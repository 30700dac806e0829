"""Metrics' HTTP API: KPIs for a period as JSON, and their daily breakdown as CSV."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import PlainTextResponse, Response
from shared.http import PROBLEM_JSON, IsoDate, problem

from metrics.adapters.csv_export import to_csv
from metrics.bootstrap import Container
from metrics.service_layer.breakdown import daily_breakdown
from metrics.service_layer.kpis import KpiReport, kpi_report
from metrics.service_layer.queries import Filters, Period

KEY = r"^[a-z][a-z0-9_]*$"
LANGUAGE = r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$"
INVALID: dict[int | str, dict[str, Any]] = {
    422: {"description": "Invalid query parameter", "content": {PROBLEM_JSON: {}}}
}


def filters(
    team: Annotated[str | None, Query(min_length=1, max_length=64, pattern=KEY)] = None,
    concern: Annotated[str | None, Query(min_length=1, max_length=100, pattern=KEY)] = None,
    channel: Literal["online", "email", "phone", "counter", "partner"] | None = None,
    language: Annotated[str | None, Query(max_length=35, pattern=LANGUAGE)] = None,
) -> Filters:
    """The optional filters every figure is narrowed by."""
    return Filters(team=team, concern=concern, channel=channel, language=language)


From = Annotated[IsoDate | None, Query(alias="from", description="first day (YYYY-MM-DD)")]
To = Annotated[IsoDate | None, Query(alias="to", description="last day, included (YYYY-MM-DD)")]
FiltersDep = Annotated[Filters, Depends(filters)]


def router(container: Container) -> APIRouter:
    """``/v1/kpis`` and ``/v1/kpis.csv``."""
    api = APIRouter(prefix="/v1", tags=["metrics"])

    @api.get("/kpis", response_model=KpiReport, responses=INVALID)
    async def get_kpis(
        scope: FiltersDep, start: From = None, end: To = None
    ) -> Response | KpiReport:
        """Applications, routing, notifications and shares for a period (default: last 30 days)."""
        period = resolve_period(container, start, end)
        if isinstance(period, Response):
            return period
        async with container.uow() as uow:
            return await kpi_report(
                uow.session, period=period, filters=scope, targets=container.targets
            )

    @api.get(
        "/kpis.csv",
        response_class=PlainTextResponse,
        responses={**INVALID, 200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
    )
    async def get_kpis_csv(scope: FiltersDep, start: From = None, end: To = None) -> Response:
        """The same figures by day x concern x application channel, as CSV."""
        period = resolve_period(container, start, end)
        if isinstance(period, Response):
            return period
        async with container.uow() as uow:
            rows = await daily_breakdown(uow.session, period=period, filters=scope)
        name = f"lotse-kpis-{period.start}-{period.end}.csv"
        return Response(
            to_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    return api


def resolve_period(container: Container, start: date | None, end: date | None) -> Period | Response:
    """The asked period, or the default one ending today; a 422 problem if it makes no sense."""
    settings = container.settings
    end = end or container.today().date()
    start = start or end - timedelta(days=settings.default_period_days - 1)
    if start > end:
        return _invalid("to", "must not be before 'from'")
    if (end - start).days + 1 > settings.max_period_days:
        return _invalid("from", f"period must not exceed {settings.max_period_days} days")
    return Period(start=start, end=end)


def _invalid(field: str, reason: str) -> Response:
    return problem(
        422,
        f"invalid request: {field}",
        title="Invalid request",
        errors=[{"field": field, "reason": reason}],
    )
