"""The unit of work notify's use cases run in, and the repository port it offers."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from shared.contracts.envelope import CloudEvent
from shared.uow import SqlUnitOfWork

from notify.adapters.comments import SqlCommentRepository
from notify.adapters.repository import SqlCaseRepository
from notify.domain.case import Case, Notification


class CaseRepository(Protocol):
    async def get(self, case_id: str) -> Case | None: ...

    async def preload(self, case_ids: Collection[str]) -> None: ...

    async def claim(self, case_id: str) -> None: ...

    async def get_by_tracking_hash(self, tracking_hash: str) -> Case | None: ...

    async def get_by_survey_id(self, survey_id: str) -> Case | None: ...

    async def save(self, case: Case) -> None: ...

    async def write(self) -> None: ...

    async def failures(self, limit: int) -> list[tuple[str, Notification]]: ...


class CommentRepository(Protocol):
    """Survey comments (free text, possibly personal): kept only here, for a limited time."""

    async def keep(self, case_id: str, survey_id: str, text: str, at: datetime) -> None: ...

    async def erase(self, case_id: str) -> int: ...

    async def purge(self, before: datetime) -> int: ...

    async def count_for(self, case_id: str) -> int: ...


class UnitOfWork(Protocol):
    """What a use case needs: cases and a way to announce events with the state change."""

    cases: CaseRepository
    comments: CommentRepository

    def publish(self, *events: CloudEvent) -> None: ...

    async def commit(self) -> None: ...


class NotifyUnitOfWork(SqlUnitOfWork):
    """State, outbox and inbox of notify in one transaction."""

    cases: CaseRepository
    comments: CommentRepository

    def _open(self) -> None:
        self.cases = SqlCaseRepository(self.session)
        self.comments = SqlCommentRepository(self.session)

    async def commit(self) -> None:
        await self.cases.write()
        await super().commit()
