"""Caseworker actions, the paused clock and durable alarms against real NATS and the store."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from shared.contracts import (
    CaseClaimed,
    CaseEscalated,
    CaseResumed,
    DeadlineWarningRaised,
    DocumentsAdded,
    DocumentsRequested,
)
from shared.contracts.intake.v1 import DocumentsAddedData, StoredDocument
from shared.subjects import Namespace
from shared.testing.app import eventually

from ..fakes import FakeClock, received
from .helpers import ANA, BEN, HEAD, has, publish_event, published, routing_app

pytestmark = pytest.mark.nats


async def route(
    client: httpx.AsyncClient, url: str, ns: Namespace, ticket: str, **data: object
) -> None:
    await publish_event(url, ns, received(ticket, **data))

    async def known() -> bool:
        return (await client.get(f"/v1/cases/{ticket}", headers=HEAD)).status_code == 200

    await eventually(known)


async def test_two_caseworkers_claim_at_once_and_exactly_one_wins(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    async with routing_app(nats_url, namespace, database_url, tmp_path) as client:
        await route(client, nats_url, namespace, "T-RACE")
        ana, ben = await asyncio.gather(
            client.post("/v1/cases/T-RACE/claim", headers=ANA),
            client.post("/v1/cases/T-RACE/claim", headers=BEN),
        )
        queue = (await client.get("/v1/queues/residence", headers=HEAD)).json()
        await eventually(has(nats_url, namespace, CaseClaimed))
        claims = await published(nats_url, namespace, CaseClaimed)
    assert sorted([ana.status_code, ben.status_code]) == [200, 409]
    loser = ana if ana.status_code == 409 else ben
    assert loser.headers["content-type"] == "application/problem+json"
    assert loser.json()["errors"][0]["field"] == "status"
    winner = "s-ana" if ana.status_code == 200 else "s-ben"
    assert queue["cases"][0]["claimed_by"] == winner
    assert [c["data"]["actor"] for c in claims] == [winner]


async def test_actions_need_a_staff_id_and_unknown_tickets_are_404(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    async with routing_app(nats_url, namespace, db, tmp_path) as client:
        anonymous = await client.post("/v1/cases/T-X/claim")
        unknown = await client.post("/v1/cases/T-X/claim", headers=ANA)
        auditor = await client.post(
            "/v1/cases/T-X/claim", headers={"X-Lotse-Staff": "a", "X-Lotse-Role": "auditor"}
        )
    assert anonymous.status_code == 401
    assert unknown.status_code == 404
    assert unknown.json()["errors"] == [{"field": "ticket", "reason": "unknown"}]
    assert auditor.status_code == 403


async def test_documents_requested_pause_the_case_until_documents_are_added(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    async with routing_app(nats_url, namespace, database_url, tmp_path) as client:
        await route(client, nats_url, namespace, "T-DOCS")
        await client.post("/v1/cases/T-DOCS/claim", headers=ANA)
        body = {"documents": ["passport_copy"], "reply_by": "2026-12-07"}
        waiting = await client.post("/v1/cases/T-DOCS/request-documents", json=body, headers=ANA)
        queue_while_waiting = (await client.get("/v1/queues/residence", headers=HEAD)).json()
        await publish_event(nats_url, namespace, documents_added("T-DOCS"))
        await eventually(has(nats_url, namespace, CaseResumed))
        case = (await client.get("/v1/cases/T-DOCS", headers=HEAD)).json()
        [asked] = await published(nats_url, namespace, DocumentsRequested)
    assert waiting.json()["status"] == "waiting"
    assert queue_while_waiting["cases"] == []
    assert (case["status"], case["claimed_by"]) == ("claimed", "s-ana")
    assert asked["data"]["documents"] == ["passport_copy"]
    assert asked["data"]["actor"] == "s-ana"


def documents_added(ticket: str) -> DocumentsAdded:
    doc = StoredDocument(
        document_id="d1", kind="passport_copy", sha256="0" * 64, size=10,
        content_type="application/pdf",
    )  # fmt: skip
    data = DocumentsAddedData(
        case_id=f"case-{ticket}", ticket=ticket, documents=[doc], missing_documents=[],
        channel="online",
    )  # fmt: skip
    return DocumentsAdded.build(subject=data.case_id, data=data)


async def test_alarms_fire_once_after_a_restart(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    async with routing_app(nats_url, namespace, database_url, tmp_path) as client:
        await route(client, nats_url, namespace, "T-SLOW")  # due Mon 14 Dec (15 business days)
    later = FakeClock(datetime(2026, 12, 15, 9, tzinfo=UTC))  # past the warning and the due date
    async with routing_app(nats_url, namespace, database_url, tmp_path, later):
        await eventually(has(nats_url, namespace, CaseEscalated))
        await eventually(has(nats_url, namespace, DeadlineWarningRaised))
    async with routing_app(nats_url, namespace, database_url, tmp_path, later) as client:
        # received Fri 27 Nov: due Fri 18 Dec, warned Tue 15 Dec: once it is out, scans have run
        await route(client, nats_url, namespace, "T-MARKER", received_at="2026-11-27T08:00:00Z")
        await eventually(has(nats_url, namespace, DeadlineWarningRaised, 2))
    warning, marker = await published(nats_url, namespace, DeadlineWarningRaised)
    assert marker["data"]["ticket"] == "T-MARKER"
    [escalation] = await published(nats_url, namespace, CaseEscalated)
    assert warning["data"] | {"elapsed_share": 0} == {
        "case_id": "case-T-SLOW", "ticket": "T-SLOW", "team": "residence",
        "level": "caseworker", "due_on": "2026-12-14", "elapsed_share": 0, "breached": False,
    }  # fmt: skip
    assert (escalation["data"]["level"], escalation["data"]["breached"]) == ("team_lead", True)


async def test_rules_reload_endpoint_refuses_a_bad_file_and_keeps_the_old_rules(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    from routing.config import DEFAULT_RULES
    from routing.entrypoints.app import create_app
    from shared.testing.app import running_app

    from .helpers import settings

    rules = tmp_path / "rules.yaml"
    rules.write_text(DEFAULT_RULES.read_text(encoding="utf-8"), encoding="utf-8")
    config = settings(nats_url, namespace, f"sqlite:///{tmp_path / 'r.db'}", tmp_path)
    config = config.model_copy(update={"rules_path": rules, "timer_interval_s": 300})
    lead = {"X-Lotse-Staff": "s-lea", "X-Lotse-Role": "team_lead"}
    async with running_app(create_app(config, clock=FakeClock())) as client:
        rules.write_text("version: v2\nrules: [{id: x, signal: bogus, priority: high}]\n")
        refused = await client.post("/v1/rules/reload", headers=lead)
        forbidden = await client.post("/v1/rules/reload", headers=ANA)
        rules.write_text("version: v2\ndefault: low\nrules: []\n")
        operator = {"X-Lotse-Staff": "s-op", "X-Lotse-Role": "operator"}
        accepted = await client.post("/v1/rules/reload", headers=operator)
        await route(client, nats_url, namespace, "T-V2")
        case = (await client.get("/v1/cases/T-V2", headers=HEAD)).json()
    assert refused.status_code == 422
    assert "rules v1 stay" in refused.json()["detail"]
    assert forbidden.status_code == 403
    assert accepted.json() == {"version": "v2"}
    assert (case["rule_version"], case["priority"]) == ("v2", "low")
