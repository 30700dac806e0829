"""A busy SQLite file ("database is locked") costs a redelivery, never the event."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from routing.entrypoints.app import create_app
from shared.subjects import Namespace
from shared.testing.app import eventually, running_app
from sqlalchemy import event

from ..fakes import FakeClock, received
from .helpers import HEAD, publish_event, settings

pytestmark = pytest.mark.nats


class Retries(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.reasons: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("event processing failed"):
            self.reasons.append(str(getattr(record, "reason", "")))


@pytest.fixture
def retries() -> Iterator[Retries]:
    handler, logger = Retries(), logging.getLogger("shared.messaging.delivery")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def _short_busy_wait(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=200")  # give up fast instead of after 10 s
    cursor.close()


async def test_an_event_arriving_while_the_store_is_locked_is_routed_once_released(
    nats_url: str, namespace: Namespace, tmp_path: Path, retries: Retries
) -> None:
    db = tmp_path / "r.db"
    app = create_app(settings(nats_url, namespace, f"sqlite:///{db}", tmp_path), clock=FakeClock())
    event.listen(app.state.runtime.engine.sync_engine, "connect", _short_busy_wait)
    async with running_app(app) as client:
        other_writer = sqlite3.connect(db, isolation_level=None)
        other_writer.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            await publish_event(nats_url, namespace, received("T-BUSY"))
            await eventually(lambda: bool(retries.reasons))
        finally:
            other_writer.execute("ROLLBACK")
            other_writer.close()

        async def routed() -> bool:
            answer = await client.get("/v1/cases/T-BUSY", headers=HEAD)
            return answer.status_code == 200

        await eventually(routed)
    assert retries.reasons[0] == "OperationalError"  # nacked for redelivery, not parked
