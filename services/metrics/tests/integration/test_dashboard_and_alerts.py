"""The running service: dashboard in headless Chromium, forecast and alerts over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from metrics.config import Settings
from metrics.entrypoints.app import create_app
from shared.subjects import Namespace
from shared.testing.app import eventually, running_app

pytestmark = pytest.mark.nats

NOW = datetime(2026, 3, 10, 7, tzinfo=UTC)
OPERATOR = {"X-Lotse-Staff": "op-1", "X-Lotse-Role": "operator"}


async def three_dead_letters() -> int:
    return 3


def app(nats_url: str, namespace: Namespace, database_url: str) -> Any:
    settings = Settings(nats_url=nats_url, namespace=namespace.prefix, database_url=database_url)
    return create_app(settings, clock=lambda: NOW, dead_letters=three_dead_letters)


async def test_alerts_fire_in_the_lifespan_and_forecast_has_eight_weeks(
    nats_url: str, namespace: Namespace, database_url: str
) -> None:
    async with running_app(app(nats_url, namespace, database_url)) as client:

        async def fired() -> bool:
            alerts = (await client.get("/v1/alerts", headers=OPERATOR)).json()
            return [a["alert_id"] for a in alerts if a["active"]] == ["dead_letters:office"]

        await eventually(fired)
        anonymous = await client.get("/v1/alerts")
        caseworker = {"X-Lotse-Staff": "cw-1", "X-Lotse-Role": "caseworker"}
        assert anonymous.status_code == 401
        assert (await client.get("/v1/alerts", headers=caseworker)).status_code == 403
        body = (await client.get("/v1/forecast")).json()
        assert body["method"] == "weekday_mean"
        assert len(body["weeks"]) == 8
        assert body["weeks"][0]["week_start"] == "2026-03-11"


async def test_dashboard_renders_in_chromium_in_both_languages(
    nats_url: str, namespace: Namespace, database_url: str, browser: Any, tmp_path: Path
) -> None:
    async with running_app(app(nats_url, namespace, database_url)) as client:
        german = (await client.get("/dashboard")).text
        english = (await client.get("/dashboard", params={"lang": "en"})).text
        assert '<html lang="de">' in german
        assert "Soll/Ist je Team" in german
        assert '<html lang="en">' in english
        assert "Target vs actual per team" in english
        assert "<script" not in german
        assert 'role="img"' in german
        page = await browser.new_page()
        await page.set_content(english)
        assert await page.locator("svg[role=img]").count() == 3
        shot = tmp_path / "dashboard.png"
        await page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes().startswith(b"\x89PNG")
        assert shot.stat().st_size > 1000
