"""What use cases need from the outside world, as protocols (real and fake adapters fit)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from shared.contracts.envelope import CloudEvent

from routing.domain.case import Case


class Clock(Protocol):
    """The time: injected, so the domain and its tests never read the system clock."""

    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...

    def today(self) -> date:
        """Today's date in the office's time zone."""
        ...


class CaseRepository(Protocol):
    """Where routed cases are kept."""

    async def get(self, case_id: str) -> Case | None: ...

    async def by_ticket(self, ticket: str) -> Case | None: ...

    async def queued(self, team: str) -> list[Case]: ...

    def add(self, case: Case) -> None: ...


class UnitOfWork(Protocol):
    """One transaction over the cases and the outbox."""

    @property
    def cases(self) -> CaseRepository: ...

    def publish(self, *events: CloudEvent) -> None: ...
