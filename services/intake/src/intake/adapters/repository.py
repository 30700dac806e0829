"""SQL repository of applications (``SqlApplicationRepository``)."""

from __future__ import annotations

from shared.contracts.envelope import as_utc
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from intake.adapters.tables import (
    ApplicantDetails,
    ApplicationRow,
    IdempotencyRecord,
)
from intake.domain.application import Application, ApplicationSummary
from intake.service_layer.ports import IdempotentRequest


class SqlApplicationRepository:
    """Applications in intake's store; personal data written to its own table."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, application: Application, tracking_code_hash: str) -> None:
        self._session.add(_row(application, tracking_code_hash))
        # no ORM relationships, so the flush order must be forced for the foreign keys
        await self._session.flush()
        self._session.add(_details(application))

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

    def remember_request(self, request: IdempotentRequest, application: Application) -> None:
        self._session.add(
            IdempotencyRecord(
                key_hash=request.key_hash,
                request_hash=request.request_hash,
                case_id=request.case_id,
                created_at=application.received_at,
            )
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
    )
