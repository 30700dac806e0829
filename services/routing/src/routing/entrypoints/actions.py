"""``POST /v1/cases/{ticket}/{action}``: caseworker actions, and the rules reload."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from shared.http import PROBLEM_JSON, problem

from routing.adapters.rules_file import RulesFileError
from routing.adapters.tables import CasePublic
from routing.adapters.translators import case_public
from routing.bootstrap import Container
from routing.domain.case import Case
from routing.domain.lifecycle import CaseConflictError
from routing.entrypoints.http import Team, Ticket
from routing.entrypoints.identity import ActingStaff, TeamLead
from routing.service_layer import actions
from routing.service_layer.commands import ActOnCase, DecideCase, ForwardCase, RequestDocuments
from routing.service_layer.unit_of_work import RoutingUnitOfWork

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": {PROBLEM_JSON: {}}}
    for code, text in ((404, "Unknown ticket"), (409, "Not possible now"), (401, "Who?"))
}

REFUSED: dict[int | str, dict[str, Any]] = {
    422: {"description": "Bad rule file, the old rules stay", "content": {PROBLEM_JSON: {}}}
}


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentsBody(_Body):
    documents: list[Key] = Field(min_length=1, max_length=30)
    reply_by: date | None = None


class ForwardBody(_Body):
    team: Team
    reason_code: Key


class RulesVersion(BaseModel):
    version: str


class DecideBody(_Body):
    outcome: Literal["granted", "refused", "withdrawn", "referred"]
    referral: Key | None = None


Use = Callable[[RoutingUnitOfWork], Awaitable[Case]]


def router(container: Container) -> APIRouter:
    """Claim, release, request-documents, forward, decide, close; ``POST /v1/rules/reload``."""
    api = APIRouter(prefix="/v1", tags=["caseworker actions"])

    async def run(use: Use) -> Response | CasePublic:
        try:
            async with container.uow() as uow:
                case = await use(uow)
                await uow.commit()
        except actions.CaseNotFoundError as exc:
            return problem(404, f"no case with ticket {exc}", errors=[_err("ticket", "unknown")])
        except CaseConflictError as exc:
            return problem(409, str(exc), errors=[_err("status", str(exc))])
        return case_public(case)

    for verb in ("claim", "release", "close"):
        _simple(api, verb, run)

    @api.post("/cases/{ticket}/request-documents", response_model=CasePublic, responses=RESPONSES)
    async def request_docs(
        ticket: Ticket, body: DocumentsBody, who: ActingStaff
    ) -> Response | CasePublic:
        """Ask the applicant for documents; the case's clock pauses until they arrive."""
        cmd = RequestDocuments(ticket.upper(), who.id, tuple(body.documents), body.reply_by)
        return await run(lambda uow: actions.request_documents(cmd, uow, container.clock))

    @api.post("/cases/{ticket}/forward", response_model=CasePublic, responses=RESPONSES)
    async def forward(ticket: Ticket, body: ForwardBody, who: ActingStaff) -> Response | CasePublic:
        """Move the case to another team's queue."""
        cmd = ForwardCase(ticket.upper(), who.id, body.team, body.reason_code)
        return await run(lambda uow: actions.forward_case(cmd, uow))

    @api.post("/cases/{ticket}/decide", response_model=CasePublic, responses=RESPONSES)
    async def decide(ticket: Ticket, body: DecideBody, who: ActingStaff) -> Response | CasePublic:
        """Record the decision (granted, refused, withdrawn, referred)."""
        cmd = DecideCase(ticket.upper(), who.id, body.outcome, body.referral)
        return await run(lambda uow: actions.decide_case(cmd, uow, container.clock))

    @api.post("/rules/reload", response_model=RulesVersion, responses=REFUSED)
    async def reload_rules(_who: TeamLead) -> Response | RulesVersion:
        """Reload the priority rules from their file; a bad file is refused, the old rules stay."""
        try:
            book = container.rules_file.reload()
        except RulesFileError as exc:
            kept = container.rules.version
            return problem(422, f"{exc}; rules {kept} stay", errors=[_err("rules", str(exc))])
        return RulesVersion(version=book.version)

    return api


def _simple(api: APIRouter, verb: str, run: Callable[[Use], Awaitable[Any]]) -> None:
    async def endpoint(
        ticket: Ticket, who: ActingStaff, _body: Annotated[dict[str, Any] | None, Body()] = None
    ) -> Response | CasePublic:
        cmd = ActOnCase(ticket.upper(), who.id, verb)
        result: Response | CasePublic = await run(lambda uow: actions.act_on_case(cmd, uow))
        return result

    endpoint.__doc__ = f"{verb.capitalize()} the case (as the staff member in X-Lotse-Staff)."
    api.add_api_route(
        f"/cases/{{ticket}}/{verb}",
        endpoint,
        methods=["POST"],
        response_model=CasePublic,
        responses=RESPONSES,
        name=f"{verb}_case",
    )


def _err(field: str, reason: str) -> dict[str, str]:
    return {"field": field, "reason": reason}
