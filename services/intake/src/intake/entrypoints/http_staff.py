"""Staff channels: a walk-in at the counter, a callback request taken on the phone."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from intake.bootstrap import Container
from intake.entrypoints.errors import REFUSALS, refused
from intake.entrypoints.http import PROBLEM, receipt_out
from intake.entrypoints.identity import AUTH_ERRORS, Role, StaffMember, require
from intake.entrypoints.schemas import ReceiptOut, StaffApplicationIn
from intake.service_layer.applications import submit_application

ERRORS = {**PROBLEM, **AUTH_ERRORS}


def staff_router(container: Container) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["staff channels"])

    async def record(
        body: StaffApplicationIn, channel: str, staff: StaffMember, response: Response
    ) -> ReceiptOut | JSONResponse:
        require(staff, Role.SERVICE_POINT)
        command = body.to_staff_command(channel, staff.id)
        try:
            receipt = await submit_application(command, container.uow(), container.context())
        except REFUSALS as exc:
            return refused(exc)
        return receipt_out(container, receipt, response)

    @router.post(
        "/counter/applications",
        status_code=201,
        response_model=ReceiptOut,
        responses=ERRORS,
        summary="Service point: record a walk-in, checklist ticked at the desk",
    )
    async def post_counter(
        body: StaffApplicationIn, staff: StaffMember, response: Response
    ) -> ReceiptOut | JSONResponse:
        return await record(body, "counter", staff, response)

    @router.post(
        "/phone/applications",
        status_code=201,
        response_model=ReceiptOut,
        responses=ERRORS,
        summary="Phone: record a call or callback request (put the callback note in message)",
    )
    async def post_phone(
        body: StaffApplicationIn, staff: StaffMember, response: Response
    ) -> ReceiptOut | JSONResponse:
        return await record(body, "phone", staff, response)

    return router
