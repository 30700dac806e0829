"""``/v1/audit``: the audit log of staff reads and changes, for auditors only."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from shared.contracts.envelope import as_utc
from shared.http import PROBLEM_JSON
from sqlmodel import col, select

from routing.bootstrap import Container
from routing.entrypoints.identity import Auditor
from shared import audit

DENIED: dict[int | str, dict[str, Any]] = {
    401: {"description": "Who? (no staff identity)", "content": {PROBLEM_JSON: {}}},
    403: {"description": "Auditors only", "content": {PROBLEM_JSON: {}}},
}


class AuditEntryPublic(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    case_ref: str
    reason: str


class AuditLogPublic(BaseModel):
    case: str
    entries: list[AuditEntryPublic]


class ChainPublic(BaseModel):
    ok: bool
    entries: int
    first_broken_id: int | None


def router(container: Container) -> APIRouter:
    """Who read or changed a case, and whether the chain is intact."""
    api = APIRouter(prefix="/v1/audit", tags=["audit"])
    sessions = container.runtime.sessions

    @api.get("", response_model=AuditLogPublic, responses=DENIED)
    async def audit_log(
        _who: Auditor, case: Annotated[str, Query(min_length=1, max_length=64)]
    ) -> AuditLogPublic:
        """Every staff read and change of the case (by ticket), oldest first."""
        query = (
            select(audit.AuditEntry)
            .where(audit.AuditEntry.case_ref == case.upper())
            .order_by(col(audit.AuditEntry.id))
            .limit(1000)
        )
        async with sessions() as session:
            rows = (await session.exec(query)).all()
        entries = [
            AuditEntryPublic(
                id=r.id or 0,
                at=as_utc(r.at),
                actor=r.actor,
                action=r.action,
                case_ref=r.case_ref,
                reason=r.reason,
            )
            for r in rows
        ]
        return AuditLogPublic(case=case.upper(), entries=entries)

    @api.get("/verify", response_model=ChainPublic, responses=DENIED)
    async def verify(_who: Auditor) -> ChainPublic:
        """Recompute the hash chain: ``ok`` false names the first entry that was tampered with."""
        async with sessions() as session:
            check = await audit.verify_chain(session)
        return ChainPublic(
            ok=check.ok, entries=check.entries, first_broken_id=check.first_broken_id
        )

    return api
