"""One SQLModel store per service: SQLite file by default, PostgreSQL by URL; Alembic migrations.

A SQLite writer waits ``timeout`` seconds for a lock (URL query, e.g. ``sqlite:///x.db?timeout=2``,
default 10) before "database is locked"; PostgreSQL connections are pinged before use, so
a restarted server or a dropped backend costs one failed request at most, not a dead pool.
"""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession


def async_url(url: str) -> str:
    """Accept the usual spellings (``postgres://``, ``sqlite:///``) and pick the async driver."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif backend == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    else:
        msg = f"unsupported database {backend!r}: use sqlite or postgresql"
        raise ValueError(msg)
    return parsed.render_as_string(hide_password=False)


DEFAULT_BUSY_TIMEOUT_MS = 10_000
# SQLSTATE classes worth a retry: connection exception, operator intervention (the server
# shuts down or terminated the backend), insufficient resources, serialization failure,
# deadlock, lock not available.
_TRANSIENT_SQLSTATES = ("08", "57P", "53", "40001", "40P01", "55P03")
_TRANSIENT_SQLITE = ("database is locked", "database table is locked", "disk i/o error")


def is_transient(error: BaseException) -> bool:
    """Whether a store error is worth a retry (busy, locked, connection lost), not a bug."""
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    orig = error.orig
    state = str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")
    if state and state.startswith(_TRANSIENT_SQLSTATES):
        return True
    text_ = str(orig).lower()
    return any(marker in text_ for marker in _TRANSIENT_SQLITE) or "connection is closed" in text_


def busy_timeout_ms(url: URL) -> int:
    """The SQLite lock wait from the URL's ``timeout`` (seconds), else 10 s."""
    raw = url.query.get("timeout")
    if raw is None:
        return DEFAULT_BUSY_TIMEOUT_MS
    value = raw[0] if isinstance(raw, tuple) else raw
    return max(0, int(float(value) * 1000))


def _sqlite_pragmas(busy_ms: int, dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={int(busy_ms)}")  # first: the next pragma may wait too
    # WAL lets readers (HTTP) run beside the writer; NORMAL is durable in WAL mode
    # across process crashes, which is the failure we must survive. Switching needs the
    # lock a writer may hold, so only a file not yet in WAL mode is switched.
    cur.execute("PRAGMA journal_mode")
    if str(cur.fetchone()[0]).lower() != "wal":
        cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """An async engine for ``url``; creates the SQLite file's folder when needed."""
    url = async_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, echo=echo)
        pragmas = functools.partial(_sqlite_pragmas, busy_timeout_ms(parsed))
        event.listen(engine.sync_engine, "connect", pragmas)
        return engine
    # pre-ping: a pooled connection the server dropped (restart, pg_terminate_backend) is
    # replaced at checkout instead of failing the next request
    return create_async_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=10)


# How many units of work of one process may be open at once against one store. SQLite has
# one writer: more than one open transaction only makes the others spin in busy waits,
# exhaust the pool and fail with "database is locked" (a nack, a backoff, a retry).
# FastStream hands a whole pull batch to concurrent tasks, so without this gate a batch of
# 100 events meant 100 transactions fighting for one lock. PostgreSQL takes a few.
SQLITE_WRITERS = 1
POSTGRES_WRITERS = 8
_gates: WeakKeyDictionary[AsyncEngine, asyncio.Semaphore] = WeakKeyDictionary()


def writer_gate(engine: AsyncEngine) -> asyncio.Semaphore:
    """The process-wide gate of ``engine``'s store (one per engine)."""
    gate = _gates.get(engine)
    if gate is None:
        sqlite = engine.dialect.name == "sqlite"
        gate = asyncio.Semaphore(SQLITE_WRITERS if sqlite else POSTGRES_WRITERS)
        _gates[engine] = gate
    return gate


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def ping(engine: AsyncEngine) -> None:
    """Raise unless the store answers a trivial query."""
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


def alembic_config(url: str, script_location: Path, service: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    cfg.set_main_option("sqlalchemy.url", async_url(url).replace("%", "%%"))
    cfg.set_main_option("version_table", f"alembic_version_{service}")
    return cfg


async def migrate(url: str, script_location: Path, service: str) -> None:
    """Bring the store to the newest schema (``alembic upgrade head``)."""
    if make_url(async_url(url)).get_backend_name() == "sqlite":
        # WAL is kept in the file: switch it now, before another writer can hold the lock
        # the switch needs (then every later connection would fail while it is held)
        engine = create_engine(url)
        try:
            await ping(engine)
        finally:
            await engine.dispose()
    cfg = alembic_config(url, script_location, service)
    await asyncio.to_thread(command.upgrade, cfg, "head")
