"""Test doubles for intake's ports: an in-memory store and unit of work."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

from intake.domain.application import Application, ApplicationSummary
from intake.service_layer.ports import IdempotentRequest
from shared.contracts import CloudEvent


@dataclass
class FakeStore:
    applications: dict[str, tuple[Application, str]] = field(default_factory=dict)
    requests: dict[str, IdempotentRequest] = field(default_factory=dict)
    events: list[CloudEvent] = field(default_factory=list)
    commits: int = 0


def _summary(app: Application) -> ApplicationSummary:
    return ApplicationSummary(
        ticket=app.ticket,
        case_id=app.case_id,
        concern=app.concern.key,
        channel=app.channel,
        language=app.language,
        received_at=app.received_at,
        missing_documents=tuple(app.missing_documents),
    )


class FakeApplicationRepository:
    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.added: list[tuple[Application, str]] = []
        self.remembered: list[IdempotentRequest] = []

    async def add(self, application: Application, tracking_code_hash: str) -> None:
        self.added.append((application, tracking_code_hash))

    async def ticket_taken(self, ticket: str) -> bool:
        return any(a.ticket == ticket for a, _ in self.store.applications.values())

    async def summary_by_ticket(self, ticket: str) -> ApplicationSummary | None:
        found = [a for a, _ in self.store.applications.values() if a.ticket == ticket]
        return _summary(found[0]) if found else None

    async def summary_by_case(self, case_id: str) -> ApplicationSummary | None:
        found = self.store.applications.get(case_id)
        return _summary(found[0]) if found else None

    async def idempotent_request(self, key_hash: str) -> IdempotentRequest | None:
        return self.store.requests.get(key_hash)

    def remember_request(self, request: IdempotentRequest, application: Application) -> None:
        self.remembered.append(request)


class FakeUnitOfWork:
    """Stages writes and events; only ``commit`` makes them visible in the store."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.applications = FakeApplicationRepository(store)
        self._events: list[CloudEvent] = []

    async def __aenter__(self) -> Self:
        self.applications = FakeApplicationRepository(self.store)
        self._events = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._events = []

    def publish(self, *events: CloudEvent) -> None:
        self._events.extend(events)

    async def commit(self) -> None:
        for app, code_hash in self.applications.added:
            self.store.applications[app.case_id] = (app, code_hash)
        for request in self.applications.remembered:
            self.store.requests[request.key_hash] = request
        self.store.events.extend(self._events)
        self.store.commits += 1
        self.applications.added, self.applications.remembered, self._events = [], [], []
