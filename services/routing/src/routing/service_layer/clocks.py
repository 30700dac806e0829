"""Fire the clock alarms that are due: each exactly once, through the outbox."""

from __future__ import annotations

import logging
from collections.abc import Callable

from routing.adapters.lifecycle_events import alarm_event
from routing.service_layer.ports import Clock, DueTimer
from routing.service_layer.unit_of_work import RoutingUnitOfWork

log = logging.getLogger(__name__)


async def fire_due_alarms(uow_factory: Callable[[], RoutingUnitOfWork], clock: Clock) -> int:
    """Every alarm due by now, each in its own transaction; returns how many this caller fired."""
    async with uow_factory() as uow:
        due = await uow.timers.due(clock.now())
    fired = 0
    for timer in due:
        fired += await _fire(uow_factory(), timer, clock)
    return fired


async def _fire(uow: RoutingUnitOfWork, timer: DueTimer, clock: Clock) -> bool:
    async with uow:
        if not await uow.timers.mark_fired(timer, clock.now()):
            return False  # another replica was first
        case = await uow.cases.get(timer.case_id)
        if case is not None:
            uow.publish(alarm_event(case, timer))
        await uow.commit()
    log.info("clock alarm", extra={"case_id": timer.case_id, "level": timer.level})
    return True
