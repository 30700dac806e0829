"""The applicant's status: JSON at ``/v1/status/{code}``, HTML at ``/status/{code}``.

The tracking code is a secret: it is only hashed, never logged; unknown and malformed
codes get the same answer after the same work, so the API says nothing about which exist.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from shared.http import IsoDate, problem

from notify.adapters.catalogue import LANGUAGES, NATIVE_NAMES
from notify.bootstrap import Container
from notify.entrypoints.limits import allowed
from notify.service_layer.applicant import request_appointment_change
from notify.service_layer.commands import RequestAppointmentChange
from notify.service_layer.views import MAX_CODE_LENGTH, StatusView, case_status

NOT_FOUND = "no application for this tracking code"
APPOINTMENT_ACTION = "/status/appointment"
Lang = Annotated[str | None, Query(max_length=35, description="language of the page")]


class TimelineItemPublic(BaseModel):
    kind: str
    at: datetime
    text: str


class NotificationPublic(BaseModel):
    kind: str
    channel: str
    at: datetime


class AppointmentPublic(BaseModel):
    starts_at: str
    when: str
    place: str
    pending_change: Literal["cancel", "rebook"] | None = None
    changeable: bool = False


class StatusPublic(BaseModel):
    ticket: str
    concern: str
    language: str
    current_step: str
    next_step: str
    timeline: list[TimelineItemPublic]
    missing_documents: list[str]
    appointment: AppointmentPublic | None
    notifications: list[NotificationPublic]


def _public(view: StatusView) -> StatusPublic:
    data = asdict(view)
    data["missing_documents"] = [key for key, _name in view.missing_documents]
    return StatusPublic.model_validate(data)


def status_router(container: Container) -> APIRouter:
    router = APIRouter(tags=["status"])
    settings, renderer = container.settings, container.renderer

    async def lookup(code: str, lang: str | None) -> StatusView | None:
        async with container.uow() as uow:
            now = container.outbound.clock()
            return await case_status(code, uow, renderer, lang, settings.survey_link, now)

    def too_many(request: Request) -> bool:
        return not allowed(container.limiter, request, "code")

    def languages(path: str) -> list[tuple[str, str, str]]:
        return [(code, NATIVE_NAMES[code], f"{path}?lang={code}") for code in LANGUAGES]

    def html(
        code: str,
        view: StatusView | None,
        lang: str | None,
        path: str,
        reason: str | None = None,
    ) -> HTMLResponse:
        if view is None:
            choice = renderer.choose(lang or "de")
            page = renderer.page("not_found.html.j2", choice, languages=[])
            return HTMLResponse(page, status_code=404)
        page = renderer.page(
            "status.html.j2",
            view.choice,
            view=view,
            tracking_code=code,
            upload_action=f"{settings.intake_url}/v1/applications/{view.ticket}/documents",
            appointment_action=APPOINTMENT_ACTION,
            reason=reason,
            languages=languages(path),
        )
        return HTMLResponse(page, status_code=409 if reason else 200)

    @router.get(
        "/v1/status/{tracking_code}",
        response_model=StatusPublic,
        responses={404: {"description": "unknown or malformed code"}, 429: {}},
        summary="Status of an application in the applicant's language",
    )
    async def get_status(
        tracking_code: str, request: Request, lang: Lang = None
    ) -> Response | StatusPublic:
        if too_many(request):
            return problem(429, "too many requests; try again in a minute")
        view = await lookup(tracking_code, lang)
        if view is None:
            return problem(404, NOT_FOUND, errors=[{"field": "tracking_code", "reason": NOT_FOUND}])
        return _public(view)

    @router.get("/status/{tracking_code}", response_class=HTMLResponse, include_in_schema=False)
    async def status_page(tracking_code: str, request: Request, lang: Lang = None) -> Response:
        if too_many(request):
            return HTMLResponse("429 Too Many Requests", status_code=429)
        view = await lookup(tracking_code, lang)
        return html(tracking_code, view, lang, f"/status/{tracking_code}")

    @router.get("/status", response_class=HTMLResponse, include_in_schema=False)
    async def enter_code(lang: Lang = None) -> HTMLResponse:
        choice = renderer.choose(lang or "de")
        page = renderer.page("enter_code.html.j2", choice, action="/status", languages=[])
        return HTMLResponse(page)

    @router.post("/status", response_class=HTMLResponse, include_in_schema=False)
    async def post_code(
        request: Request, tracking_code: Annotated[str, Form(max_length=200)]
    ) -> Response:
        if too_many(request):
            return HTMLResponse("429 Too Many Requests", status_code=429)
        view = await lookup(tracking_code, None)
        return html(tracking_code, view, None, f"/status/{tracking_code}")

    @router.post(APPOINTMENT_ACTION, response_class=HTMLResponse, include_in_schema=False)
    async def post_appointment_change(
        request: Request,
        tracking_code: Annotated[str, Form(max_length=MAX_CODE_LENGTH)],
        action: Annotated[Literal["cancel", "rebook"], Form()],
        not_before: Annotated[IsoDate | None, Form()] = None,
        lang: Annotated[str | None, Form(max_length=35)] = None,
    ) -> Response:
        """The applicant cancels or asks for a later appointment (the code is the credential)."""
        if too_many(request):
            return HTMLResponse("429 Too Many Requests", status_code=429)
        cmd = RequestAppointmentChange(tracking_code, action, not_before)
        async with container.uow() as uow:
            reason = await request_appointment_change(cmd, uow, container.outbound.clock)
            await uow.commit()
        view = await lookup(tracking_code, lang)
        refused = reason if reason != "not_found" else None
        return html(tracking_code, view, lang, f"/status/{tracking_code}", refused)

    return router
