"""The applicant's appointment requests (from notify) against real NATS and the store."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

import httpx
import nats
import pytest
from shared.contracts import (
    AppointmentBooked,
    AppointmentCancelled,
    AppointmentChangeRefused,
    AppointmentChangeRequested,
    AppointmentRebooked,
)
from shared.contracts.notify.v1 import AppointmentChangeRequestedData
from shared.messaging.outbox import event_headers
from shared.subjects import Namespace
from shared.testing.app import eventually

from ..fakes import MONDAY, received
from .helpers import HEAD, has, publish_event, published, routing_app

pytestmark = pytest.mark.nats
AUDITOR = {"X-Lotse-Staff": "s-aud", "X-Lotse-Role": "auditor"}
TICKET = "T-SELF"


def request(action: Literal["cancel", "rebook"]) -> AppointmentChangeRequested:
    data = AppointmentChangeRequestedData(
        case_id=f"case-{TICKET}", ticket=TICKET, action=action, requested_at=MONDAY
    )
    return AppointmentChangeRequested.build(subject=data.case_id, data=data)


async def publish_again(url: str, ns: Namespace, event: AppointmentChangeRequested) -> int:
    """Re-send the same event under another message id (past the stream's duplicate window)."""
    headers = {**event_headers(event), "Nats-Msg-Id": f"{event.id}-again"}
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        ack = await js.publish(ns.subject(type(event)), event.to_json_bytes(), headers=headers)
        return int(ack.seq)
    finally:
        await nc.close()


def handled_up_to(url: str, ns: Namespace, seq: int) -> object:
    async def check() -> bool:
        nc = await nats.connect(url)
        try:
            durable = ns.durable("routing", AppointmentChangeRequested)
            info = await nc.jetstream().consumer_info(ns.stream("notify"), durable)
            return int(info.ack_floor.stream_seq) >= seq
        finally:
            await nc.close()

    return check


async def appointment(client: httpx.AsyncClient) -> httpx.Response:
    return await client.get(f"/v1/cases/{TICKET}/appointment", headers=HEAD)


async def test_applicant_rebooks_once_then_cancels_and_a_further_cancel_is_refused(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    async with routing_app(nats_url, namespace, database_url, tmp_path) as client:
        await publish_event(nats_url, namespace, received(TICKET))  # needs a visit: auto-booked
        await eventually(has(nats_url, namespace, AppointmentBooked))
        first = datetime.fromisoformat((await appointment(client)).json()["starts_at"])

        rebook = request("rebook")
        await publish_event(nats_url, namespace, rebook)
        seq = await publish_again(nats_url, namespace, rebook)
        await eventually(handled_up_to(nats_url, namespace, seq))
        moved = datetime.fromisoformat((await appointment(client)).json()["starts_at"])

        await publish_event(nats_url, namespace, request("cancel"))
        await eventually(has(nats_url, namespace, AppointmentCancelled))
        gone = await appointment(client)

        again = request("cancel")
        await publish_event(nats_url, namespace, again)
        await eventually(has(nats_url, namespace, AppointmentChangeRefused))
        trail = await client.get("/v1/audit", params={"case": TICKET}, headers=AUDITOR)
        rebooked = await published(nats_url, namespace, AppointmentRebooked)
        cancelled = await published(nats_url, namespace, AppointmentCancelled)
        refused = await published(nats_url, namespace, AppointmentChangeRefused)
    assert moved > first
    assert [e["data"]["by"] for e in rebooked] == ["applicant"]
    assert datetime.fromisoformat(rebooked[0]["data"]["starts_at"]) == moved
    assert [e["data"]["by"] for e in cancelled] == ["applicant"]
    assert gone.status_code == 409
    assert [(e["data"]["reason"], e["data"]["request_id"]) for e in refused] == [
        ("no_appointment", again.id)
    ]
    applicant = [e["action"] for e in trail.json()["entries"] if e["actor"] == "applicant"]
    assert applicant == ["rebook_appointment", "cancel_appointment"]
