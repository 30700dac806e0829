"""Small fault-injection runs inside `make test` (`make chaos` runs N = 10,000 of each).

Half the applications arrive over HTTP, half as partner CloudEvents on the INBOUND stream;
each run starts its own NATS (one server, or three routed nodes) because it kills it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from shared.testing.chaos import Chaos, ChaosConfig, ChaosReport, render

# each run starts NATS and four services, kills them and waits for the drain: on a busy
# 2-core machine that can pass the suite's 300 s default
pytestmark = [pytest.mark.nats, pytest.mark.journey, pytest.mark.timeout(900)]


def assert_nothing_lost_or_duplicated(report: ChaosReport, n: int) -> None:
    assert report.accepted == n
    assert report.channels["http"]["accepted"] == n // 2
    assert report.channels["partner"]["accepted"] == n // 2
    for channel, counts in report.channels.items():
        arrived = {"routed", "notified", "counted"}
        assert {k: counts[k] for k in arrived} == dict.fromkeys(arrived, n // 2), channel
    assert report.lost == {"intake": 0, "routing": 0, "notify": 0, "metrics": 0}
    assert report.duplicated == {
        "intake applications": 0,
        "routing cases": 0,
        "received messages": 0,
        "metrics facts": 0,
    }
    assert report.stalled_consumers == []
    assert report.drain_seconds is not None


async def test_nothing_accepted_is_lost_or_duplicated_under_kills_and_a_nats_restart(
    tmp_path: Path,
) -> None:
    config = ChaosConfig(n=200, kills_per_service=1, nats_restarts=1, partner_share=0.5)
    report = await Chaos(config, tmp_path).run()
    print(render(report))
    assert sum(report.kills.values()) == 4
    assert report.nats_restarts == 1
    assert report.stream_replicas == 1
    assert_nothing_lost_or_duplicated(report, config.n)


async def test_nothing_accepted_is_lost_when_a_cluster_node_dies_under_load(
    tmp_path: Path,
) -> None:
    config = ChaosConfig(n=60, kills_per_service=0, nats_restarts=1, cluster=True)
    report = await Chaos(config, tmp_path).run()
    print(render(report))
    assert report.nats_nodes == 3
    assert report.stream_replicas == 3
    assert report.nats_restarts == 1
    assert report.nats_killed[0].startswith("lotse-")
    assert_nothing_lost_or_duplicated(report, config.n)
