"""The bench's own rules, without running it: when to stop raising the rate, burst verdicts."""

from __future__ import annotations

from typing import Any

from bench.phases import fell_behind
from bench.targets import other_rows


def phase(offered: float, achieved: float, processed: float, lost: int = 0) -> dict[str, Any]:
    return {
        "offered_per_s": offered,
        "achieved_per_s": achieved,
        "processed_per_s": processed,
        "lost": lost,
    }


def test_a_rate_kept_up_with_lets_the_next_rate_be_offered() -> None:
    assert not fell_behind(phase(100, 99.5, 95))


def test_processing_under_nine_tenths_of_the_offer_stops_the_rise() -> None:
    assert fell_behind(phase(100, 100, 60))
    assert fell_behind(phase(100, 50, 50)), "HTTP could not even accept the offer"
    assert fell_behind(phase(100, 100, 100, lost=3)), "not finished within the drain time"


def report_with_burst(burst: dict[str, Any]) -> dict[str, Any]:
    return {
        "burst": {"partner": burst},
        "freshness": {"freshness_ms": {"p99": 100.0}},
        "replay": {"events_per_s": 1000.0, "events": 5000},
        "processes": {"intake": {"peak_rss_mb": 120.0}},
    }


def test_a_burst_past_its_budget_is_missed_and_says_how_far_it_got() -> None:
    burst = {
        "count": 100_000,
        "counted_s": None,
        "lost": None,
        "processed": 9_000,
        "processed_per_s": 15.0,
    }
    row = other_rows(report_with_burst(burst))[0]
    assert row["status"] == "missed"
    assert "9,000 done within the budget (15.0/s)" in row["note"]


def test_a_burst_done_in_time_with_nothing_lost_is_met() -> None:
    burst = {"count": 100_000, "counted_s": 42.0, "lost": 0, "processed": 100_000}
    row = other_rows(report_with_burst(burst))[0]
    assert row["status"] == "met"
