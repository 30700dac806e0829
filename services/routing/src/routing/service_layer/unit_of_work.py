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
        self._locked: set[str] = set()

    async def lock_team(self, team: str) -> None:
        """Queue behind every other transaction of ``team`` until this one ends (any replica)."""
        if team not in self._locked:  # held until the transaction ends: once is enough
            await team_lock.lock_team(self.session, self._ns.prefix, team)
            self._locked.add(team)

    async def commit(self) -> None:
        await super().commit()
        self._locked.clear()  # the locks ended with the transaction

    async def rollback(self) -> None:
        await super().rollback()
        self._locked.clear()
