"""The audit log of staff reads in notify: written on every staff read, read by auditors."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from shared.audit import AuditEntry, append, verify_chain
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from notify.bootstrap import Container
from notify.entrypoints.identity import Staff, auditor


class AuditEntryPublic(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    case_ref: str
    reason: str


class ChainPublic(BaseModel):
    ok: bool
    entries: int
    first_broken_id: int | None


async def audited_reads(
    sessions: async_sessionmaker[AsyncSession], actor: str, action: str, cases: Sequence[str]
) -> None:
    """One audit entry per case read, in one transaction (retried if another writer won)."""
    for attempt in range(5):
        async with sessions() as session:
            for case_ref in cases:
                await append(session, actor=actor, action=action, case_ref=case_ref[:64])
            try:
                await session.commit()
                return
            except (IntegrityError, OperationalError):
                await session.rollback()
                if attempt == 4:
                    raise
        await asyncio.sleep(random.uniform(0.005, 0.05) * (attempt + 1))


def audit_router(container: Container) -> APIRouter:
    router = APIRouter(tags=["audit"], responses={401: {}, 403: {}})
    sessions = container.runtime.sessions

    @router.get("/v1/audit", response_model=list[AuditEntryPublic])
    async def audit_log(
        _staff: Annotated[Staff, Depends(auditor)],
        case: Annotated[str, Query(min_length=1, max_length=64)],
    ) -> list[AuditEntryPublic]:
        """Who read what about one case, oldest first (auditors only)."""
        query = select(AuditEntry).where(AuditEntry.case_ref == case).order_by(col(AuditEntry.id))
        async with sessions() as session:
            rows = (await session.exec(query)).all()
        return [AuditEntryPublic.model_validate(row, from_attributes=True) for row in rows]

    @router.get("/v1/audit/verify", response_model=ChainPublic)
    async def verify(_staff: Annotated[Staff, Depends(auditor)]) -> ChainPublic:
        """Recompute the hash chain; the first tampered entry is named (auditors only)."""
        async with sessions() as session:
            check = await verify_chain(session)
        return ChainPublic(
            ok=check.ok, entries=check.entries, first_broken_id=check.first_broken_id
        )

    return router
