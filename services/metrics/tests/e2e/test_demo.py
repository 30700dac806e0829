"""The demo feeds a tiny office through the four real services; metrics counts all of it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from metrics.demo import Office, simulate
from shared.testing.app import eventually
from shared.testing.fixtures import unique_suffix
from shared.testing.processes import Platform

pytestmark = pytest.mark.nats


@pytest.fixture
def platform(nats_url: str, tmp_path: Path) -> Iterator[Platform]:
    running = Platform(nats_url, f"demo{unique_suffix()}", tmp_path, {"LOG_LEVEL": "WARNING"})
    yield running.start()
    running.stop()


async def test_a_tiny_office_reaches_the_dashboard_through_the_real_pipeline(
    platform: Platform,
) -> None:
    office = Office(clients=750, staff=2, days=3, surge_from=1, surge_days=1, scale=1.0)
    tally = await simulate(office, platform.url("intake"), platform.url("routing"), 0.0)
    assert tally.submitted > 0
    assert tally.refused == 0
    assert tally.decided > 0

    async with httpx.AsyncClient(base_url=platform.url("metrics")) as metrics:

        async def counted() -> bool:
            body = (await metrics.get("/v1/kpis")).json()
            return (body["applications_received"], body["cases_decided"]) == (
                tally.submitted,
                tally.decided,
            )

        await eventually(counted, timeout=30)
        page = (await metrics.get("/dashboard", params={"lang": "en"})).text
        assert "Open-case forecast per team" in page
