"""Routing's ASGI app factory."""

from __future__ import annotations

from fastapi import FastAPI
from shared.runtime import create_app as create_service_app

from routing.bootstrap import Container, build
from routing.config import Settings
from routing.entrypoints import actions, appointments, audit, http, identity, live, subscribers
from routing.entrypoints.background import scanner


def create_app(settings: Settings, **overrides: object) -> FastAPI:
    """The routing service: consumer of ``ApplicationReceived``, HTTP API, operations."""
    return app_for(build(settings, **overrides))  # type: ignore[arg-type]


def app_for(container: Container) -> FastAPI:
    subscribers.register(container)
    app = create_service_app(
        container.runtime,
        title="Lotse routing",
        description="Explainable priority triage, legal clocks, live team work lists, "
        "capacity-aware assignment and appointments.",
        routers=[
            http.router(container),
            actions.router(container),
            appointments.router(container),
            audit.router(container),
            live.router(container),
        ],
        background=[scanner(container)],
    )
    identity.install(app.state, container.authenticator)
    return app
