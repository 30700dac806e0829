"""Transactional outbox: write events with the state change, publish them after commit."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from opentelemetry import propagate
from sqlalchemy import insert
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


def outbox_values(ns: Namespace, event: CloudEvent) -> dict[str, Any]:
    """The outbox row's columns that will publish ``event`` on its subject in ``ns``.

    Taken when the event is staged: its headers carry the trace it was staged in.
    """
    return {
        "event_id": event.id,
        "subject": ns.subject(type(event)),
        "payload": event.to_json_bytes(),
        "headers": json.dumps(event_headers(event)),
        "created_at": utcnow(),
        "sent_at": None,
        "attempts": 0,
    }


async def write_outbox(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Insert staged rows in one statement, in staging order (the relay publishes by id).

    A plain INSERT: through the ORM each row would be its own statement, to learn its id.
    """
    if rows:
        await session.execute(insert(OutboxMessage), list(rows))
