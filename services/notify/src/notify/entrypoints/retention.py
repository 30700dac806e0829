"""The retention sweep: survey comments older than the configured period are deleted."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from notify.bootstrap import Container
from notify.service_layer.erasure import purge_survey_comments

log = logging.getLogger(__name__)


async def sweep_once(container: Container) -> int:
    """One pass: delete expired survey comments; returns how many."""
    async with container.uow() as uow:
        purged = await purge_survey_comments(
            uow, container.outbound.clock(), container.settings.survey_comment_retention_days
        )
        await uow.commit()
    return purged


def retention_loop(container: Container) -> Callable[[], Coroutine[Any, Any, None]]:
    """A background loop for ``create_app(background=...)``; a failed pass is retried later."""

    async def survey_comment_retention() -> None:
        while True:
            try:
                await sweep_once(container)
            except Exception:
                log.exception("retention sweep failed; retrying at the next interval")
            await asyncio.sleep(container.settings.retention_sweep_s)

    return survey_comment_retention
