"""The chaos harness's partner system: CloudEvents published on the INBOUND stream.

A partner's application counts as accepted once JetStream acked it, exactly like a ``201``
over HTTP. Like a patient partner it re-sends the same event (same ``id``, same
``Nats-Msg-Id``) until it gets that ack, through NATS restarts and node failures.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from typing import Any

import nats
from nats.aio.client import Client

SOURCE = "https://partner.example/chaos"
ATTEMPTS = 600


def partner_key_hash(secret: bytes, source: str, event_id: str) -> str:
    """What intake stores for a partner event's idempotency key: sha256 of its keyed hash.

    Mirrors intake's ``partner_event_key``; ``shared`` may not import a service, and the
    auditor needs the mapping from an acked event to the case it became.
    """
    keyed = hmac.new(secret, f"{source}\x1f{event_id}".encode(), hashlib.sha256).hexdigest()
    return hashlib.sha256(keyed.encode()).hexdigest()


def cloudevent(event_id: str, data: dict[str, Any]) -> bytes:
    """A structured-mode CloudEvent, as a partner's CloudEvents SDK writes it."""
    return json.dumps(
        {
            "specversion": "1.0",
            "id": event_id,
            "source": SOURCE,
            "type": "org.example.application.submitted",
            "datacontenttype": "application/json",
            "data": data,
        }
    ).encode()


async def _expected(_exc: Exception) -> None:
    """Refused reconnects are the point of the run; nats-py would log each with a traceback."""


class PartnerPublisher:
    """One NATS connection (to every node given) that publishes until JetStream acks."""

    def __init__(self, servers: list[str], subject: str) -> None:
        self.servers = servers
        self.subject = subject
        self._nc: Client | None = None

    async def connect(self) -> None:
        self._nc = await nats.connect(
            servers=self.servers,
            max_reconnect_attempts=-1,
            reconnect_time_wait=0.5,
            connect_timeout=2,
            error_cb=_expected,
        )

    async def close(self) -> None:
        if self._nc is not None:
            await self._nc.close()

    async def publish(self, event_id: str, data: dict[str, Any]) -> None:
        """Returns once JetStream acked the event (a re-send of a stored one is acked too)."""
        assert self._nc is not None, "connect() first"
        js = self._nc.jetstream()
        headers = {"Nats-Msg-Id": event_id, "content-type": "application/cloudevents+json"}
        body = cloudevent(event_id, data)
        for _ in range(ATTEMPTS):
            try:
                await js.publish(self.subject, body, headers=headers, timeout=2)
            except (nats.errors.Error, TimeoutError):
                await asyncio.sleep(0.2)  # server down, leader election, no responders
                continue
            return
        msg = f"partner event {event_id} never acked"
        raise RuntimeError(msg)
