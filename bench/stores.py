"""``--postgres``: one fresh database per service on a local server, dropped afterwards."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from shared.testing.fixtures import _create_pg_database, _drop_pg_database
from shared.testing.processes import SERVICES

DEFAULT_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def admin_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_ADMIN


@asynccontextmanager
async def postgres_databases(admin: str) -> AsyncIterator[dict[str, str]]:
    """``<SVC>_DATABASE_URL`` for each service, for ``Platform(extra_env=...)``."""
    created: list[str] = []
    env: dict[str, str] = {}
    try:
        for service in SERVICES:
            name, url = await _create_pg_database(admin)
            created.append(name)
            env[f"{service.upper()}_DATABASE_URL"] = url
        yield env
    finally:
        for name in created:
            await _drop_pg_database(admin, name)


@asynccontextmanager
async def no_databases() -> AsyncIterator[dict[str, str]]:
    """SQLite: each service's file under the run's var dir (the services' default)."""
    yield {}
