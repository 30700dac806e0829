"""``POST /v1/cases/{ticket}/{action}``: caseworker actions, and the rules reload."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from shared.auth import OPERATIONS_CHANGE, Role, Staff, require
from shared.http import PROBLEM_JSON, IsoDate, problem

from routing.adapters.rules_file import RulesFileError
from routing.adapters.tables import CasePublic
from routing.adapters.translators import case_public
from routing.bootstrap import Container
from routing.domain.case import Case
from routing.entrypoints.guard import change
from routing.entrypoints.http import Team, Ticket
from routing.entrypoints.identity import CurrentStaff
from routing.service_layer import actions
from routing.service_layer.commands import ActOnCase, DecideCase, ForwardCase, RequestDocuments
from routing.service_layer.unit_of_work import RoutingUnitOfWork

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": {PROBLEM_JSON: {}}}
    for code, text in (
        (401, "Who? (no staff identity)"),
        (403, "Not allowed for this role or team"),
        (404, "Unknown ticket"),
        (409, "Not possible now"),
    )
}

REFUSED: dict[int | str, dict[str, Any]] = {
    422: {"description": "Bad rule file, the old rules stay", "content": {PROBLEM_JSON: {}}}
}


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentsBody(_Body):
    documents: list[Key] = Field(min_length=1, max_length=30)
    reply_by: IsoDate | None = None


class ForwardBody(_Body):
    team: Team
    reason_code: Key


class RulesVersion(BaseModel):
    version: str


class DecideBody(_Body):
    outcome: Literal["granted", "refused", "withdrawn", "referred"]
    referral: Key | None = None


Use = Callable[[RoutingUnitOfWork, Case], Awaitable[Case]]


def router(container: Container) -> APIRouter:
    """Claim, release, request-documents, forward, decide, close; ``POST /v1/rules/reload``."""
    api = APIRouter(prefix="/v1", tags=["caseworker actions"])

    async def run(staff: Staff, ticket: str, action: str, use: Use) -> Response | CasePublic:
        result = await change(container, staff, ticket.upper(), action, use)
        return result if isinstance(result, Response) else case_public(result)

    for verb in ("claim", "release", "close"):
        _simple(api, verb, run)

    @api.post("/cases/{ticket}/request-documents", response_model=CasePublic, responses=RESPONSES)
    async def request_docs(
        ticket: Ticket, body: DocumentsBody, who: CurrentStaff
    ) -> Response | CasePublic:
        """Ask the applicant for documents; the case's clock pauses until they arrive."""
        cmd = RequestDocuments(ticket.upper(), who.id, tuple(body.documents), body.reply_by)
        use: Use = lambda uow, _: actions.request_documents(cmd, uow, container.clock)  # noqa: E731
        return await run(who, ticket, "request_documents", use)

    @api.post("/cases/{ticket}/forward", response_model=CasePublic, responses=RESPONSES)
    async def forward(
        ticket: Ticket, body: ForwardBody, who: CurrentStaff
    ) -> Response | CasePublic:
        """Move the case to another team's queue."""
        cmd = ForwardCase(ticket.upper(), who.id, body.team, body.reason_code)
        return await run(who, ticket, "forward", lambda uow, _: actions.forward_case(cmd, uow))

    @api.post("/cases/{ticket}/decide", response_model=CasePublic, responses=RESPONSES)
    async def decide(ticket: Ticket, body: DecideBody, who: CurrentStaff) -> Response | CasePublic:
        """Record the decision (granted, refused, withdrawn, referred)."""
        cmd = DecideCase(ticket.upper(), who.id, body.outcome, body.referral)
        use: Use = lambda uow, _: actions.decide_case(cmd, uow, container.clock)  # noqa: E731
        return await run(who, ticket, "decide", use)

    @api.post("/rules/reload", response_model=RulesVersion, responses=REFUSED)
    async def reload_rules(who: CurrentStaff) -> Response | RulesVersion:
        """Reload the priority rules (team lead, head of office, operator); bad file: old stay."""
        require(who, Role.TEAM_LEAD, *OPERATIONS_CHANGE)
        try:
            book = container.rules_file.reload()
        except RulesFileError as exc:
            kept = container.rules.version
            return problem(422, f"{exc}; rules {kept} stay", errors=[_err("rules", str(exc))])
        return RulesVersion(version=book.version)

    return api


Run = Callable[[Staff, str, str, "Use"], Awaitable[Any]]


def _simple(api: APIRouter, verb: str, run: Run) -> None:
    async def endpoint(
        ticket: Ticket, who: CurrentStaff, _body: Annotated[dict[str, Any] | None, Body()] = None
    ) -> Response | CasePublic:
        cmd = ActOnCase(ticket.upper(), who.id, verb)
        result: Response | CasePublic = await run(
            who, ticket, verb, lambda uow, _: actions.act_on_case(cmd, uow)
        )
        return result

    endpoint.__doc__ = f"{verb.capitalize()} the case (caseworker, team lead or head of office)."
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
