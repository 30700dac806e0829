"""Retention and erasure: afterwards no row, blob or stream message holds the applicant's data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import nats
import pytest
from cloudevents.core.bindings.http import to_binary_event
from intake.entrypoints.app import create_app
from intake.entrypoints.background import erase_due
from shared.contracts import CaseClosed
from shared.contracts.routing.v1 import CaseActionData
from shared.messaging.outbox import event_headers
from shared.subjects import INBOUND, Namespace
from shared.testing.app import eventually, running_app
from sqlalchemy import text

from .test_channels import OPERATOR, PDF, events_of, make_settings, partner_event, upload

pytestmark = pytest.mark.nats

CANARIES = ("Zzqxcanaryfam", "Zzqxcanarygiven", "zzqx.canary@example.org", "+49 170 5550199")
PERSON: dict[str, Any] = {
    "family_name": CANARIES[0],
    "given_name": CANARIES[1],
    "date_of_birth": "1990-01-02",
    "nationality": "UKR",
    "email": CANARIES[2],
    "phone": CANARIES[3],
}
LEAD = {"X-Lotse-Staff": "tl-1", "X-Lotse-Role": "team_lead", "X-Lotse-Team": "humanitarian"}
TABLES = ("applications", "applicant_details", "documents", "joined_submissions")
TABLES += ("idempotency_keys", "outbox", "inbox", "audit_log")


async def canaries_in_rows(app: Any) -> int:
    found = 0
    async with app.state.runtime.engine.connect() as conn:
        for table in TABLES:
            for row in (await conn.execute(text(f"SELECT * FROM {table}"))).all():
                dump = repr(tuple(row))
                found += sum(c in dump for c in CANARIES)
    return found


async def canaries_in_streams(url: str, ns: Namespace) -> int:
    nc = await nats.connect(url)
    js, found = nc.jetstream(), 0
    try:
        for stream in (ns.stream("intake"), ns.stream(INBOUND)):
            last = (await js.stream_info(stream)).state.last_seq
            for seq in range(1, last + 1):
                try:
                    msg = await js.get_msg(stream, seq)
                except nats.js.errors.NotFoundError:
                    continue
                dump = (msg.data or b"").decode() + repr(msg.headers)
                found += sum(c in dump for c in CANARIES)
    finally:
        await nc.close()
    return found


def blob_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def test_erasure_on_request_leaves_no_personal_data_anywhere(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    app = create_app(make_settings(nats_url, namespace, database_url, tmp_path))
    data = {"concern": "toleration", "applicant": PERSON, "message": CANARIES[0]}
    async with running_app(app) as client:
        nc = await nats.connect(nats_url)
        msg = to_binary_event(partner_event("evt-erase", data))
        await nc.jetstream().publish(
            namespace.inbound_subject(), msg.body, headers=dict(msg.headers)
        )
        await nc.close()

        async def partner_in() -> bool:
            return len(await events_of(nats_url, namespace, "application_received")) == 1

        await eventually(partner_in)
        ticket = (await events_of(nats_url, namespace, "application_received"))[0]["data"]["ticket"]
        joined = await client.post("/v1/applications", **upload(data, [("passport", PDF)]))
        assert joined.json()["ticket"] == ticket

        async def contacts_out() -> bool:
            pending = (await client.get("/v1/ops/outbox", headers=OPERATOR)).json()["pending"]
            return pending == 0 and blob_files(tmp_path / "intake" / "blobs") != []

        await eventually(contacts_out)
        before_rows = await canaries_in_rows(app)
        before_streams = await canaries_in_streams(nats_url, namespace)
        caseworker = {**LEAD, "X-Lotse-Role": "caseworker"}
        refused = await client.post(
            f"/v1/applications/{ticket}/erase", json={"reason": "Art. 17"}, headers=caseworker
        )
        erased = await client.post(
            f"/v1/applications/{ticket}/erase", json={"reason": "Art. 17 request"}, headers=LEAD
        )
        again = await client.post(
            f"/v1/applications/{ticket}/erase", json={"reason": "Art. 17 request"}, headers=LEAD
        )
        auditor = {"X-Lotse-Staff": "au-1", "X-Lotse-Role": "auditor"}
        trail = await client.get("/v1/audit", params={"case": ticket}, headers=auditor)
        chain = await client.get("/v1/audit/verify", headers=auditor)

        async def announced() -> bool:
            return len(await events_of(nats_url, namespace, "personal_data_erased")) == 1

        await eventually(announced)
        after_rows = await canaries_in_rows(app)
        after_streams = await canaries_in_streams(nats_url, namespace)
        view = await client.get(f"/v1/applications/{ticket}", headers=LEAD)

    assert before_rows > 0
    assert before_streams > 0
    assert refused.status_code == 403
    assert erased.status_code == 200, erased.text
    assert erased.json()["stream_messages"] >= 3  # two contact events, one partner event
    assert again.status_code == 409
    assert after_rows == 0
    assert after_streams == 0
    assert blob_files(tmp_path / "intake" / "blobs") == []
    assert view.json()["erased_at"] is not None
    assert ("tl-1", "erase_personal_data:request") in [
        (e["actor"], e["action"]) for e in trail.json()
    ]
    assert chain.json()["ok"] is True


async def test_retention_erases_a_closed_case_after_its_period(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    later = datetime.now(UTC) + timedelta(days=400)
    app = create_app(make_settings(nats_url, namespace, database_url, tmp_path))
    container = app.state.container
    async with running_app(app) as client:
        receipt = (
            await client.post(
                "/v1/applications", json={"concern": "toleration", "applicant": PERSON}
            )
        ).json()
        closed = CaseClosed.build(
            subject=receipt["case_id"],
            data=CaseActionData(
                case_id=receipt["case_id"],
                ticket=receipt["ticket"],
                team="humanitarian",
                actor="cw",
            ),
            correlation_id=receipt["case_id"],
        )
        nc = await nats.connect(nats_url)
        await nc.jetstream().publish(
            namespace.subject(CaseClosed), closed.to_json_bytes(), headers=event_headers(closed)
        )
        await nc.close()
        view_url = f"/v1/applications/{receipt['ticket']}"

        async def noted() -> bool:
            return (await client.get(view_url, headers=LEAD)).json()["closed_at"] is not None

        await eventually(noted)
        too_early = await erase_due(container)
        container.clock = lambda: later
        erased = await erase_due(container)

        async def out() -> bool:
            return (await client.get("/v1/ops/outbox", headers=OPERATOR)).json()["pending"] == 0

        await eventually(out)
        erasures = await events_of(nats_url, namespace, "personal_data_erased")
        rows = await canaries_in_rows(app)
        streams = await canaries_in_streams(nats_url, namespace)

    assert (too_early, erased) == (0, 1)
    assert [e["data"]["reason"] for e in erasures] == ["retention"]
    assert (rows, streams) == (0, 0)
