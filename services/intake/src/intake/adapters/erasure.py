"""SQL side of retention and erasure: closed cases, what to erase, and erasing it."""

from __future__ import annotations

from datetime import datetime

import orjson
from shared.contracts import ApplicantContactRecorded
from shared.contracts.envelope import as_utc
from shared.messaging.tables import OutboxMessage
from shared.subjects import Namespace
from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from intake.adapters.tables import (
    ApplicantDetails,
    ApplicationRow,
    DocumentRow,
    IdempotencyRecord,
    JoinedSubmission,
)
from intake.service_layer.ports import ErasureTargets


class SqlErasureRepository:
    """Finds personal data of a case in intake's store and removes it."""

    def __init__(self, session: AsyncSession, ns: Namespace) -> None:
        self._session = session
        self._contact_subject = ns.subject(ApplicantContactRecorded)

    async def mark_closed(self, case_id: str, at: datetime) -> bool:
        row = await self._session.get(ApplicationRow, case_id)
        if row is None or row.closed_at is not None:
            return False
        row.closed_at = at
        self._session.add(row)
        return True

    async def closed_not_erased(self) -> list[tuple[str, str, datetime]]:
        """(case id, concern, closed at) of closed cases whose data is still held."""
        rows = await self._session.exec(
            select(ApplicationRow.case_id, ApplicationRow.concern, ApplicationRow.closed_at)
            .where(col(ApplicationRow.closed_at).is_not(None))
            .where(col(ApplicationRow.erased_at).is_(None))
        )
        return [(c, k, as_utc(at)) for c, k, at in rows.all() if at is not None]

    async def targets(self, case_id: str) -> ErasureTargets:
        documents = await self._session.exec(
            select(DocumentRow.document_id).where(DocumentRow.case_id == case_id)
        )
        keys = await self._session.exec(
            select(IdempotencyRecord.key_hash).where(IdempotencyRecord.case_id == case_id)
        )
        return ErasureTargets(frozenset(documents.all()), frozenset(keys.all()))

    async def erase(self, case_id: str, at: datetime) -> None:
        """Delete the applicant's rows; keep the pseudonymous facts, marked erased."""
        for table in (ApplicantDetails, DocumentRow, JoinedSubmission, IdempotencyRecord):
            await self._session.execute(delete(table).where(col(table.case_id) == case_id))
        await self._erase_outbox(case_id)
        row = await self._session.get(ApplicationRow, case_id)
        if row is not None:
            row.duplicate_key = None
            row.erased_at = at
            self._session.add(row)

    async def _erase_outbox(self, case_id: str) -> None:
        rows = await self._session.exec(
            select(OutboxMessage).where(OutboxMessage.subject == self._contact_subject)
        )
        for row in rows.all():
            if _case_of(row.payload) == case_id:
                await self._session.delete(row)


def _case_of(payload: bytes) -> str | None:
    try:
        data = orjson.loads(payload).get("data") or {}
    except (orjson.JSONDecodeError, AttributeError):
        return None
    case_id = data.get("case_id") if isinstance(data, dict) else None
    return case_id if isinstance(case_id, str) else None
