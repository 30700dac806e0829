"""The appointment forms of the status page against a real nats-server (notify alone)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import nats
import pytest
from notify.adapters.channels import StatusPageChannel
from notify.config import Settings
from notify.entrypoints.app import create_app
from shared.contracts import (
    AppointmentBooked,
    AppointmentChangeRefused,
    AppointmentChangeRequested,
)
from shared.contracts.routing.v1 import AppointmentChangeRefusedData, AppointmentData
from shared.subjects import Namespace
from shared.testing.app import eventually, running_app

from ..fakes import FakeChannel
from .test_status_journey import CODE, events, publish

pytestmark = pytest.mark.nats


def booked(case_id: str) -> AppointmentBooked:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    data = AppointmentData(
        case_id=case_id,
        ticket="ABH-7",
        team="team_a",
        appointment_id="apt-1",
        starts_at=starts.isoformat(),
        ends_at=(starts + timedelta(minutes=20)).isoformat(),
        location="Raum 1.12",
        language="en",
        concern="residence_permit_extension",
    )
    return AppointmentBooked.build(subject=case_id, data=data)


async def requests(url: str, ns: Namespace) -> list[dict[str, Any]]:
    nc = await nats.connect(url)
    try:
        sub = await nc.jetstream().pull_subscribe(
            ns.subject(AppointmentChangeRequested), stream=ns.stream("notify")
        )
        try:
            return [json.loads(m.data) for m in await sub.fetch(10, timeout=1)]
        except (nats.errors.TimeoutError, TimeoutError):  # nats-py raises either
            return []
    finally:
        await nc.close()


async def test_request_leaves_through_the_outbox_and_a_refusal_reaches_the_applicant(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    email = FakeChannel("email", needs_email=True)
    settings = Settings(
        nats_url=nats_url,
        namespace=namespace.prefix,
        database_url=f"sqlite:///{tmp_path / 'notify.db'}",
        var_dir=tmp_path,
        status_rate_per_minute=4,
    )
    app = create_app(settings, channels=[StatusPageChannel(), email])
    async with running_app(app) as client:  # type: ignore[arg-type]
        for event in (*events("case-s"), booked("case-s")):
            await publish(nats_url, namespace, event)

        async def ready() -> bool:
            return any(m.kind == "appointment_booked" for m in email.sent)

        await eventually(ready, timeout=30)
        page = await client.get(f"/status/{CODE}")
        form = {"tracking_code": CODE, "action": "rebook", "not_before": "", "lang": "en"}
        asked = await client.post("/status/appointment", data=form)
        await eventually(lambda: requests(nats_url, namespace), timeout=30)
        [request] = await requests(nats_url, namespace)

        data = AppointmentChangeRefusedData(
            case_id="case-s", ticket="ABH-7", action="rebook", reason="no_seat",
            request_id=request["id"],
        )  # fmt: skip
        await publish(
            nats_url, namespace, AppointmentChangeRefused.build(subject="case-s", data=data)
        )

        async def told() -> bool:
            return any(m.kind == "appointment_change_refused" for m in email.sent)

        await eventually(told, timeout=30)
        again = await client.get(f"/status/{CODE}")
        for _ in range(4):  # the page and the forms share one limit per client
            await client.get(f"/v1/status/{CODE}")
        limited = await client.post("/status/appointment", data=form)
    assert page.status_code == 200
    assert page.text.count('action="/status/appointment"') == 2
    assert asked.status_code == 200
    assert 'action="/status/appointment"' not in asked.text
    assert "We are handling your request about your appointment." in asked.text
    assert request["subject"] == "case-s"
    assert request["data"]["ticket"] == "ABH-7"
    assert request["data"]["action"] == "rebook"
    assert request["data"]["not_before"] is None
    assert CODE not in json.dumps(request)
    assert "applicant@example.org" not in json.dumps(request)
    [refusal] = [m for m in email.sent if m.kind == "appointment_change_refused"]
    assert "we could not give you a later appointment" in refusal.text
    assert again.text.count('action="/status/appointment"') == 2  # may ask again
    assert "Your appointment could not be changed as you asked." in again.text
    assert limited.status_code == 429
