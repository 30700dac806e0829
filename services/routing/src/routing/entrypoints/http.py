"""Routing's HTTP API: one case by ticket, a team's work list."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response
from shared.http import PROBLEM_JSON, problem

from routing.adapters.tables import CasePublic, QueuePublic
from routing.adapters.translators import case_public, queue_entry
from routing.bootstrap import Container
from routing.service_layer.use_cases import find_case, team_queue

Ticket = Annotated[str, Path(min_length=1, max_length=50, pattern=r"^[A-Za-z0-9-]+$")]
Team = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown ticket", "content": {PROBLEM_JSON: {}}}
}


def router(container: Container) -> APIRouter:
    """``/v1/cases/{ticket}`` and ``/v1/queues/{team}``."""
    api = APIRouter(prefix="/v1", tags=["routing"])

    @api.get("/cases/{ticket}", response_model=CasePublic, responses=NOT_FOUND)
    async def get_case(ticket: Ticket) -> Response | CasePublic:
        """A case's triage decision: team, priority and every reason, by ticket number."""
        async with container.uow() as uow:
            case = await find_case(ticket.upper(), uow)
        if case is None:
            return problem(404, f"no case with ticket {ticket}", errors=[_unknown("ticket")])
        return case_public(case)

    @api.get("/queues/{team}", response_model=QueuePublic)
    async def get_queue(team: Team) -> QueuePublic:
        """A team's work list: urgent > high > normal > low, then oldest first."""
        async with container.uow() as uow:
            cases = await team_queue(team, uow)
        return QueuePublic(team=team, cases=[queue_entry(case) for case in cases])

    return api


def _unknown(field: str) -> dict[str, str]:
    return {"field": field, "reason": "unknown"}
