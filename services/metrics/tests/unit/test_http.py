"""The HTTP API over a migrated store, without a broker: figures, CSV and 422 problems."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from metrics.config import Settings
from metrics.entrypoints.app import create_app

from ..fakes import Store, migrated_store, notified, received, routed


@pytest.fixture
async def facts(tmp_path: Path) -> AsyncIterator[Store]:
    async with migrated_store(f"sqlite:///{tmp_path / 'metrics.db'}") as store:
        yield store


@pytest.fixture
async def client(tmp_path: Path, facts: Store) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'metrics.db'}", migrate_on_start=False)
    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def test_kpis_report_the_period_and_filters(client: httpx.AsyncClient, facts: Store) -> None:
    await facts.apply(received("c1"), received("c2", channel="phone"), routed("c1"))
    response = await client.get("/v1/kpis", params={"from": "2026-03-01", "to": "2026-03-07"})
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"from": "2026-03-01", "to": "2026-03-07", "days": 7}
    assert body["filters"] == {"team": None, "concern": None, "channel": None, "language": None}
    assert (body["applications_received"], body["cases_routed"], body["open_unrouted"]) == (2, 1, 1)
    assert body["by_day"][1] == {"date": "2026-03-02", "received": 2, "routed": 1}


async def test_csv_has_one_line_per_day_concern_and_channel(
    client: httpx.AsyncClient, facts: Store
) -> None:
    await facts.apply(received("c1", missing_documents_count=1), received("c2"))
    await facts.apply(received("c3", channel="phone"), routed("c1"))
    await facts.apply(notified("n1", "c1"), notified("n2", "c3", outcome="failed"))
    response = await client.get("/v1/kpis.csv", params={"from": "2026-03-02", "to": "2026-03-02"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines() == [
        "date,concern,channel,received,routed,missing_documents,"
        "notifications_sent,notifications_failed",
        "2026-03-02,residence_permit_extension,online,2,1,1,1,0",
        "2026-03-02,residence_permit_extension,phone,1,0,0,0,1",
    ]


async def test_csv_never_starts_a_cell_with_a_formula(
    client: httpx.AsyncClient, facts: Store
) -> None:
    await facts.apply(routed("c1", concern="=cmd|calc"))
    response = await client.get("/v1/kpis.csv", params={"from": "2026-03-02", "to": "2026-03-02"})
    assert "'=cmd|calc" in response.text


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-03-08", "to": "2026-03-01"}, "to"),
        ({"from": "2026-02-30"}, "from"),
        ({"to": "soon"}, "to"),
        ({"to": "0"}, "to"),  # pydantic alone reads it as a Unix timestamp: 1970-01-01
        ({"from": "0", "to": "1970-01-05"}, "from"),
        ({"from": "1772323200"}, "from"),
        ({"from": "20260301"}, "from"),
        ({"from": "2020-01-01", "to": "2026-01-01"}, "from"),
        ({"channel": "fax"}, "channel"),
        ({"team": "Team A"}, "team"),
        ({"concern": "x" * 101}, "concern"),
        ({"language": "de_DE!"}, "language"),
    ],
)
@pytest.mark.parametrize("path", ["/v1/kpis", "/v1/kpis.csv", "/v1/kpis/series"])
async def test_bad_query_parameters_are_422_problems_naming_the_field(
    client: httpx.AsyncClient, path: str, params: dict[str, str], field: str
) -> None:
    response = await client.get(path, params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]
