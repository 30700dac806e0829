"""Notify against a real nats-server: both orders, status JSON/HTML, no double sending."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import nats
import pytest
from notify.adapters.channels import StatusPageChannel
from notify.config import Settings
from notify.entrypoints.app import create_app
from shared.contracts import (
    ApplicantContactRecorded,
    ApplicationReceived,
    CaseRouted,
    CloudEvent,
    NotificationSent,
)
from shared.contracts.intake.v1 import ApplicantContactRecordedData, ApplicationReceivedData
from shared.contracts.routing.v1 import CaseRoutedData
from shared.messaging.outbox import event_headers
from shared.subjects import Namespace
from shared.testing.app import eventually, running_app

from ..fakes import FakeChannel

pytestmark = pytest.mark.nats
CODE = "Tr4ck-1ng-C0de"


def events(case_id: str) -> tuple[ApplicationReceived, ApplicantContactRecorded, CaseRouted]:
    received = ApplicationReceived.build(
        subject=case_id,
        data=ApplicationReceivedData(
            case_id=case_id,
            ticket="ABH-7",
            concern="residence_permit_extension",
            channel="online",
            language="en",
            received_at="2026-11-24T10:00:00+00:00",
            missing_documents=["passport"],
        ),
    )
    contact = ApplicantContactRecorded.build(
        subject=case_id,
        data=ApplicantContactRecordedData(
            case_id=case_id,
            ticket="ABH-7",
            tracking_code=CODE,
            language="en",
            email="applicant@example.org",
        ),
    )
    routed = CaseRouted.build(
        subject=case_id,
        data=CaseRoutedData(
            case_id=case_id,
            ticket="ABH-7",
            concern="residence_permit_extension",
            team="team_a",
            priority="normal",
            reasons=["standard"],
            rule_version="1",
            language="en",
            channel="online",
        ),
    )
    return received, contact, routed


async def publish(url: str, ns: Namespace, event: CloudEvent, msg_id: str | None = None) -> int:
    headers = event_headers(event)
    if msg_id:
        headers["Nats-Msg-Id"] = msg_id
    nc = await nats.connect(url)
    try:
        ack = await nc.jetstream().publish(
            ns.subject(type(event)), event.to_json_bytes(), headers=headers
        )
        return int(ack.seq)
    finally:
        await nc.close()


async def sent_events(url: str, ns: Namespace) -> list[dict[str, object]]:
    nc = await nats.connect(url)
    try:
        sub = await nc.jetstream().pull_subscribe(
            ns.subject(NotificationSent), stream=ns.stream("notify")
        )
        try:
            return [json.loads(m.data) for m in await sub.fetch(50, timeout=1)]
        except (nats.errors.TimeoutError, TimeoutError):  # nats-py raises either
            return []
    finally:
        await nc.close()


async def acked_up_to(url: str, ns: Namespace, seq: int) -> bool:
    nc = await nats.connect(url)
    try:
        info = await nc.jetstream().consumer_info(
            ns.stream("intake"), ns.durable("notify", ApplicationReceived)
        )
        return int(info.ack_floor.stream_seq) >= seq
    finally:
        await nc.close()


def app_for(url: str, ns: Namespace, db: str, tmp_path: Path, email: FakeChannel) -> object:
    settings = Settings(nats_url=url, namespace=ns.prefix, database_url=db, var_dir=tmp_path)
    return create_app(settings, channels=[StatusPageChannel(), email])


@pytest.mark.parametrize("order", [(0, 1, 2), (1, 2, 0)], ids=["received_first", "contact_first"])
async def test_status_shows_timeline_and_confirmation_is_sent_once_per_channel(
    nats_url: str,
    namespace: Namespace,
    database_url: str,
    tmp_path: Path,
    order: tuple[int, int, int],
) -> None:
    email = FakeChannel("email", needs_email=True)
    triple = events("case-42")
    async with running_app(app_for(nats_url, namespace, database_url, tmp_path, email)) as client:  # type: ignore[arg-type]
        for index in order:
            await publish(nats_url, namespace, triple[index])

        async def complete() -> bool:
            body = (await client.get(f"/v1/status/{CODE}")).json()
            return len(body.get("timeline", [])) == 2 and len(body["notifications"]) == 2

        await eventually(complete, timeout=30)
        body = (await client.get(f"/v1/status/{CODE}")).json()
        assert body["ticket"] == "ABH-7"
        assert body["language"] == "en"
        assert body["current_step"] == "routed"
        assert [t["kind"] for t in body["timeline"]] == ["received", "routed"]
        assert body["timeline"][0]["text"] == "Your application has been received."
        assert body["missing_documents"] == ["passport"]
        assert f"/status/{CODE}" in email.sent[0].notice

        seq = await publish(nats_url, namespace, triple[0], msg_id=f"{triple[0].id}-again")
        await eventually(lambda: acked_up_to(nats_url, namespace, seq), timeout=30)
        sent = await sent_events(nats_url, namespace)
        assert Counter(e["data"]["channel"] for e in sent) == {"status_page": 1, "email": 1}  # type: ignore[index]
        assert len(email.sent) == 1
        assert "applicant@example.org" not in json.dumps(sent)


async def test_unknown_and_malformed_codes_get_the_same_404(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'notify.db'}"
    app = app_for(nats_url, namespace, db, tmp_path, FakeChannel("email"))
    async with running_app(app) as client:  # type: ignore[arg-type]
        unknown = await client.get("/v1/status/does-not-exist")
        malformed = await client.get("/v1/status/" + "x" * 300)
        assert unknown.status_code == malformed.status_code == 404
        assert unknown.json() == malformed.json()
        assert unknown.headers["content-type"] == "application/problem+json"
        page = await client.get("/status/does-not-exist")
        assert page.status_code == 404
        assert "<main" in page.text
