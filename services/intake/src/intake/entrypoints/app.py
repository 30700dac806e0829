"""The intake ASGI app."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from shared.runtime import create_app as create_service_app

from intake.bootstrap import build
from intake.config import Settings
from intake.entrypoints.http import applications_router, catalogue_router, ops_router


def create_app(settings: Settings | None = None, **overrides: Any) -> FastAPI:
    """Intake's app; stays ready and keeps accepting applications while NATS is down."""
    container = build(settings or Settings(), **overrides)
    return create_service_app(
        container.runtime,
        title="Lotse intake",
        description="One front door for every channel: applications, tickets, concern catalogue.",
        routers=[
            applications_router(container),
            catalogue_router(container),
            ops_router(container),
        ],
        degraded_ok=frozenset({"nats"}),
    )
