"""Metrics' unit of work: the shared SQL one plus the fact store."""

from __future__ import annotations

from shared.uow import SqlUnitOfWork

from metrics.adapters.alert_repository import SqlAlerts
from metrics.adapters.repository import SqlFacts


class MetricsUnitOfWork(SqlUnitOfWork):
    facts: SqlFacts
    alerts: SqlAlerts

    def _open(self) -> None:
        self.facts = SqlFacts(self.session)
        self.alerts = SqlAlerts(self.session)
