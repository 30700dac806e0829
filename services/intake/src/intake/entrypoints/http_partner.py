"""Partner systems over HTTP: ``POST /v1/events`` with a CloudEvent (both modes)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from shared.http import problem

from intake.bootstrap import Container
from intake.entrypoints.errors import REFUSALS, refused
from intake.entrypoints.forms import BodyTooLargeError, check_length
from intake.entrypoints.http import PROBLEM, receipt_out
from intake.entrypoints.partner import MAX_EVENT_BYTES, PartnerEventError, parse_partner_event
from intake.entrypoints.schemas import ReceiptOut
from intake.service_layer.applications import submit_application


def partner_router(container: Container) -> APIRouter:
    router = APIRouter(prefix="/v1/events", tags=["partner systems"])

    @router.post(
        "",
        status_code=201,
        response_model=ReceiptOut,
        responses={**PROBLEM, 413: PROBLEM[422]},
        summary="Submit an application as a CloudEvent (structured or binary mode)",
    )
    async def post_event(request: Request, response: Response) -> ReceiptOut | JSONResponse:
        try:
            check_length(request, MAX_EVENT_BYTES)
            body = await request.body()
            command, idem = parse_partner_event(request.headers, body, container.secret)
            receipt = await submit_application(command, container.uow(), container.context(), idem)
        except PartnerEventError as exc:
            return problem(422, "invalid CloudEvent", errors=exc.errors)
        except (*REFUSALS, BodyTooLargeError) as exc:
            return refused(exc, documents_field="data.documents")
        return receipt_out(container, receipt, response)

    return router
