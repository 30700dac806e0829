"""The clock scanner: fires due alarms and picks up a changed rule file, in the app's lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from routing.bootstrap import Container
from routing.service_layer.clocks import fire_due_alarms

log = logging.getLogger(__name__)


async def scan_once(container: Container) -> None:
    """One pass: reload the rule file if it changed (keeping the old rules if bad), fire alarms."""
    if (refused := container.rules_file.reload_if_changed()) is not None:
        log.warning("rule file refused, old rules stay", extra={"reason": refused})
    await fire_due_alarms(container.uow, container.clock)


async def run_scanner(container: Container, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            await scan_once(container)
        except Exception:  # the next pass retries; the timers are durable
            log.exception("clock scan failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), container.settings.timer_interval_s)


def with_scanner(app: FastAPI, container: Container) -> FastAPI:
    """Wrap the app's lifespan so the scanner runs while the app does."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[None]:
        async with inner(app_):
            stop = asyncio.Event()
            task = asyncio.create_task(run_scanner(container, stop), name="routing-clock")
            try:
                yield
            finally:
                stop.set()
                await task

    app.router.lifespan_context = lifespan
    return app
