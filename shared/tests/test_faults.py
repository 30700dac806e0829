"""Faults every service shares: a busy or dropped store answers 503, consumers match subscribers."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import nats
import pytest
from fastapi import FastAPI
from shared.http import UnavailableError, install_problem_handlers
from shared.messaging.topology import (
    DeliveryPolicy,
    StreamPolicy,
    declare_consumers,
    declare_streams,
    inbound_durable,
)
from shared.store import busy_timeout_ms, create_engine, is_transient, ping
from shared.subjects import INBOUND, Namespace
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine


async def inbound_consumers(js: nats.js.JetStreamContext, ns: Namespace) -> dict[str, str]:
    infos = await js.consumers_info(ns.stream(INBOUND))
    return {i.name: str(i.config.filter_subject) for i in infos}


@pytest.mark.nats
async def test_declare_consumers_declares_the_configured_inbound_durable(
    nats_url: str, namespace: Namespace
) -> None:
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    try:
        await declare_streams(js, namespace, StreamPolicy())
        await declare_consumers(
            js, namespace, "intake", DeliveryPolicy(), inbound=[("portal_x", 1)]
        )
        configured = await inbound_consumers(js, namespace)
        await declare_consumers(
            js, namespace, "intake", DeliveryPolicy(), inbound=[("portal_x", 1)]
        )
        again = await inbound_consumers(js, namespace)
    finally:
        await nc.close()

    assert configured == {"intake-inbound-portal_x-v1": namespace.inbound_subject("portal_x", 1)}
    assert again == configured
    assert inbound_durable("intake", "portal_x", 1) == "intake-inbound-portal_x-v1"


@pytest.mark.nats
async def test_declare_consumers_defaults_to_the_declared_partner_channels(
    nats_url: str, namespace: Namespace
) -> None:
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    try:
        await declare_streams(js, namespace, StreamPolicy())
        await declare_consumers(js, namespace, "intake", DeliveryPolicy())
        declared = await inbound_consumers(js, namespace)
    finally:
        await nc.close()

    assert declared == {"intake-inbound-applications-v1": namespace.inbound_subject()}


def test_sqlite_lock_wait_comes_from_the_url() -> None:
    assert busy_timeout_ms(make_url("sqlite+aiosqlite:///x.db?timeout=0.2")) == 200
    assert busy_timeout_ms(make_url("sqlite+aiosqlite:///x.db")) == 10_000


async def test_a_locked_sqlite_file_is_transient_a_missing_table_is_not(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    engine = create_engine(f"sqlite:///{path}?timeout=0.05")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (x INTEGER)"))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DBAPIError) as locked:
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO t VALUES (1)"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with pytest.raises(DBAPIError) as missing:
        async with engine.begin() as conn:
            await conn.execute(text("SELECT * FROM nowhere"))
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO t VALUES (2)"))
    await engine.dispose()

    assert "database is locked" in str(locked.value)
    assert is_transient(locked.value)
    assert not is_transient(missing.value)


def failing_app(error: Exception) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/boom")
    async def boom() -> None:
        raise error

    return app


@pytest.fixture
async def locked_error(tmp_path: Path) -> AsyncIterator[DBAPIError]:
    path = tmp_path / "l.db"
    engine = create_engine(f"sqlite:///{path}?timeout=0")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN IMMEDIATE")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO t VALUES (1)"))
    except DBAPIError as exc:
        yield exc
    finally:
        holder.close()
        await engine.dispose()


async def get(app: FastAPI) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get("/boom")


async def test_a_busy_store_answers_503_with_retry_after(locked_error: DBAPIError) -> None:
    response = await get(failing_app(locked_error))

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["errors"][0]["field"] == "store"
    assert "nothing was saved" in response.json()["detail"]


async def test_unavailable_errors_name_their_field_and_status() -> None:
    full = UnavailableError("disk full", field="documents.passport", status=507, retry_after=60)
    refused = await get(failing_app(ConnectionRefusedError("refused")))
    stored = await get(failing_app(full))
    bug = await get(failing_app(DBAPIError("SELECT", {}, ValueError("no such column"))))

    assert (stored.status_code, stored.headers["retry-after"]) == (507, "60")
    assert stored.json()["errors"] == [{"field": "documents.passport", "reason": "disk full"}]
    assert refused.status_code == 503
    assert refused.json()["errors"][0]["field"] == "connection"
    assert bug.status_code == 500
    assert "retry-after" not in bug.headers


async def _terminate_other_backends(admin: str, database: str) -> int:
    import asyncpg

    conn = await asyncpg.connect(admin.replace("postgresql+asyncpg", "postgresql"))
    try:
        rows = await conn.fetch(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
            " WHERE datname = $1 AND pid <> pg_backend_pid()",
            database,
        )
    finally:
        await conn.close()
    return len(rows)


async def _backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_postgres_pool_survives_dropped_backends(database_url: str) -> None:
    url = make_url(database_url)
    engine = create_engine(database_url)
    before = await _backend_pid(engine)
    killed_idle = await _terminate_other_backends(database_url, str(url.database))
    after = await _backend_pid(engine)  # pre-ping replaced the dead pooled connection
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
        await _terminate_other_backends(database_url, str(url.database))
        with pytest.raises(DBAPIError) as mid_transaction:
            await conn.execute(text("SELECT 1"))
    await ping(engine)
    await engine.dispose()

    assert killed_idle >= 1
    assert after != before
    assert is_transient(mid_transaction.value)
