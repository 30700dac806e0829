"""Every channel against a real nats-server and store: web upload, counter, partner, email."""

from __future__ import annotations

import asyncio
import hashlib
import json
import smtplib
import socket
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import nats
import pytest
import yaml
from cloudevents.core.bindings.http import to_binary_event, to_structured_event
from cloudevents.core.v1.event import CloudEvent
from intake.config import Settings
from intake.entrypoints.app import create_app
from shared.messaging.deadletter import REASON
from shared.subjects import Namespace
from shared.testing.app import eventually, running_app

pytestmark = pytest.mark.nats

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PERSON: dict[str, Any] = {
    "given_name": "Ömer",
    "family_name": "Al-Haddad",
    "date_of_birth": "1988-02-03",
    "nationality": "SYR",
    "email": "omer@example.org",
}
STAFF = {"X-Lotse-Staff": "sp-017", "X-Lotse-Role": "service_point"}
HUMANITARIAN = {
    "X-Lotse-Staff": "cw-4",
    "X-Lotse-Role": "caseworker",
    "X-Lotse-Team": "humanitarian",
}
SP_TEAM = {"X-Lotse-Staff": "cw-9", "X-Lotse-Role": "caseworker", "X-Lotse-Team": "service_point"}
OPERATOR = {"X-Lotse-Staff": "op-1", "X-Lotse-Role": "operator"}
SOURCE = "https://partner.example/portal"
PARTNER_KEY = "partner-key-" + "x" * 24


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_settings(url: str, ns: Namespace, db: str, tmp_path: Path, **extra: Any) -> Settings:
    return Settings(
        nats_url=url,
        namespace=ns.prefix,
        database_url=db,
        var_dir=tmp_path,
        smtp_port=extra.pop("smtp_port", 0),
        max_file_bytes=extra.pop("max_file_bytes", 1024 * 1024),
        **extra,
    )


async def events_of(url: str, ns: Namespace, name: str) -> list[dict[str, Any]]:
    nc = await nats.connect(url)
    try:
        sub = await nc.jetstream().pull_subscribe(
            f"{ns.prefix}.intake.{name}.v1", stream=ns.stream("intake")
        )
        try:
            return [json.loads(m.data) for m in await sub.fetch(100, timeout=1)]
        except (nats.errors.TimeoutError, TimeoutError):  # nats-py raises either
            return []
    finally:
        await nc.close()


def upload(body: dict[str, Any], files: list[tuple[str, bytes]]) -> dict[str, Any]:
    return {
        "data": {"application": json.dumps(body)},
        "files": [(f"documents.{kind}", (f"{kind}.bin", data)) for kind, data in files],
    }


