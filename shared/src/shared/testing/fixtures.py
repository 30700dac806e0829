"""Pytest plugin (``pytest_plugins = ["shared.testing.fixtures"]``).

Backends, in the order architecture.md gives: ``NATS_URL`` / ``DATABASE_URL`` from the
environment; else a ``nats-server`` started on a free port in a temp dir. PostgreSQL
tests run only where ``DATABASE_URL`` names a server; each gets its own database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import nats
import pytest
from sqlalchemy.engine import make_url

from shared.messaging.topology import delete_namespace
from shared.subjects import Namespace
from shared.testing.browser import browser  # noqa: F401 - re-exported fixture
from shared.testing.nats_server import NatsServer


def unique_suffix() -> str:
    return uuid.uuid4().hex[:10]


@pytest.fixture(scope="session")
def nats_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real JetStream server: ``NATS_URL`` if set, else our own on a free port."""
    if url := os.environ.get("NATS_URL"):
        yield url
        return
    server = NatsServer(tmp_path_factory.mktemp("nats")).start()
    yield server.url
    server.stop()


@pytest.fixture
def private_nats(tmp_path: Path) -> Iterator[NatsServer]:
    """A NATS server this test alone may stop and restart (outage tests)."""
    server = NatsServer(tmp_path / "nats").start()
    yield server
    server.stop()


@pytest.fixture
async def namespace(nats_url: str) -> AsyncIterator[Namespace]:
    """Unique subjects and streams for one test; deleted afterwards."""
    ns = Namespace(f"t{unique_suffix()}")
    yield ns
    nc = await nats.connect(nats_url)
    try:
        await delete_namespace(nc.jetstream(), ns)
    finally:
        await nc.close()


async def _create_pg_database(admin_url: str) -> tuple[str, str]:
    import asyncpg

    name = f"lotse_t{unique_suffix()}"
    url = make_url(admin_url.replace("postgres://", "postgresql://", 1))
    conn = await asyncpg.connect(url.set(drivername="postgresql").render_as_string(False))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return name, url.set(database=name).render_as_string(hide_password=False)


async def _drop_pg_database(admin_url: str, name: str) -> None:
    import asyncpg

    url = make_url(admin_url.replace("postgres://", "postgresql://", 1))
    conn = await asyncpg.connect(url.set(drivername="postgresql").render_as_string(False))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty store: a SQLite file, and PostgreSQL where ``DATABASE_URL`` is given."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    admin = os.environ.get("DATABASE_URL")
    if not admin:
        pytest.skip("PostgreSQL tests need DATABASE_URL (set by .ci/run)")
    name, url = await _create_pg_database(admin)
    yield url
    await _drop_pg_database(admin, name)
