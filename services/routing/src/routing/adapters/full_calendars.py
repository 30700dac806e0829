"""Cases routed without an appointment because their team's calendar is full.

In a surge every new case of a full team meets a full calendar: a warning per case would
bury the log (29,254 lines in one benchmark run) and tell the team lead nothing a count
does not. So each is counted (``lotse_routing_unbooked_total{team}``, for dashboards and
alerts) and the log says it at most once per interval and team, with how many it was.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter

log = logging.getLogger(__name__)


class FullCalendars:
    """Counts and (rarely) logs cases that found no free seat, per team."""

    def __init__(
        self,
        registry: CollectorRegistry | None,
        *,
        interval_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.unbooked = Counter(
            "lotse_routing_unbooked",
            "Cases routed without an appointment: no free seat in the team's calendar",
            ["team"],
            registry=registry,
        )
        self._interval, self._clock = interval_s, clock
        self._unlogged: dict[str, int] = {}
        self._logged_at: dict[str, float] = {}

    def no_seat(self, team: str) -> None:
        """A case of ``team`` was routed without an appointment."""
        self.unbooked.labels(team=team).inc()
        self._unlogged[team] = self._unlogged.get(team, 0) + 1
        now, last = self._clock(), self._logged_at.get(team)
        if last is None or now - last >= self._interval:
            cases, self._unlogged[team], self._logged_at[team] = self._unlogged[team], 0, now
            log.warning(
                "no free appointment seat: cases routed without an appointment",
                extra={"team": team, "cases": cases, "interval_s": self._interval},
            )
