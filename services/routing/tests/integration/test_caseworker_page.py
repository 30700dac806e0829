"""The reference caseworker page in headless Chromium: live queue, keyboard, aria-live, no CDN."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from routing.entrypoints.app import create_app
from shared.subjects import Namespace
from shared.testing.app import serving

from ..fakes import FakeClock, received
from .helpers import publish_event, settings

pytestmark = pytest.mark.nats


@asynccontextmanager
async def served(
    nats_url: str, ns: Namespace, tmp: Path, clock: FakeClock | None = None
) -> AsyncIterator[str]:
    """Routing on a real port (the browser needs one), lifespan and scanner running."""
    config = settings(nats_url, ns, f"sqlite:///{tmp / 'r.db'}", tmp, stream_interval_s=0.1)
    async with serving(create_app(config, clock=clock or FakeClock())) as base:
        yield base


async def test_queue_updates_live_and_a_case_is_claimed_by_keyboard(
    browser: Any, nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    from playwright.async_api import expect

    async with served(nats_url, namespace, tmp_path) as base:
        page = await browser.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        await page.goto(f"{base}/caseworker?staff=s-ana&team=residence")
        status = page.get_by_role("status")
        await expect(status).to_have_text("0 open cases in residence")

        trip = {"urgent_travel": True, "travel_date": "2026-11-30"}
        await publish_event(nats_url, namespace, received("T-LIVE", **trip))
        item = page.locator('li[data-ticket="T-LIVE"]')
        await expect(item).to_contain_text("urgent travel in 7 days → priority urgent")
        await expect(status).to_have_text("1 open case in residence")

        await page.get_by_role("button", name="Claim T-LIVE").focus()
        await page.keyboard.press("Enter")
        await expect(item).to_contain_text("claimed by s-ana")
        release = page.get_by_role("button", name="Release T-LIVE")
        await expect(release).to_be_focused()  # focus stays on the case after the live update

        assert await status.get_attribute("aria-live") == "polite"
        assert all(url.startswith(base) for url in requests)  # nothing from a CDN
        streams = [url for url in requests if "/stream?" in url]
        assert streams
        assert all("ticket=residence." in url for url in streams)
        csp = (await page.request.get(f"{base}/caseworker")).headers["content-security-policy"]
        assert "script-src 'self'" in csp


async def test_the_page_gets_a_new_ticket_when_the_stream_reconnects(
    browser: Any, nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    from playwright.async_api import expect

    clock = FakeClock()
    async with served(nats_url, namespace, tmp_path, clock) as base:
        page = await browser.new_page()
        tickets: list[str] = []
        page.on("request", lambda r: tickets.append(r.url) if "stream-ticket" in r.url else None)
        await page.goto(f"{base}/caseworker?staff=s-ana&team=residence")
        status = page.get_by_role("status")
        await expect(status).to_have_text("0 open cases in residence")

        clock.moment += timedelta(minutes=5)  # the first ticket has long expired
        await page.evaluate("source.onerror()")  # the connection drops
        await publish_event(nats_url, namespace, received("T-AGAIN"))
        await expect(page.locator('li[data-ticket="T-AGAIN"]')).to_be_visible()
        await expect(status).to_have_text("1 open case in residence")
    assert len(tickets) == 2
