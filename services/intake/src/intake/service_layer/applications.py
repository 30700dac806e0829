"""Use cases: submit an application, look one up by ticket."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from intake.adapters.events import applicant_contact_recorded, application_received
from intake.domain.application import (
    Application,
    ApplicationSummary,
    check_documents,
    resolve_concern,
)
from intake.domain.catalogue import Catalogue
from intake.domain.ticket import new_ticket
from intake.domain.tracking import derived_tracking_code, new_tracking_code, sha256_hex
from intake.service_layer.commands import IdempotencyKey, SubmitApplication
from intake.service_layer.ports import CommitConflictError, IdempotentRequest, UnitOfWork

log = logging.getLogger(__name__)
TICKET_ATTEMPTS = 5


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


@dataclass(frozen=True)
class Context:
    """Catalogue, clock and id makers: real ones from bootstrap, fixed ones in tests."""

    catalogue: Catalogue
    clock: Callable[[], datetime]
    new_ticket: Callable[[], str] = new_ticket
    new_case_id: Callable[[], str] = lambda: str(uuid.uuid4())


async def submit_application(
    cmd: SubmitApplication, uow: UnitOfWork, ctx: Context, idem: IdempotencyKey | None = None
) -> Receipt:
    """Accept an application: store it and stage its events in one transaction."""
    try:
        return await _submit(cmd, uow, ctx, idem)
    except CommitConflictError:
        if idem is None:
            raise
        # a twin request with the same key committed first: answer as it did
        return await _submit(cmd, uow, ctx, idem)


async def _submit(
    cmd: SubmitApplication, uow: UnitOfWork, ctx: Context, idem: IdempotencyKey | None
) -> Receipt:
    async with uow:
        if idem is not None and (earlier := await _replay(uow, idem)) is not None:
            return earlier
        application = await _new_application(cmd, uow, ctx)
        tracking_code = (
            new_tracking_code()
            if idem is None
            else derived_tracking_code(idem.key, application.case_id)
        )
        await uow.applications.add(application, sha256_hex(tracking_code))
        if idem is not None:
            request = IdempotentRequest(
                sha256_hex(idem.key), idem.request_hash, application.case_id
            )
            uow.applications.remember_request(request, application)
        uow.publish(
            application_received(application),
            applicant_contact_recorded(application, tracking_code),
        )
        await uow.commit()
    log.info(
        "application received",
        extra={"ticket": application.ticket, "case_id": application.case_id},
    )
    return Receipt(
        application.ticket, tracking_code, application.case_id, application.missing_documents
    )


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


async def _new_application(cmd: SubmitApplication, uow: UnitOfWork, ctx: Context) -> Application:
    concern = resolve_concern(ctx.catalogue, cmd.concern)
    documents = check_documents(ctx.catalogue, cmd.documents)
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
