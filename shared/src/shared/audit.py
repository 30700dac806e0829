"""An append-only, hash-chained audit log of every staff read and change of a case.

Each entry's hash covers its content and the previous entry's hash; ``prev_hash`` is
unique, so two writers can never fork the chain (the loser retries). Changing, inserting
or deleting any entry breaks ``verify_chain`` from that entry on.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.contracts.envelope import as_utc, utcnow

GENESIS = "0" * 64


class AuditEntry(SQLModel, table=True):
    """Who did what to which case, when and why."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64)
    case_ref: str = Field(max_length=64, index=True)
    reason: str = Field(default="", max_length=500)
    prev_hash: str = Field(max_length=64, unique=True)
    hash: str = Field(max_length=64)


def entry_hash(
    prev_hash: str, at: datetime, actor: str, action: str, case_ref: str, reason: str
) -> str:
    content = json.dumps(
        [prev_hash, as_utc(at).isoformat(), actor, action, case_ref, reason], ensure_ascii=False
    )
    return hashlib.sha256(content.encode()).hexdigest()


async def append(
    session: AsyncSession, *, actor: str, action: str, case_ref: str, reason: str = ""
) -> AuditEntry:
    """Stage an entry at the head of the chain, in the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        # writers queue here instead of racing for the same head (released at commit)
        await session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('audit_log'))"))
    last = (
        await session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(1))
    ).first()
    prev = last.hash if last else GENESIS
    at = utcnow()
    entry = AuditEntry(
        at=at,
        actor=actor,
        action=action,
        case_ref=case_ref,
        reason=reason,
        prev_hash=prev,
        hash=entry_hash(prev, at, actor, action, case_ref, reason),
    )
    session.add(entry)
    return entry


async def record(
    sessions: async_sessionmaker[AsyncSession],
    *,
    actor: str,
    action: str,
    case_ref: str,
    reason: str = "",
    attempts: int = 5,
) -> None:
    """Append in a transaction of its own (e.g. a read), retrying when another writer won."""
    for attempt in range(attempts):
        async with sessions() as session:
            await append(session, actor=actor, action=action, case_ref=case_ref, reason=reason)
            try:
                await session.commit()
                return
            except (IntegrityError, OperationalError):
                await session.rollback()
                if attempt == attempts - 1:
                    raise
        await asyncio.sleep(random.uniform(0.005, 0.05) * (attempt + 1))


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    entries: int
    first_broken_id: int | None = None


async def verify_chain(session: AsyncSession) -> ChainCheck:
    """Recompute every hash in order; the first entry that does not match is reported."""
    prev = GENESIS
    count = 0
    for entry in (await session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))).all():
        expected = entry_hash(
            prev, entry.at, entry.actor, entry.action, entry.case_ref, entry.reason
        )
        if entry.prev_hash != prev or entry.hash != expected:
            return ChainCheck(False, count, entry.id)
        prev = entry.hash
        count += 1
    return ChainCheck(True, count)


def create_audit_table_v1() -> None:
    """Alembic operations for ``audit_log`` as of schema v1 (frozen: never edit)."""
    from alembic import op

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("case_ref", sa.String(64), nullable=False, index=True),
        sa.Column("reason", sa.String(500), nullable=False, server_default=""),
        sa.Column("prev_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("hash", sa.String(64), nullable=False),
    )
