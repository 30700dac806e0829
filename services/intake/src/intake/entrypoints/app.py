"""The intake ASGI app."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from shared.runtime import create_app as create_service_app

from intake.bootstrap import build
from intake.config import Settings
from intake.entrypoints import subscribers
from intake.entrypoints.background import loops
from intake.entrypoints.http import applications_router, catalogue_router, document_read_models
from intake.entrypoints.http_audit import audit_router
from intake.entrypoints.http_documents import documents_router
from intake.entrypoints.http_ops import ops_router
from intake.entrypoints.http_partner import partner_router
from intake.entrypoints.http_staff import staff_router
from intake.entrypoints.schemas import ApplicationIn
from intake.service_layer.outbox_watch import OutboxWatch


def create_app(settings: Settings | None = None, **overrides: Any) -> FastAPI:
    """Intake's app; stays ready and keeps accepting applications while NATS is down."""
    container = build(settings or Settings(), **overrides)
    subscribers.register(container)
    s = container.settings
    watch = OutboxWatch(s.outbox_alert_pending, s.outbox_alert_age_seconds)
    app = create_service_app(
        container.runtime,
        title="Lotse intake",
        description="One front door for every channel: applications, tickets, concern catalogue.",
        routers=[
            applications_router(container),
            documents_router(container),
            staff_router(container),
            partner_router(container),
            catalogue_router(container),
            ops_router(container, watch),
            audit_router(container),
        ],
        degraded_ok=frozenset({"nats"}),
        background=loops(container, watch),
    )
    document_read_models(app, ApplicationIn)
    app.state.container = container
    return app
