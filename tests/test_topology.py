"""One map of who consumes what: every service subscribes to exactly what SUBSCRIPTIONS says."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from shared.messaging.topology import INBOUND_SUBSCRIPTIONS, SUBSCRIPTIONS
from shared.subjects import Namespace


@pytest.mark.parametrize("service", sorted(SUBSCRIPTIONS))
def test_service_subscribes_to_exactly_its_declared_events(service: str, tmp_path: Path) -> None:
    config = importlib.import_module(f"{service}.config")
    app_module = importlib.import_module(f"{service}.entrypoints.app")
    settings = config.Settings(namespace="guard", database_url=f"sqlite:///{tmp_path}/g.db")
    app = app_module.create_app(settings)
    subjects = {s.subject.template for s in app.state.runtime.broker.subscribers}
    ns = Namespace("guard")
    declared = {ns.subject(event) for event in SUBSCRIPTIONS[service]}
    declared |= {ns.inbound_subject(n, m) for n, m in INBOUND_SUBSCRIPTIONS.get(service, ())}
    assert subjects == declared
