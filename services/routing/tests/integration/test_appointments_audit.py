"""Appointments without double booking, team scope, and the audit log (real NATS and store)."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest
from shared.contracts import AppointmentBooked
from shared.subjects import Namespace
from shared.testing.app import eventually

from ..fakes import received
from .helpers import ANA, HEAD, has, publish_event, published, routing_app

pytestmark = pytest.mark.nats
AUDITOR = {"X-Lotse-Staff": "s-aud", "X-Lotse-Role": "auditor"}
OTHER_TEAM = {"X-Lotse-Staff": "s-fam", "X-Lotse-Role": "caseworker", "X-Lotse-Team": "family"}


async def test_concurrent_bookings_never_share_a_seat_and_every_read_is_audited(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    tickets = [f"T-AP{i}" for i in range(6)]
    async with routing_app(nats_url, namespace, database_url, tmp_path) as client:
        for ticket in tickets:  # concern "unclassified" needs no visit: nothing booked yet
            await publish_event(nats_url, namespace, received(ticket, concern="unclassified"))

        async def routed() -> bool:
            codes = [
                (await client.get(f"/v1/cases/{t}", headers=HEAD)).status_code for t in tickets
            ]
            return codes == [200] * len(tickets)

        await eventually(routed)
        booked = await asyncio.gather(
            *(client.post(f"/v1/cases/{t}/appointment", headers=ANA) for t in tickets)
        )
        denied = await client.get(f"/v1/cases/{tickets[0]}", headers=OTHER_TEAM)
        again = await client.post(f"/v1/cases/{tickets[0]}/appointment", headers=ANA)
        trail = await client.get("/v1/audit", params={"case": tickets[0]}, headers=AUDITOR)
        not_auditor = await client.get("/v1/audit/verify", headers=ANA)
        chain = await client.get("/v1/audit/verify", headers=AUDITOR)
        await eventually(has(nats_url, namespace, AppointmentBooked, len(tickets)))
        events = await published(nats_url, namespace, AppointmentBooked)
    assert [r.status_code for r in booked] == [200] * len(tickets), [r.text for r in booked]
    starts = Counter(r.json()["starts_at"] for r in booked)
    assert max(starts.values()) <= 2  # the residence calendar has 2 seats per slot
    assert sorted(e["data"]["ticket"] for e in events) == sorted(tickets)
    assert denied.status_code == 403
    assert again.status_code == 409
    actions = [e["action"] for e in trail.json()["entries"]]
    assert "read_case" in actions
    assert "book_appointment" in actions
    assert not_auditor.status_code == 403
    assert chain.json()["ok"] is True
