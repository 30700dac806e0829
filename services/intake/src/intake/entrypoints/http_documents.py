"""Follow-up documents (applicant, with the tracking code) and attachments for staff."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse, Response

from intake.bootstrap import Container
from intake.domain.attachments import AttachmentError
from intake.domain.ticket import parse_ticket
from intake.entrypoints import forms
from intake.entrypoints.case_access import read_case
from intake.entrypoints.errors import REFUSALS, refused
from intake.entrypoints.http import PROBLEM
from intake.entrypoints.identity import AUTH_ERRORS, StaffMember
from intake.entrypoints.schemas import AttachmentOut, DocumentsReceiptOut
from intake.service_layer.commands import AddDocuments
from intake.service_layer.documents import add_documents, fetch_document, list_documents

TrackingHeader = Annotated[str | None, Header(alias="X-Tracking-Code", max_length=64)]
ERRORS = {**PROBLEM, **AUTH_ERRORS, 404: PROBLEM[422], 413: PROBLEM[422]}


def documents_router(container: Container) -> APIRouter:
    router = APIRouter(prefix="/v1/applications/{ticket}/documents", tags=["documents"])

    @router.post(
        "",
        status_code=201,
        response_model=DocumentsReceiptOut,
        responses=ERRORS,
        summary="Upload missing documents (multipart documents.<kind>) with the tracking code",
    )
    async def post_documents(
        ticket: str, request: Request, tracking_code: TrackingHeader = None
    ) -> DocumentsReceiptOut | JSONResponse:
        try:
            cmd = await _command(ticket, request, tracking_code, container)
            receipt = await add_documents(cmd, container.uow(), container.context())
        except REFUSALS as exc:
            return refused(exc)
        return DocumentsReceiptOut(
            ticket=receipt.ticket,
            documents=[AttachmentOut.of(d) for d in receipt.documents],
            missing_documents=receipt.missing_documents,
        )

    @router.get(
        "",
        response_model=list[AttachmentOut],
        responses=ERRORS,
        summary="Staff: the attachments of a case",
    )
    async def get_documents(ticket: str, staff: StaffMember) -> list[AttachmentOut] | JSONResponse:
        try:
            case = await read_case(container, ticket, staff, "list_documents")
            found = await list_documents(case.ticket, container.uow())
        except REFUSALS as exc:
            return refused(exc)
        return [AttachmentOut.of(d) for d in found]

    @router.get(
        "/{document_id}",
        responses={200: {"content": {"application/pdf": {}}}, **ERRORS},
        summary="Staff: download one attachment",
    )
    async def get_document(ticket: str, document_id: str, staff: StaffMember) -> Response:
        try:
            case = await read_case(container, ticket, staff, f"download_document:{document_id}")
            meta, data = await fetch_document(
                case.ticket, document_id, container.uow(), container.context()
            )
        except REFUSALS as exc:
            return refused(exc)
        headers = {
            "Content-Disposition": f'attachment; filename="{meta.kind}-{meta.document_id}"',
            "Digest": f"sha-256={meta.sha256}",
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        }
        return Response(data, media_type=meta.content_type, headers=headers)

    return router


async def _command(
    ticket: str, request: Request, header_code: str | None, container: Container
) -> AddDocuments:
    if not forms.is_multipart(request):
        raise AttachmentError("documents", "send multipart/form-data with files")
    fields, uploads = await forms.read_multipart(request, container.context().limits, None)
    code = header_code or fields.get("tracking_code")
    if not code:
        raise AttachmentError("tracking_code", "X-Tracking-Code header or tracking_code field")
    return AddDocuments(parse_ticket(ticket), code, tuple(uploads))
