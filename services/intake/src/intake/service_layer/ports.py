"""What the use cases need from the outside world (the SQL store, or fakes in tests)."""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self

from shared.contracts import CloudEvent

from intake.domain.application import Application, ApplicationSummary


class CommitConflictError(Exception):
    """A concurrent transaction wrote the same key first."""


@dataclass(frozen=True)
class IdempotentRequest:
    key_hash: str
    request_hash: str
    case_id: str


class ApplicationRepository(Protocol):
    async def add(self, application: Application, tracking_code_hash: str) -> None: ...
    async def ticket_taken(self, ticket: str) -> bool: ...
    async def summary_by_ticket(self, ticket: str) -> ApplicationSummary | None: ...
    async def summary_by_case(self, case_id: str) -> ApplicationSummary | None: ...
    async def idempotent_request(self, key_hash: str) -> IdempotentRequest | None: ...
    def remember_request(self, request: IdempotentRequest, application: Application) -> None: ...


class UnitOfWork(Protocol):
    """One transaction over applications and the outbox."""

    @property
    def applications(self) -> ApplicationRepository: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def publish(self, *events: CloudEvent) -> None: ...
    async def commit(self) -> None: ...
