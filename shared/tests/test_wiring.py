"""Wiring on FastStream's in-memory TestNatsBroker: the subscriber's model is its contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from faststream.nats import TestNatsBroker
from shared.contracts import ApplicationReceived
from shared.store import migrate
from shared.subjects import Namespace

from .probe import MIGRATIONS, ProbeSettings, build_probe, received


async def test_subscriber_decodes_cloudevent_and_applies_it_once(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'p.db'}"
    probe = build_probe(ProbeSettings(namespace="wired", database_url=db))
    await migrate(db, MIGRATIONS, "routing")
    ns = Namespace("wired")
    event = received("W1")
    async with TestNatsBroker(probe.runtime.broker) as broker:
        for _ in range(2):
            await broker.publish(json.loads(event.to_json_bytes()), ns.subject(ApplicationReceived))
    assert [t for _, t in await probe.seen()] == ["W1"]
    await probe.runtime.engine.dispose()


async def test_subscriber_rejects_event_that_breaks_the_contract(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'p.db'}"
    probe = build_probe(ProbeSettings(namespace="wired", database_url=db))
    await migrate(db, MIGRATIONS, "routing")
    broken = json.loads(received("W2").to_json_bytes())
    del broken["subject"]
    async with TestNatsBroker(probe.runtime.broker) as broker:
        with pytest.raises(Exception, match="subject"):
            await broker.publish(broken, Namespace("wired").subject(ApplicationReceived))
    assert await probe.seen() == []
    await probe.runtime.engine.dispose()
