"""One writer per team at a time: loads and seats are read and changed under this lock.

PostgreSQL: a transaction-scoped advisory lock on a stable key of namespace and team, so
replicas queue instead of racing (released at commit or rollback). SQLite: the database has
one writer; ``BEGIN IMMEDIATE`` takes that write lock before anything is read, so the reads
that follow are current (waiting up to ``busy_timeout``; a timeout is an error: retried).
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

# pg_advisory_xact_lock(int, int): its own key space, apart from single-key locks (the audit
# log's); the class says "routing team".
LOCK_CLASS = int.from_bytes(b"LRtm", "big", signed=True)


def team_key(namespace: str, team: str) -> int:
    """A stable signed 32-bit key for the team (the same in every process and release)."""
    digest = hashlib.blake2b(f"{namespace}\x00{team}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


async def lock_team(session: AsyncSession, namespace: str, team: str) -> None:
    """Hold the team's write lock until this transaction ends (re-entrant within it)."""
    connection = await session.connection()
    dialect = connection.dialect.name
    if dialect == "postgresql":
        statement = sa.text("SELECT pg_advisory_xact_lock(:cls, :key)")
        await connection.execute(statement, {"cls": LOCK_CLASS, "key": team_key(namespace, team)})
    elif dialect == "sqlite":
        await _sqlite_write_lock(connection)


async def _sqlite_write_lock(connection: AsyncConnection) -> None:
    # The driver starts a transaction only at the first write, so earlier reads ran each in
    # their own snapshot. Already in a transaction means a write ran: the lock is ours.
    raw = await connection.get_raw_connection()
    if not raw.driver_connection.in_transaction:  # type: ignore[union-attr]
        await connection.exec_driver_sql("BEGIN IMMEDIATE")
