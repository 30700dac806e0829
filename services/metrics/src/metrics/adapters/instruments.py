"""Prometheus instruments of the projection; labels come only from small closed sets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge

from metrics.service_layer.commands import RecordNotification, RecordReceived, RecordRouted

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
OTHER = "other"


@dataclass
class LabelGuard:
    """Catalogue keys become label values; odd ones, or any past ``limit`` distinct, are 'other'.

    This keeps a label set closed even if an event carries an unexpected value.
    """

    limit: int = 50
    _seen: set[str] = field(default_factory=set)

    def __call__(self, value: str | None) -> str:
        if value is None or not _KEY.match(value):
            return OTHER
        if value not in self._seen and len(self._seen) >= self.limit:
            return OTHER
        self._seen.add(value)
        return value


class Instruments:
    """Counters of events folded in by this replica and the store-wide open-unrouted gauge."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.concerns, self.teams = LabelGuard(), LabelGuard()
        self.received = Counter(
            "lotse_metrics_applications_received",
            "Applications folded into the projection",
            ["concern", "channel"],
            registry=registry,
        )
        self.routed = Counter(
            "lotse_metrics_cases_routed",
            "Routing decisions folded into the projection",
            ["team", "priority"],
            registry=registry,
        )
        self.notifications = Counter(
            "lotse_metrics_notifications",
            "Notification outcomes folded into the projection",
            ["channel", "outcome"],
            registry=registry,
        )
        self.open_unrouted = Gauge(
            "lotse_metrics_open_unrouted_cases",
            "Cases received and not yet routed (whole store)",
            registry=registry,
        )

    def count_received(self, cmd: RecordReceived) -> None:
        self.received.labels(self.concerns(cmd.concern), _closed(cmd.channel)).inc()

    def count_routed(self, cmd: RecordRouted) -> None:
        self.routed.labels(self.teams(cmd.team), _closed(cmd.priority)).inc()

    def count_notification(self, cmd: RecordNotification) -> None:
        self.notifications.labels(_closed(cmd.channel), cmd.outcome).inc()


def _closed(value: str) -> str:
    """Channel and priority are contract literals; still refuse anything that is not a key."""
    return value if _KEY.match(value) else OTHER
