"""`make bench` keeps working: a tiny run writes a complete report (no timing assertions)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.nats, pytest.mark.journey]
SERVICES = {"intake", "routing", "notify", "metrics"}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--tiny", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def report(tiny: Path) -> dict[str, object]:
    return json.loads((tiny / "report.json").read_text())  # type: ignore[no-any-return]


def test_ceiling_and_sustained_load_over_partner_events_and_http(report: dict) -> None:
    assert report["ceiling"]["raw_publish_per_s"] > 0
    assert report["ceiling"]["lean_pipeline_per_s"] > 0
    assert [p["kind"] for p in report["sustained"]] == ["partner", "http"]
    for phase in report["sustained"]:
        assert phase["accepted"] == phase["offered"]
        assert phase["lost"] == 0
        assert set(phase["e2e_ms"]) == {"p50", "p90", "p99", "max"}
        assert set(phase["accept_ms"]) == {"p50", "p90", "p99", "max"}


def test_bursts_lose_nothing(report: dict) -> None:
    assert set(report["burst"]) == {"partner", "http"}
    for burst in report["burst"].values():
        assert burst["accepted"] == burst["count"]
        assert burst["lost"] == 0


def test_queue_freshness_sees_every_ticket_on_the_sse_stream(report: dict) -> None:
    fresh = report["freshness"]
    assert fresh["streams_connected"] == len(fresh["teams"]) > 0
    assert fresh["seen"] == fresh["accepted"] > 0


def test_replay_rebuilds_the_projection_from_every_seeded_event(report: dict) -> None:
    replay = report["replay"]
    assert replay["exit_code"] == 0, replay["error"]
    assert replay["events"] == replay["seeded"] > 0


def test_targets_processes_and_where_the_time_goes(report: dict) -> None:
    assert set(report["processes"]) == SERVICES
    assert {t["status"] for t in report["targets"]} <= {"met", "missed", "not measured"}
    assert len(report["targets"]) == 9
    where = report["where_time_goes"]
    assert set(where["processes"]) == {*SERVICES, "nats", "bench"}
    assert [g["phase"] for g in where["groups"]] == [
        "freshness",
        "partner sustained",
        "http sustained",
        "http burst",
        "partner burst",
    ]


def test_markdown_and_plot(tiny: Path) -> None:
    markdown = (tiny / "report.md").read_text()
    for heading in ("## Targets", "## Ceiling", "## Sustained", "## Burst", "## Queue freshness",
                    "## Replay", "## Where the time goes"):  # fmt: skip
        assert heading in markdown
    assert (tiny / "latency.svg").read_text().startswith("<svg")
