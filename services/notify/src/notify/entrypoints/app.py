"""The ASGI app of notify: ``create_app(settings)``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from shared.runtime import create_app as create_runtime_app

from notify.bootstrap import build
from notify.config import Settings
from notify.entrypoints import subscribers
from notify.entrypoints.applicant_http import applicant_router
from notify.entrypoints.audit_http import audit_router
from notify.entrypoints.http import status_router
from notify.entrypoints.limits import BodyLimit
from notify.entrypoints.retention import retention_loop

DESCRIPTION = (
    "Tells applicants about their case in their language (German is legally binding): "
    "every meaningful step on the status page, by e-mail and SMS; survey; preferences."
)


def create_app(settings: Settings, **overrides: Any) -> FastAPI:
    container = build(settings, **overrides)
    subscribers.register(container)
    app = create_runtime_app(
        container.runtime,
        title="Lotse notify",
        description=DESCRIPTION,
        routers=[status_router(container), applicant_router(container), audit_router(container)],
        background=[retention_loop(container)],
    )
    app.add_middleware(BodyLimit, max_bytes=container.settings.max_body_bytes)
    app.state.container = container
    return app
