"""The status page's form contract before any use case runs (no lifespan, no NATS)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from notify.config import Settings
from notify.entrypoints.app import create_app
from notify.entrypoints.http import APPOINTMENT_ACTION


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'notify.db'}", var_dir=tmp_path)
    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.mark.parametrize("value", ["0", "1772323200", "20260301"])
async def test_not_before_must_be_an_iso_date_not_a_timestamp(
    client: httpx.AsyncClient, value: str
) -> None:
    form = {"tracking_code": "x" * 24, "action": "rebook", "not_before": value}
    response = await client.post(APPOINTMENT_ACTION, data=form)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["not_before"]
