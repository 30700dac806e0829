"""Batch consumers against a real nats-server: one transaction per pull batch, yet every
message keeps its own fate (done once, retried, or parked)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import cast

import nats
import pytest
from nats.aio.msg import Msg
from shared.contracts import ApplicationReceived
from shared.messaging.batch import Delivered
from shared.messaging.deadletter import REASON, PoisonMessage
from shared.messaging.inbox import is_duplicate_delivery
from shared.messaging.outbox import event_headers
from shared.store import migrate
from shared.subjects import Namespace
from shared.testing.app import eventually
from shared.uow import SqlUnitOfWork, outcomes, process_events
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from .probe import MIGRATIONS, ProbeSettings, build_probe, received
from .test_delivery import dead_letters, publish_raw, running_probe


@pytest.mark.nats
async def test_a_burst_is_applied_once_per_event_in_batches(
    nats_url: str, namespace: Namespace, database_url: str
) -> None:
    async with running_probe(nats_url, namespace, database_url, batches=True) as probe:
        events = [received(f"B{i:03}") for i in range(120)]
        await probe.stage(*events)
        # the same event again under another message id, as after a lost ack
        twin = events[7]
        subject = namespace.subject(type(twin))
        headers = {**event_headers(twin), "Nats-Msg-Id": f"{twin.id}-again"}
        await publish_raw(nats_url, subject, twin.to_json_bytes(), headers)

        async def all_seen() -> bool:
            return len(await probe.seen()) >= 120 and sum(probe.batches) >= 121

        await eventually(all_seen, timeout=60)
        assert sorted(t for _, t in await probe.seen()) == [f"B{i:03}" for i in range(120)]
        assert max(probe.batches) > 1, "events arrived one by one: no batch was formed"
        assert all(n == 1 for n in probe.attempts.values()), "a good batch runs each event once"


@pytest.mark.nats
async def test_one_bad_event_costs_only_itself(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'probe.db'}"
    async with running_probe(nats_url, namespace, db, batches=True, max_deliver=3) as probe:
        good = [received(f"G{i}") for i in range(10)]
        failing = received("FAIL-1")
        poison = json.loads(good[0].to_json_bytes())
        poison["id"] = "poison-in-batch"
        del poison["data"]["ticket"]
        subject = namespace.subject(type(failing))
        # published before the consumer pulls: they arrive in the same batches
        await publish_raw(nats_url, subject, json.dumps(poison).encode(), {"Nats-Msg-Id": "p1"})
        await probe.stage(*good[:5], failing, *good[5:])

        dead: list[nats.aio.msg.Msg] = []

        async def both_parked() -> bool:
            dead[:] = await dead_letters(nats_url, namespace)
            return len(dead) >= 2

        await eventually(both_parked, timeout=60)
        reasons = sorted(d.headers[REASON] for d in dead)
        assert any("data.ticket: Field required" in r for r in reasons), reasons
        assert any("gave up after 3 deliveries" in r for r in reasons), reasons
        assert sorted(t for _, t in await probe.seen()) == sorted(e.data.ticket for e in good)
        assert probe.attempts[failing.id] >= 3


async def test_an_event_that_cannot_be_translated_is_its_own_error(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'p.db'}"
    probe = build_probe(ProbeSettings(namespace="batchunit", database_url=db))
    await migrate(db, MIGRATIONS, "routing")
    runtime = probe.runtime
    first = received("U1")
    events = [first, received("BROKEN"), received("U2"), first]  # U1 twice in one batch

    def prepare(event: ApplicationReceived) -> Callable[[SqlUnitOfWork], Awaitable[None]]:
        if event.data.ticket == "BROKEN":
            raise PoisonMessage("data.ticket: not a ticket")

        async def apply(uow: SqlUnitOfWork) -> None:
            await uow.session.execute(
                text("INSERT INTO probe_seen (event_id, ticket) VALUES (:e, :t)"),
                {"e": event.id, "t": event.data.ticket},
            )

        return apply

    def open_uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(runtime.sessions, runtime.ns)

    items = [Delivered(e, cast(Msg, None)) for e in events]
    results = await process_events(open_uow, "probe", items, prepare)
    assert [results[0], results[2], results[3]] == [True, True, False]
    assert isinstance(results[1], PoisonMessage)
    assert outcomes(results) == [None, results[1], None, None]
    again = await process_events(open_uow, "probe", items[:1], prepare)
    assert again == [False], "a redelivery changes nothing"
    assert sorted(t for _, t in await probe.seen()) == ["U1", "U2"]
    await runtime.engine.dispose()


def test_the_asyncapi_document_shows_a_batch_consumers_single_event() -> None:
    probe = build_probe(ProbeSettings(namespace="batchdoc"), batches=True)
    schemas = probe.runtime.asyncapi()["components"]["schemas"]
    (payload,) = schemas.values()
    assert payload["type"] == "object", "one event per message, not the pulled list"
    assert (
        payload["properties"]["type"]["const"] == ApplicationReceived.model_fields["type"].default
    )
    assert "$ref" not in json.dumps(payload), "self-contained: no dangling references"


async def test_staged_events_and_inbox_rows_are_written_at_commit_and_dropped_on_rollback(
    database_url: str,
) -> None:
    probe = build_probe(ProbeSettings(namespace="outboxunit", database_url=database_url))
    await migrate(database_url, MIGRATIONS, "routing")
    sessions, ns = probe.runtime.sessions, probe.runtime.ns
    events = [received(f"O{i}") for i in range(5)]
    try:
        async with SqlUnitOfWork(sessions, ns) as uow:
            uow.publish(received("never"))
            await uow.rollback()
            uow.publish(*events[:3])
            uow.publish(*events[3:])
            uow.mark_processed("probe", "in-1")
            uow.mark_processed("probe", "in-2")
            async with sessions() as other:
                staged = (await other.execute(text("SELECT count(*) FROM outbox"))).scalar_one()
                marked = (await other.execute(text("SELECT count(*) FROM inbox"))).scalar_one()
            assert (staged, marked) == (0, 0), "nothing is written before the commit"
            await uow.commit()
        async with sessions() as session:
            rows = (await session.execute(text("SELECT event_id FROM outbox ORDER BY id"))).all()
        assert [r.event_id for r in rows] == [e.id for e in events]
        async with SqlUnitOfWork(sessions, ns) as uow:  # a twin that lost the race
            uow.mark_processed("probe", "in-2")
            with pytest.raises(IntegrityError) as lost:
                await uow.commit()
        assert is_duplicate_delivery(lost.value)
    finally:
        await probe.runtime.engine.dispose()
