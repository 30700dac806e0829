"""The applicant's status: JSON at ``/v1/status/{code}``, HTML at ``/status/{code}``.

The tracking code is a secret: it is only hashed, never logged; unknown and malformed
codes get the same answer, so the API says nothing about which codes exist.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from shared.http import problem

from notify.bootstrap import Container
from notify.service_layer.views import StatusView, case_status

NOT_FOUND = "no application for this tracking code"


class TimelineItemPublic(BaseModel):
    kind: str
    at: datetime
    text: str


class NotificationPublic(BaseModel):
    kind: str
    channel: str
    at: datetime


class StatusPublic(BaseModel):
    ticket: str
    language: str
    current_step: str
    timeline: list[TimelineItemPublic]
    missing_documents: list[str]
    notifications: list[NotificationPublic]


def _public(view: StatusView) -> StatusPublic:
    return StatusPublic.model_validate(view, from_attributes=True)


def status_router(container: Container) -> APIRouter:
    router = APIRouter(tags=["status"])

    async def lookup(code: str) -> StatusView | None:
        async with container.uow() as uow:
            return await case_status(code, uow, container.renderer)

    @router.get(
        "/v1/status/{tracking_code}",
        response_model=StatusPublic,
        responses={404: {"description": "unknown or malformed code (RFC 9457 problem)"}},
        summary="Status of an application in the applicant's language",
    )
    async def get_status(tracking_code: str) -> Response | StatusPublic:
        view = await lookup(tracking_code)
        if view is None:
            return problem(404, NOT_FOUND, errors=[{"field": "tracking_code", "reason": NOT_FOUND}])
        return _public(view)

    @router.get("/status/{tracking_code}", response_class=HTMLResponse, include_in_schema=False)
    async def status_page(tracking_code: str) -> HTMLResponse:
        view = await lookup(tracking_code)
        if view is None:
            return HTMLResponse(container.renderer.not_found_page(), status_code=404)
        return HTMLResponse(container.renderer.status_page(view))

    return router
