"""A small fault-injection run inside `make test` (`make chaos` runs N = 10,000)."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared.testing.chaos import Chaos, ChaosConfig, render

pytestmark = [pytest.mark.nats, pytest.mark.journey]


async def test_nothing_accepted_is_lost_or_duplicated_under_kills_and_a_nats_restart(
    tmp_path: Path,
) -> None:
    report = await Chaos(ChaosConfig(n=200, kills_per_service=1, nats_restarts=1), tmp_path).run()
    print(render(report))
    assert report.accepted == 200
    assert sum(report.kills.values()) == 4
    assert report.nats_restarts == 1
    assert report.lost == {"routing": 0, "notify": 0, "metrics": 0}
    assert report.duplicated == {"routing cases": 0, "received messages": 0, "metrics facts": 0}
    assert report.stalled_consumers == []
    assert report.drain_seconds is not None
