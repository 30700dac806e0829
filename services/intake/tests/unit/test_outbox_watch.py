"""The outbox alarm fires once per episode of a backlog over threshold."""

from __future__ import annotations

from intake.service_layer.outbox_watch import OutboxWatch

from ..fakes import FakeStore, FakeUnitOfWork


async def test_alert_once_while_exceeded_and_again_after_recovery() -> None:
    store = FakeStore()
    watch = OutboxWatch(threshold_pending=10, threshold_age_seconds=60)
    assert not await watch.check(3, 5.0, FakeUnitOfWork(store))
    assert await watch.check(3, 61.0, FakeUnitOfWork(store))
    assert not await watch.check(12, 90.0, FakeUnitOfWork(store))
    assert not await watch.check(0, 0.0, FakeUnitOfWork(store))
    assert await watch.check(10, 0.0, FakeUnitOfWork(store))
    assert [e.type for e in store.events] == ["de.lotse.intake.outbox_backlog_exceeded.v1"] * 2
