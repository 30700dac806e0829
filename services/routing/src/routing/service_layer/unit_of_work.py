"""Routing's unit of work: the shared SQL one plus the case repository."""

from __future__ import annotations

from shared.uow import SqlUnitOfWork

from routing.adapters.repository import SqlCaseRepository


class RoutingUnitOfWork(SqlUnitOfWork):
    cases: SqlCaseRepository

    def _open(self) -> None:
        self.cases = SqlCaseRepository(self.session)
