"""A full calendar in a surge: every unbooked case is counted, the log says it once a minute."""

from __future__ import annotations

import logging

import pytest
from prometheus_client import CollectorRegistry
from routing.adapters.full_calendars import FullCalendars


def test_unbooked_cases_are_counted_per_team_and_logged_at_most_once_an_interval(
    caplog: pytest.LogCaptureFixture,
) -> None:
    registry, now = CollectorRegistry(), [100.0]
    full = FullCalendars(registry, interval_s=60.0, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="routing.adapters.full_calendars"):
        for _ in range(1000):
            full.no_seat("residence")
        full.no_seat("family")
        now[0] += 61.0
        full.no_seat("residence")

    def counted(team: str) -> float | None:
        return registry.get_sample_value("lotse_routing_unbooked_total", {"team": team})

    assert counted("residence") == 1001
    assert counted("family") == 1
    logged = [(r.team, r.cases) for r in caplog.records]  # type: ignore[attr-defined]
    assert logged == [("residence", 1), ("family", 1), ("residence", 1000)]
    assert all("case_id" not in r.__dict__ for r in caplog.records), "no case in the log"
