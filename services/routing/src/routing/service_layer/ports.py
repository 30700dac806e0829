"""What use cases need from the outside world, as protocols (real and fake adapters fit)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from shared.contracts.envelope import CloudEvent

from routing.domain.appointments import Appointment
from routing.domain.case import Case


class Clock(Protocol):
    """The time: injected, so the domain and its tests never read the system clock."""

    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...

    def today(self) -> date:
        """Today's date in the office's time zone."""
        ...


@dataclass(frozen=True)
class DueTimer:
    """A planned alarm of a case's clock (``level``: caseworker, team_lead, head_of_office)."""

    case_id: str
    level: str
    fire_at: datetime
    due_on: date
    elapsed_share: float
    breached: bool


class CaseRepository(Protocol):
    """Where routed cases are kept."""

    async def get(self, case_id: str) -> Case | None: ...

    async def by_ticket(self, ticket: str) -> Case | None: ...

    async def learn_new(self, case_ids: Collection[str], tickets: Collection[str]) -> None:
        """Learn at once which of these are not stored, under the teams' locks (a batch)."""
        ...

    async def queued(self, team: str) -> list[Case]: ...

    async def open_for(self, team: str) -> list[Case]:
        """Queued, claimed and waiting cases of ``team`` (what counts against capacity)."""
        ...

    def add(self, case: Case) -> None: ...

    async def save(self, case: Case) -> None:
        """Store a changed case; ``CaseConflictError`` if it changed since it was read."""
        ...


class TimerRepository(Protocol):
    """Durable alarms of the clocks."""

    async def cancel(self, case_id: str) -> None: ...

    async def plan(self, timers: Sequence[DueTimer], *, new: bool = False) -> None: ...

    async def due(self, now: datetime, limit: int = 100) -> list[DueTimer]: ...

    async def mark_fired(self, timer: DueTimer, now: datetime) -> bool: ...


class AppointmentRepository(Protocol):
    """Booked seats; adding or moving onto a held seat fails (``IntegrityError``)."""

    async def for_case(self, case_id: str) -> Appointment | None: ...

    async def taken(
        self, team: str, start: datetime, end: datetime
    ) -> set[tuple[datetime, int]]: ...

    async def add(self, appointment: Appointment) -> None: ...

    async def move(self, appointment: Appointment) -> None: ...

    async def remove(self, case_id: str) -> None: ...


class UnitOfWork(Protocol):
    """One transaction over the cases, the timers and the outbox."""

    async def lock_team(self, team: str) -> None:
        """Queue behind every other transaction changing ``team``'s cases, loads or seats.

        Held until this transaction ends, on every replica; take it before reading what a
        decision depends on (who has capacity, which seats are free).
        """
        ...

    @property
    def cases(self) -> CaseRepository: ...

    @property
    def timers(self) -> TimerRepository: ...

    @property
    def appointments(self) -> AppointmentRepository: ...

    def publish(self, *events: CloudEvent) -> None: ...
