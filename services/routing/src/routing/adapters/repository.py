"""Cases in the service's SQL store."""

from __future__ import annotations

from shared.contracts.envelope import as_utc
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from routing.adapters.tables import CaseRecord
from routing.domain.case import Case, CaseStatus
from routing.domain.priority import Priority


class SqlCaseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, case_id: str) -> Case | None:
        record = await self.session.get(CaseRecord, case_id)
        return to_case(record) if record is not None else None

    async def by_ticket(self, ticket: str) -> Case | None:
        result = await self.session.exec(select(CaseRecord).where(CaseRecord.ticket == ticket))
        record = result.first()
        return to_case(record) if record is not None else None

    async def queued(self, team: str) -> list[Case]:
        query = select(CaseRecord).where(
            CaseRecord.team == team, col(CaseRecord.status) == CaseStatus.QUEUED.value
        )
        return [to_case(record) for record in await self.session.exec(query)]

    def add(self, case: Case) -> None:
        self.session.add(to_record(case))


def to_record(case: Case) -> CaseRecord:
    return CaseRecord(
        case_id=case.case_id,
        ticket=case.ticket,
        concern=case.concern,
        team=case.team,
        priority=case.priority.value,
        reasons=list(case.reasons),
        rule_version=case.rule_version,
        status=case.status.value,
        language=case.language,
        channel=case.channel,
        received_at=case.received_at,
        routed_at=case.routed_at,
    )


def to_case(record: CaseRecord) -> Case:
    return Case(
        case_id=record.case_id,
        ticket=record.ticket,
        concern=record.concern,
        team=record.team,
        priority=Priority(record.priority),
        reasons=tuple(record.reasons),
        rule_version=record.rule_version,
        status=CaseStatus(record.status),
        language=record.language,
        channel=record.channel,
        received_at=as_utc(record.received_at),
        routed_at=as_utc(record.routed_at),
    )
