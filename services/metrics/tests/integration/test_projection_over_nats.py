"""The running service against a real nats-server: events in, KPIs out, each counted once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import nats
import pytest
from metrics.config import Settings
from metrics.entrypoints.app import create_app
from shared.contracts import (
    ApplicationReceived,
    CaseRouted,
    CloudEvent,
    NotificationFailed,
    NotificationSent,
)
from shared.contracts.intake.v1 import ApplicationReceivedData
from shared.contracts.notify.v1 import NotificationFailedData, NotificationSentData
from shared.contracts.routing.v1 import CaseRoutedData
from shared.messaging.outbox import event_headers
from shared.subjects import Namespace
from shared.testing.app import eventually, running_app

pytestmark = pytest.mark.nats

DAY = {"from": "2026-03-02", "to": "2026-03-02"}
MORNING, NOON = datetime(2026, 3, 2, 9, tzinfo=UTC), datetime(2026, 3, 2, 12, tzinfo=UTC)


def application(case_id: str, concern: str = "residence_permit_extension") -> ApplicationReceived:
    data = ApplicationReceivedData(
        case_id=case_id,
        ticket=f"T-{case_id}",
        concern=concern,
        channel="online",
        language="de",
        received_at=MORNING.isoformat(),
        team="team_a",
        missing_documents=["passport_copy"],
    )
    return ApplicationReceived.build(subject=case_id, data=data)


def routing(case_id: str, concern: str = "residence_permit_extension") -> CaseRouted:
    data = CaseRoutedData(
        case_id=case_id,
        ticket=f"T-{case_id}",
        concern=concern,
        team="team_b",
        priority="high",
        reasons=["permit expires soon"],
        rule_version="1",
        language="de",
        channel="online",
    )
    return CaseRouted.build(subject=case_id, data=data, time=NOON)


def notification(case_id: str, nid: str, *, failed: bool = False) -> CloudEvent:
    common: dict[str, Any] = {
        "case_id": case_id,
        "notification_id": nid,
        "kind": "received",
        "channel": "email",
        "language": "de",
        "cause_event_id": "e-1",
    }
    if failed:
        data = NotificationFailedData(**common, permanent=True, reason="mailbox unknown")
        return NotificationFailed.build(subject=case_id, data=data, time=NOON)
    return NotificationSent.build(subject=case_id, data=NotificationSentData(**common), time=NOON)


class Publisher:
    def __init__(self, url: str, ns: Namespace) -> None:
        self.url, self.ns = url, ns

    async def __call__(self, event: CloudEvent, msg_id: str | None = None) -> None:
        headers = event_headers(event)
        if msg_id is not None:
            headers["Nats-Msg-Id"] = msg_id
        nc = await nats.connect(self.url)
        try:
            await nc.jetstream().publish(
                self.ns.subject(type(event)), event.to_json_bytes(), headers=headers
            )
        finally:
            await nc.close()


def settings(nats_url: str, namespace: Namespace, database_url: str) -> Settings:
    return Settings(nats_url=nats_url, namespace=namespace.prefix, database_url=database_url)


async def kpis(client: httpx.AsyncClient, **params: str) -> dict[str, Any]:
    response = await client.get("/v1/kpis", params={**DAY, **params})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def wait_for(client: httpx.AsyncClient, figure: str, value: int, **params: str) -> None:
    async def reached() -> bool:
        return (await kpis(client, **params))[figure] == value

    await eventually(reached)


async def test_published_events_appear_in_the_kpis_and_metrics(
    nats_url: str, namespace: Namespace, database_url: str
) -> None:
    publish = Publisher(nats_url, namespace)
    app = create_app(settings(nats_url, namespace, database_url))
    async with running_app(app) as client:
        for event in (application("c1"), application("c2"), routing("c1")):
            await publish(event)
        await publish(notification("c1", "n1"))
        await publish(notification("c2", "n2", failed=True))
        await wait_for(client, "notifications_failed", 1)
        await wait_for(client, "cases_routed", 1)
        await wait_for(client, "applications_received", 2)
        body = await kpis(client)
        assert (body["open_unrouted"], body["notifications_sent"]) == (1, 1)
        assert body["notification_delivery_rate"] == 0.5
        assert body["by_team"] == {"team_a": 1, "team_b": 1}
        exposed = (await client.get("/metrics")).text
        assert "lotse_metrics_open_unrouted_cases 1.0" in exposed
        assert 'lotse_metrics_cases_routed_total{priority="high",team="team_b"} 1.0' in exposed
        assert "T-c1" not in exposed


async def test_same_event_under_a_second_message_id_counts_once(
    nats_url: str, namespace: Namespace, database_url: str
) -> None:
    publish = Publisher(nats_url, namespace)
    app = create_app(settings(nats_url, namespace, database_url))
    async with running_app(app) as client:
        event = application("c1")
        await publish(event)
        await publish(event, msg_id=f"{event.id}-again")
        await publish(application("marker", concern="settlement_permit"))
        await wait_for(client, "applications_received", 1, concern="settlement_permit")
        body = await kpis(client)
        assert body["applications_received"] == 2
        assert body["by_concern"] == {"residence_permit_extension": 1, "settlement_permit": 1}
        exposed = (await client.get("/metrics")).text
        received = 'concern="residence_permit_extension"} 1.0'
        assert received in exposed


async def test_case_routed_before_its_application_gives_the_same_figures(
    nats_url: str, namespace: Namespace, database_url: str
) -> None:
    publish = Publisher(nats_url, namespace)
    app = create_app(settings(nats_url, namespace, database_url))
    async with running_app(app) as client:
        await publish(routing("early", concern="early_concern"))
        await wait_for(client, "cases_routed", 1, concern="early_concern")
        await publish(application("early", concern="early_concern"))
        await publish(application("late", concern="late_concern"))
        await wait_for(client, "applications_received", 1, concern="late_concern")
        await publish(routing("late", concern="late_concern"))
        await wait_for(client, "cases_routed", 1, concern="late_concern")
        await wait_for(client, "applications_received", 1, concern="early_concern")
        early = await kpis(client, concern="early_concern")
        late = await kpis(client, concern="late_concern")
        for body in (early, late):
            del body["filters"], body["by_concern"]
        assert early == late
        assert (early["open_unrouted"], early["by_team"]) == (0, {"team_b": 1})
