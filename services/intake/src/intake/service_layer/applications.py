"""Use cases: submit an application (or join an open case), look one up by ticket."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime

from shared.contracts import ApplicantContactRecorded
from shared.contracts.intake.v1 import DocumentsAdded
from shared.store import is_transient

from intake.adapters.events import (
    applicant_contact_recorded,
    application_joined_case,
    application_received,
    documents_added,
)
from intake.domain.application import (
    Application,
    ApplicationSummary,
    UnknownDocumentError,
    check_documents,
    checklist_kinds,
    resolve_concern,
)
from intake.domain.attachments import OTHER, StoredAttachment
from intake.domain.duplicates import duplicate_key
from intake.domain.tracking import derived_tracking_code, new_tracking_code, sha256_hex
from intake.service_layer.commands import IdempotencyKey, SubmitApplication
from intake.service_layer.context import (
    Context,
    discard_uploads,
    outcome_unknown,
    store_uploads,
)
from intake.service_layer.ports import CommitConflictError, IdempotentRequest, Joined, UnitOfWork

log = logging.getLogger(__name__)
TICKET_ATTEMPTS = 5
COMMIT_ATTEMPTS = 4

__all__ = [
    "Context",
    "Receipt",
    "Submission",
    "get_application",
    "submit_application",
    "submit_applications",
]


class IdempotencyKeyReusedError(ValueError):
    """The same ``Idempotency-Key`` came with a different request."""


class ApplicationNotFoundError(LookupError):
    pass


@dataclass(frozen=True)
class Receipt:
    ticket: str
    tracking_code: str
    case_id: str
    missing_documents: list[str]
    replayed: bool = False
    joined: bool = False


async def submit_application(
    cmd: SubmitApplication, uow: UnitOfWork, ctx: Context, idem: IdempotencyKey | None = None
) -> Receipt:
    """Accept an application: store it and stage its events in one transaction."""
    _check(cmd, ctx)
    attachments = await store_uploads(cmd.uploads, ctx)
    try:
        receipt = await _submit_retrying(cmd, uow, ctx, idem, attachments)
    except BaseException as exc:
        # not accepted (store locked, ...): its files must not stay behind. If the store's
        # connection broke, the commit may have happened: keeping an orphan beats losing one.
        if not outcome_unknown(exc):
            await discard_uploads(attachments, ctx)
        raise
    if receipt.replayed:
        await discard_uploads(attachments, ctx)  # the first request's files are the ones kept
    return receipt


@dataclass(frozen=True)
class Submission:
    """One application of a batch; ``traced`` opens the context its events are staged in."""

    cmd: SubmitApplication
    idem: IdempotencyKey | None
    traced: Callable[[], AbstractContextManager[object]] = nullcontext


async def submit_applications(
    batch: Sequence[Submission], open_uow: Callable[[], UnitOfWork], ctx: Context
) -> list[Receipt | Exception]:
    """Accept a batch of applications in one transaction if it can; one result each.

    A submission refused on its own merits (unknown concern, ...) gets that error and the
    rest go on. If the shared transaction fails for one of them (a twin committed first on
    another replica, a ticket or the audit chain head taken), nothing of it was kept and
    each submission is made on its own, as ``submit_application`` with its retries would.
    If the store itself failed (busy, locked, connection lost), each gets that error to
    answer as it would alone (503, or a retry from the broker): where the connection broke,
    the commit may have happened, and a submission without an idempotency key must not be
    stored twice. Submissions with uploads always go on their own (files are stored first).
    """
    results: list[Receipt | Exception | None] = []
    for item in batch:
        try:
            _check(item.cmd, ctx)
            results.append(None)
        except Exception as error:
            results.append(error)
    shared = [i for i, r in enumerate(results) if r is None and not batch[i].cmd.uploads]
    if len(shared) > 1:
        try:
            receipts = await _in_one_transaction([batch[i] for i in shared], open_uow(), ctx)
        except Exception as error:
            if is_transient(error) or outcome_unknown(error):
                for i in shared:
                    results[i] = error
            else:
                log.info(
                    "batch of applications failed as a whole; submitting one by one",
                    extra={"applications": len(shared), "error": type(error).__name__},
                )
        else:
            for i, receipt in zip(shared, receipts, strict=True):
                results[i] = receipt
    out: list[Receipt | Exception] = []
    for item, result in zip(batch, results, strict=True):
        if result is None:
            try:
                with item.traced():
                    result = await submit_application(item.cmd, open_uow(), ctx, item.idem)
            except Exception as error:
                result = error
        out.append(result)
    return out


async def _in_one_transaction(
    batch: Sequence[Submission], uow: UnitOfWork, ctx: Context
) -> list[Receipt]:
    receipts: list[Receipt] = []
    async with uow:
        for item in batch:
            with item.traced():
                receipts.append(await _stage(item.cmd, uow, ctx, item.idem, []))
        await uow.commit()
    for receipt in receipts:
        _log_accepted(receipt)
    return receipts


def _check(cmd: SubmitApplication, ctx: Context) -> None:
    """Refuse what the catalogue does not know, before anything is stored."""
    resolve_concern(ctx.catalogue, cmd.concern)
    check_documents(ctx.catalogue, cmd.documents)
    _check_upload_kinds(cmd, ctx)


async def _submit_retrying(
    cmd: SubmitApplication,
    uow: UnitOfWork,
    ctx: Context,
    idem: IdempotencyKey | None,
    attachments: list[StoredAttachment],
) -> Receipt:
    for attempt in range(COMMIT_ATTEMPTS):
        try:
            return await _submit(cmd, uow, ctx, idem, attachments)
        except CommitConflictError:
            # a twin request with the same key committed first (answer as it did), or
            # another writer took the ticket or the audit chain head: nothing was stored
            if attempt == COMMIT_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _check_upload_kinds(cmd: SubmitApplication, ctx: Context) -> None:
    known = ctx.catalogue.document_keys() | {OTHER}
    for index, upload in enumerate(cmd.uploads):
        if upload.kind not in known:
            raise UnknownDocumentError(index, upload.kind)


async def _submit(
    cmd: SubmitApplication,
    uow: UnitOfWork,
    ctx: Context,
    idem: IdempotencyKey | None,
    attachments: list[StoredAttachment],
) -> Receipt:
    async with uow:
        receipt = await _stage(cmd, uow, ctx, idem, attachments)
        if not receipt.replayed:
            await uow.commit()
    _log_accepted(receipt)
    return receipt


async def _stage(
    cmd: SubmitApplication,
    uow: UnitOfWork,
    ctx: Context,
    idem: IdempotencyKey | None,
    attachments: list[StoredAttachment],
) -> Receipt:
    """Store the application (or join it to an open case) in ``uow``; the caller commits."""
    if idem is not None and (earlier := await _replay(uow, idem)) is not None:
        return earlier
    application = await _new_application(cmd, uow, ctx, attachments)
    if application.duplicate_key is not None:
        since = application.received_at - ctx.duplicate_window
        open_case = await uow.applications.open_case(application.duplicate_key, since)
        if open_case is not None:
            return await _join(application, open_case, uow, ctx, idem)
    code = _tracking_code(idem, application.case_id)
    await uow.applications.add(application, sha256_hex(code))
    _remember(uow, idem, application.case_id, application.received_at)
    uow.publish(
        application_received(application),
        _contact(application, application.case_id, application.ticket, code),
    )
    if attachments:
        uow.publish(_added(application, application.case_id, application.ticket))
    await _audit_staff(uow, cmd, application.ticket)
    return Receipt(application.ticket, code, application.case_id, application.missing_documents)


def _log_accepted(receipt: Receipt) -> None:
    if receipt.joined:
        log.info("submission joined an open case", extra={"ticket": receipt.ticket})
    elif not receipt.replayed:
        log.info("application received", extra={"ticket": receipt.ticket})


async def _join(
    app: Application,
    case: ApplicationSummary,
    uow: UnitOfWork,
    ctx: Context,
    idem: IdempotencyKey | None,
) -> Receipt:
    """Link the submission to the open case; the person gets a code for that case."""
    code = _tracking_code(idem, case.case_id)
    submission = Joined(app.case_id, case.case_id, app.channel, app.received_at, sha256_hex(code))
    uow.applications.add_joined(submission)
    _remember(uow, idem, case.case_id, app.received_at)
    submitted = list(dict.fromkeys([*case.submitted_documents, *app.submitted_documents]))
    missing = app.concern.missing_documents(submitted)
    if app.attachments:
        await uow.applications.add_documents(
            case.case_id, app.attachments, app.channel, app.received_at, submitted, missing
        )
        uow.publish(_added(app, case.case_id, case.ticket, missing))
    uow.publish(
        application_joined_case(case.case_id, case.ticket, app.channel, app.language, app.case_id),
        _contact(app, case.case_id, case.ticket, code),
    )
    await _audit_staff(uow, app, case.ticket)
    return Receipt(case.ticket, code, case.case_id, missing, joined=True)


async def _audit_staff(
    uow: UnitOfWork, source: SubmitApplication | Application, ticket: str
) -> None:
    """A counter or phone desk recording an application is a staff change of the case."""
    if source.staff_id is not None:
        action = f"record_application:{source.channel}"
        await uow.audit(actor=source.staff_id, action=action, case_ref=ticket)


def _tracking_code(idem: IdempotencyKey | None, case_id: str) -> str:
    return new_tracking_code() if idem is None else derived_tracking_code(idem.key, case_id)


def _remember(uow: UnitOfWork, idem: IdempotencyKey | None, case_id: str, at: datetime) -> None:
    if idem is not None:
        request = IdempotentRequest(sha256_hex(idem.key), idem.request_hash, case_id)
        uow.applications.remember_request(request, at)


def _contact(app: Application, case_id: str, ticket: str, code: str) -> ApplicantContactRecorded:
    return applicant_contact_recorded(case_id, ticket, app.language, app.applicant, code)


def _added(
    app: Application, case_id: str, ticket: str, missing: list[str] | None = None
) -> DocumentsAdded:
    missing = app.missing_documents if missing is None else missing
    return documents_added(case_id, ticket, app.attachments, missing, app.channel)


async def _replay(uow: UnitOfWork, idem: IdempotencyKey) -> Receipt | None:
    earlier = await uow.applications.idempotent_request(sha256_hex(idem.key))
    if earlier is None:
        return None
    if earlier.request_hash != idem.request_hash:
        msg = "this Idempotency-Key was used for a different request"
        raise IdempotencyKeyReusedError(msg)
    summary = await uow.applications.summary_by_case(earlier.case_id)
    assert summary is not None, "idempotency record without its application"
    code = derived_tracking_code(idem.key, summary.case_id)
    return Receipt(
        summary.ticket, code, summary.case_id, list(summary.missing_documents), replayed=True
    )


async def _new_application(
    cmd: SubmitApplication, uow: UnitOfWork, ctx: Context, attachments: list[StoredAttachment]
) -> Application:
    concern = resolve_concern(ctx.catalogue, cmd.concern)
    documents = check_documents(ctx.catalogue, checklist_kinds(cmd.documents, attachments))
    return Application(
        case_id=ctx.new_case_id(),
        ticket=await _free_ticket(uow, ctx),
        concern=concern,
        channel=cmd.channel,
        language=cmd.language,
        received_at=ctx.clock(),
        applicant=cmd.applicant,
        submitted_documents=documents,
        permit_expires_on=cmd.permit_expires_on,
        travel_date=cmd.travel_date,
        urgency_reason=cmd.urgency_reason,
        message=cmd.message,
        attachments=tuple(attachments),
        vulnerability_flags=cmd.vulnerability_flags,
        staff_id=cmd.staff_id,
        duplicate_key=duplicate_key(ctx.secret, cmd.applicant, concern.key),
    )


async def _free_ticket(uow: UnitOfWork, ctx: Context) -> str:
    """A ticket not yet given out (collisions are rare: 2^40 possible tickets)."""
    for _ in range(TICKET_ATTEMPTS):
        ticket = ctx.new_ticket()
        if not await uow.applications.ticket_taken(ticket):
            return ticket
    msg = "could not find a free ticket number"
    raise RuntimeError(msg)


async def get_application(ticket: str, uow: UnitOfWork) -> ApplicationSummary:
    """The staff view of one application by its (canonical) ticket number."""
    async with uow:
        summary = await uow.applications.summary_by_ticket(ticket)
    if summary is None:
        raise ApplicationNotFoundError(ticket)
    return summary
