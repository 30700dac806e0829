"""Use cases: note that a case closed; erase an applicant's personal data (retention, request)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from intake.adapters.events import personal_data_erased
from intake.domain.application import ApplicationSummary
from intake.domain.catalogue import Catalogue
from intake.service_layer.applications import ApplicationNotFoundError
from intake.service_layer.ports import BlobStore, StreamScrubber, UnitOfWork

log = logging.getLogger(__name__)
RETENTION_ACTOR = "system:retention"
DEFAULT_RETENTION_DAYS = 180

Reason = Literal["retention", "request"]


class AlreadyErasedError(LookupError):
    """This case's personal data was erased before."""


@dataclass(frozen=True)
class Eraser:
    """What erasure touches besides the store: the blob store and the streams."""

    blobs: BlobStore
    streams: StreamScrubber
    clock: Callable[[], datetime]


@dataclass(frozen=True)
class Erasure:
    ticket: str
    case_id: str
    reason: Reason
    documents: int
    stream_messages: int


async def record_case_closed(case_id: str, at: datetime, uow: UnitOfWork) -> bool:
    """Remember when routing closed a case: its retention period starts then."""
    async with uow:
        changed = await uow.erasures.mark_closed(case_id, at)
        if changed:
            await uow.commit()
    return changed


async def erase_personal_data(
    ticket: str, reason: Reason, actor: str, why: str, uow: UnitOfWork, eraser: Eraser
) -> Erasure:
    """Erase the applicant's rows, blobs and stream messages; audit it; tell every service.

    Every step can be repeated: when NATS or the store fails midway (503), the same
    request again finishes the job; asked again after that, it is ``AlreadyErasedError``.
    """
    async with uow:
        case = await uow.applications.summary_by_ticket(ticket)
        if case is None:
            raise ApplicationNotFoundError(ticket)
        targets = await uow.erasures.targets(case.case_id)
    if case.erased_at is not None:
        # rows went first time; the last stream pass may not have: repeat it (finds nothing
        # when it did)
        await eraser.streams.scrub(frozenset({case.case_id}), frozenset())
        raise AlreadyErasedError(ticket)
    # blobs and streams first (each step is idempotent): if NATS fails, nothing is marked
    for document_id in targets.document_ids:
        await eraser.blobs.delete(document_id)
    cases = frozenset({case.case_id})
    scrubbed = await eraser.streams.scrub(cases, targets.inbound_key_hashes)
    await _erase_rows(case, reason, actor, why, uow, eraser)
    # a contact event the relay published while we worked is caught by a second pass
    scrubbed += await eraser.streams.scrub(cases, frozenset())
    log.info("personal data erased", extra={"ticket": case.ticket, "reason": reason})
    return Erasure(case.ticket, case.case_id, reason, len(targets.document_ids), scrubbed)


async def _erase_rows(
    case: ApplicationSummary, reason: Reason, actor: str, why: str, uow: UnitOfWork, eraser: Eraser
) -> None:
    async with uow:
        late = await uow.erasures.targets(case.case_id)
        # files added meanwhile go before the rows pointing at them: a failure here leaves
        # the rows, so a repeat still finds them
        for document_id in late.document_ids:
            await eraser.blobs.delete(document_id)
        await uow.erasures.erase(case.case_id, eraser.clock())
        await uow.audit(
            actor=actor, action=f"erase_personal_data:{reason}", case_ref=case.ticket, reason=why
        )
        uow.publish(personal_data_erased(case.case_id, case.ticket, reason))
        await uow.commit()


def retention_days(catalogue: Catalogue, concern: str) -> int:
    found = catalogue.get(concern)
    return DEFAULT_RETENTION_DAYS if found is None else found.retention_days_after_closing


async def erase_expired(
    catalogue: Catalogue, uow_factory: Callable[[], UnitOfWork], eraser: Eraser
) -> list[Erasure]:
    """Erase every closed case whose concern's retention period has run out."""
    async with uow_factory() as uow:
        closed = await uow.erasures.closed_not_erased()
    now, done = eraser.clock(), []
    for case_id, concern, closed_at in closed:
        days = retention_days(catalogue, concern)
        if closed_at + timedelta(days=days) > now:
            continue
        async with uow_factory() as uow:
            case = await uow.applications.summary_by_case(case_id)
        if case is None:
            continue
        why = f"{days} days after closing ({concern})"
        done.append(
            await erase_personal_data(
                case.ticket, "retention", RETENTION_ACTOR, why, uow_factory(), eraser
            )
        )
    return done
