"""Survey pages, applicant preferences and the operator's list of failed notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from shared.http import problem

from notify.bootstrap import Container
from notify.entrypoints.audit_http import audited_reads
from notify.entrypoints.identity import Staff, operator
from notify.entrypoints.limits import allowed
from notify.service_layer.applicant import answer_survey, set_preferences
from notify.service_layer.commands import AnswerSurvey, SetPreferences
from notify.service_layer.views import MAX_CODE_LENGTH

ChannelName = Literal["email", "sms", "status_page"]


MAX_COMMENT = 2000
SurveyId = Annotated[str, Path(max_length=36)]
TOO_MANY = "too many requests; try again in a minute"


class PreferencesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channels: list[ChannelName] | None = Field(
        default=None, max_length=3, description="None = every channel"
    )
    language: str | None = Field(default=None, max_length=35)
    essential_only: bool = Field(False, description="opt out of non-essential messages")


class FailurePublic(BaseModel):
    case_id: str
    kind: str
    channel: str
    reason: str
    at: datetime


def applicant_router(container: Container) -> APIRouter:
    router = APIRouter()
    renderer = container.renderer

    def survey_page(survey_id: str, lang: str | None, state: str, status: int = 200) -> Response:
        choice = renderer.choose(lang or "de")
        page = renderer.page(
            "survey.html.j2", choice, state=state, action=f"/survey/{survey_id}", languages=[]
        )
        return HTMLResponse(page, status_code=status)

    @router.get("/survey/{survey_id}", response_class=HTMLResponse, include_in_schema=False)
    async def get_survey(
        survey_id: SurveyId, lang: Annotated[str | None, Query(max_length=35)] = None
    ) -> Response:
        return survey_page(survey_id, lang, "form")

    @router.post("/survey/{survey_id}", response_class=HTMLResponse, include_in_schema=False)
    async def post_survey(
        request: Request,
        survey_id: SurveyId,
        score: Annotated[int, Form(ge=1, le=5)],
        comment: Annotated[str, Form(max_length=MAX_COMMENT)] = "",
        language: Annotated[str, Form(max_length=35)] = "de",
    ) -> Response:
        if not allowed(container.limiter, request, "survey"):
            return HTMLResponse(TOO_MANY, status_code=429)
        cmd = AnswerSurvey(survey_id, score, comment, renderer.choose(language).language)
        async with container.uow() as uow:
            accepted = await answer_survey(cmd, uow, container.outbound)
            await uow.commit()
        return survey_page(
            survey_id, language, "thanks" if accepted else "gone", 200 if accepted else 404
        )

    @router.put(
        "/v1/preferences/{tracking_code}",
        status_code=204,
        tags=["preferences"],
        responses={404: {"description": "unknown code"}, 413: {}, 429: {}},
    )
    async def put_preferences(
        request: Request, tracking_code: str, body: PreferencesIn
    ) -> Response:
        """Channel, language and opt-out of non-essential messages (same 404 for any bad code)."""
        if not allowed(container.limiter, request, "code"):
            return problem(429, TOO_MANY)
        language = renderer.choose(body.language).language if body.language else None
        channels = tuple(body.channels) if body.channels is not None else None
        cmd = SetPreferences(tracking_code, channels, language, body.essential_only)
        async with container.uow() as uow:
            found = len(tracking_code) <= MAX_CODE_LENGTH and await set_preferences(cmd, uow)
            await uow.commit()
        if not found:
            reason = "no application for this tracking code"
            return problem(404, reason, errors=[{"field": "tracking_code", "reason": reason}])
        return Response(status_code=204)

    @router.get(
        "/v1/operator/failures",
        response_model=list[FailurePublic],
        tags=["operator"],
        responses={401: {}, 403: {}},
    )
    async def failures(
        who: Annotated[Staff, Depends(operator)],
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> list[FailurePublic]:
        """Notifications given up on, newest first; no addresses (operations staff, team lead)."""
        async with container.uow() as uow:
            rows = await uow.cases.failures(limit)
        cases = sorted({case_id for case_id, _note in rows})
        await audited_reads(container.runtime.sessions, who.id, "list_failed_notifications", cases)
        return [
            FailurePublic(
                case_id=c, kind=n.kind, channel=n.channel, reason=n.reason, at=n.created_at
            )
            for c, n in rows
        ]

    return router
