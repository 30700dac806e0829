"""The SQL unit of work: applications, applicant details and outbox in one commit."""

from __future__ import annotations

from shared.uow import SqlUnitOfWork
from sqlalchemy.exc import IntegrityError

from intake.adapters.repository import SqlApplicationRepository
from intake.service_layer.ports import CommitConflictError


class SqlIntakeUnitOfWork(SqlUnitOfWork):
    applications: SqlApplicationRepository

    def _open(self) -> None:
        self.applications = SqlApplicationRepository(self.session)

    async def commit(self) -> None:
        try:
            await super().commit()
        except IntegrityError as exc:
            raise CommitConflictError(str(exc.orig)) from exc
