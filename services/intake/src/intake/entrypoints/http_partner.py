"""Partner systems over HTTP: ``POST /v1/events`` with a CloudEvent (both modes), API key."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from shared.http import problem

from intake.bootstrap import Container
from intake.entrypoints.errors import REFUSALS, refused
from intake.entrypoints.forms import BodyTooLargeError, check_length
from intake.entrypoints.http import PROBLEM, receipt_out
from intake.entrypoints.identity import AUTH_ERRORS, Partner, PartnerCaller
from intake.entrypoints.partner import (
    MAX_EVENT_BYTES,
    PartnerEvent,
    PartnerEventError,
    parse_partner_event,
)
from intake.entrypoints.schemas import ReceiptOut
from intake.service_layer.applications import submit_application


def _forbidden(partner: Partner, event: PartnerEvent) -> JSONResponse | None:
    """403 unless this partner may submit for the event's source and concern."""
    if partner.may_submit(event.source, event.command.concern):
        return None
    source_ok = "*" in partner.sources or event.source in partner.sources
    field = "data.concern" if source_ok else "source"
    reason = f"this API key may not submit for this {field.removeprefix('data.')}"
    return problem(403, reason, errors=[{"field": field, "reason": reason}])


def partner_router(container: Container) -> APIRouter:
    router = APIRouter(prefix="/v1/events", tags=["partner systems"])

    @router.post(
        "",
        status_code=201,
        response_model=ReceiptOut,
        responses={**PROBLEM, **AUTH_ERRORS, 413: PROBLEM[422]},
        summary="Submit an application as a CloudEvent (structured or binary mode; X-API-Key)",
    )
    async def post_event(
        request: Request, response: Response, partner: PartnerCaller
    ) -> ReceiptOut | JSONResponse:
        try:
            check_length(request, MAX_EVENT_BYTES)
            event = parse_partner_event(request.headers, await request.body(), container.secret)
            if (denied := _forbidden(partner, event)) is not None:
                return denied
            receipt = await submit_application(
                event.command, container.uow(), container.context(), event.idem
            )
        except PartnerEventError as exc:
            return problem(422, "invalid CloudEvent", errors=exc.errors)
        except (*REFUSALS, BodyTooLargeError) as exc:
            return refused(exc, documents_field="data.documents")
        return receipt_out(container, receipt, response)

    return router
