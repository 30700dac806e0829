"""The status page in headless Chromium without JavaScript: German, Arabic (RTL), Ukrainian."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from notify.adapters.channels import StatusPageChannel
from notify.config import Settings
from notify.entrypoints.app import create_app
from shared.subjects import Namespace
from shared.testing.app import eventually, serving

from .test_lifecycle import steps
from .test_status_journey import CODE, events, publish

pytestmark = pytest.mark.nats
INTAKE = "http://intake.example"


@asynccontextmanager
async def served(nats_url: str, ns: Namespace, tmp: Path) -> AsyncIterator[str]:
    settings = Settings(
        nats_url=nats_url,
        namespace=ns.prefix,
        database_url=f"sqlite:///{tmp / 'n.db'}",
        var_dir=tmp,
        intake_url=INTAKE,
    )
    async with serving(create_app(settings, channels=[StatusPageChannel()])) as base:
        yield base


LANGUAGES = [
    ("de", "ltr", "Stand Ihres Antrags", "Hochladen"),
    ("ar", "rtl", "حالة طلبك", "رفع"),
    ("uk", "ltr", "Стан вашої заяви", "Завантажити"),
]


async def test_status_page_in_a_real_browser_in_german_arabic_and_ukrainian(
    browser: Any, nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    async with served(nats_url, namespace, tmp_path) as base:
        for event in (*events("case-7")[:2], steps()[0]):
            await publish(nats_url, namespace, event)

        async def ready() -> bool:
            async with httpx.AsyncClient() as client:
                body = (await client.get(f"{base}/v1/status/{CODE}")).json()
            return body.get("current_step") == "documents_requested"

        await eventually(ready, timeout=30)
        context = await browser.new_context(java_script_enabled=False)
        page = await context.new_page()
        for lang, direction, heading, upload in LANGUAGES:
            await page.goto(f"{base}/status/{CODE}?lang={lang}")
            await check_page(page, lang, direction, heading, upload)
        await page.get_by_role("link", name="Українська").click()
        assert await page.locator("html").get_attribute("lang") == "uk"
        await context.close()


async def check_page(page: Any, lang: str, direction: str, heading: str, upload: str) -> None:
    html = page.locator("html")
    assert await html.get_attribute("lang") == lang
    assert await html.get_attribute("dir") == direction
    assert await page.get_by_role("heading", level=1).inner_text() == heading
    for landmark in ("main", "banner", "contentinfo", "navigation"):
        assert await page.get_by_role(landmark).count() == 1, landmark
    form = page.locator("form[enctype='multipart/form-data']")
    assert await form.get_attribute("action") == f"{INTAKE}/v1/applications/ABH-7/documents"
    assert await form.locator("input[name=tracking_code]").get_attribute("value") == CODE
    assert await page.get_by_role("button", name=upload).is_visible()
    file_label = await page.locator("label[for=file]").inner_text()
    assert await page.get_by_label(file_label).count() == 1
