"""Intake's audit log (``shared.audit``): staff reads recorded, entries listed, chain verified."""

from __future__ import annotations

from shared.audit import AuditEntry, ChainCheck
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from shared import audit

MAX_ENTRIES = 1000


class SqlAuditLog:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def record(self, *, actor: str, action: str, case_ref: str, reason: str = "") -> None:
        """Append a read in a transaction of its own."""
        await audit.record(
            self._sessions, actor=actor, action=action, case_ref=case_ref, reason=reason
        )

    async def entries(self, case_ref: str) -> list[AuditEntry]:
        async with self._sessions() as session:
            found = await session.exec(
                select(AuditEntry)
                .where(AuditEntry.case_ref == case_ref)
                .order_by(col(AuditEntry.id))
                .limit(MAX_ENTRIES)
            )
            return list(found.all())

    async def verify(self) -> ChainCheck:
        async with self._sessions() as session:
            return await audit.verify_chain(session)
