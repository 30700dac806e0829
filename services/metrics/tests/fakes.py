"""Hand-made facts and a migrated store for the metrics tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time
from typing import Any

from metrics.bootstrap import MIGRATIONS
from metrics.service_layer.commands import RecordNotification, RecordReceived, RecordRouted
from metrics.service_layer.projection import Command, apply_command
from metrics.service_layer.unit_of_work import MetricsUnitOfWork
from shared.subjects import Namespace

from shared import store

DAY = date(2026, 3, 2)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def received(case_id: str, day: date = DAY, **overrides: Any) -> RecordReceived:
    values: dict[str, Any] = {
        "case_id": case_id,
        "received_at": at(day),
        "received_on": day,
        "concern": "residence_permit_extension",
        "channel": "online",
        "language": "de",
        "team": "team_a",
        "missing_documents_count": 0,
        "urgent_travel": False,
    }
    return RecordReceived(**{**values, **overrides})


def routed(case_id: str, day: date = DAY, **overrides: Any) -> RecordRouted:
    values: dict[str, Any] = {
        "case_id": case_id,
        "routed_at": at(day, 11),
        "routed_on": day,
        "priority": "normal",
        "team": "team_a",
        "concern": "residence_permit_extension",
        "channel": "online",
        "language": "de",
    }
    return RecordRouted(**{**values, **overrides})


def notified(nid: str, case_id: str, day: date = DAY, **overrides: Any) -> RecordNotification:
    values: dict[str, Any] = {
        "notification_id": nid,
        "case_id": case_id,
        "kind": "received",
        "channel": "email",
        "outcome": "sent",
        "at": at(day, 12),
        "occurred_on": day,
    }
    return RecordNotification(**{**values, **overrides})


class Store:
    """A migrated metrics store with a unit-of-work factory."""

    def __init__(self, url: str) -> None:
        self.engine = store.create_engine(url)
        self.sessions = store.session_factory(self.engine)

    def uow(self) -> MetricsUnitOfWork:
        return MetricsUnitOfWork(self.sessions, Namespace())

    async def apply(self, *cmds: Command) -> None:
        """Fold each command in its own transaction, as the subscribers do."""
        for cmd in cmds:
            async with self.uow() as uow:
                await apply_command(cmd, uow)
                await uow.commit()

    async def apply_many(self, *cmds: Command) -> None:
        """Fold all commands in one transaction (large synthetic histories)."""
        async with self.uow() as uow:
            for cmd in cmds:
                await apply_command(cmd, uow)
            await uow.commit()


@asynccontextmanager
async def migrated_store(url: str) -> AsyncIterator[Store]:
    await store.migrate(url, MIGRATIONS, "metrics")
    facts = Store(url)
    try:
        yield facts
    finally:
        await facts.engine.dispose()
