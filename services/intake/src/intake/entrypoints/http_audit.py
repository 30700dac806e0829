"""The audit log for auditors, and erasure of personal data on request (team lead)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from shared.http import problem

from intake.bootstrap import Container
from intake.domain.ticket import InvalidTicketError, parse_ticket
from intake.entrypoints.case_access import case_for
from intake.entrypoints.errors import REFUSALS, refused
from intake.entrypoints.http import PROBLEM
from intake.entrypoints.identity import AUTH_ERRORS, Role, StaffMember, require
from intake.service_layer.erasure import AlreadyErasedError, erase_personal_data


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    case_ref: str
    reason: str


class AuditVerifyOut(BaseModel):
    ok: bool
    entries: int
    first_broken_id: int | None


class EraseIn(BaseModel):
    reason: str = Field(min_length=3, max_length=500, description="why (e.g. Art. 17 GDPR request)")


class ErasureOut(BaseModel):
    ticket: str
    reason: str
    documents: int
    stream_messages: int


ERRORS = {**PROBLEM, **AUTH_ERRORS, 404: PROBLEM[422], 409: PROBLEM[422]}


def audit_router(container: Container) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["audit and erasure"])

    @router.get(
        "/audit",
        response_model=list[AuditEntryOut],
        responses=ERRORS,
        summary="Auditor: a case's audit trail",
    )
    async def get_audit(
        staff: StaffMember, case: Annotated[str, Query(min_length=1, max_length=64)]
    ) -> list[AuditEntryOut] | JSONResponse:
        require(staff, Role.AUDITOR)
        try:
            ref = parse_ticket(case)
        except InvalidTicketError as exc:
            return refused(exc)
        entries = await container.audit_log.entries(ref)
        return [AuditEntryOut.model_validate(e, from_attributes=True) for e in entries]

    @router.get(
        "/audit/verify",
        response_model=AuditVerifyOut,
        responses=ERRORS,
        summary="Auditor: check the hash chain",
    )
    async def verify(staff: StaffMember) -> AuditVerifyOut:
        require(staff, Role.AUDITOR)
        check = await container.audit_log.verify()
        return AuditVerifyOut(
            ok=check.ok, entries=check.entries, first_broken_id=check.first_broken_id
        )

    @router.post(
        "/applications/{ticket}/erase",
        response_model=ErasureOut,
        responses=ERRORS,
        summary="Team lead: erase the applicant's personal data now (reason required)",
    )
    async def erase(ticket: str, body: EraseIn, staff: StaffMember) -> ErasureOut | JSONResponse:
        try:
            case = await case_for(container, ticket, staff, Role.TEAM_LEAD, Role.HEAD_OF_OFFICE)
            done = await erase_personal_data(
                case.ticket, "request", staff.id, body.reason, container.uow(), container.eraser()
            )
        except AlreadyErasedError:
            return problem(409, "this application's personal data was already erased")
        except REFUSALS as exc:
            return refused(exc)
        return ErasureOut(
            ticket=done.ticket,
            reason=done.reason,
            documents=done.documents,
            stream_messages=done.stream_messages,
        )

    return router
