"""Cases in the service's SQL store; every change is a conditional update on the version."""

from __future__ import annotations

from collections.abc import Collection

from shared.contracts.envelope import as_utc
from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from routing.adapters.tables import CaseRecord
from routing.domain.case import OPEN, Case, CaseStatus
from routing.domain.lifecycle import CaseConflictError
from routing.domain.priority import Priority


class SqlCaseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._absent: set[str] = set()  # case ids known not to be stored (this transaction)
        self._free: set[str] = set()  # tickets known to belong to no stored case

    async def learn_new(self, case_ids: Collection[str], tickets: Collection[str]) -> None:
        """Find out in two statements which of a batch's cases and tickets are new.

        Call it under the locks of the teams involved: nobody else then adds a case of them
        before this transaction ends, and ``get``/``by_ticket`` of a new one need not ask.
        """
        if case_ids:
            stored = select(CaseRecord.case_id).where(col(CaseRecord.case_id).in_(case_ids))
            self._absent |= set(case_ids) - set((await self.session.exec(stored)).all())
        if tickets:
            used = select(CaseRecord.ticket).where(col(CaseRecord.ticket).in_(tickets))
            self._free |= set(tickets) - set((await self.session.exec(used)).all())

    async def get(self, case_id: str) -> Case | None:
        if case_id in self._absent:
            return None
        record = await self.session.get(CaseRecord, case_id)
        return to_case(record) if record is not None else None

    async def by_ticket(self, ticket: str) -> Case | None:
        if ticket in self._free:
            return None
        result = await self.session.exec(select(CaseRecord).where(CaseRecord.ticket == ticket))
        record = result.first()
        return to_case(record) if record is not None else None

    async def queued(self, team: str) -> list[Case]:
        """The team's open cases (queued or claimed)."""
        statuses = [status.value for status in OPEN]
        query = select(CaseRecord).where(
            CaseRecord.team == team, col(CaseRecord.status).in_(statuses)
        )
        return [to_case(record) for record in await self.session.exec(query)]

    async def open_for(self, team: str) -> list[Case]:
        """Queued, claimed and waiting cases of the team."""
        statuses = [s.value for s in (*OPEN, CaseStatus.WAITING)]
        query = select(CaseRecord).where(
            CaseRecord.team == team, col(CaseRecord.status).in_(statuses)
        )
        return [to_case(record) for record in await self.session.exec(query)]

    def add(self, case: Case) -> None:
        self._absent.discard(case.case_id)
        self._free.discard(case.ticket)
        self.session.add(to_record(case))

    async def save(self, case: Case) -> None:
        """Store ``case`` if nobody changed it since it was read (version - 1); else conflict."""
        values = to_record(case).model_dump(exclude={"case_id", "ticket"})
        statement = (
            update(CaseRecord)
            .where(col(CaseRecord.case_id) == case.case_id)
            .where(col(CaseRecord.version) == case.version - 1)
            .values(**values)
        )
        result = await self.session.exec(statement)
        if result.rowcount != 1:
            raise CaseConflictError("the case was changed by someone else; reload and try again")


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
        due_on=case.due_on,
        target_days=case.target_days,
        claimed_by=case.claimed_by,
        paused_on=case.paused_on,
        paused_business_days=case.paused_business_days,
        outcome=case.outcome,
        version=case.version,
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
        due_on=record.due_on,
        target_days=record.target_days,
        claimed_by=record.claimed_by,
        paused_on=record.paused_on,
        paused_business_days=record.paused_business_days,
        outcome=record.outcome,
        version=record.version,
    )
