"""Test doubles for intake's ports: an in-memory store and unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Self

from intake.domain.application import Application, ApplicationSummary
from intake.domain.attachments import StoredAttachment
from intake.service_layer.ports import IdempotentRequest, Joined
from shared.contracts import CloudEvent


@dataclass
class FakeStore:
    applications: dict[str, tuple[Application, str]] = field(default_factory=dict)
    requests: dict[str, IdempotentRequest] = field(default_factory=dict)
    events: list[CloudEvent] = field(default_factory=list)
    joined: list[Joined] = field(default_factory=list)
    documents: dict[str, list[StoredAttachment]] = field(default_factory=dict)
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
        submitted_documents=app.submitted_documents,
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

    def remember_request(self, request: IdempotentRequest, at: datetime) -> None:
        self.remembered.append(request)

    async def open_case(self, duplicate_key: str, since: datetime) -> ApplicationSummary | None:
        found = [
            a
            for a, _ in self.store.applications.values()
            if a.duplicate_key == duplicate_key and a.received_at >= since
        ]
        return _summary(found[-1]) if found else None

    def add_joined(self, joined: Joined) -> None:
        self.store.joined.append(joined)

    async def holds_tracking_code(self, case_id: str, code_hash: str) -> bool:
        app = self.store.applications.get(case_id)
        return (app is not None and app[1] == code_hash) or any(
            j.case_id == case_id and j.tracking_code_hash == code_hash for j in self.store.joined
        )

    async def add_documents(
        self,
        case_id: str,
        attachments: Sequence[StoredAttachment],
        channel: str,
        at: datetime,
        submitted: Sequence[str],
        missing: Sequence[str],
    ) -> None:
        self.store.documents.setdefault(case_id, []).extend(attachments)

    async def documents(self, case_id: str) -> list[StoredAttachment]:
        return list(self.store.documents.get(case_id, []))


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


@dataclass
class FakeAuditLog:
    """Records audit entries in memory: (actor, action, case_ref, reason)."""

    entries_: list[tuple[str, str, str, str]] = field(default_factory=list)

    async def record(self, *, actor: str, action: str, case_ref: str, reason: str = "") -> None:
        self.entries_.append((actor, action, case_ref, reason))
