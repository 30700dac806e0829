"""Batch consumers against a real nats-server: one transaction per pull batch, yet every
message keeps its own fate (done once, retried, or parked)."""

from __future__ import annotations

import json
from pathlib import Path

import nats
import pytest
from shared.messaging.deadletter import REASON
from shared.messaging.outbox import event_headers
from shared.subjects import Namespace
from shared.testing.app import eventually

from .probe import received
from .test_delivery import dead_letters, publish_raw, running_probe

pytestmark = pytest.mark.nats


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
