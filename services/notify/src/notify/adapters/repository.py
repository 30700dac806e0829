"""Cases in SQL: one recipients row plus append-only timeline and notification rows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from notify.adapters.tables import NotificationRow, Recipient, TimelineRow
from notify.domain.case import (
    Application,
    Case,
    Contact,
    Notification,
    Preferences,
    TimelineEntry,
)


def aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class SqlCaseRepository:
    """Loads and saves whole cases; remembers what it loaded to append only the new rows."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._loaded: dict[str, tuple[int, int]] = {}
        self._claimed: set[str] = set()

    async def get(self, case_id: str) -> Case | None:
        """The case, locked for this transaction (PostgreSQL) so concurrent events serialise."""
        if case_id not in self._claimed:  # a claimed row is locked already, or missing
            await self._ensure_row(case_id)
        query = select(Recipient).where(Recipient.case_id == case_id).with_for_update()
        row = (await self.session.exec(query)).first()
        return await self._load(row) if row else None

    async def _ensure_row(self, case_id: str) -> None:
        """Create the row if missing (no-op on conflict): two first events never race to insert.

        Takes the write lock at once (SQLite), or waits for a concurrent insert (PostgreSQL).
        """
        dialect = self.session.bind.dialect.name if self.session.bind else ""
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        values = {"case_id": case_id, "missing_documents": []}
        statement = insert(Recipient).values(**values).on_conflict_do_nothing()
        await self.session.exec(statement)  # type: ignore[call-overload]

    async def claim(self, case_id: str) -> None:
        """Take the write lock before sending (SQLite has no row locks: a no-op update)."""
        await self.session.exec(  # type: ignore[call-overload]
            sa.update(Recipient).where(col(Recipient.case_id) == case_id).values(case_id=case_id)
        )
        self._claimed.add(case_id)

    async def get_by_tracking_hash(self, tracking_hash: str) -> Case | None:
        query = select(Recipient).where(Recipient.tracking_hash == tracking_hash)
        row = (await self.session.exec(query)).first()
        return await self._load(row) if row else None

    async def get_by_survey_id(self, survey_id: str) -> Case | None:
        query = select(Recipient).where(Recipient.survey_id == survey_id).with_for_update()
        row = (await self.session.exec(query)).first()
        return await self._load(row) if row else None

    async def save(self, case: Case) -> None:
        row = await self.session.get(Recipient, case.case_id) or Recipient(case_id=case.case_id)
        _fill(row, case)
        self.session.add(row)
        n_timeline, n_notes = self._loaded.get(case.case_id, (0, 0))
        for entry in case.timeline[n_timeline:]:
            self.session.add(
                TimelineRow(
                    case_id=case.case_id,
                    kind=entry.kind,
                    at=entry.at,
                    event_id=entry.event_id or None,
                    details=dict(entry.details),
                )
            )
        for note in case.notifications[n_notes:]:
            self.session.add(_note_row(case.case_id, note))
        self._loaded[case.case_id] = (len(case.timeline), len(case.notifications))
        await self.session.flush()

    async def failures(self, limit: int) -> list[tuple[str, Notification]]:
        """Notifications given up on, newest first (for the operator)."""
        query = (
            select(NotificationRow)
            .where(NotificationRow.status == "failed")
            .order_by(col(NotificationRow.created_at).desc())
            .limit(limit)
        )
        return [(row.case_id, _note(row)) for row in await self.session.exec(query)]

    async def _load(self, row: Recipient) -> Case:
        timeline = await self.session.exec(
            select(TimelineRow)
            .where(TimelineRow.case_id == row.case_id)
            .order_by(col(TimelineRow.id))
        )
        notes = await self.session.exec(
            select(NotificationRow)
            .where(NotificationRow.case_id == row.case_id)
            .order_by(col(NotificationRow.created_at))
        )
        case = Case(
            case_id=row.case_id,
            application=_application(row),
            contact=_contact(row),
            timeline=[_entry(t) for t in timeline],
            notifications=[_note(n) for n in notes],
            preferences=_preferences(row.preferences),
        )
        self._loaded[case.case_id] = (len(case.timeline), len(case.notifications))
        return case


def _fill(row: Recipient, case: Case) -> None:
    if app := case.application:
        row.ticket, row.concern, row.language = app.ticket, app.concern, app.language
        row.received_event_id, row.received_at = app.event_id, app.received_at
        row.missing_documents = list(app.missing_documents)
    contact = case.contact  # None after erasure: every personal column is cleared
    row.tracking_hash = contact.tracking_hash if contact else None
    row.contact_language = contact.language if contact else None
    row.email, row.phone = (contact.email, contact.phone) if contact else (None, None)
    row.pending_code = contact.pending_code if contact else None
    row.survey_id = case.survey_id
    prefs = case.preferences
    row.preferences = {
        "channels": list(prefs.channels) if prefs.channels is not None else None,
        "language": prefs.language,
        "essential_only": prefs.essential_only,
    }


def _application(row: Recipient) -> Application | None:
    if row.received_event_id is None or row.received_at is None:
        return None
    return Application(
        event_id=row.received_event_id,
        ticket=row.ticket or "",
        concern=row.concern or "",
        language=row.language or "de",
        received_at=aware(row.received_at),
        missing_documents=tuple(row.missing_documents or ()),
    )


def _contact(row: Recipient) -> Contact | None:
    if row.tracking_hash is None:
        return None
    return Contact(
        row.tracking_hash, row.contact_language or "de", row.email, row.phone, row.pending_code
    )


def _preferences(stored: dict[str, Any] | None) -> Preferences:
    if not stored:
        return Preferences()
    channels = stored.get("channels")
    return Preferences(
        channels=tuple(channels) if channels is not None else None,
        language=stored.get("language"),
        essential_only=bool(stored.get("essential_only")),
    )


def _entry(row: TimelineRow) -> TimelineEntry:
    return TimelineEntry(
        kind=row.kind,
        at=aware(row.at),
        details=dict(row.details or {}),
        event_id=row.event_id or "",
    )


def _note(row: NotificationRow) -> Notification:
    status = cast(Any, row.status)
    return Notification(
        row.id,
        row.kind,
        row.channel,
        status,
        row.cause_event_id,
        aware(row.created_at),
        row.reason or "",
    )


def _note_row(case_id: str, note: Notification) -> NotificationRow:
    return NotificationRow(
        id=note.id,
        case_id=case_id,
        kind=note.kind,
        channel=note.channel,
        status=note.status,
        cause_event_id=note.cause_event_id,
        created_at=note.created_at,
        reason=note.reason or None,
    )
