"""The SQL unit of work: applications, applicant details, audit log and outbox in one commit."""

from __future__ import annotations

from shared.uow import SqlUnitOfWork
from sqlalchemy.exc import IntegrityError

from intake.adapters.erasure import SqlErasureRepository
from intake.adapters.repository import SqlApplicationRepository
from intake.service_layer.ports import CommitConflictError
from shared import audit


class SqlIntakeUnitOfWork(SqlUnitOfWork):
    applications: SqlApplicationRepository
    erasures: SqlErasureRepository

    def _open(self) -> None:
        self.applications = SqlApplicationRepository(self.session)
        self.erasures = SqlErasureRepository(self.session, self._ns)

    async def audit(self, *, actor: str, action: str, case_ref: str, reason: str = "") -> None:
        await audit.append(
            self.session, actor=actor, action=action, case_ref=case_ref, reason=reason
        )

    async def commit(self) -> None:
        try:
            await super().commit()
        except IntegrityError as exc:
            raise CommitConflictError(str(exc.orig)) from exc
