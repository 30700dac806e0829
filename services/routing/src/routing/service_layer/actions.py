"""Caseworker actions: each a guarded transition, stored on its version, announced by events."""

from __future__ import annotations

import logging

from shared.contracts import CaseDecided, CaseForwarded, DocumentsRequested
from shared.contracts.routing.v1 import CaseDecidedData, CaseForwardedData, DocumentsRequestedData

from routing.adapters.lifecycle_events import (
    action_data,
    case_resumed_event,
    queue_changed_event,
    simple_action_event,
)
from routing.domain import lifecycle
from routing.domain.case import Case, CaseStatus
from routing.service_layer.commands import (
    ActOnCase,
    DecideCase,
    ForwardCase,
    RequestDocuments,
    ResumeCase,
)
from routing.service_layer.office import Office
from routing.service_layer.ports import Clock, UnitOfWork

log = logging.getLogger(__name__)


class CaseNotFoundError(LookupError):
    """No case with that ticket (HTTP 404)."""


async def _load(uow: UnitOfWork, ticket: str) -> Case:
    case = await uow.cases.by_ticket(ticket)
    if case is None:
        raise CaseNotFoundError(ticket)
    return case


async def _store(uow: UnitOfWork, case: Case, action: str) -> None:
    await uow.cases.save(case)
    log.info("case %s", action, extra={"case_id": case.case_id, "team": case.team})


async def act_on_case(cmd: ActOnCase, uow: UnitOfWork) -> Case:
    """Claim, release or close; the loser of a race gets ``CaseConflictError``."""
    before = await _load(uow, cmd.ticket)
    if cmd.action == "claim":
        case, change = lifecycle.claim(before, cmd.actor), "claimed"
    elif cmd.action == "release":
        case, change = lifecycle.release(before, cmd.actor), "released"
    else:
        case, change = lifecycle.close(before), None
    await _store(uow, case, cmd.action)
    uow.publish(simple_action_event(cmd.action, case, cmd.actor))
    if change:
        uow.publish(queue_changed_event(case, change))  # type: ignore[arg-type]
    return case


async def request_documents(cmd: RequestDocuments, uow: UnitOfWork, clock: Clock) -> Case:
    """The case waits for the applicant (clock paused, alarms off); notify asks them."""
    case = lifecycle.request_documents(await _load(uow, cmd.ticket), cmd.actor, clock.today())
    await _store(uow, case, "waiting")
    await uow.timers.cancel(case.case_id)
    data = DocumentsRequestedData(
        **action_data(case, cmd.actor),
        documents=list(cmd.documents),
        language=case.language,
        concern=case.concern,
        reply_by=cmd.reply_by.isoformat() if cmd.reply_by else None,
    )
    event = DocumentsRequested.build(subject=case.case_id, data=data, correlation_id=case.case_id)
    uow.publish(event, queue_changed_event(case, "removed"))
    return case


async def resume_case(cmd: ResumeCase, uow: UnitOfWork, clock: Clock, office: Office) -> None:
    """Documents arrived: a waiting case runs again with its due date moved; others ignore it."""
    before = await uow.cases.get(cmd.case_id)
    if before is None or before.status is not CaseStatus.WAITING:
        return
    await uow.lock_team(before.team)  # before the write: a lock holder may need this row
    case, paused = lifecycle.resume(before, clock.today(), office.calendar)
    await _store(uow, case, "resumed")
    await uow.timers.plan(office.timers_for(case))
    resumed = case_resumed_event(case, paused, cmd.correlation_id)
    uow.publish(resumed, queue_changed_event(case, "added"))


async def forward_case(cmd: ForwardCase, uow: UnitOfWork) -> Case:
    """Into another team's queue (its clock keeps running)."""
    before = await _load(uow, cmd.ticket)
    case = lifecycle.forward(before, cmd.team)
    await _store(uow, case, "forwarded")
    data = CaseForwardedData(
        **action_data(case, cmd.actor), from_team=before.team, reason_code=cmd.reason_code
    )
    event = CaseForwarded.build(subject=case.case_id, data=data, correlation_id=case.case_id)
    uow.publish(event, queue_changed_event(before, "removed"), queue_changed_event(case, "added"))
    return case


async def decide_case(cmd: DecideCase, uow: UnitOfWork, clock: Clock) -> Case:
    """The decision; the clock stops and its alarms are dropped."""
    case = lifecycle.decide(await _load(uow, cmd.ticket), cmd.actor, cmd.outcome)
    await _store(uow, case, "decided")
    await uow.timers.cancel(case.case_id)
    data = CaseDecidedData(
        **action_data(case, cmd.actor),
        outcome=cmd.outcome,  # type: ignore[arg-type]
        concern=case.concern,
        language=case.language,
        referral=cmd.referral,
        within_target=clock.today() <= case.due_on if case.due_on else None,
    )
    event = CaseDecided.build(subject=case.case_id, data=data, correlation_id=case.case_id)
    uow.publish(event, queue_changed_event(case, "removed"))
    return case
