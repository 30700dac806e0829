"""Cases in a real store: a batch reads all its cases at once and writes them at its commit."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from notify.bootstrap import MIGRATIONS
from notify.domain.case import Application, Notification, TimelineEntry
from notify.service_layer.unit_of_work import NotifyUnitOfWork
from shared.subjects import Namespace
from sqlalchemy import event

from shared import store

AT = datetime(2026, 11, 2, 9, tzinfo=UTC)


async def test_a_batch_reads_its_cases_in_four_statements_and_keeps_every_change(
    database_url: str,
) -> None:
    await store.migrate(database_url, MIGRATIONS, "notify")
    engine = store.create_engine(database_url)
    sessions = store.session_factory(engine)
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(" ".join(statement.split()[:3]).upper())

    try:
        async with NotifyUnitOfWork(sessions, Namespace("t")) as uow:  # an earlier event
            case = await uow.cases.get("old")
            assert case is not None
            case.receive(Application("e-old", "T-1", "settlement_permit", "en", AT, ()))
            await uow.cases.save(case)
            await uow.commit()

        event.listen(engine.sync_engine, "before_cursor_execute", count)
        async with NotifyUnitOfWork(sessions, Namespace("t")) as uow:
            await uow.cases.preload(["new", "old", "new"])
            assert [s.split()[0] for s in statements] == ["INSERT", "SELECT", "SELECT", "SELECT"]
            old, new = await uow.cases.get("old"), await uow.cases.get("new")
            assert old is not None
            assert new is not None
            assert old.ticket == "T-1", "what was stored before is read"
            assert new.timeline == []
            for n, case in enumerate((old, new, old)):  # the same case twice in one batch
                case.add(TimelineEntry("routed", AT + timedelta(minutes=n), {}, f"e-{n}"))
                case.record(Notification(f"n-{n}", "routed", "status_page", "sent", f"e-{n}", AT))
                await uow.cases.save(case)
                assert await uow.cases.get(case.case_id) is case
            assert len(statements) == 4, "nothing is written before the commit"
            await uow.commit()
        writes = Counter(s for s in statements[4:] if not s.startswith("SELECT"))
        assert writes["INSERT INTO TIMELINE"] == 1, "a batch's steps go in one statement"
        assert writes["INSERT INTO NOTIFICATIONS"] == 1

        async with NotifyUnitOfWork(sessions, Namespace("t")) as uow:
            old, new = await uow.cases.get("old"), await uow.cases.get("new")
            assert old is not None
            assert new is not None
            assert [e.event_id for e in old.timeline] == ["e-old", "e-0", "e-2"]
            assert [n.id for n in old.notifications] == ["n-0", "n-2"]
            assert [e.event_id for e in new.timeline] == ["e-1"]
            assert [n.id for n in new.notifications] == ["n-1"]
    finally:
        await engine.dispose()
