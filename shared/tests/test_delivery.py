"""Delivery guarantees against a real nats-server: outbox, inbox, retries, dead letters."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import nats
import pytest
from prometheus_client import CollectorRegistry
from shared.deadletters import list_dead_letters, replay
from shared.messaging.deadletter import ORIGINAL_SEQUENCE, ORIGINAL_STREAM, REASON
from shared.messaging.outbox import event_headers
from shared.messaging.relay import OutboxRelay, RelayMetrics, outbox_backlog
from shared.subjects import Namespace
from shared.testing.app import eventually
from shared.testing.nats_server import NatsServer
from sqlalchemy import text

from .probe import Probe, ProbeSettings, build_probe, received

pytestmark = pytest.mark.nats


@asynccontextmanager
async def running_probe(
    url: str, ns: Namespace, db: str, *, batches: bool = False, **settings: object
) -> AsyncIterator[Probe]:
    probe = build_probe(
        ProbeSettings(nats_url=url, namespace=ns.prefix, database_url=db, **settings),  # type: ignore[arg-type]
        batches=batches,
    )
    await probe.runtime.start()
    await asyncio.wait_for(probe.runtime.broker_up.wait(), 20)
    try:
        yield probe
    finally:
        await probe.runtime.stop()


async def publish_raw(url: str, subject: str, payload: bytes, headers: dict[str, str]) -> int:
    nc = await nats.connect(url)
    try:
        ack = await nc.jetstream().publish(subject, payload, headers=headers)
        return int(ack.seq)
    finally:
        await nc.close()


async def test_outbox_event_reaches_consumer_once(
    nats_url: str, namespace: Namespace, database_url: str
) -> None:
    async with running_probe(nats_url, namespace, database_url) as probe:
        event = received("T1")
        await probe.stage(event)

        async def seen_one() -> bool:
            return len(await probe.seen()) == 1

        await eventually(seen_one)
        assert await probe.seen() == [(event.id, "T1")]


async def test_same_event_delivered_twice_changes_state_once(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'probe.db'}"
    async with running_probe(nats_url, namespace, db) as probe:
        event = received("T2")
        subject = namespace.subject(type(event))
        first = event_headers(event)
        # a second copy under another message id gets past the stream's dedupe window,
        # as a redelivery after an ack was lost would
        second = {**first, "Nats-Msg-Id": f"{event.id}-again"}
        await publish_raw(nats_url, subject, event.to_json_bytes(), first)
        await publish_raw(nats_url, subject, event.to_json_bytes(), second)
        marker = received("T2-marker")
        await publish_raw(nats_url, subject, marker.to_json_bytes(), event_headers(marker))

        async def marker_seen() -> bool:
            return any(t == "T2-marker" for _, t in await probe.seen())

        await eventually(marker_seen)
        assert [t for _, t in await probe.seen()] == ["T2", "T2-marker"]


async def test_stream_drops_resend_with_same_message_id(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'probe.db'}"
    async with running_probe(nats_url, namespace, db):
        event = received("T3")
        subject = namespace.subject(type(event))
        seq1 = await publish_raw(nats_url, subject, event.to_json_bytes(), event_headers(event))
        seq2 = await publish_raw(nats_url, subject, event.to_json_bytes(), event_headers(event))
        assert seq1 == seq2


async def test_failing_consumer_is_redelivered_and_succeeds(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'probe.db'}"
    async with running_probe(nats_url, namespace, db) as probe:
        probe.fail_first = 2
        event = received("T4")
        await probe.stage(event)
        await asyncio.wait_for(probe.processed.wait(), 30)
        assert probe.attempts[event.id] == 3
        assert [t for _, t in await probe.seen()] == ["T4"]


async def dead_letters(url: str, ns: Namespace) -> list[nats.aio.msg.Msg]:
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        sub = await js.pull_subscribe(f"{ns.prefix}.deadletter.>", stream=ns.stream("deadletter"))
        try:
            return list(await sub.fetch(10, timeout=0.5))
        except (nats.errors.TimeoutError, TimeoutError):  # nats-py raises either
            return []
    finally:
        await nc.close()


async def test_message_failing_max_deliver_times_lands_in_dead_letter_stream(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'probe.db'}"
    async with running_probe(nats_url, namespace, db, max_deliver=3) as probe:
        probe.always_fail = True
        event = received("T5")
        await probe.stage(event)

        dead: list[nats.aio.msg.Msg] = []

        async def parked() -> bool:
            dead[:] = await dead_letters(nats_url, namespace)
            return bool(dead)

        await eventually(parked, timeout=30)
        assert probe.attempts[event.id] == 3
        assert "gave up after 3 deliveries" in dead[0].headers[REASON]
        assert dead[0].data == b"", "no payload (it may hold personal data)"
        original = await probe.runtime.jetstream().get_msg(
            dead[0].headers[ORIGINAL_STREAM], int(dead[0].headers[ORIGINAL_SEQUENCE])
        )
        assert json.loads(original.data)["id"] == event.id
        assert await probe.seen() == []


async def test_poison_message_is_parked_with_reason_and_consumer_goes_on(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'probe.db'}"
    async with running_probe(nats_url, namespace, db) as probe:
        good = received("T6")
        subject = namespace.subject(type(good))
        broken = json.loads(good.to_json_bytes())
        del broken["data"]["ticket"]
        await publish_raw(
            nats_url, subject, json.dumps(broken).encode(), {"Nats-Msg-Id": "poison-1"}
        )
        await publish_raw(nats_url, subject, good.to_json_bytes(), event_headers(good))
        await asyncio.wait_for(probe.processed.wait(), 20)

        dead: list[nats.aio.msg.Msg] = []

        async def parked() -> bool:
            dead[:] = await dead_letters(nats_url, namespace)
            return bool(dead)

        await eventually(parked)
        assert "data.ticket: Field required" in dead[0].headers[REASON]
        assert [t for _, t in await probe.seen()] == ["T6"]


async def stream_tickets(url: str, ns: Namespace) -> list[str]:
    """Tickets in the intake stream, in stream order."""
    nc = await nats.connect(url)
    try:
        sub = await nc.jetstream().pull_subscribe(
            f"{ns.prefix}.intake.>", stream=ns.stream("intake")
        )
        return [json.loads(m.data)["data"]["ticket"] for m in await sub.fetch(100, timeout=1)]
    finally:
        await nc.close()


async def test_outbox_keeps_events_while_nats_is_down_and_delivers_in_order(
    private_nats: NatsServer, tmp_path: Path
) -> None:
    ns = Namespace("outage")
    db = f"sqlite:///{tmp_path / 'probe.db'}"
    async with running_probe(private_nats.url, ns, db) as probe:
        private_nats.stop()
        events = [received(f"T7-{i}") for i in range(20)]
        for event in events:
            await probe.stage(event)
        await asyncio.sleep(1.0)
        backlog = await outbox_backlog(probe.runtime.sessions)
        assert backlog.pending == 20
        assert await probe.seen() == []

        private_nats.start()

        async def all_seen() -> bool:
            return len(await probe.seen()) == 20

        await eventually(all_seen, timeout=60)
        tickets = [f"T7-{i}" for i in range(20)]
        assert await stream_tickets(private_nats.url, ns) == tickets
        assert sorted(t for _, t in await probe.seen()) == sorted(tickets)
        assert (await outbox_backlog(probe.runtime.sessions)).pending == 0


async def test_sent_outbox_rows_are_purged_after_the_keep_period(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'probe.db'}"
    async with running_probe(nats_url, namespace, db) as probe:
        await probe.stage(received("T8"))

        async def seen_one() -> bool:
            return len(await probe.seen()) == 1

        await eventually(seen_one)
        rt = probe.runtime
        relay = OutboxRelay(
            rt.sessions,
            rt.jetstream,
            lambda: True,
            RelayMetrics(CollectorRegistry()),
            keep_sent_s=0.0,
        )
        await relay.relay_once()
        async with rt.sessions() as session:
            remaining = (await session.execute(text("SELECT count(*) FROM outbox"))).scalar_one()
        assert remaining == 0


async def test_operator_lists_dead_letters_with_reason_and_replays_them_after_a_fix(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'probe.db'}"
    async with running_probe(nats_url, namespace, db, max_deliver=2) as probe:
        probe.always_fail = True
        event = received("T9")
        await probe.stage(event)
        js = probe.runtime.jetstream()

        async def parked() -> bool:
            return len(await list_dead_letters(js, namespace)) == 1

        await eventually(parked, timeout=30)
        [letter] = await list_dead_letters(js, namespace)
        assert letter.original_subject == namespace.subject(type(event))
        assert letter.reason == "gave up after 2 deliveries: RuntimeError"
        assert letter.deliveries == 2

        probe.always_fail = False  # the operator fixed the cause
        await replay(js, namespace, letter.seq)
        await asyncio.wait_for(probe.processed.wait(), 20)
        assert [t for _, t in await probe.seen()] == ["T9"]
        assert await list_dead_letters(js, namespace) == []
