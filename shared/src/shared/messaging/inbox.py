"""Idempotent consumers: a processed event id is recorded in the consumer's own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.contracts.envelope import utcnow
from shared.messaging.tables import InboxRecord


async def processed_among(
    session: AsyncSession, consumer: str, event_ids: Sequence[str]
) -> set[str]:
    """Which of ``event_ids`` the consumer has processed already (one query)."""
    if not event_ids:
        return set()
    statement = select(InboxRecord.event_id).where(
        InboxRecord.consumer == consumer, col(InboxRecord.event_id).in_(set(event_ids))
    )
    return set((await session.exec(statement)).all())


def processed_values(consumer: str, event_id: str) -> dict[str, Any]:
    """The inbox row's columns for an event ``consumer`` has processed now."""
    return {"consumer": consumer, "event_id": event_id, "processed_at": utcnow()}


async def write_processed(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Insert staged inbox rows in one statement; a twin's row fails it (unique violation)."""
    if rows:
        await session.execute(insert(InboxRecord), list(rows))


def is_duplicate_delivery(error: Exception) -> bool:
    """True when a commit failed only because another delivery of the event won the race."""
    return isinstance(error, IntegrityError) and "inbox" in str(error.orig).lower()