async def test_multipart_upload_follow_up_documents_and_staff_download(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    app = create_app(make_settings(nats_url, namespace, database_url, tmp_path))
    body = {"concern": "toleration", "applicant": {"family_name": "Haddad"}}
    async with running_app(app) as client:
        bad = await client.post(
            "/v1/applications", **upload(body, [("passport", b"MZ\x90\x00 not a pdf")])
        )
        first = await client.post("/v1/applications", **upload(body, [("identity_document", PDF)]))
        receipt = first.json()
        ticket = receipt["ticket"]
        wrong = await client.post(
            f"/v1/applications/{ticket}/documents",
            files=[("documents.biometric_photo", ("p.png", PNG))],
            headers={"X-Tracking-Code": "guessed-" * 4},
        )
        later = await client.post(
            f"/v1/applications/{ticket}/documents",
            files=[("documents.biometric_photo", ("p.png", PNG))],
            data={"tracking_code": receipt["tracking_code"]},
        )
        anonymous = await client.get(f"/v1/applications/{ticket}/documents")
        counter_desk = await client.get(f"/v1/applications/{ticket}/documents", headers=STAFF)
        other_team = await client.get(f"/v1/applications/{ticket}/documents", headers=SP_TEAM)
        listing = await client.get(f"/v1/applications/{ticket}/documents", headers=HUMANITARIAN)
        pdf_id = listing.json()[0]["document_id"]
        url = f"/v1/applications/{ticket}/documents/{pdf_id}"
        download = await client.get(url, headers=HUMANITARIAN)
        auditor = {"X-Lotse-Staff": "au-1", "X-Lotse-Role": "auditor"}
        trail = await client.get("/v1/audit", params={"case": ticket}, headers=auditor)

        async def added() -> bool:
            return len(await events_of(nats_url, namespace, "documents_added")) == 2

        await eventually(added)
        documents_added = await events_of(nats_url, namespace, "documents_added")

    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "documents.passport"
    assert counter_desk.status_code == 403
    assert other_team.status_code == 403
    assert [(e["actor"], e["action"]) for e in trail.json()] == [
        ("cw-4", "list_documents"),
        ("cw-4", f"download_document:{pdf_id}"),
    ]
    assert first.status_code == 201
    assert receipt["missing_documents"] == ["biometric_photo"]
    assert wrong.status_code == 403
    assert wrong.json()["errors"][0]["field"] == "tracking_code"
    assert later.status_code == 201
    assert later.json()["missing_documents"] == []
    assert anonymous.status_code == 401
    assert [d["kind"] for d in listing.json()] == ["identity_document", "biometric_photo"]
    assert download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    follow_up = documents_added[1]["data"]
    assert follow_up["ticket"] == ticket
    assert follow_up["missing_documents"] == []
    assert follow_up["documents"][0]["content_type"] == "image/png"
    assert len(follow_up["documents"][0]["sha256"]) == 64


async def test_counter_walk_in_then_online_duplicate_joins_the_open_case(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    app = create_app(make_settings(nats_url, namespace, database_url, tmp_path))
    walk_in = {
        "concern": "interim_certificate",
        "applicant": PERSON,
        "checklist": ["passport"],
        "vulnerability_flags": ["pregnancy"],
        "permit_expires_on": "2026-03-31",
    }
    online = {
        "concern": "interim_certificate",
        "language": "en",
        "applicant": {**PERSON, "given_name": "OMER", "family_name": "al haddad"},
    }
    async with running_app(app) as client:
        unauthenticated = await client.post("/v1/counter/applications", json=walk_in)
        counter = await client.post("/v1/counter/applications", json=walk_in, headers=STAFF)
        twin = await client.post("/v1/applications", json=online)
        other = await client.post("/v1/applications", json={**online, "concern": "toleration"})
        view = f"/v1/applications/{counter.json()['ticket']}"
        staff_view = await client.get(view, headers=SP_TEAM)
        counter_view = await client.get(view, headers=STAFF)

        async def joined() -> bool:
            return len(await events_of(nats_url, namespace, "application_joined_case")) == 1

        await eventually(joined)
        received = await events_of(nats_url, namespace, "application_received")
        contacts = await events_of(nats_url, namespace, "applicant_contact_recorded")

    assert unauthenticated.status_code == 401
    assert "X-Lotse-Staff" in unauthenticated.json()["detail"]
    assert counter_view.status_code == 403
    assert counter.status_code == 201
    assert counter.json()["missing_documents"] == ["residence_permit"]
    assert twin.status_code == 201
    assert twin.json()["joined"] is True
    assert twin.json()["ticket"] == counter.json()["ticket"]
    assert twin.json()["tracking_code"] != counter.json()["tracking_code"]
    assert other.json()["ticket"] != counter.json()["ticket"]
    assert staff_view.json()["staff_id"] == "sp-017"
    assert [e["data"]["channel"] for e in received] == ["counter", "online"]
    walk = received[0]["data"]
    assert walk["walk_in"] is True
    assert walk["vulnerability_flags"] == ["pregnancy"]
    assert walk["permit_expiry_month"] == "2026-03"
    assert [c["data"]["ticket"] for c in contacts][:2] == [counter.json()["ticket"]] * 2
    assert contacts[1]["data"]["tracking_code"] == twin.json()["tracking_code"]


async def test_applications_posted_at_once_are_stored_together_each_with_its_own_answer(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    app = create_app(make_settings(nats_url, namespace, database_url, tmp_path))
    same = {"concern": "toleration", "applicant": {"family_name": "Twice"}}
    key = {"Idempotency-Key": "group-commit-twin-0001"}
    async with running_app(app) as client:
        posts = [
            *(
                client.post("/v1/applications", json={**same, "applicant": {"family_name": n}})
                for n in ("Adler", "Berg", "Cohen", "Dumitru")
            ),
            client.post("/v1/applications", json=same, headers=key),
            client.post("/v1/applications", json=same, headers=key),  # a retry racing the first
            client.post("/v1/applications", json={**same, "concern": "no_such_concern"}),
        ]
        answers = await asyncio.gather(*posts)

        async def all_announced() -> bool:
            return len(await events_of(nats_url, namespace, "application_received")) >= 5

        await eventually(all_announced)
        received = await events_of(nats_url, namespace, "application_received")
    assert [a.status_code for a in answers] == [201] * 6 + [422]
    assert answers[-1].json()["errors"][0]["field"] == "concern"
    tickets = [a.json()["ticket"] for a in answers[:6]]
    assert tickets[4] == tickets[5], "the retry is answered with the first one's receipt"
    assert len(set(tickets)) == 5
    assert sorted(e["data"]["ticket"] for e in received) == sorted(set(tickets))


def partner_entry(key: str, concerns: list[str]) -> dict[str, Any]:
    digest = hashlib.sha256(key.encode()).hexdigest()
    return {"id": "portal", "key_sha256": digest, "sources": [SOURCE], "concerns": concerns}


def partner_event(event_id: str, data: dict[str, Any]) -> CloudEvent:
    return CloudEvent(
        attributes={
            "id": event_id,
            "source": SOURCE,
            "type": "org.example.application.v1",
            "specversion": "1.0",
            "datacontenttype": "application/json",
        },
        data=data,
    )


async def test_partner_cloudevents_over_http_and_nats_both_modes_once_per_id(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    keys = tmp_path / "partners.yaml"
    keys.write_text(yaml.safe_dump([partner_entry(PARTNER_KEY, ["change_of_address"])]))
    settings = make_settings(nats_url, namespace, database_url, tmp_path, partner_keys_file=keys)
    app = create_app(settings)
    data = {"concern": "change_of_address", "applicant": {"family_name": "Novak"}}
    key = {"X-API-Key": PARTNER_KEY}
    structured = to_structured_event(partner_event("evt-1", data))
    binary = to_binary_event(partner_event("evt-2", {**data, "language": "uk"}))
    async with running_app(app) as client:
        headers = {**structured.headers, **key}
        no_key = await client.post(
            "/v1/events", content=structured.body, headers=structured.headers
        )
        over_http = await client.post("/v1/events", content=structured.body, headers=headers)
        again = await client.post("/v1/events", content=structured.body, headers=headers)
        in_binary = await client.post(
            "/v1/events", content=binary.body, headers={**binary.headers, **key}
        )
        invalid = await client.post(
            "/v1/events",
            content=to_structured_event(partner_event("evt-3", {"concern": "x"})).body,
            headers=headers,
        )
        not_allowed = await client.post(
            "/v1/events",
            content=to_structured_event(
                partner_event("evt-6", {**data, "concern": "toleration"})
            ).body,
            headers=headers,
        )
        nc = await nats.connect(nats_url)
        js = nc.jetstream()
        subject = namespace.inbound_subject("applications", 1)
        for event_id in ("evt-4", "evt-4"):
            msg = to_structured_event(partner_event(event_id, {**data, "language": "fr"}))
            await js.publish(subject, msg.body, headers=dict(msg.headers))
        msg = to_binary_event(partner_event("evt-5", {**data, "language": "tr"}))
        await js.publish(subject, msg.body, headers=dict(msg.headers))
        await nc.close()

        async def all_in() -> bool:
            return len(await events_of(nats_url, namespace, "application_received")) == 4

        await eventually(all_in)
        received = await events_of(nats_url, namespace, "application_received")

    assert no_key.status_code == 401
    assert not_allowed.status_code == 403
    assert not_allowed.json()["errors"][0]["field"] == "data.concern"
    assert over_http.status_code == 201
    assert again.json()["ticket"] == over_http.json()["ticket"]
    assert again.headers["idempotent-replayed"] == "true"
    assert in_binary.status_code == 201
    assert invalid.status_code == 422
    assert {e["field"] for e in invalid.json()["errors"]} == {"data.applicant"}
    assert {e["data"]["channel"] for e in received} == {"partner"}
    assert sorted(e["data"]["language"] for e in received) == ["de", "fr", "tr", "uk"]


async def test_a_batch_of_partner_events_keeps_the_good_once_and_parks_each_bad_one(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    data = {"concern": "change_of_address", "applicant": {"family_name": "Novak"}}
    events = [
        partner_event("evt-b1", {**data, "language": "fr"}),
        partner_event("evt-b2", {"concern": "change_of_address"}),  # no applicant
        partner_event("evt-b3", {**data, "concern": "no_such_concern"}),
        partner_event("evt-b4", {**data, "language": "tr"}),
        partner_event("evt-b1", {**data, "language": "fr"}),  # the partner sent it twice
    ]
    async with running_app(create_app(make_settings(nats_url, namespace, database_url, tmp_path))):
        nc = await nats.connect(nats_url)
        try:
            js = nc.jetstream()
            subject = namespace.inbound_subject("applications", 1)
            for event in events:  # close together: they arrive in one or two pull batches
                msg = to_structured_event(event)
                await js.publish(subject, msg.body, headers=dict(msg.headers))
            dead: list[Any] = []

            async def settled() -> bool:
                received = await events_of(nats_url, namespace, "application_received")
                sub = await js.pull_subscribe(
                    f"{namespace.prefix}.deadletter.>", stream=namespace.stream("deadletter")
                )
                try:
                    dead[:] = await sub.fetch(10, timeout=0.5)
                except (nats.errors.TimeoutError, TimeoutError):
                    dead[:] = []
                return len(received) >= 2 and len(dead) >= 2

            await eventually(settled, timeout=30)
        finally:
            await nc.close()
        received = await events_of(nats_url, namespace, "application_received")
    assert sorted(e["data"]["language"] for e in received) == ["fr", "tr"]
    reasons = sorted(d.headers[REASON] for d in dead)
    assert len(reasons) == 2
    assert "data.applicant" in reasons[0]
    assert "partner application refused: UnknownConcernError" in reasons[1]


def send_mail(port: int, message: EmailMessage) -> tuple[int, bytes]:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.ehlo()
        smtp.mail("leyla@example.org")
        smtp.rcpt("auslaenderbehoerde@example.org")
        return smtp.data(message.as_bytes())


async def test_email_with_pdf_becomes_an_application(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    port = free_port()
    db = f"sqlite:///{tmp_path / 'intake.db'}"
    app = create_app(make_settings(nats_url, namespace, db, tmp_path, smtp_port=port))
    mail = EmailMessage()
    mail["From"] = "Leyla Karimi <leyla@example.org>"
    mail["To"] = "auslaenderbehoerde@example.org"
    mail["Subject"] = "Antrag Fiktionsbescheinigung"
    mail.set_content("Mein Titel läuft bald ab.")
    mail.add_attachment(PDF, maintype="application", subtype="pdf", filename="pass.pdf")
    exe = EmailMessage()
    exe["From"] = "x@example.org"
    exe["Subject"] = "hallo"
    exe.set_content("siehe Anhang")
    exe.add_attachment(b"MZ\x90\x00", maintype="application", subtype="pdf", filename="a.pdf")
    async with running_app(app) as client:
        code, reply = await asyncio.to_thread(send_mail, port, mail)
        refused_code, refused_reply = await asyncio.to_thread(send_mail, port, exe)

        async def received() -> bool:
            return len(await events_of(nats_url, namespace, "documents_added")) == 1

        await eventually(received)
        event = (await events_of(nats_url, namespace, "application_received"))[0]
        ticket = event["data"]["ticket"]
        listing = await client.get(f"/v1/applications/{ticket}/documents", headers=SP_TEAM)

    assert code == 250
    assert ticket in reply.decode()
    assert event["data"]["channel"] == "email"
    assert event["data"]["concern"] == "interim_certificate"
    assert [d["content_type"] for d in listing.json()] == ["application/pdf"]
    assert refused_code == 550
    assert b"attachment.0" in refused_reply


async def test_outbox_alert_is_raised_while_nats_is_down_and_published_after(
    private_nats: Any, tmp_path: Path
) -> None:
    ns = Namespace("alarm")
    db = f"sqlite:///{tmp_path / 'intake.db'}"
    settings = make_settings(
        private_nats.url, ns, db, tmp_path, outbox_alert_pending=2, outbox_check_seconds=0.2
    )
    app = create_app(settings)
    body = {"concern": "toleration", "applicant": {"family_name": "Haddad"}}
    async with running_app(app) as client:
        private_nats.stop()
        assert (await client.post("/v1/applications", json=body)).status_code == 201

        async def exceeded() -> bool:
            backlog = (await client.get("/v1/ops/outbox", headers=OPERATOR)).json()
            return bool(backlog["exceeded"]) and backlog["pending"] >= 3

        await eventually(exceeded, timeout=30)
        private_nats.start()

        async def alerted() -> bool:
            return len(await events_of(private_nats.url, ns, "outbox_backlog_exceeded")) == 1

        await eventually(alerted, timeout=60)
    alert = (await events_of(private_nats.url, ns, "outbox_backlog_exceeded"))[0]["data"]
    assert alert["pending"] >= 2
    assert alert["threshold_pending"] == 2
