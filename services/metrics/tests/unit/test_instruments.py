"""Prometheus labels stay a small closed set, whatever the events carry."""

from __future__ import annotations

from metrics.adapters.instruments import Instruments, LabelGuard
from prometheus_client import CollectorRegistry

from ..fakes import notified, received, routed


def test_label_guard_passes_keys_and_folds_the_rest_into_other() -> None:
    guard = LabelGuard(limit=2)
    assert [guard(v) for v in ("a_1", "b", "Max Mustermann", None, "c", "a_1")] == [
        "a_1",
        "b",
        "other",
        "other",
        "other",
        "a_1",
    ]


def test_counters_are_labelled_by_concern_channel_team_priority_only() -> None:
    registry = CollectorRegistry()
    meters = Instruments(registry)
    meters.count_received(received("case-secret-1"))
    meters.count_routed(routed("case-secret-1", priority="urgent"))
    meters.count_notification(notified("n-1", "case-secret-1", outcome="failed"))
    value = registry.get_sample_value
    labels = {"concern": "residence_permit_extension", "channel": "online"}
    assert value("lotse_metrics_applications_received_total", labels) == 1
    assert value("lotse_metrics_cases_routed_total", {"team": "team_a", "priority": "urgent"}) == 1
    assert (
        value("lotse_metrics_notifications_total", {"channel": "email", "outcome": "failed"}) == 1
    )
    exposed = [s for m in registry.collect() for s in m.samples]
    assert not any("case-secret" in str(s.labels) for s in exposed)
