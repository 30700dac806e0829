"""Routing's unit of work: the shared SQL one plus the case and timer repositories."""

from __future__ import annotations

from shared.uow import SqlUnitOfWork

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
