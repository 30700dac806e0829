"""The audit log is append-only in effect: any edit, insertion or deletion is detected."""

from __future__ import annotations

import asyncio

import pytest
from shared.audit import record, verify_chain
from shared.store import create_engine, migrate, session_factory
from sqlalchemy import text

from .probe import MIGRATIONS


@pytest.fixture
async def sessions(database_url: str):  # type: ignore[no-untyped-def]
    await migrate(database_url, MIGRATIONS, "routing")
    engine = create_engine(database_url)
    yield session_factory(engine)
    await engine.dispose()


async def test_chain_verifies_and_survives_concurrent_writers(sessions) -> None:  # type: ignore[no-untyped-def]
    await asyncio.gather(
        *(record(sessions, actor=f"sb-{i}", action="case.read", case_ref=f"T{i}") for i in range(8))
    )
    async with sessions() as session:
        check = await verify_chain(session)
    assert check.ok
    assert check.entries == 8


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE audit_log SET reason = 'nothing to see' WHERE id = 2",
        "UPDATE audit_log SET actor = 'someone-else' WHERE id = 2",
        "DELETE FROM audit_log WHERE id = 2",
    ],
    ids=["reason edited", "actor edited", "entry deleted"],
)
async def test_tampering_is_detected(sessions, tamper: str) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        await record(
            sessions, actor="sb-1", action="case.decide", case_ref="T1", reason=f"step {i}"
        )
    async with sessions() as session:
        await session.execute(text(tamper))
        await session.commit()
        check = await verify_chain(session)
    assert not check.ok
    assert check.first_broken_id in {2, 3}
