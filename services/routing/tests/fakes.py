"""Test doubles for routing's ports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from routing.domain.case import Case
from shared.contracts import ApplicationReceived, CloudEvent
from shared.contracts.intake.v1 import ApplicationReceivedData

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@dataclass
class FakeClock:
    moment: datetime = MONDAY

    def now(self) -> datetime:
        return self.moment

    def today(self) -> date:
        return self.moment.date()


@dataclass
class FakeCaseRepository:
    rows: dict[str, Case] = field(default_factory=dict)

    async def get(self, case_id: str) -> Case | None:
        return self.rows.get(case_id)

    async def by_ticket(self, ticket: str) -> Case | None:
        return next((c for c in self.rows.values() if c.ticket == ticket), None)

    async def queued(self, team: str) -> list[Case]:
        return [c for c in self.rows.values() if c.team == team]

    def add(self, case: Case) -> None:
        self.rows[case.case_id] = case


@dataclass
class FakeUnitOfWork:
    cases: FakeCaseRepository = field(default_factory=FakeCaseRepository)
    published: list[CloudEvent] = field(default_factory=list)

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
