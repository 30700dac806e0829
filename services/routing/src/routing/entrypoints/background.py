"""The clock scanner: fires due alarms, picks up a changed rule file, assigns held cases."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from routing.bootstrap import Container
from routing.domain.lifecycle import CaseConflictError
from routing.service_layer.assignment import assign_waiting
from routing.service_layer.clocks import fire_due_alarms

log = logging.getLogger(__name__)


async def scan_once(container: Container) -> None:
    """One pass: reload a changed rule file (a bad one refused), fire alarms, assign held cases."""
    if (refused := container.rules_file.reload_if_changed()) is not None:
        log.warning("rule file refused, old rules stay", extra={"reason": refused})
    await fire_due_alarms(container.uow, container.clock)
    for team in sorted({w.team for w in container.office_setup.roster}):
        async with container.uow() as uow:
            try:
                await assign_waiting(team, uow, container.office_setup, container.clock)
                await uow.commit()
            except CaseConflictError:
                continue  # another replica assigned meanwhile; the next pass sees it


def scanner(container: Container) -> Callable[[], Coroutine[Any, Any, None]]:
    """The loop ``create_app(background=...)`` runs while the app does."""

    async def routing_clock() -> None:
        while True:
            try:
                await scan_once(container)
            except Exception:  # the next pass retries; the timers are durable
                log.exception("clock scan failed")
            await asyncio.sleep(container.settings.timer_interval_s)

    return routing_clock
