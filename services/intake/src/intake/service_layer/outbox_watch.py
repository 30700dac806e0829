"""The operator's alarm: an event when the outbox backlog passes a threshold (once per episode)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from intake.adapters.events import outbox_backlog_exceeded
from intake.service_layer.ports import UnitOfWork

log = logging.getLogger(__name__)


@dataclass
class OutboxWatch:
    threshold_pending: int
    threshold_age_seconds: float
    alerting: bool = False

    def exceeded(self, pending: int, oldest_age_seconds: float) -> bool:
        return pending >= self.threshold_pending or oldest_age_seconds >= self.threshold_age_seconds

    async def check(self, pending: int, oldest_age_seconds: float, uow: UnitOfWork) -> bool:
        """Raise the alert event when the backlog first passes a threshold; True if raised."""
        if not self.exceeded(pending, oldest_age_seconds):
            self.alerting = False
            return False
        if self.alerting:
            return False
        event = outbox_backlog_exceeded(
            pending, oldest_age_seconds, self.threshold_pending, self.threshold_age_seconds
        )
        async with uow:
            uow.publish(event)
            await uow.commit()
        self.alerting = True
        log.warning(
            "outbox backlog over threshold",
            extra={"pending": pending, "oldest_age_seconds": round(oldest_age_seconds, 1)},
        )
        return True
