"""Routing against a real nats-server and store: route, announce, dedupe, dead-letter."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import nats
import pytest
from routing.config import Settings
from routing.entrypoints.app import create_app
from shared.contracts import ApplicationReceived, CaseRouted
from shared.messaging.deadletter import REASON
from shared.messaging.outbox import event_headers
from shared.subjects import Namespace
from shared.testing.app import eventually, running_app

from ..fakes import FakeClock, received
from .helpers import HEAD

pytestmark = pytest.mark.nats


@asynccontextmanager
async def routing(url: str, ns: Namespace, db: str, tmp: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(nats_url=url, namespace=ns.prefix, database_url=db, var_dir=tmp)
    async with running_app(create_app(settings, clock=FakeClock())) as client:
        yield client


async def publish(url: str, ns: Namespace, body: bytes, headers: dict[str, str]) -> None:
    nc = await nats.connect(url)
    try:
        await nc.jetstream().publish(ns.subject(ApplicationReceived), body, headers=headers)
    finally:
        await nc.close()


async def stream_events(url: str, ns: Namespace, subject: str, stream: str) -> list[dict]:
    """Every message on ``subject`` in ``stream`` so far (an ephemeral consumer reads them)."""
    nc = await nats.connect(url)
    try:
        sub = await nc.jetstream().pull_subscribe(subject, stream=stream)
        found: list[dict] = []
        while True:
            try:
                batch = await sub.fetch(100, timeout=0.5)
            except (nats.errors.TimeoutError, TimeoutError):  # nats-py raises either
                return found
            found += [{"body": _json(m.data), "headers": m.headers or {}} for m in batch]
    finally:
        await nc.close()


def _json(data: bytes) -> dict:
    return json.loads(data) if data else {}  # dead letters keep no payload


async def routed(url: str, ns: Namespace) -> list[dict]:
    events = await stream_events(url, ns, ns.subject(CaseRouted), ns.stream("routing"))
    return [e["body"] for e in events]


async def dead_letters(url: str, ns: Namespace) -> list[dict]:
    return await stream_events(url, ns, f"{ns.prefix}.deadletter.>", ns.stream("deadletter"))


async def case_exists(client: httpx.AsyncClient, ticket: str) -> bool:
    return (await client.get(f"/v1/cases/{ticket}", headers=HEAD)).status_code == 200


async def test_application_received_is_routed_shown_and_announced(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    at = "2026-11-20T07:30:00Z"
    event = received("K7QM-4T9X-R", permit_expires_on="2026-12-02", received_at=at)
    async with routing(nats_url, namespace, database_url, tmp_path) as client:
        await publish(nats_url, namespace, event.to_json_bytes(), event_headers(event))
        await eventually(lambda: case_exists(client, "K7QM-4T9X-R"))

        case = (await client.get("/v1/cases/k7qm-4t9x-r", headers=HEAD)).json()
        queue = (await client.get("/v1/queues/residence", headers=HEAD)).json()
        await eventually(lambda: _has_routed(nats_url, namespace, 1))
        [announced] = await routed(nats_url, namespace)

    reason = "permit expires in 9 days → priority high (rules v1 §permit-expiring)"
    assert case == {
        "ticket": "K7QM-4T9X-R", "case_id": "case-K7QM-4T9X-R",
        "concern": "residence_permit_extension", "team": "residence", "priority": "high",
        "reasons": [reason], "rule_version": "v1", "status": "queued", "language": "de",
        "channel": "online", "received_at": "2026-11-20T07:30:00Z",
        "routed_at": "2026-11-23T09:00:00Z", "due_on": "2026-12-11", "claimed_by": None,
        "paused_business_days": 0, "outcome": None,
    }  # fmt: skip
    assert queue == {
        "team": "residence",
        "cases": [
            {"ticket": "K7QM-4T9X-R", "priority": "high", "reasons": [reason],
             "language": "de", "waiting_since": "2026-11-20T07:30:00Z", "status": "queued",
             "due_on": "2026-12-11", "claimed_by": None},
        ],
        "hold": [],
    }  # fmt: skip
    assert announced["type"] == "de.lotse.routing.case_routed.v1"
    assert announced["subject"] == "case-K7QM-4T9X-R"
    assert announced["correlationid"] == event.correlationid
    assert announced["data"]["priority"] == "high"
    assert announced["data"]["reasons"] == [reason]
    assert announced["data"]["due_on"] == "2026-12-11"  # 15 business days in Baden-Württemberg


async def _has_routed(url: str, ns: Namespace, count: int) -> bool:
    return len(await routed(url, ns)) >= count


async def test_unknown_ticket_is_a_404_problem_and_bad_team_a_422(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    async with routing(nats_url, namespace, f"sqlite:///{tmp_path / 'r.db'}", tmp_path) as client:
        missing = await client.get("/v1/cases/NOPE-NOPE-X", headers=HEAD)
        bad_team = await client.get("/v1/queues/Not%20A%20Team", headers=HEAD)
        empty = await client.get("/v1/queues/family", headers=HEAD)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["errors"] == [{"field": "ticket", "reason": "unknown"}]
    assert bad_team.status_code == 422
    assert bad_team.json()["errors"][0]["field"] == "team"
    assert empty.json() == {"team": "family", "cases": [], "hold": []}


async def test_same_event_under_a_second_message_id_gives_one_case_and_one_case_routed(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    event, marker = received("T-TWICE"), received("T-MARKER")
    headers = event_headers(event)
    async with routing(nats_url, namespace, f"sqlite:///{tmp_path / 'r.db'}", tmp_path) as client:
        await publish(nats_url, namespace, event.to_json_bytes(), headers)
        await publish(nats_url, namespace, event.to_json_bytes(), {**headers, "Nats-Msg-Id": "x"})
        await publish(nats_url, namespace, marker.to_json_bytes(), event_headers(marker))
        await eventually(lambda: _has_routed(nats_url, namespace, 2))
        queue = (await client.get("/v1/queues/residence", headers=HEAD)).json()
        announced = await routed(nats_url, namespace)
    assert sorted(c["ticket"] for c in queue["cases"]) == ["T-MARKER", "T-TWICE"]
    assert [e["data"]["ticket"] for e in announced] == ["T-TWICE", "T-MARKER"]


async def test_schema_violation_is_dead_lettered_and_the_consumer_goes_on(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    good = received("T-GOOD")
    broken = json.loads(good.to_json_bytes())
    broken["id"] = "broken-1"
    broken["data"]["channel"] = "carrier_pigeon"
    async with routing(nats_url, namespace, f"sqlite:///{tmp_path / 'r.db'}", tmp_path) as client:
        await publish(nats_url, namespace, json.dumps(broken).encode(), {"Nats-Msg-Id": "broken-1"})
        await publish(nats_url, namespace, good.to_json_bytes(), event_headers(good))
        await eventually(lambda: case_exists(client, "T-GOOD"))
        dead: list[dict] = []

        async def parked() -> bool:
            dead[:] = await dead_letters(nats_url, namespace)
            return bool(dead)

        await eventually(parked)
        queue = (await client.get("/v1/queues/residence", headers=HEAD)).json()
    assert [d["headers"]["Lotse-Original-Sequence"] for d in dead] == ["1"]
    assert [d["body"] for d in dead] == [{}]
    assert "data.channel" in dead[0]["headers"][REASON]
    assert [c["ticket"] for c in queue["cases"]] == ["T-GOOD"]


async def test_a_batch_with_a_twin_and_a_taken_ticket_routes_each_case_once(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    first, later = received("T-ONE"), received("T-TWO")
    twin = received("T-ONE")  # the same case under another event id
    thief = received("T-ONE", case_id="case-someone-else")  # a ticket that is taken
    assert len({first.id, twin.id, thief.id}) == 3
    async with routing(nats_url, namespace, database_url, tmp_path) as client:
        for event in (first, twin, thief, later):  # close together: mostly one pull batch
            await publish(nats_url, namespace, event.to_json_bytes(), event_headers(event))
        dead: list[dict] = []

        async def settled() -> bool:
            dead[:] = await dead_letters(nats_url, namespace)
            return bool(dead) and await _has_routed(nats_url, namespace, 2)

        await eventually(settled, timeout=30)
        queue = (await client.get("/v1/queues/residence", headers=HEAD)).json()
        announced = await routed(nats_url, namespace)
    assert sorted(c["ticket"] for c in queue["cases"]) == ["T-ONE", "T-TWO"]
    assert sorted(e["data"]["case_id"] for e in announced) == ["case-T-ONE", "case-T-TWO"]
    assert len(dead) == 1
    assert "already belongs to case case-T-ONE" in dead[0]["headers"][REASON]
