"""Applicant self-service end to end on real NATS: notify's status page → routing → notify.

Both services run in this process (own stores, one namespace): the applicant presses
"cancel" or "ask for a later appointment" on notify's page; routing changes the appointment
as actor "applicant"; notify shows the outcome and tells the applicant exactly once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from notify.adapters.channels import StatusPageChannel
from notify.config import Settings as NotifySettings
from notify.domain.messages import DeliveryResult, Message
from notify.entrypoints.app import create_app as create_notify
from shared.contracts import ApplicantContactRecorded, AppointmentBooked, NotificationSent
from shared.contracts.intake.v1 import ApplicantContactRecordedData
from shared.subjects import Namespace
from shared.testing.app import eventually, running_app

from ..fakes import FakeClock, received
from .helpers import has, publish_event, published, routing_app

pytestmark = pytest.mark.nats
AUDITOR = {"X-Lotse-Staff": "s-aud", "X-Lotse-Role": "auditor"}
CODE = "Self-Serv1ce-C0de"
TICKET = "T-JOURNEY"
KIND = {"cancel": "appointment_cancelled", "rebook": "appointment_rebooked"}
BERLIN = ZoneInfo("Europe/Berlin")


@dataclass
class Mailbox:
    """The applicant's e-mail channel: records every message it is given."""

    name: str = "email"
    in_process: bool = False
    sent: list[Message] = field(default_factory=list)

    def accepts(self, message: Message) -> bool:
        return bool(message.email)

    async def send(self, message: Message) -> DeliveryResult:
        self.sent.append(message)
        return DeliveryResult.delivered()


def contact() -> ApplicantContactRecorded:
    data = ApplicantContactRecordedData(
        case_id=f"case-{TICKET}",
        ticket=TICKET,
        tracking_code=CODE,
        language="en",
        email="applicant@example.org",
    )
    return ApplicantContactRecorded.build(subject=data.case_id, data=data)


@asynccontextmanager
async def notify_app(url: str, ns: Namespace, tmp: Path, mail: Mailbox) -> AsyncIterator[Any]:
    settings = NotifySettings(
        nats_url=url,
        namespace=ns.prefix,
        database_url=f"sqlite:///{tmp / 'notify.db'}",
        var_dir=tmp,
        status_rate_per_minute=100_000,  # the test polls the page
    )
    app = create_notify(settings, channels=[StatusPageChannel(), mail])
    async with running_app(app) as client:
        yield client


def local_day(starts_at: str) -> date:
    return datetime.fromisoformat(starts_at).astimezone(BERLIN).date()


async def status(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get(f"/v1/status/{CODE}")
    return response.json() if response.status_code == 200 else {}


@pytest.mark.parametrize("action", ["cancel", "rebook"])
async def test_applicant_changes_the_appointment_on_the_status_page_and_hears_once(
    nats_url: str, namespace: Namespace, tmp_path: Path, action: str
) -> None:
    mail = Mailbox()
    (tmp_path / "routing").mkdir()
    # routing's clock is real time, so the appointment lies ahead on notify's page too
    clock = FakeClock(datetime.now(UTC))
    routing_db = f"sqlite:///{tmp_path / 'routing' / 'routing.db'}"
    async with (
        routing_app(nats_url, namespace, routing_db, tmp_path / "routing", clock) as routing,
        notify_app(nats_url, namespace, tmp_path, mail) as notify,
    ):
        await publish_event(nats_url, namespace, received(TICKET, language="en"))
        await publish_event(nats_url, namespace, contact())
        await eventually(has(nats_url, namespace, AppointmentBooked))

        async def bookable() -> bool:
            return bool(((await status(notify)).get("appointment") or {}).get("changeable"))

        await eventually(bookable, timeout=30, interval=0.2)
        before = (await status(notify))["appointment"]
        wish = local_day(before["starts_at"]) + timedelta(days=7)
        form = {"tracking_code": CODE, "action": action, "lang": "en"}
        if action == "rebook":
            form["not_before"] = wish.isoformat()
        page = await notify.post("/status/appointment", data=form)

        async def told() -> bool:
            sent = (await status(notify)).get("notifications", [])
            return sum(n["kind"] == KIND[action] for n in sent) == 2  # status page + e-mail

        await eventually(told, timeout=30, interval=0.2)
        after = await status(notify)
        trail = await routing.get("/v1/audit", params={"case": TICKET}, headers=AUDITOR)
        sent_events = await published(nats_url, namespace, NotificationSent)
        second = await notify.post("/status/appointment", data=form)
    assert page.status_code == 200, page.text
    assert "We are handling your request about your appointment." in page.text
    kinds = [m.kind for m in mail.sent]
    assert kinds.count(KIND[action]) == 1
    assert "appointment_change_refused" not in kinds
    channels = [e["data"]["channel"] for e in sent_events if e["data"]["kind"] == KIND[action]]
    assert sorted(channels) == ["email", "status_page"]
    [message] = [m for m in mail.sent if m.kind == KIND[action]]
    applicant = [e["action"] for e in trail.json()["entries"] if e["actor"] == "applicant"]
    assert applicant == [f"{action}_appointment"]
    if action == "cancel":
        assert after["appointment"] is None
        assert "You cancelled your appointment on" in message.text
        assert second.status_code == 409  # nothing left to cancel
    else:
        moved = after["appointment"]
        assert moved["pending_change"] is None
        assert moved["changeable"] is True
        assert local_day(moved["starts_at"]) >= wish
        assert "As you asked, we have moved your appointment." in message.text
        assert second.status_code == 200  # the new appointment may be moved again
