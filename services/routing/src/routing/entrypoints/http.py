"""Routing's HTTP API: one case by ticket, a team's work list."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response
from shared.http import PROBLEM_JSON, problem

from routing.adapters.tables import CasePublic, QueuePublic
from routing.adapters.translators import case_public, queue_entry
from routing.bootstrap import Container
from routing.domain.case import Case, CaseStatus
from routing.entrypoints.guard import audit_reads
from routing.entrypoints.identity import CurrentStaff, check_read
from routing.service_layer.use_cases import find_case, team_queue

Ticket = Annotated[str, Path(min_length=1, max_length=50, pattern=r"^[A-Za-z0-9-]+$")]
Team = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": {PROBLEM_JSON: {}}}
    for code, text in (
        (401, "Who? (no staff identity)"),
        (403, "Not allowed for this role or team"),
        (404, "Unknown ticket"),
    )
}
DENIED: dict[int | str, dict[str, Any]] = {code: NOT_FOUND[code] for code in (401, 403)}


def router(container: Container) -> APIRouter:
    """``/v1/cases/{ticket}`` and ``/v1/queues/{team}``."""
    api = APIRouter(prefix="/v1", tags=["routing"])

    @api.get("/cases/{ticket}", response_model=CasePublic, responses=NOT_FOUND)
    async def get_case(ticket: Ticket, who: CurrentStaff) -> Response | CasePublic:
        """A case's triage decision: team, priority and every reason, by ticket number."""
        async with container.uow() as uow:
            case = await find_case(ticket.upper(), uow)
        if case is None:
            return problem(404, f"no case with ticket {ticket}", errors=[_unknown("ticket")])
        check_read(who, case.team)
        await audit_reads(container, who, "read_case", [case.ticket])
        return case_public(case)

    @api.get("/queues/{team}", response_model=QueuePublic, responses=DENIED)
    async def get_queue(team: Team, who: CurrentStaff) -> QueuePublic:
        """A team's work list: urgent > high > normal > low, oldest first; plus the hold queue."""
        check_read(who, team)
        async with container.uow() as uow:
            cases = await team_queue(team, uow)
        await audit_reads(container, who, "read_queue", [case.ticket for case in cases])
        return queue_view(team, cases, container)

    return api


def _unknown(field: str) -> dict[str, str]:
    return {"field": field, "reason": "unknown"}


def queue_view(team: str, cases: list[Case], container: Container) -> QueuePublic:
    """The work list; with a roster, unassigned queued cases are the hold queue."""
    rostered = bool(container.office_setup.team_roster(team))
    hold = [c.ticket for c in cases if rostered and c.status is CaseStatus.QUEUED]
    return QueuePublic(team=team, cases=[queue_entry(case) for case in cases], hold=hold)
