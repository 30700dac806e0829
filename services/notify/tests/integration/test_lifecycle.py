"""Every meaningful step reaches the applicant once; survey, preferences, two replicas."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import nats
import pytest
from notify.adapters.channels import StatusPageChannel
from notify.config import Settings
from notify.entrypoints.app import create_app
from shared.contracts import (
    AppointmentBooked,
    CaseClosed,
    CaseDecided,
    CloudEvent,
    DocumentsAdded,
    DocumentsRequested,
    NotificationSent,
    SurveyAnswered,
)
from shared.contracts.intake.v1 import DocumentsAddedData, StoredDocument
from shared.contracts.routing.v1 import (
    AppointmentData,
    CaseActionData,
    CaseDecidedData,
    DocumentsRequestedData,
)
from shared.subjects import Namespace
from shared.testing.app import eventually, running_app

from ..fakes import FakeChannel
from .test_status_journey import CODE, events, publish

pytestmark = pytest.mark.nats
ACTION = {"case_id": "case-7", "ticket": "ABH-7", "team": "team_a", "actor": "staff-1"}


def steps() -> list[CloudEvent]:
    appointment = AppointmentData(
        **ACTION,
        appointment_id="apt-1",
        starts_at="2026-12-03T09:30:00+01:00",
        ends_at="2026-12-03T10:00:00+01:00",
        location="Raum 101",
        language="en",
        concern="residence_permit_extension",
    )
    return [
        DocumentsRequested.build(
            subject="case-7",
            data=DocumentsRequestedData(
                **ACTION,
                documents=["biometric_photo"],
                language="en",
                concern="residence_permit_extension",
                reply_by="2026-12-15",
            ),
        ),
        AppointmentBooked.build(subject="case-7", data=appointment),
        CaseDecided.build(
            subject="case-7",
            data=CaseDecidedData(
                **ACTION,
                outcome="referred",
                concern="residence_permit_extension",
                language="en",
                referral="jobcenter",
            ),
        ),
        CaseClosed.build(subject="case-7", data=CaseActionData(**ACTION)),
    ]


def documents_added() -> DocumentsAdded:
    doc = StoredDocument(
        document_id="d1", kind="passport", sha256="0" * 64, size=10, content_type="application/pdf"
    )
    data = DocumentsAddedData(
        case_id="case-7",
        ticket="ABH-7",
        documents=[doc],
        missing_documents=["biometric_photo"],
        channel="online",
    )
    return DocumentsAdded.build(subject="case-7", data=data)


async def stream(url: str, ns: Namespace, event: type[CloudEvent]) -> list[dict[str, Any]]:
    nc = await nats.connect(url)
    try:
        sub = await nc.jetstream().pull_subscribe(ns.subject(event), stream=ns.stream("notify"))
        try:
            return [json.loads(m.data) for m in await sub.fetch(100, timeout=1)]
        except (nats.errors.TimeoutError, TimeoutError):  # nats-py raises either
            return []
    finally:
        await nc.close()


def app_for(url: str, ns: Namespace, db: str, tmp: Path, *channels: FakeChannel) -> Any:
    settings = Settings(nats_url=url, namespace=ns.prefix, database_url=db, var_dir=tmp)
    return create_app(settings, channels=[StatusPageChannel(), *channels])


async def test_each_step_is_told_once_then_survey_and_preferences(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    email = FakeChannel("email", needs_email=True)
    app = app_for(nats_url, namespace, database_url, tmp_path, email)
    async with running_app(app) as client:
        for event in (*events("case-7")[:2], *steps()):
            await publish(nats_url, namespace, event)
        kinds = ["received", "documents_requested", "appointment_booked", "decided", "closed"]
        await eventually(lambda: sorted(m.kind for m in email.sent) == sorted(kinds), timeout=30)
        assert email.sent[0].language == "en"
        decided = next(m for m in email.sent if m.kind == "decided")
        assert "Jobcentre" in decided.text
        booked = next(m for m in email.sent if m.kind == "appointment_booked")
        assert booked.attachments[0].filename == "termin.ics"
        closed = next(m for m in email.sent if m.kind == "closed")
        survey = closed.text.split("/survey/")[1].split()[0]

        body = (await client.get(f"/v1/status/{CODE}")).json()
        assert body["current_step"] == "closed"
        assert body["appointment"]["place"] == "Raum 101"
        page = (await client.get(f"/status/{CODE}?lang=uk")).text
        assert 'lang="uk"' in page
        assert f"/survey/{survey}" in page

        form = {"score": "4", "comment": "very kind", "language": "en"}
        assert (await client.post(f"/survey/{survey}", data=form)).status_code == 200
        assert (await client.post(f"/survey/{survey}", data=form)).status_code == 404

        async def answered() -> list[dict[str, Any]]:
            return await stream(nats_url, namespace, SurveyAnswered)

        await eventually(answered, timeout=30)
        (answer,) = await answered()
        assert answer["data"]["score"] == 4
        assert answer["data"]["has_comment"] is True
        assert "case-7" not in json.dumps(answer)
        assert "very kind" not in json.dumps(answer)

        prefs = {"essential_only": True, "language": "ar"}
        assert (await client.put(f"/v1/preferences/{CODE}", json=prefs)).status_code == 204
        assert (await client.put("/v1/preferences/nope", json=prefs)).status_code == 404
        await publish(nats_url, namespace, documents_added())

        async def page_told() -> bool:
            notes = (await client.get(f"/v1/status/{CODE}")).json()["notifications"]
            return any(n["kind"] == "documents_added" for n in notes)

        await eventually(page_told, timeout=30)
        assert "documents_added" not in [m.kind for m in email.sent]
        assert (await client.get(f"/v1/status/{CODE}")).json()["language"] == "ar"
        assert (await client.get("/v1/operator/failures")).status_code == 401
        caseworker = {"X-Lotse-Staff": "s1", "X-Lotse-Role": "caseworker"}
        assert (await client.get("/v1/operator/failures", headers=caseworker)).status_code == 403
        lead = {"X-Lotse-Staff": "s1", "X-Lotse-Role": "team_lead"}
        ok = await client.get("/v1/operator/failures", headers=lead)
        assert ok.json() == []
        operator = {"X-Lotse-Staff": "op-1", "X-Lotse-Role": "operator"}
        assert (await client.get("/v1/operator/failures", headers=operator)).json() == []


async def test_two_replicas_and_redelivery_send_one_message_per_channel(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    first, second = FakeChannel("email", needs_email=True), FakeChannel("email", needs_email=True)
    one = app_for(nats_url, namespace, database_url, tmp_path, first)
    two = app_for(nats_url, namespace, database_url, tmp_path, second)
    async with running_app(one) as client, running_app(two):
        received, contact, _ = events("case-7")
        for event in (received, contact, *steps()[:1]):
            await publish(nats_url, namespace, event)
            await publish(nats_url, namespace, event, msg_id=f"{event.id}-again")

        async def settled() -> bool:
            notes = (await client.get(f"/v1/status/{CODE}")).json().get("notifications", [])
            return len(notes) == 4

        await eventually(settled, timeout=30)
        sent: list[dict[str, Any]] = []

        async def announced() -> bool:  # the relay publishes just after each commit
            sent[:] = await stream(nats_url, namespace, NotificationSent)
            return len(sent) >= 4

        await eventually(announced, timeout=30)
        per = Counter((e["data"]["cause_event_id"], e["data"]["channel"]) for e in sent)
        assert sorted(per.values()) == [1, 1, 1, 1]
        assert len(first.sent) + len(second.sent) == 2
