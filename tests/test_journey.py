"""One application through all four real service processes, in one trace.

The platform and span collector are the session's (tests/conftest.py), so the test follows
its own trace (it sends the ``traceparent``) and counts in metrics from where they stood.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from shared.testing.processes import SERVICES, Platform

from .otlp_collector import OtlpCollector

pytestmark = [pytest.mark.nats, pytest.mark.journey]

APPLICATION = {
    "concern": "residence_permit_extension",
    "channel": "online",
    "language": "en",
    "applicant": {
        "given_name": "Canary-Givenname-7Q",
        "family_name": "Canary-Familyname-7Q",
        "date_of_birth": "1990-04-01",
        "nationality": "SYR",
        "email": "canary-7q@example.org",
        "phone": "+4915112345678",
        "postal_address": "Canarystrasse 7, 72070 Tuebingen",
    },
    "permit_expires_on": "2026-12-03",
    "documents": [{"kind": "passport"}],
}
CANARIES = (
    "Canary-Givenname-7Q",
    "Canary-Familyname-7Q",
    "canary-7q@example.org",
    "+4915112345678",
)


def wait_for(fetch: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = fetch()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("the platform did not get there in time")
        time.sleep(0.1)


STAFF = {"X-Lotse-Staff": "sb-journey", "X-Lotse-Role": "caseworker", "X-Lotse-Team": "residence"}


def get_json(url: str, headers: dict[str, str] | None = None) -> Any:
    response = httpx.get(url, timeout=5, headers=headers)
    return response.json() if response.status_code == 200 else None


def test_application_travels_through_all_four_services_in_one_trace(
    platform: Platform, collector: OtlpCollector
) -> None:
    before = get_json(f"{platform.url('metrics')}/v1/kpis")
    trace_id = secrets.token_hex(16)
    traceparent = {"traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"}
    response = httpx.post(
        f"{platform.url('intake')}/v1/applications",
        json=APPLICATION,
        headers=traceparent,
        timeout=10,
    )
    assert response.status_code == 201, response.text
    accepted = response.json()
    ticket, code = accepted["ticket"], accepted["tracking_code"]

    case = wait_for(lambda: get_json(f"{platform.url('routing')}/v1/cases/{ticket}", STAFF))
    assert case["team"]
    assert case["priority"] in {"urgent", "high", "normal", "low"}
    assert case["reasons"], "the priority explains itself"

    def confirmed() -> Any:
        status = get_json(f"{platform.url('notify')}/v1/status/{code}")
        return status if status and status.get("notifications") else None

    status = wait_for(confirmed)
    assert status["ticket"] == ticket
    assert any(n["kind"] == "received" for n in status["notifications"])

    received = before["applications_received"] + 1
    concern = before["by_concern"].get("residence_permit_extension", 0) + 1

    def counted() -> Any:
        kpis = get_json(f"{platform.url('metrics')}/v1/kpis")
        return kpis if kpis and kpis["applications_received"] == received else None

    kpis = wait_for(counted)
    assert kpis["by_concern"].get("residence_permit_extension") == concern

    assert wait_for(lambda: _http_span_in(collector, trace_id)), "intake joined the trace"

    def services_in_trace() -> set[str]:
        return {s.service for s in collector.snapshot() if s.trace_id == trace_id}

    wait_for(lambda: services_in_trace() == {f"lotse-{s}" for s in SERVICES})

    exported = repr(collector.snapshot())
    logs = "".join(platform.log(s) for s in SERVICES)
    for canary in (*CANARIES, code):
        assert canary not in exported, "personal data or a tracking code in a span"
        assert canary not in logs, "personal data or a tracking code in a log line"


def _http_span_in(collector: OtlpCollector, trace_id: str) -> bool:
    return any(
        span.service == "lotse-intake"
        and span.trace_id == trace_id
        and span.attributes.get("http.route") == "/v1/applications"
        for span in collector.snapshot()
    )
