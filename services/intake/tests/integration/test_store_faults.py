"""Store faults: a locked SQLite file, dropped PostgreSQL connections, a full blob disk.

Each is a 503/507 problem with Retry-After or a redelivery, never a silent loss: what
was not accepted left nothing behind, and what was accepted is there exactly once.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import sqlite3
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import nats
import pytest
from cloudevents.core.bindings.http import to_structured_event
from intake.entrypoints.app import create_app
from shared.subjects import Namespace
from shared.testing.app import eventually, running_app
from sqlalchemy.engine import make_url

from .test_channels import PDF, PNG, events_of, make_settings, partner_event, upload
from .test_erasure import blob_files
from .test_nats_outage import count, outbox_empty

pytestmark = pytest.mark.nats

BODY: dict[str, Any] = {"concern": "toleration", "applicant": {"family_name": "Lockwood"}}
KEY = {"Idempotency-Key": "store-fault-0001-abcdef"}


class WriteLock:
    """Another process's writer: holds SQLite's write lock until released (off the loop)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn: sqlite3.Connection | None = None

    async def __aenter__(self) -> WriteLock:
        def take() -> sqlite3.Connection:
            conn = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            conn.execute("BEGIN IMMEDIATE")
            return conn

        self.conn = await asyncio.to_thread(take)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self.conn is not None
        self.conn.execute("ROLLBACK")
        self.conn.close()


def sqlite_app(nats_url: str, ns: Namespace, tmp_path: Path) -> tuple[Any, Path]:
    path = tmp_path / "intake.db"
    # the writer gives up after 0.2 s instead of 10 s: the test need not wait
    url = f"sqlite:///{path}?timeout=0.2"
    return create_app(make_settings(nats_url, ns, url, tmp_path)), path


