"""Cases in SQL: one recipients row plus append-only timeline and notification rows."""

from __future__ import annotations

from collections.abc import Collection, Sequence
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
        self._preloaded: dict[str, Case] = {}
        self._rows: dict[str, Recipient] = {}  # the session only holds its rows weakly
        self._steps: list[dict[str, Any]] = []  # a batch's new timeline rows, written at once

    async def get(self, case_id: str) -> Case | None:
        """The case, locked for this transaction (PostgreSQL) so concurrent events serialise."""
        if case_id in self._preloaded:  # read and locked at the start of the batch
            return self._preloaded[case_id]
        if case_id not in self._claimed:  # a claimed row is locked already, or missing
            await self._ensure_rows([case_id])
        query = select(Recipient).where(Recipient.case_id == case_id).with_for_update()
        row = (await self.session.exec(query)).first()
        return await self._load_one(row)

    async def preload(self, case_ids: Collection[str]) -> None:
        """Read and lock the cases a batch of events is about: four statements for them all.

        ``get`` then answers from memory, and ``save`` leaves the new rows to the commit's
        one flush, which writes them in bulk. Rows are locked in case-id order, so two
        replicas' batches never wait for each other in a circle (PostgreSQL).
        """
        ids = sorted(set(case_ids) - self._preloaded.keys())
        if not ids:
            return
        await self._ensure_rows(ids)
        rows = await self.session.exec(
            select(Recipient)
            .where(col(Recipient.case_id).in_(ids))
            .order_by(col(Recipient.case_id))
            .with_for_update()
        )
        for case in await self._load(rows.all()):
            self._preloaded[case.case_id] = case

    async def _ensure_rows(self, case_ids: Sequence[str]) -> None:
        """Create rows that are missing (no-op on conflict): two first events never race.

        Takes the write lock at once (SQLite), or waits for a concurrent insert (PostgreSQL).
        """
        dialect = self.session.bind.dialect.name if self.session.bind else ""
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        values = [{"case_id": case_id, "missing_documents": []} for case_id in case_ids]
        statement = insert(Recipient).values(values).on_conflict_do_nothing()
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
        return await self._load_one(row)

    async def get_by_survey_id(self, survey_id: str) -> Case | None:
        query = select(Recipient).where(Recipient.survey_id == survey_id).with_for_update()
        row = (await self.session.exec(query)).first()
        return await self._load_one(row)

    async def save(self, case: Case) -> None:
        row = (
            self._rows.get(case.case_id)
            or await self.session.get(Recipient, case.case_id)
            or Recipient(case_id=case.case_id)
        )
        _fill(row, case)
        self.session.add(row)
        n_timeline, n_notes = self._loaded.get(case.case_id, (0, 0))
        steps = [_step_values(case.case_id, entry) for entry in case.timeline[n_timeline:]]
        for note in case.notifications[n_notes:]:
            self.session.add(_note_row(case.case_id, note))
        self._loaded[case.case_id] = (len(case.timeline), len(case.notifications))
        if case.case_id in self._preloaded:  # a batch's rows go in bulk before its commit
            self._steps += steps
            return
        for values in steps:
            self.session.add(TimelineRow(**values))
        await self.session.flush()

    async def write(self) -> None:
        """Write a batch's new steps in one statement (the commit flushes everything else).

        Steps are appended with plain INSERTs: the ORM would insert them one at a time to
        learn each generated id, which nothing here needs.
        """
        steps, self._steps = self._steps, []
        if steps:
            await self.session.exec(sa.insert(TimelineRow), params=steps)  # type: ignore[call-overload]

    async def failures(self, limit: int) -> list[tuple[str, Notification]]:
        """Notifications given up on, newest first (for the operator)."""
        query = (
            select(NotificationRow)
            .where(NotificationRow.status == "failed")
            .order_by(col(NotificationRow.created_at).desc())
            .limit(limit)
        )
        return [(row.case_id, _note(row)) for row in await self.session.exec(query)]

    async def _load_one(self, row: Recipient | None) -> Case | None:
        return (await self._load([row]))[0] if row is not None else None

    async def _load(self, rows: Sequence[Recipient]) -> list[Case]:
        """The cases of ``rows`` with their timelines and notifications (two statements)."""
        ids = [row.case_id for row in rows]
        timelines: dict[str, list[TimelineEntry]] = {case_id: [] for case_id in ids}
        for t in await self.session.exec(
            select(TimelineRow)
            .where(col(TimelineRow.case_id).in_(ids))
            .order_by(col(TimelineRow.id))
        ):
            timelines[t.case_id].append(_entry(t))
        notes: dict[str, list[Notification]] = {case_id: [] for case_id in ids}
        for n in await self.session.exec(
            select(NotificationRow)
            .where(col(NotificationRow.case_id).in_(ids))
            .order_by(col(NotificationRow.created_at))
        ):
            notes[n.case_id].append(_note(n))
        cases = []
        for row in rows:
            self._rows[row.case_id] = row
            case = _case(row, timelines[row.case_id], notes[row.case_id])
            self._loaded[case.case_id] = (len(case.timeline), len(case.notifications))
            cases.append(case)
        return cases


def _case(row: Recipient, timeline: list[TimelineEntry], notes: list[Notification]) -> Case:
    return Case(
        case_id=row.case_id,
        application=_application(row),
        contact=_contact(row),
        timeline=timeline,
        notifications=notes,
        preferences=_preferences(row.preferences),
    )


def _fill(row: Recipient, case: Case) -> None:
    """Copy the case onto its row; a column is only touched when its value changed."""
    values: dict[str, Any] = {}
    if app := case.application:
        values.update(ticket=app.ticket, concern=app.concern, language=app.language)
        values.update(received_event_id=app.event_id, received_at=app.received_at)
        values["missing_documents"] = list(app.missing_documents)
    contact = case.contact  # None after erasure: every personal column is cleared
    values["tracking_hash"] = contact.tracking_hash if contact else None
    values["contact_language"] = contact.language if contact else None
    values["email"], values["phone"] = (contact.email, contact.phone) if contact else (None, None)
    values["pending_code"] = contact.pending_code if contact else None
    values["survey_id"] = case.survey_id
    prefs = case.preferences
    values["preferences"] = {
        "channels": list(prefs.channels) if prefs.channels is not None else None,
        "language": prefs.language,
        "essential_only": prefs.essential_only,
    }
    for name, value in values.items():
        now = getattr(row, name)
        if isinstance(now, datetime):
            now = aware(now)
        if now != value:
            setattr(row, name, value)


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


def _step_values(case_id: str, entry: TimelineEntry) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "kind": entry.kind,
        "at": entry.at,
        "event_id": entry.event_id or None,
        "details": dict(entry.details),
    }


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
