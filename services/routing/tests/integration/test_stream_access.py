"""Who may see a team's queue: the list needs a reader of the team, the stream a fresh ticket."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from routing.entrypoints.app import create_app
from shared.subjects import Namespace
from shared.testing.app import serving

from ..fakes import FakeClock
from .helpers import ANA, HEAD, routing_app, settings

pytestmark = pytest.mark.nats

FAMILY = {"X-Lotse-Staff": "s-fay", "X-Lotse-Role": "caseworker", "X-Lotse-Team": "family"}
COUNTER = {"X-Lotse-Staff": "s-sam", "X-Lotse-Role": "service_point"}
AUDITOR = {"X-Lotse-Staff": "s-aud", "X-Lotse-Role": "auditor"}


async def test_queue_and_stream_ticket_are_for_readers_of_the_team_only(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    async with routing_app(nats_url, namespace, db, tmp_path) as client:
        status = {
            name: [
                (await client.get("/v1/queues/residence", headers=who)).status_code,
                (await client.post("/v1/queues/residence/stream-ticket", headers=who)).status_code,
            ]
            for name, who in {
                "nobody": {}, "other team": FAMILY, "auditor": AUDITOR,
                "own team": ANA, "service point": COUNTER, "head": HEAD,
            }.items()
        }  # fmt: skip
        issued = (await client.post("/v1/queues/residence/stream-ticket", headers=ANA)).json()
    assert status == {
        "nobody": [401, 401], "other team": [403, 403], "auditor": [403, 403],
        "own team": [200, 200], "service point": [200, 200], "head": [200, 200],
    }  # fmt: skip
    assert issued["expires_in"] == 60
    assert issued["ticket"].startswith("residence.")


async def test_the_stream_refuses_no_forged_expired_or_other_team_tickets(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    clock = FakeClock()
    db = f"sqlite:///{tmp_path / 'r.db'}"
    async with routing_app(nats_url, namespace, db, tmp_path, clock) as client:

        async def ticket(team: str, who: dict[str, str]) -> str:
            answer = await client.post(f"/v1/queues/{team}/stream-ticket", headers=who)
            return str(answer.json()["ticket"])

        own, family = await ticket("residence", ANA), await ticket("family", FAMILY)
        team, expires, mac = own.split(".")
        forged = f"{team}.{int(expires) + 3600}.{mac}"
        refused = {
            "none": await client.get("/v1/queues/residence/stream", headers=ANA),
            "forged": await client.get(f"/v1/queues/residence/stream?ticket={forged}"),
            "other team": await client.get(f"/v1/queues/residence/stream?ticket={family}"),
        }
        clock.moment += timedelta(seconds=61)
        refused["expired"] = await client.get(f"/v1/queues/residence/stream?ticket={own}")

    assert {name: r.status_code for name, r in refused.items()} == {
        "none": 401, "forged": 401, "other team": 403, "expired": 401,
    }  # fmt: skip
    for answer in refused.values():
        assert answer.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in answer.json()["errors"]] == ["ticket"]
    assert "expired" in refused["expired"].json()["detail"]


async def test_a_fresh_ticket_opens_the_live_queue(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    config = settings(nats_url, namespace, f"sqlite:///{tmp_path / 'r.db'}", tmp_path)
    async with serving(create_app(config, clock=FakeClock())) as base, httpx.AsyncClient() as http:
        answer = await http.post(f"{base}/v1/queues/residence/stream-ticket", headers=ANA)
        url = f"{base}/v1/queues/residence/stream"
        params = {"ticket": answer.json()["ticket"]}
        async with http.stream("GET", url, params=params, timeout=10) as stream:
            assert stream.status_code == 200
            async for line in stream.aiter_lines():
                if line.startswith("data:"):
                    first = line
                    break
    assert first == 'data: {"team":"residence","cases":[],"hold":[]}'