async def test_a_locked_sqlite_file_is_503_then_the_same_submission_is_accepted_once(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    app, path = sqlite_app(nats_url, namespace, tmp_path)
    form = upload(BODY, [("passport", PDF)])
    async with running_app(app) as client:
        async with WriteLock(path):
            locked = await client.post("/v1/applications", **form, headers=KEY)
            files_while_locked = blob_files(tmp_path / "intake" / "blobs")
        rows_after_lock = (await count(app, "applications"), await count(app, "outbox"))
        accepted = await client.post("/v1/applications", **form, headers=KEY)
        await eventually(outbox_empty(client))
        rows = (await count(app, "applications"), await count(app, "documents"))
    received = await events_of(nats_url, namespace, "application_received")

    assert locked.status_code == 503, locked.text
    assert locked.headers["content-type"] == "application/problem+json"
    assert int(locked.headers["retry-after"]) > 0
    assert locked.json()["errors"][0]["field"] == "store"
    assert files_while_locked == []
    assert rows_after_lock == (0, 0)
    assert accepted.status_code == 201
    assert "idempotent-replayed" not in accepted.headers
    assert rows == (1, 1)
    assert len(blob_files(tmp_path / "intake" / "blobs")) == 1
    assert [e["data"]["ticket"] for e in received] == [accepted.json()["ticket"]]


async def test_a_partner_event_handled_while_sqlite_is_locked_is_redelivered_and_taken_once(
    nats_url: str, namespace: Namespace, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app, path = sqlite_app(nats_url, namespace, tmp_path)
    event = to_structured_event(partner_event("evt-locked", {**BODY, "language": "uk"}))
    async with running_app(app):
        caplog.set_level(logging.WARNING, logger="shared.messaging.delivery")
        async with WriteLock(path):
            nc = await nats.connect(nats_url)
            await nc.jetstream().publish(
                namespace.inbound_subject(), event.body, headers=dict(event.headers)
            )
            await nc.close()

            def nacked() -> bool:
                return any("will retry" in r.getMessage() for r in caplog.records)

            await eventually(nacked)
            taken_while_locked = await count(app, "applications")

        async def received() -> bool:
            return len(await events_of(nats_url, namespace, "application_received")) == 1

        await eventually(received)
        taken = await count(app, "applications")

    assert taken_while_locked == 0
    assert taken == 1


async def test_a_full_blob_disk_is_507_naming_the_file_and_keeps_nothing(
    nats_url: str, namespace: Namespace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, _path = sqlite_app(nats_url, namespace, tmp_path)
    real_write = Path.write_bytes
    writes: list[Path] = []

    def disk_fills_on_the_second_file(self: Path, data: bytes) -> int:  # type: ignore[override]
        writes.append(self)
        if self.suffix == ".part" and len(writes) == 2:
            real_write(self, bytes(data[: len(data) // 2]))  # half written, then no space
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, data)

    form = upload(BODY, [("passport", PDF), ("biometric_photo", PNG)])
    async with running_app(app) as client:
        monkeypatch.setattr(Path, "write_bytes", disk_fills_on_the_second_file)
        full = await client.post("/v1/applications", **form)
        monkeypatch.undo()
        rows = (await count(app, "applications"), await count(app, "outbox"))
        files = blob_files(tmp_path / "intake" / "blobs")
        accepted = await client.post("/v1/applications", **form)

    assert full.status_code == 507, full.text
    assert full.headers["retry-after"]
    assert full.json()["errors"][0]["field"] == "documents.biometric_photo"
    assert "full" in full.json()["detail"]
    assert len(writes) == 2
    assert rows == (0, 0)
    assert files == []
    assert accepted.status_code == 201


async def terminate_backends(url: str) -> int:
    """Drop every connection to this test's own database (as a server restart would)."""
    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres")
    conn = await asyncpg.connect(admin.render_as_string(hide_password=False))
    try:
        rows = await conn.fetch(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
            " WHERE datname = $1 AND pid <> pg_backend_pid()",
            parsed.database,
        )
    finally:
        await conn.close()
    return len(rows)


async def submit_until_accepted(client: httpx.AsyncClient, index: int, statuses: list[int]) -> str:
    body = {"concern": "toleration", "applicant": {"family_name": f"Dropped{index:03d}"}}
    headers = {"Idempotency-Key": f"pg-drop-{index:04d}-0123456789"}
    while True:
        response = await client.post("/v1/applications", json=body, headers=headers)
        statuses.append(response.status_code)
        if response.status_code != 503:
            assert response.status_code == 201, response.text
            return str(response.json()["ticket"])
        await asyncio.sleep(float(response.headers["retry-after"]) / 50)


async def publish_partner_events(nats_url: str, ns: Namespace, indexes: range) -> None:
    nc = await nats.connect(nats_url)
    try:
        for i in indexes:
            data = {"concern": "toleration", "applicant": {"family_name": f"Partner{i:03d}"}}
            msg = to_structured_event(partner_event(f"evt-drop-{i}", data))
            await nc.jetstream().publish(ns.inbound_subject(), msg.body, headers=dict(msg.headers))
    finally:
        await nc.close()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_dropped_postgres_connections_lose_nothing_and_duplicate_nothing(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    app = create_app(make_settings(nats_url, namespace, database_url, tmp_path))
    statuses: list[int] = []
    tickets: list[str] = []
    dropped = 0
    async with running_app(app) as client:
        for wave in range(4):
            await publish_partner_events(nats_url, namespace, range(wave * 3, wave * 3 + 3))
            batch = [submit_until_accepted(client, wave * 5 + i, statuses) for i in range(5)]
            results = await asyncio.gather(*batch, terminate_backends(database_url))
            tickets += [str(t) for t in results[:-1]]
            dropped += int(results[-1])
        after_idle_drop = await terminate_backends(database_url)
        first_try = await client.post("/v1/applications", json=BODY)

        async def all_in() -> bool:
            return len(await events_of(nats_url, namespace, "application_received")) == 33

        await eventually(all_in, timeout=60)
        await eventually(outbox_empty(client), timeout=60)
        applications = await count(app, "applications")
    received = await events_of(nats_url, namespace, "application_received")

    assert dropped + after_idle_drop >= 5
    assert set(statuses) <= {201, 503}
    assert len(set(tickets)) == 20
    assert first_try.status_code == 201  # the pool replaced its dead connections
    assert applications == 33
    assert len({e["data"]["ticket"] for e in received}) == 33
