"""Live queues: ``GET /v1/queues/{team}/stream`` (server-sent events) and the caseworker page."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse
from sse_starlette import EventSourceResponse

from routing.bootstrap import Container
from routing.entrypoints.http import Team, queue_view
from routing.service_layer.use_cases import team_queue

STATIC = Path(__file__).resolve().parent / "static"
CSP = "default-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'"

Snapshot = Callable[[], Awaitable[dict[str, Any]]]


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

    @api.get("/v1/queues/{team}/stream", response_class=EventSourceResponse)
    async def stream_queue(team: Team) -> EventSourceResponse:
        """The team's work list as server-sent events: the full list on every change."""
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
