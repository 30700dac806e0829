"""Use cases: follow-up documents with the tracking code, and staff fetching an attachment."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from intake.adapters.events import documents_added
from intake.domain.application import ApplicationSummary, UnknownDocumentError, check_documents
from intake.domain.attachments import OTHER, AttachmentError, StoredAttachment
from intake.domain.tracking import sha256_hex
from intake.service_layer.applications import ApplicationNotFoundError
from intake.service_layer.commands import AddDocuments
from intake.service_layer.context import (
    Context,
    discard_uploads,
    outcome_unknown,
    store_uploads,
)
from intake.service_layer.ports import UnitOfWork

log = logging.getLogger(__name__)


class WrongTrackingCodeError(PermissionError):
    """The tracking code does not belong to this ticket."""


class DocumentNotFoundError(LookupError):
    pass


@dataclass(frozen=True)
class DocumentsReceipt:
    ticket: str
    documents: list[StoredAttachment]
    missing_documents: list[str]


async def add_documents(cmd: AddDocuments, uow: UnitOfWork, ctx: Context) -> DocumentsReceipt:
    """Store the applicant's follow-up files on their case and emit documents-added."""
    if not cmd.uploads:
        raise AttachmentError("documents", "attach at least one file")
    known = ctx.catalogue.document_keys() | {OTHER}
    for index, upload in enumerate(cmd.uploads):
        if upload.kind not in known:
            raise UnknownDocumentError(index, upload.kind)
    async with uow:
        case = await uow.applications.summary_by_ticket(cmd.ticket)
        if case is None:
            raise ApplicationNotFoundError(cmd.ticket)
        if not await uow.applications.holds_tracking_code(
            case.case_id, sha256_hex(cmd.tracking_code)
        ):
            raise WrongTrackingCodeError(cmd.ticket)
        stored = await store_uploads(cmd.uploads, ctx)
        try:
            missing = await _attach(case, stored, cmd.channel, uow, ctx)
        except BaseException as exc:
            if not outcome_unknown(exc):  # not attached: the files must not stay behind
                await discard_uploads(stored, ctx)
            raise
    log.info("documents added", extra={"ticket": case.ticket, "count": len(stored)})
    return DocumentsReceipt(case.ticket, stored, missing)


async def _attach(
    case: ApplicationSummary,
    stored: list[StoredAttachment],
    channel: str,
    uow: UnitOfWork,
    ctx: Context,
) -> list[str]:
    """Record the stored files on the case and announce them, in one commit."""
    kinds = [a.kind for a in stored if a.kind != OTHER]
    submitted = list(check_documents(ctx.catalogue, [*case.submitted_documents, *kinds]))
    concern = ctx.catalogue.get(case.concern)
    missing = (
        list(case.missing_documents) if concern is None else concern.missing_documents(submitted)
    )
    await uow.applications.add_documents(
        case.case_id, stored, channel, ctx.clock(), submitted, missing
    )
    uow.publish(documents_added(case.case_id, case.ticket, stored, missing, channel))
    await uow.commit()
    return missing


async def list_documents(ticket: str, uow: UnitOfWork) -> list[StoredAttachment]:
    """The attachments of a case, for staff."""
    async with uow:
        case = await uow.applications.summary_by_ticket(ticket)
        if case is None:
            raise ApplicationNotFoundError(ticket)
        return await uow.applications.documents(case.case_id)


async def fetch_document(
    ticket: str, document_id: str, uow: UnitOfWork, ctx: Context
) -> tuple[StoredAttachment, bytes]:
    """One attachment's metadata and bytes (checked against its sha256)."""
    found = [d for d in await list_documents(ticket, uow) if d.document_id == document_id]
    if not found:
        raise DocumentNotFoundError(document_id)
    data = await ctx.blobs.get(document_id)
    if data is None or sha256_hex_bytes(data) != found[0].sha256:
        msg = "the stored file is missing or damaged"
        raise DocumentNotFoundError(msg)
    return found[0], data


def sha256_hex_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
