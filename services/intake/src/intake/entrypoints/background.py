"""What intake runs beside HTTP: SMTP gateway, outbox alarm, catalogue reload, retention."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from shared.messaging.relay import outbox_backlog

from intake.adapters.catalogue_file import CatalogueError, load_catalogue
from intake.bootstrap import Container
from intake.entrypoints.smtp import start_smtp
from intake.service_layer.erasure import erase_expired
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


Loop = Callable[[], Coroutine[Any, Any, None]]


def loops(container: Container, watch: OutboxWatch) -> list[Loop]:
    """The background loops ``create_app`` runs: SMTP gateway, outbox alarm, reload, retention."""
    settings = container.settings

    async def smtp_gateway() -> None:
        server = await start_smtp(container)
        if server is None:
            return
        try:
            await asyncio.Event().wait()
        finally:
            server.close()
            await server.wait_closed()

    async def outbox_alarm() -> None:
        await _every(settings.outbox_check_seconds, lambda: check_outbox(container, watch))

    async def catalogue_reload() -> None:
        await _every(settings.catalogue_reload_seconds, _catalogue_job(container))

    async def retention() -> None:
        await _every(settings.retention_check_seconds, lambda: erase_due(container))

    jobs: list[Loop] = [smtp_gateway]
    for seconds, job in (
        (settings.outbox_check_seconds, outbox_alarm),
        (settings.catalogue_reload_seconds, catalogue_reload),
        (settings.retention_check_seconds, retention),
    ):
        if seconds > 0:
            jobs.append(job)
    return jobs


async def erase_due(container: Container) -> int:
    """One retention round (after NATS is up: the streams are scrubbed too)."""
    if not container.runtime.broker_up.is_set():
        return 0
    done = await erase_expired(container.catalogue, container.uow, container.eraser())
    return len(done)
