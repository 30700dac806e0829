"""Operator endpoints need a staff identity with an operations role; probes stay open."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from intake.config import Settings
from intake.entrypoints.app import create_app

from ..fakes import FakeAuditLog, FakeStore, FakeUnitOfWork


def staff(role: str) -> dict[str, str]:
    return {"X-Lotse-Staff": f"{role}-1", "X-Lotse-Role": role}


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(var_dir=tmp_path)
    store = FakeStore()
    app = create_app(settings, uow=lambda: FakeUnitOfWork(store), audit_log=FakeAuditLog())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/v1/ops/outbox"), ("POST", "/v1/ops/catalogue/reload")]
)
async def test_operator_endpoints_refuse_anonymous_and_case_roles(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    anonymous = await client.request(method, path)
    caseworker = await client.request(method, path, headers=staff("caseworker"))
    team_lead = await client.request(method, path, headers=staff("team_lead"))

    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"
    assert anonymous.json()["errors"][0]["field"] == "header:X-Lotse-Staff"
    assert caseworker.status_code == 403
    assert team_lead.status_code == 403
    assert caseworker.json()["errors"] == [{"field": "role", "reason": caseworker.json()["detail"]}]
    assert "operator" in caseworker.json()["detail"]


async def test_catalogue_reload_is_for_operators_and_the_head_of_office_only(
    client: httpx.AsyncClient,
) -> None:
    by_operator = await client.post("/v1/ops/catalogue/reload", headers=staff("operator"))
    by_head = await client.post("/v1/ops/catalogue/reload", headers=staff("head_of_office"))
    by_auditor = await client.post("/v1/ops/catalogue/reload", headers=staff("auditor"))

    assert by_operator.status_code == 200
    assert by_operator.json()["concerns"] > 0
    assert by_head.status_code == 200
    assert by_auditor.status_code == 403


async def test_probes_and_the_asyncapi_document_stay_open_and_nothing_publishes(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/healthz")).status_code == 200
    assert (await client.get("/asyncapi.json")).status_code == 200
    assert (await client.get("/metrics")).status_code == 200
    assert (await client.post("/asyncapi/try", json={})).status_code in {404, 405}
    openapi = (await client.get("/openapi.json")).json()
    assert not [p for p in openapi["paths"] if "asyncapi" in p and "try" in p]
