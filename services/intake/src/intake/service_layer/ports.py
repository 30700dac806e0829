"""What the use cases need from the outside world (the SQL store, or fakes in tests)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from shared.contracts import CloudEvent
from shared.http import UnavailableError

from intake.domain.application import Application, ApplicationSummary
from intake.domain.attachments import StoredAttachment


class CommitConflictError(Exception):
    """A concurrent transaction wrote the same key first."""


class BlobStoreUnavailableError(UnavailableError):
    """The blob store cannot store, read or delete bytes now (NATS down, disk full)."""

    def __init__(self, reason: str, *, full: bool = False) -> None:
        detail = f"the attachment store {reason}; try again later"
        # a full disk needs an operator: ask for a later retry than for a blip
        super().__init__(
            detail, field="blob_store", status=507 if full else 503, retry_after=300 if full else 5
        )
        self.reason = reason


class StreamsUnavailableError(UnavailableError):
    """The streams cannot be scrubbed now (NATS down); erasure did not happen yet."""

    def __init__(self) -> None:
        detail = "NATS is unreachable; the personal data was not erased yet; try again later"
        super().__init__(detail, field="streams", retry_after=30)


@dataclass(frozen=True)
class IdempotentRequest:
    key_hash: str
    request_hash: str
    case_id: str


@dataclass(frozen=True)
class Joined:
    """A submission linked to an open case."""

    submission_id: str
    case_id: str
    channel: str
    received_at: datetime
    tracking_code_hash: str


class ApplicationRepository(Protocol):
    async def add(self, application: Application, tracking_code_hash: str) -> None: ...
    async def ticket_taken(self, ticket: str) -> bool: ...
    async def summary_by_ticket(self, ticket: str) -> ApplicationSummary | None: ...
    async def summary_by_case(self, case_id: str) -> ApplicationSummary | None: ...
    async def idempotent_request(self, key_hash: str) -> IdempotentRequest | None: ...
    def remember_request(self, request: IdempotentRequest, at: datetime) -> None: ...
    async def open_case(self, duplicate_key: str, since: datetime) -> ApplicationSummary | None: ...
    def add_joined(self, joined: Joined) -> None: ...
    async def holds_tracking_code(self, case_id: str, code_hash: str) -> bool: ...
    async def add_documents(
        self,
        case_id: str,
        attachments: Sequence[StoredAttachment],
        channel: str,
        at: datetime,
        submitted: Sequence[str],
        missing: Sequence[str],
    ) -> None: ...
    async def documents(self, case_id: str) -> list[StoredAttachment]: ...


@dataclass(frozen=True)
class ErasureTargets:
    """Where else a case's personal data lives: blobs, and partner events (by key hash)."""

    document_ids: frozenset[str]
    inbound_key_hashes: frozenset[str]


class ErasureRepository(Protocol):
    async def mark_closed(self, case_id: str, at: datetime) -> bool: ...
    async def closed_not_erased(self) -> list[tuple[str, str, datetime]]: ...
    async def targets(self, case_id: str) -> ErasureTargets: ...
    async def erase(self, case_id: str, at: datetime) -> None: ...


class StreamScrubber(Protocol):
    """Deletes the stream messages that carry an applicant's data."""

    async def scrub(self, case_ids: frozenset[str], inbound_key_hashes: frozenset[str]) -> int:
        """Delete contact events of ``case_ids`` and partner events with those keys; count."""
        ...


class AuditLog(Protocol):
    """Staff reads of a case, recorded in the hash-chained audit log."""

    async def record(self, *, actor: str, action: str, case_ref: str, reason: str = "") -> None: ...


class BlobStore(Protocol):
    """Where attachment bytes live; events and rows reference them by id and sha256.

    Each method raises ``BlobStoreUnavailableError`` when the store cannot do it now.
    """

    async def put(self, data: bytes) -> tuple[str, str]:
        """Store ``data``; returns (document id, sha256 hex)."""
        ...

    async def get(self, document_id: str) -> bytes | None: ...
    async def delete(self, document_id: str) -> None: ...


class UnitOfWork(Protocol):
    """One transaction over applications and the outbox."""

    @property
    def applications(self) -> ApplicationRepository: ...
    @property
    def erasures(self) -> ErasureRepository: ...

    async def audit(self, *, actor: str, action: str, case_ref: str, reason: str = "") -> None:
        """Append to the audit log in this transaction."""
        ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def publish(self, *events: CloudEvent) -> None: ...
    async def commit(self) -> None: ...
