"""What every service's Alembic ``env.py`` does; the revisions themselves stay per service."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine


def _do_run(connection: Connection, metadata: MetaData, version_table: str) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=version_table,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str, metadata: MetaData, version_table: str) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            # replicas starting together: one migrates, the others wait, then find nothing to do
            await conn.execute(text("SELECT pg_advisory_lock(hashtext(:t))"), {"t": version_table})
        try:
            await conn.run_sync(_do_run, metadata, version_table)
            await conn.commit()
        except BaseException:
            await conn.rollback()
            raise
        finally:
            if postgres:
                await conn.execute(
                    text("SELECT pg_advisory_unlock(hashtext(:t))"), {"t": version_table}
                )
                await conn.commit()
    await engine.dispose()


def run_env(metadata: MetaData) -> None:
    """Entry point for ``env.py``: online migrations on the configured async URL."""
    cfg = context.config
    url = cfg.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url must be set by shared.store.alembic_config"
    version_table = cfg.get_main_option("version_table") or "alembic_version"
    coro = _run_async(url, metadata, version_table)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coro)
        return
    # Called from a thread while a loop runs elsewhere: give this thread its own loop.
    asyncio.new_event_loop().run_until_complete(coro)
