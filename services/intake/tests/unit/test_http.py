"""The HTTP contract with fakes behind it (no lifespan, no NATS, no store)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from intake.config import Settings
from intake.domain.ticket import format_ticket, parse_ticket
from intake.entrypoints.app import create_app

from ..fakes import FakeAuditLog, FakeStore, FakeUnitOfWork

BODY: dict[str, Any] = {
    "concern": "toleration",
    "applicant": {"family_name": "Haddad", "given_name": "Omar", "email": "omar@example.org"},
    "documents": [{"kind": "biometric_photo"}],
}

HUMANITARIAN = {
    "X-Lotse-Staff": "cw-1",
    "X-Lotse-Role": "caseworker",
    "X-Lotse-Team": "humanitarian",
}


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
async def client(tmp_path: Path, store: FakeStore) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(var_dir=tmp_path, status_base_url="https://lotse.example/")
    app = create_app(settings, uow=lambda: FakeUnitOfWork(store), audit_log=FakeAuditLog())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def fields(response: httpx.Response) -> set[str]:
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    return {e["field"] for e in response.json()["errors"]}


async def test_post_returns_receipt_with_location_and_status_link(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/v1/applications", json=BODY)
    assert response.status_code == 201
    receipt = response.json()
    assert parse_ticket(receipt["ticket"]) == receipt["ticket"]
    assert response.headers["location"] == f"/v1/applications/{receipt['ticket']}"
    assert receipt["status_url"] == f"https://lotse.example/status/{receipt['tracking_code']}"
    assert len(receipt["tracking_code"]) >= 22
    assert receipt["missing_documents"] == ["identity_document"]


async def test_invalid_fields_are_each_named_in_the_problem(client: httpx.AsyncClient) -> None:
    body = {
        **BODY,
        "channel": "fax",
        "language": "deutsch!",
        "applicant": {"family_name": "", "nationality": "de", "email": "no-at-sign"},
        "documents": [{"kind": "passport"}] * 51,
    }
    response = await client.post("/v1/applications", json=body)
    assert fields(response) == {
        "channel", "language", "applicant.family_name", "applicant.nationality",
        "applicant.email", "documents",
    }  # fmt: skip


async def test_unknown_concern_is_a_problem_listing_valid_concerns(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/v1/applications", json={**BODY, "concern": "visa"})
    assert fields(response) == {"concern"}
    assert "residence_permit_extension" in response.json()["valid_concerns"]


async def test_unknown_document_kind_names_its_position(client: httpx.AsyncClient) -> None:
    body = {**BODY, "documents": [{"kind": "passport"}, {"kind": "selfie"}]}
    response = await client.post("/v1/applications", json=body)
    assert fields(response) == {"documents.1.kind"}


async def test_idempotency_key_replays_the_first_response(
    client: httpx.AsyncClient, store: FakeStore
) -> None:
    headers = {"Idempotency-Key": "0b8f6a52-5d1e-4b8e-9a51-3f0f0d2c7e11"}
    first = await client.post("/v1/applications", json=BODY, headers=headers)
    again = await client.post("/v1/applications", json=BODY, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(store.events) == 2
    other = await client.post(
        "/v1/applications", json={**BODY, "channel": "phone"}, headers=headers
    )
    assert fields(other) == {"Idempotency-Key"}


async def test_short_idempotency_key_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/applications", json=BODY, headers={"Idempotency-Key": "1"})
    assert fields(response) == {"Idempotency-Key"}


async def test_get_application_by_ticket_shows_no_personal_data(
    client: httpx.AsyncClient,
) -> None:
    receipt = (await client.post("/v1/applications", json=BODY)).json()
    url = f"/v1/applications/{receipt['ticket'].lower()}"
    elsewhere = await client.get(url, headers={**HUMANITARIAN, "X-Lotse-Team": "family"})
    response = await client.get(url, headers=HUMANITARIAN)
    assert elsewhere.status_code == 403
    assert response.status_code == 200
    view = response.json()
    assert view["case_id"] == receipt["case_id"]
    assert view["concern"] == "toleration"
    assert view["missing_documents"] == ["identity_document"]
    assert "Haddad" not in response.text
    assert "omar@" not in response.text


async def test_get_unknown_ticket_is_404_and_wrong_check_char_422(
    client: httpx.AsyncClient,
) -> None:
    ticket = format_ticket("K7QM4T9X")
    assert (await client.get(f"/v1/applications/{ticket}")).status_code == 401
    found = await client.get(f"/v1/applications/{ticket}", headers=HUMANITARIAN)
    assert found.status_code == 404
    wrong = ticket[:-1] + ("A" if ticket[-1] != "A" else "B")
    assert fields(await client.get(f"/v1/applications/{wrong}", headers=HUMANITARIAN)) == {"ticket"}


async def test_concerns_lists_catalogue_with_documents(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/concerns")).json()
    by_key = {c["key"]: c for c in body["concerns"]}
    assert len(by_key) == 13
    blue = by_key["eu_blue_card"]
    assert blue["team"] == "skilled_workers"
    assert blue["in_person"] is True
    assert {"key", "names"} <= set(blue["required_documents"][0])


@pytest.mark.parametrize("value", [0, "0", "1772323200", "20260301", "2026-03-01T00:00:00Z"])
async def test_dates_must_be_iso_calendar_dates_not_timestamps(
    client: httpx.AsyncClient, value: object
) -> None:
    applicant = {**BODY["applicant"], "date_of_birth": value}
    body = {**BODY, "applicant": applicant, "permit_expires_on": value, "travel_date": value}
    response = await client.post("/v1/applications", json=body)
    assert fields(response) == {"applicant.date_of_birth", "permit_expires_on", "travel_date"}


async def test_iso_dates_are_accepted(client: httpx.AsyncClient) -> None:
    applicant = {**BODY["applicant"], "date_of_birth": "1990-02-28"}
    body = {**BODY, "applicant": applicant, "permit_expires_on": "2027-03-01"}
    response = await client.post("/v1/applications", json=body)
    assert response.status_code == 201


@pytest.mark.parametrize("method", ["OPTIONS", "PUT", "DELETE", "PATCH"])
async def test_unsupported_method_lists_every_method_of_the_path(
    client: httpx.AsyncClient, method: str
) -> None:
    # GET and POST of /documents are two routes; the router's own 405 names only the first
    response = await client.request(method, "/v1/applications/ABC/documents")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["allow"] == "GET, POST"


async def test_openapi_resolves_every_schema_it_refers_to(client: httpx.AsyncClient) -> None:
    # POST /v1/applications reads its body by hand (JSON or multipart) and names it by $ref
    document = (await client.get("/openapi.json")).json()
    referred = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(document)))
    assert "ApplicationIn" in referred
    assert referred <= set(document["components"]["schemas"])
