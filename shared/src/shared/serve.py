"""Run a service's ASGI app under uvicorn with Lotse's logging."""

from __future__ import annotations

from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from shared.settings import ServiceSettings
from shared.telemetry import configure_logging


def serve(settings: ServiceSettings, factory: Callable[[ServiceSettings], FastAPI]) -> None:
    """Configure JSON logs and serve ``factory(settings)`` on the configured host and port."""
    configure_logging(settings.service, settings.log_level)
    app = factory(settings)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        loop="uvloop",
        http="httptools",
        timeout_graceful_shutdown=10,
    )
