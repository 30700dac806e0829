"""One SQLModel store per service: SQLite file by default, PostgreSQL by URL; Alembic migrations."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
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


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets readers (HTTP) run beside the writer; NORMAL is durable in WAL mode
    # across process crashes, which is the failure we must survive.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
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
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=10)


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
    cfg = alembic_config(url, script_location, service)
    await asyncio.to_thread(command.upgrade, cfg, "head")
