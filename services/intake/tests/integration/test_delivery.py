"""Intake against a real nats-server and store: events reach the stream, even after an outage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nats
import pytest
from intake.config import Settings
from intake.entrypoints.app import create_app
from nats.aio.msg import Msg
from shared.subjects import Namespace
from shared.testing.app import eventually, running_app
from shared.testing.nats_server import NatsServer

pytestmark = pytest.mark.nats

BODY: dict[str, Any] = {
    "concern": "family_reunification",
    "channel": "counter",
    "language": "ar",
    "applicant": {
        "given_name": "Leyla",
        "family_name": "Karimi",
        "date_of_birth": "1990-05-17",
        "nationality": "AFG",
        "email": "leyla.karimi@example.org",
        "phone": "+49 151 7654321",
        "postal_address": "Marktplatz 1, 72070 Tübingen",
    },
    "travel_date": "2026-06-01",
    "urgency_reason": "Mutter im Krankenhaus",
    "message": "Mein Mann wartet in Kabul",
    "documents": [{"kind": "passport"}, {"kind": "marriage_certificate"}],
}
OPERATOR = {"X-Lotse-Staff": "op-1", "X-Lotse-Role": "operator"}
PERSONAL = ("Leyla", "Karimi", "1990-05-17", "leyla.karimi", "7654321", "Marktplatz", "Krankenhaus")


def settings(url: str, ns: Namespace, db: str, tmp_path: Path) -> Settings:
    return Settings(nats_url=url, namespace=ns.prefix, database_url=db, var_dir=tmp_path)


async def stream_messages(url: str, ns: Namespace) -> list[Msg]:
    """Every message on the namespace's intake stream, in stream order."""
    nc = await nats.connect(url)
    try:
        sub = await nc.jetstream().pull_subscribe(
            f"{ns.prefix}.intake.>", stream=ns.stream("intake")
        )
        try:
            return list(await sub.fetch(100, timeout=1))
        except (nats.errors.TimeoutError, TimeoutError):  # nats-py raises either
            return []
    finally:
        await nc.close()


async def test_application_events_reach_the_intake_stream(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    app = create_app(settings(nats_url, namespace, database_url, tmp_path))
    async with running_app(app) as client:
        response = await client.post("/v1/applications", json=BODY)
        assert response.status_code == 201
        receipt = response.json()
        messages: list[Msg] = []

        async def both_published() -> bool:
            messages[:] = await stream_messages(nats_url, namespace)
            return len(messages) == 2

        await eventually(both_published)
        lead = {"X-Lotse-Staff": "tl-2", "X-Lotse-Role": "team_lead", "X-Lotse-Team": "family"}
        staff = await client.get(f"/v1/applications/{receipt['ticket']}", headers=lead)
        backlog: dict[str, Any] = {}

        async def marked_sent() -> bool:
            # rows are marked sent only after JetStream's ack, a moment after the stream has them
            backlog.update((await client.get("/v1/ops/outbox", headers=OPERATOR)).json())
            return backlog["pending"] == 0

        await eventually(marked_sent)

    received, contact = (json.loads(m.data) for m in messages)
    assert [m.headers["Nats-Msg-Id"] for m in messages] == [received["id"], contact["id"]]
    assert received["type"] == "de.lotse.intake.application_received.v1"
    assert received["subject"] == receipt["case_id"]
    assert received["data"]["walk_in"] is True
    assert received["data"]["urgent_travel"] is True
    assert received["data"]["missing_documents"] == receipt["missing_documents"]
    assert not [p for p in PERSONAL if p in messages[0].data.decode()]
    assert contact["data"]["tracking_code"] == receipt["tracking_code"]
    assert staff.json()["received_at"].startswith(received["data"]["received_at"][:19])
    assert backlog["pending"] == 0


async def test_intake_accepts_while_nats_is_down_and_delivers_in_order_after(
    private_nats: NatsServer, tmp_path: Path
) -> None:
    ns = Namespace("outage")
    db = f"sqlite:///{tmp_path / 'intake.db'}"
    app = create_app(settings(private_nats.url, ns, db, tmp_path))
    async with running_app(app) as client:
        private_nats.stop()
        tickets = []
        for concern in ("toleration", "eu_blue_card", "unclassified"):
            response = await client.post("/v1/applications", json={**BODY, "concern": concern})
            assert response.status_code == 201
            tickets.append(response.json()["ticket"])
        backlog = (await client.get("/v1/ops/outbox", headers=OPERATOR)).json()
        assert backlog["pending"] == 6
        ready = await client.get("/readyz")
        assert ready.status_code == 200

        private_nats.start()

        async def drained() -> bool:
            return (await client.get("/v1/ops/outbox", headers=OPERATOR)).json()["pending"] == 0

        await eventually(drained, timeout=60)

    messages = await stream_messages(private_nats.url, ns)
    payloads = [json.loads(m.data) for m in messages]
    assert [p["data"]["ticket"] for p in payloads] == [t for t in tickets for _ in range(2)]
    assert [p["type"].split(".")[3] for p in payloads] == [
        "application_received", "applicant_contact_recorded",
    ] * 3  # fmt: skip
