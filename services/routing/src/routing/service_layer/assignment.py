"""Capacity-aware assignment: waiting cases go to caseworkers with room, else they hold."""

from __future__ import annotations

import logging

from routing.adapters.lifecycle_events import queue_changed_event, simple_action_event
from routing.adapters.office_file import OfficeSetup
from routing.domain import lifecycle
from routing.domain.assignment import open_load, plan
from routing.domain.case import Case
from routing.domain.lifecycle import CaseConflictError
from routing.service_layer.ports import Clock, UnitOfWork

log = logging.getLogger(__name__)


async def assign_waiting(
    team: str, uow: UnitOfWork, setup: OfficeSetup, clock: Clock
) -> list[Case]:
    """Hand the team's waiting cases to the best fitting caseworkers with capacity (caller commits).

    Teams without a roster claim by hand; a case another replica took meanwhile is skipped.
    """
    roster = setup.team_roster(team)
    if not roster:
        return []
    await uow.lock_team(team)  # loads read below stay true until commit, on every replica
    cases = await uow.cases.open_for(team)
    assigned: list[Case] = []
    for case, worker in plan(cases, roster, open_load(cases), clock.today()):
        claimed = lifecycle.claim(case, worker.id)
        try:
            await uow.cases.save(claimed)
        except CaseConflictError:
            continue
        uow.publish(simple_action_event("claim", claimed, worker.id))
        uow.publish(queue_changed_event(claimed, "claimed"))
        assigned.append(claimed)
    if assigned:
        log.info("cases assigned", extra={"team": team, "count": len(assigned)})
    return assigned
