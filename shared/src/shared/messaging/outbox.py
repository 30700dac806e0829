"""Transactional outbox: write events with the state change, publish them after commit."""

from __future__ import annotations

import json

from opentelemetry import propagate
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.contracts.envelope import CONTENT_TYPE, CloudEvent, utcnow
from shared.messaging.tables import OutboxMessage
from shared.subjects import Namespace


def event_headers(event: CloudEvent) -> dict[str, str]:
    """NATS headers of an event: dedupe id, content type, correlation and the current trace."""
    headers = {
        "Nats-Msg-Id": event.id,
        "content-type": CONTENT_TYPE,
        "correlation_id": event.correlationid,
        "ce-type": event.type,
    }
    propagate.inject(headers)
    return headers


def outbox_row(ns: Namespace, event: CloudEvent) -> OutboxMessage:
    """The outbox row that will publish ``event`` on its subject in namespace ``ns``."""
    return OutboxMessage(
        event_id=event.id,
        subject=ns.subject(type(event)),
        payload=event.to_json_bytes(),
        headers=json.dumps(event_headers(event)),
        created_at=utcnow(),
    )


def add_to_outbox(session: AsyncSession, ns: Namespace, *events: CloudEvent) -> None:
    """Stage ``events`` in the caller's transaction; they go out only if it commits."""
    for event in events:
        session.add(outbox_row(ns, event))
