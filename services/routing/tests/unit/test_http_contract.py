"""The HTTP contract before any use case runs (no lifespan, no NATS): methods and input."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from routing.config import Settings
from routing.entrypoints.app import create_app

from ..fakes import FakeClock

HEAD = {"X-Lotse-Staff": "s-head", "X-Lotse-Role": "head_of_office"}


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'routing.db'}", var_dir=tmp_path)
    transport = httpx.ASGITransport(app=create_app(settings, clock=FakeClock()))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.mark.parametrize("method", ["OPTIONS", "PUT", "DELETE", "PATCH"])
async def test_unsupported_method_lists_every_method_of_the_path(
    client: httpx.AsyncClient, method: str
) -> None:
    # GET (show) and POST (book) of one appointment are two routes; Starlette's 405 names one
    response = await client.request(method, "/v1/cases/LT-1/appointment", headers=HEAD)
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["allow"] == "GET, POST"


async def test_single_route_paths_still_list_their_method(client: httpx.AsyncClient) -> None:
    response = await client.request("DELETE", "/v1/cases/LT-1/appointment/cancel", headers=HEAD)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


@pytest.mark.parametrize("value", [0, "0", "1772323200", "20260301"])
async def test_reply_by_must_be_an_iso_date_not_a_timestamp(
    client: httpx.AsyncClient, value: object
) -> None:
    body = {"documents": ["passport"], "reply_by": value}
    response = await client.post("/v1/cases/LT-1/request-documents", json=body, headers=HEAD)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["reply_by"]


@pytest.mark.parametrize("value", [0, "0", "1772323200", "2026-03-01", "2026-03-01T09:30:00"])
async def test_starts_at_must_be_an_rfc3339_instant_not_a_timestamp(
    client: httpx.AsyncClient, value: object
) -> None:
    response = await client.post(
        "/v1/cases/LT-1/appointment", json={"starts_at": value}, headers=HEAD
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["starts_at"]
