"""Metrics' ASGI app factory."""

from __future__ import annotations

from fastapi import FastAPI
from shared.runtime import create_app as create_service_app

from metrics.bootstrap import Container, build
from metrics.config import Settings
from metrics.entrypoints import http, subscribers
from metrics.service_layer.projection import open_unrouted


def create_app(settings: Settings, **overrides: object) -> FastAPI:
    """The metrics service: projection of four event types, KPI API, operations."""
    return app_for(build(settings, **overrides))  # type: ignore[arg-type]


def app_for(container: Container) -> FastAPI:
    subscribers.register(container)

    async def restore_gauge() -> None:
        container.instruments.open_unrouted.set(await open_unrouted(container.uow()))

    return create_service_app(
        container.runtime,
        title="Lotse metrics",
        description="KPIs from the event stream: aggregates only, no personal data.",
        routers=[http.router(container)],
        on_startup=[restore_gauge],
    )
