"""SQL repository of applications (``SqlApplicationRepository``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from shared.contracts.envelope import as_utc
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from intake.adapters.tables import (
    ApplicantDetails,
    ApplicationRow,
    DocumentRow,
    IdempotencyRecord,
    JoinedSubmission,
)
from intake.domain.application import Application, ApplicationSummary
from intake.domain.attachments import StoredAttachment
from intake.service_layer.ports import IdempotentRequest, Joined


class SqlApplicationRepository:
    """Applications in intake's store; personal data written to its own table."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, application: Application, tracking_code_hash: str) -> None:
        self._session.add(_row(application, tracking_code_hash))
        # no ORM relationships, so the flush order must be forced for the foreign keys
        await self._session.flush()
        self._session.add(_details(application))
        for attachment in application.attachments:
            self._session.add(
                _document(
                    attachment, application.case_id, application.channel, application.received_at
                )
            )

    async def ticket_taken(self, ticket: str) -> bool:
        found = await self._session.exec(
            select(ApplicationRow.case_id).where(ApplicationRow.ticket == ticket)
        )
        return found.first() is not None

    async def summary_by_ticket(self, ticket: str) -> ApplicationSummary | None:
        result = await self._session.exec(
            select(ApplicationRow).where(ApplicationRow.ticket == ticket)
        )
        row = result.first()
        return None if row is None else _summary(row)

    async def summary_by_case(self, case_id: str) -> ApplicationSummary | None:
        row = await self._session.get(ApplicationRow, case_id)
        return None if row is None else _summary(row)

    async def idempotent_request(self, key_hash: str) -> IdempotentRequest | None:
        record = await self._session.get(IdempotencyRecord, key_hash)
        if record is None:
            return None
        return IdempotentRequest(record.key_hash, record.request_hash, record.case_id)

    def remember_request(self, request: IdempotentRequest, at: datetime) -> None:
        self._session.add(
            IdempotencyRecord(
                key_hash=request.key_hash,
                request_hash=request.request_hash,
                case_id=request.case_id,
                created_at=at,
            )
        )

    async def open_case(self, duplicate_key: str, since: datetime) -> ApplicationSummary | None:
        result = await self._session.exec(
            select(ApplicationRow)
            .where(ApplicationRow.duplicate_key == duplicate_key)
            .where(ApplicationRow.received_at >= since)
            .order_by(col(ApplicationRow.received_at).desc())
        )
        row = result.first()
        return None if row is None else _summary(row)

    def add_joined(self, joined: Joined) -> None:
        self._session.add(JoinedSubmission(**joined.__dict__))

    async def holds_tracking_code(self, case_id: str, code_hash: str) -> bool:
        row = await self._session.get(ApplicationRow, case_id)
        if row is not None and row.tracking_code_hash == code_hash:
            return True
        found = await self._session.exec(
            select(JoinedSubmission.submission_id)
            .where(JoinedSubmission.case_id == case_id)
            .where(JoinedSubmission.tracking_code_hash == code_hash)
        )
        return found.first() is not None

    async def add_documents(
        self,
        case_id: str,
        attachments: Sequence[StoredAttachment],
        channel: str,
        at: datetime,
        submitted: Sequence[str],
        missing: Sequence[str],
    ) -> None:
        row = await self._session.get(ApplicationRow, case_id)
        assert row is not None, "documents for an unknown case"
        row.submitted_documents = list(submitted)
        row.missing_documents = list(missing)
        self._session.add(row)
        for attachment in attachments:
            self._session.add(_document(attachment, case_id, channel, at))

    async def documents(self, case_id: str) -> list[StoredAttachment]:
        result = await self._session.exec(
            select(DocumentRow)
            .where(DocumentRow.case_id == case_id)
            .order_by(col(DocumentRow.added_at), col(DocumentRow.document_id))
        )
        return [
            StoredAttachment(r.document_id, r.kind, r.sha256, r.size, r.content_type)
            for r in result.all()
        ]


def _document(
    attachment: StoredAttachment, case_id: str, channel: str, at: datetime
) -> DocumentRow:
    return DocumentRow(
        document_id=attachment.document_id,
        case_id=case_id,
        kind=attachment.kind,
        sha256=attachment.sha256,
        size=attachment.size,
        content_type=attachment.content_type,
        channel=channel,
        added_at=at,
    )


def _row(app: Application, tracking_code_hash: str) -> ApplicationRow:
    return ApplicationRow(
        case_id=app.case_id,
        ticket=app.ticket,
        concern=app.concern.key,
        channel=app.channel,
        language=app.language,
        received_at=app.received_at,
        missing_documents=app.missing_documents,
        submitted_documents=list(app.submitted_documents),
        permit_expires_on=app.permit_expires_on,
        travel_date=app.travel_date,
        urgent_travel=app.urgent_travel,
        walk_in=app.walk_in,
        tracking_code_hash=tracking_code_hash,
        vulnerability_flags=list(app.vulnerability_flags),
        staff_id=app.staff_id,
        duplicate_key=app.duplicate_key,
    )


def _details(app: Application) -> ApplicantDetails:
    person = app.applicant
    return ApplicantDetails(
        case_id=app.case_id,
        family_name=person.family_name,
        given_name=person.given_name,
        date_of_birth=person.date_of_birth,
        nationality=person.nationality,
        email=person.email,
        phone=person.phone,
        postal_address=person.postal_address,
        urgency_reason=app.urgency_reason,
        message=app.message,
    )


def _summary(row: ApplicationRow) -> ApplicationSummary:
    return ApplicationSummary(
        ticket=row.ticket,
        case_id=row.case_id,
        concern=row.concern,
        channel=row.channel,
        language=row.language,
        received_at=as_utc(row.received_at),
        missing_documents=tuple(row.missing_documents),
        submitted_documents=tuple(row.submitted_documents or ()),
        vulnerability_flags=tuple(row.vulnerability_flags or ()),
        staff_id=row.staff_id,
        closed_at=None if row.closed_at is None else as_utc(row.closed_at),
        erased_at=None if row.erased_at is None else as_utc(row.erased_at),
    )
