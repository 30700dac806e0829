"""Test doubles for routing's ports."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from routing.adapters.holidays_calendar import land_calendar
from routing.domain.case import Case
from routing.domain.lifecycle import CaseConflictError
from routing.service_layer.office import Office
from routing.service_layer.ports import DueTimer
from shared.contracts import ApplicationReceived, CloudEvent
from shared.contracts.intake.v1 import ApplicationReceivedData

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
OFFICE = Office(land_calendar("BW"), ZoneInfo("Europe/Berlin"))


@dataclass
class FakeClock:
    moment: datetime = MONDAY

    def now(self) -> datetime:
        return self.moment

    def today(self) -> date:
        return self.moment.date()

    def later(self, **delta: float) -> FakeClock:
        return replace(self, moment=self.moment + timedelta(**delta))


@dataclass
class FakeCaseRepository:
    rows: dict[str, Case] = field(default_factory=dict)

    async def get(self, case_id: str) -> Case | None:
        return self.rows.get(case_id)

    async def by_ticket(self, ticket: str) -> Case | None:
        return next((c for c in self.rows.values() if c.ticket == ticket), None)

    async def queued(self, team: str) -> list[Case]:
        return [c for c in self.rows.values() if c.team == team]

    async def learn_new(self, case_ids: Collection[str], tickets: Collection[str]) -> None:
        return None

    def add(self, case: Case) -> None:
        self.rows[case.case_id] = case

    async def save(self, case: Case) -> None:
        if self.rows[case.case_id].version != case.version - 1:
            raise CaseConflictError("changed by someone else")
        self.rows[case.case_id] = case


@dataclass
class FakeTimerRepository:
    rows: dict[tuple[str, str], DueTimer] = field(default_factory=dict)
    fired: set[tuple[str, str]] = field(default_factory=set)

    async def cancel(self, case_id: str) -> None:
        for key in [k for k in self.rows if k[0] == case_id and k not in self.fired]:
            del self.rows[key]

    async def plan(self, timers: Sequence[DueTimer], *, new: bool = False) -> None:
        assert not new or all(t.case_id not in {k[0] for k in self.rows} for t in timers)
        for case_id in {t.case_id for t in timers}:
            await self.cancel(case_id)
        for t in timers:
            if (t.case_id, t.level) not in self.fired:
                self.rows[(t.case_id, t.level)] = t

    async def due(self, now: datetime, limit: int = 100) -> list[DueTimer]:
        due = [t for k, t in self.rows.items() if k not in self.fired and t.fire_at <= now]
        return sorted(due, key=lambda t: t.fire_at)[:limit]

    async def mark_fired(self, timer: DueTimer, now: datetime) -> bool:
        key = (timer.case_id, timer.level)
        if key in self.fired or key not in self.rows:
            return False
        self.fired.add(key)
        return True


@dataclass
class FakeUnitOfWork:
    cases: FakeCaseRepository = field(default_factory=FakeCaseRepository)
    timers: FakeTimerRepository = field(default_factory=FakeTimerRepository)
    published: list[CloudEvent] = field(default_factory=list)
    locked: list[str] = field(default_factory=list)

    async def lock_team(self, team: str) -> None:
        self.locked.append(team)

    def publish(self, *events: CloudEvent) -> None:
        self.published.extend(events)


def received(ticket: str, **data: object) -> ApplicationReceived:
    """An ``ApplicationReceived`` for ``ticket`` with ``data`` fields overridden."""
    fields: dict[str, object] = {
        "case_id": f"case-{ticket}",
        "ticket": ticket,
        "concern": "residence_permit_extension",
        "channel": "online",
        "language": "de",
        "received_at": "2026-11-23T08:00:00+00:00",
        "team": "residence",
    }
    fields.update(data)
    payload = ApplicationReceivedData.model_validate(fields)
    return ApplicationReceived.build(subject=payload.case_id, data=payload)
