"""Routing's unit of work: the shared SQL one plus the case and timer repositories."""

from __future__ import annotations

from shared.uow import SqlUnitOfWork

from routing.adapters import team_lock
from routing.adapters.appointments import SqlAppointmentRepository
from routing.adapters.repository import SqlCaseRepository
from routing.adapters.timers import SqlTimerRepository


class RoutingUnitOfWork(SqlUnitOfWork):
    cases: SqlCaseRepository
    timers: SqlTimerRepository
    appointments: SqlAppointmentRepository

    def _open(self) -> None:
        self.cases = SqlCaseRepository(self.session)
        self.timers = SqlTimerRepository(self.session)
        self.appointments = SqlAppointmentRepository(self.session)

    async def lock_team(self, team: str) -> None:
        """Queue behind every other transaction of ``team`` until this one ends (any replica)."""
        await team_lock.lock_team(self.session, self._ns.prefix, team)
