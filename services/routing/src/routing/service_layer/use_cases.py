"""Routing's use cases: route a case, look one up, list a team's work."""

from __future__ import annotations

import logging

from shared.messaging.deadletter import PoisonMessage

from routing.adapters.lifecycle_events import queue_changed_event
from routing.adapters.translators import case_routed_event
from routing.domain.case import Case, team_for, work_list
from routing.domain.rules import RuleBook
from routing.domain.triage import triage
from routing.service_layer.appointments import Scheduler, auto_book
from routing.service_layer.commands import RouteCase
from routing.service_layer.office import Office
from routing.service_layer.ports import Clock, UnitOfWork

log = logging.getLogger(__name__)


async def route_case(
    cmd: RouteCase,
    uow: UnitOfWork,
    rules: RuleBook,
    clock: Clock,
    office: Office,
    scheduler: Scheduler | None = None,
) -> Case:
    """Triage, queue with the clock running, announce ``CaseRouted`` (caller commits)."""
    team = team_for(cmd.team)
    await uow.lock_team(team)  # a twin of this case, seats and loads: all read after this
    if (known := await uow.cases.get(cmd.case_id)) is not None:
        return known  # the same case under another event id: routed once, announced once
    holder = await uow.cases.by_ticket(cmd.ticket)
    if holder is not None:
        msg = f"ticket {cmd.ticket} already belongs to case {holder.case_id}"
        raise PoisonMessage(msg)
    decision = triage(cmd.facts, rules, clock.today())
    start = office.local_day(cmd.received_at)
    due = rules.targets.due_on(cmd.facts.concern, start, office.calendar)
    case = Case(
        case_id=cmd.case_id,
        ticket=cmd.ticket,
        concern=cmd.facts.concern,
        team=team,
        priority=decision.priority,
        reasons=decision.reasons,
        rule_version=decision.rule_version,
        language=cmd.language,
        channel=cmd.facts.channel,
        received_at=cmd.received_at,
        routed_at=clock.now(),
        due_on=due,
        target_days=office.calendar.business_days_between(start, due),
    )
    uow.cases.add(case)
    await uow.timers.plan(office.timers_for(case), new=True)
    uow.publish(case_routed_event(case, cmd.correlation_id), queue_changed_event(case, "added"))
    if scheduler is not None and rules.needs_visit(case.concern):
        await auto_book(case, uow, scheduler)
    log.info(
        "case routed",
        extra={"case_id": case.case_id, "team": case.team, "priority": str(case.priority)},
    )
    return case


async def find_case(ticket: str, uow: UnitOfWork) -> Case | None:
    """The case with this ticket number, if routing knows it."""
    return await uow.cases.by_ticket(ticket)


async def team_queue(team: str, uow: UnitOfWork) -> list[Case]:
    """A team's queued cases in the order they should be taken."""
    return work_list(await uow.cases.queued(team))
