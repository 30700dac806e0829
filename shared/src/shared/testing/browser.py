"""Headless Chromium for page tests: Debian's binary driven by Playwright.

Playwright's own browser download cannot work on these machines; ``.ci/run`` installs
Debian's ``chromium`` so these tests always run in CI, and elsewhere they skip with the reason.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    return (
        os.environ.get("LOTSE_CHROMIUM")
        or shutil.which("chromium")
        or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    )


@pytest.fixture
async def browser() -> AsyncIterator[object]:
    """A Playwright ``Browser`` on headless Chromium (skips when no chromium is installed)."""
    path = chromium_path()
    if path is None:
        pytest.skip("no chromium found: apt-get install chromium (CI installs it)")
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        instance = await pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            await instance.close()
