"""What intake runs beside HTTP: SMTP gateway, outbox alarm, catalogue hot reload."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from shared.messaging.relay import outbox_backlog

from intake.adapters.catalogue_file import CatalogueError, load_catalogue
from intake.bootstrap import Container
from intake.entrypoints.smtp import start_smtp
from intake.service_layer.outbox_watch import OutboxWatch

log = logging.getLogger(__name__)


async def check_outbox(container: Container, watch: OutboxWatch) -> bool:
    backlog = await outbox_backlog(container.runtime.sessions)
    return await watch.check(backlog.pending, backlog.oldest_age_seconds(), container.uow())


def reload_catalogue(container: Container) -> str | None:
    """Load the catalogue file again; on error keep the old one and return the reason."""
    try:
        container.catalogue = load_catalogue(container.catalogue_path())
    except CatalogueError as exc:
        log.error("catalogue not reloaded; the previous one stays in force: %s", exc)
        return str(exc)
    return None


async def _every(seconds: float, job: Callable[[], Awaitable[Any]]) -> None:
    while True:
        await asyncio.sleep(seconds)
        try:
            await job()
        except Exception:  # a failed round must not end the loop
            log.exception("background job failed")


def _mtime(container: Container) -> float:
    with contextlib.suppress(OSError):
        return container.catalogue_path().stat().st_mtime
    return 0.0


def _catalogue_job(container: Container) -> Callable[[], Awaitable[None]]:
    seen = _mtime(container)

    async def job() -> None:
        nonlocal seen
        current = _mtime(container)
        if current != seen:
            seen = current
            reload_catalogue(container)

    return job


def with_background(app: FastAPI, container: Container, watch: OutboxWatch) -> FastAPI:
    """Wrap the shared lifespan: start the extras after it, stop them before it ends."""
    inner = app.router.lifespan_context
    settings = container.settings

    @asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[Any]:
        async with inner(app_) as state:
            server = await start_smtp(container)
            tasks = []
            if settings.outbox_check_seconds > 0:
                job = lambda: check_outbox(container, watch)  # noqa: E731
                tasks.append(asyncio.create_task(_every(settings.outbox_check_seconds, job)))
            if settings.catalogue_reload_seconds > 0:
                reload = _catalogue_job(container)
                tasks.append(asyncio.create_task(_every(settings.catalogue_reload_seconds, reload)))
            try:
                yield state
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                if server is not None:
                    server.close()
                    await server.wait_closed()

    app.router.lifespan_context = lifespan
    return app
