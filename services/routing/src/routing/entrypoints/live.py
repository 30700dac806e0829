"""Live queues: ``GET /v1/queues/{team}/stream`` (server-sent events) and the caseworker page.

EventSource cannot send headers, so the stream is opened with a short-lived ticket that an
authenticated ``POST /v1/queues/{team}/stream-ticket`` hands out to staff who may read the
team's queue.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import FileResponse, HTMLResponse, Response
from pydantic import BaseModel
from shared.http import PROBLEM_JSON, problem
from sse_starlette import EventSourceResponse

from routing.adapters.stream_tickets import TicketError, WrongTeamError
from routing.bootstrap import Container
from routing.entrypoints.guard import audit_reads
from routing.entrypoints.http import DENIED, Team, queue_view
from routing.entrypoints.identity import CurrentStaff, check_read
from routing.service_layer.use_cases import team_queue

STATIC = Path(__file__).resolve().parent / "static"
CSP = "default-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'"

Snapshot = Callable[[], Awaitable[dict[str, Any]]]
Ticket = Annotated[str | None, Query(max_length=200, description="from POST …/stream-ticket")]
TICKET_REFUSED: dict[int | str, dict[str, Any]] = {
    401: {"description": "No, a forged or an expired ticket", "content": {PROBLEM_JSON: {}}},
    403: {"description": "A ticket for another team", "content": {PROBLEM_JSON: {}}},
}


class StreamTicket(BaseModel):
    """Opens ``GET /v1/queues/{team}/stream?ticket=…`` within ``expires_in`` seconds."""

    ticket: str
    expires_in: int


async def changes(snapshot: Snapshot, interval: float) -> AsyncIterator[dict[str, str]]:
    """Poll the store and emit the whole queue whenever it differs (works across replicas)."""
    last: dict[str, Any] | None = None
    while True:
        current = await snapshot()
        if current != last:
            last = current
            yield {"event": "queue", "data": json.dumps(current, separators=(",", ":"))}
        await asyncio.sleep(interval)


def router(container: Container) -> APIRouter:
    """The SSE stream of a team's queue, the caseworker page and its script."""
    api = APIRouter(tags=["live queues"])

    async def snapshot(team: str) -> dict[str, Any]:
        async with container.uow() as uow:
            cases = await team_queue(team, uow)
        return queue_view(team, cases, container).model_dump(mode="json")

    @api.post("/v1/queues/{team}/stream-ticket", response_model=StreamTicket, responses=DENIED)
    async def stream_ticket(team: Team, who: CurrentStaff) -> StreamTicket:
        """A ticket for the team's live stream (staff who may read the team's queue)."""
        check_read(who, team)
        async with container.uow() as uow:
            cases = await team_queue(team, uow)
        await audit_reads(container, who, "stream_queue", [case.ticket for case in cases])
        tickets = container.tickets
        return StreamTicket(
            ticket=tickets.issue(team, container.clock.now()), expires_in=tickets.ttl_s
        )

    @api.get(
        "/v1/queues/{team}/stream", response_class=EventSourceResponse, responses=TICKET_REFUSED
    )
    async def stream_queue(team: Team, ticket: Ticket = None) -> Response:
        """The team's work list as server-sent events: the full list on every change."""
        try:
            container.tickets.check(ticket, team, container.clock.now())
        except TicketError as exc:
            status = 403 if isinstance(exc, WrongTeamError) else 401
            return problem(status, str(exc), errors=[{"field": "ticket", "reason": str(exc)}])
        interval = container.settings.stream_interval_s
        return EventSourceResponse(changes(lambda: snapshot(team), interval), ping=15)

    @api.get("/caseworker", response_class=HTMLResponse, include_in_schema=False)
    async def caseworker_page() -> FileResponse:
        return _static("caseworker.html", "text/html; charset=utf-8")

    @api.get("/caseworker/{name}", include_in_schema=False)
    async def caseworker_asset(name: str) -> FileResponse:
        types = {"app.js": "text/javascript", "app.css": "text/css"}
        if name not in types:
            raise HTTPException(404, f"no asset {name}")
        return _static(name, f"{types[name]}; charset=utf-8")

    return api


def _static(name: str, media_type: str) -> FileResponse:
    path = STATIC / name
    headers = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"}
    return FileResponse(path, media_type=media_type, headers=headers)
