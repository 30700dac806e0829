"""Metrics' ASGI app factory."""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI
from shared.runtime import create_app as create_service_app

from metrics.bootstrap import Container, build
from metrics.config import Settings
from metrics.entrypoints import dashboard, http, steering_http, subscribers
from metrics.service_layer.alerting import apply_conditions, gather
from metrics.service_layer.projection import open_unrouted

log = logging.getLogger(__name__)


def create_app(settings: Settings, **overrides: object) -> FastAPI:
    """The metrics service: projection, KPI API, forecast, alerts, dashboard, operations."""
    return app_for(build(settings, **overrides))  # type: ignore[arg-type]


def app_for(container: Container) -> FastAPI:
    subscribers.register(container)

    async def alerts_forever() -> None:
        await alert_loop(container)

    async def restore_gauge() -> None:
        container.instruments.open_unrouted.set(await open_unrouted(container.uow()))

    return create_service_app(
        container.runtime,
        title="Lotse metrics",
        description="KPIs from the event stream: aggregates only, no personal data.",
        routers=[
            http.router(container),
            steering_http.router(container),
            dashboard.router(container),
        ],
        on_startup=[restore_gauge],
        background=[alerts_forever],
    )


async def evaluate_alerts(container: Container) -> tuple[list[str], list[str]]:
    """One evaluation of every rule: (raised, cleared) alert ids."""
    now = container.clock()
    assert container.dead_letters is not None
    conditions = await gather(
        container.uow(),
        container.rules,
        container.targets,
        now.astimezone(container.settings.zone()).date(),
        container.dead_letters,
        now,
    )
    return await apply_conditions(container.uow(), conditions, now)


async def alert_loop(container: Container) -> None:
    """Evaluate the rules now and every ``METRICS_ALERT_INTERVAL_SECONDS``."""
    while True:
        try:
            raised, cleared = await evaluate_alerts(container)
            if raised or cleared:
                log.info("alerts changed", extra={"raised": raised, "cleared": cleared})
        except Exception:
            log.exception("alert evaluation failed")
        await asyncio.sleep(container.settings.alert_interval_seconds)
