"""Series, forecast and alerts: ``/v1/kpis/series``, ``/v1/forecast``, ``/v1/alerts`` (staff)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from shared.auth import OPERATIONS_READ, build_authenticator, require
from shared.http import PROBLEM_JSON

from metrics.adapters.tables import AlertPublic
from metrics.bootstrap import Container
from metrics.entrypoints.http import INVALID, KEY, FiltersDep, From, To, resolve_period
from metrics.service_layer.forecasting import ForecastPublic, team_forecast
from metrics.service_layer.series import SeriesPoint, series

Team = Annotated[str | None, Query(min_length=1, max_length=64, pattern=KEY)]
DENIED: dict[int | str, dict[str, Any]] = {
    401: {"description": "no or invalid staff identity", "content": {PROBLEM_JSON: {}}},
    403: {"description": "not an operations role", "content": {PROBLEM_JSON: {}}},
}


def router(container: Container) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["metrics"])

    @api.get("/kpis/series", response_model=list[SeriesPoint], responses=INVALID)
    async def get_series(
        scope: FiltersDep,
        start: From = None,
        end: To = None,
        grain: Literal["day", "week", "month"] = "week",
    ) -> Response | list[SeriesPoint]:
        """Inflow, outflow, backlog, lead time and target share per day, week or month."""
        period = resolve_period(container, start, end)
        if isinstance(period, Response):
            return period
        async with container.uow() as uow:
            return await series(uow.session, period=period, filters=scope, grain=grain)

    @api.get("/forecast", response_model=ForecastPublic, responses=INVALID)
    async def get_forecast(team: Team = None) -> ForecastPublic:
        """Inflow and backlog per week for the next weeks: point and 90 % interval."""
        async with container.uow() as uow:
            return await team_forecast(
                uow.session,
                team=team,
                as_of=container.today().date(),
                weeks=container.settings.forecast_weeks,
                expiry_share=container.settings.expiry_conversion,
            )

    auth = build_authenticator(container.settings)

    @api.get("/alerts", response_model=list[AlertPublic], responses=DENIED)
    async def get_alerts(request: Request) -> list[AlertPublic]:
        """Active alerts first, then recently cleared ones (operator, head of office, auditor)."""
        require(auth.staff(request), *OPERATIONS_READ)
        async with container.uow() as uow:
            return [AlertPublic.model_validate(a) for a in await uow.alerts.listing()]

    return api
