"""How a consumer's failure is answered: retry with backoff, or park as a dead letter.

FastStream's NATS default (``REJECT_ON_ERROR``) would terminate a message on any
exception; this broker middleware takes over every failure of a JetStream message:

* a message that can never be valid (schema violation, ``PoisonMessage``) is recorded in
  the dead-letter stream (reason and original stream sequence, no payload) and terminated;
* any other error is nacked with a growing delay, and after ``max_deliver`` tries it too
  goes to the dead-letter stream;
* if the dead-letter publish itself fails, the message is nacked, never dropped.

Success is acknowledged by FastStream after the handler returned, i.e. after commit.
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any, TypeGuard

from faststream import BaseMiddleware
from faststream.nats import NatsBroker
from nats.aio.msg import Msg
from nats.errors import Error as NatsError

from shared.messaging.deadletter import deadletter_headers, is_poison, safe_reason
from shared.messaging.topology import DeliveryPolicy
from shared.subjects import Namespace

log = logging.getLogger(__name__)


class DeliveryMiddleware:
    """Factory FastStream calls per message; bind it to the broker before ``start``."""

    def __init__(self, ns: Namespace, service: str, policy: DeliveryPolicy) -> None:
        self.ns = ns
        self.service = service
        self.policy = policy
        self.broker: NatsBroker | None = None

    def bind(self, broker: NatsBroker) -> None:
        self.broker = broker

    def __call__(self, msg: Any, /, *, context: Any) -> _Delivery:
        return _Delivery(msg, context=context, owner=self)

    async def settle(self, raw: Msg, error: Exception) -> None:
        """Answer one failed message: park a poison or exhausted one, else nack with backoff."""
        meta = raw.metadata
        deliveries = meta.num_delivered or 1
        policy = self.policy
        reason = safe_reason(error)
        if is_poison(error) or deliveries >= policy.max_deliver:
            if not is_poison(error):
                reason = f"gave up after {deliveries} deliveries: {reason}"
            if await self._park(raw, reason, deliveries):
                await raw.term()
                return
        delay = policy.backoff_after(deliveries)
        log.warning(
            "event processing failed; will retry",
            extra={"subject": raw.subject, "deliveries": deliveries, "reason": reason},
        )
        await raw.nak(delay=delay)

    async def _park(self, raw: Msg, reason: str, deliveries: int) -> bool:
        broker = self.broker
        assert broker is not None, "DeliveryMiddleware.bind(broker) was not called"
        meta = raw.metadata
        headers = deadletter_headers(
            raw.headers,
            reason=reason,
            subject=raw.subject,
            stream=meta.stream,
            sequence=meta.sequence.stream,
            consumer=meta.consumer or "",
            deliveries=deliveries,
        )
        target = self.ns.deadletter_subject(self.service, raw.subject)
        try:
            # no payload: it may hold personal data, and the original stays in its own
            # stream, where replay fetches it by sequence
            await broker.connection.jetstream().publish(target, b"", headers=headers)
        except (NatsError, TimeoutError):
            log.exception("dead-letter publish failed; message stays for redelivery")
            return False
        log.error(
            "event parked as dead letter",
            extra={"subject": raw.subject, "deadletter_subject": target, "reason": reason},
        )
        return True


class _Delivery(BaseMiddleware):
    def __init__(self, msg: Any, /, *, context: Any, owner: DeliveryMiddleware) -> None:
        super().__init__(msg, context=context)
        self.owner = owner

    async def after_processed(
        self,
        exc_type: type[BaseException] | None = None,
        exc_val: BaseException | None = None,
        exc_tb: TracebackType | None = None,
    ) -> bool | None:
        if exc_val is None or not isinstance(exc_val, Exception):
            return False
        # a batch consumer (shared.messaging.batch) settles its messages one by one; what
        # it left unsettled when the whole batch failed is answered here, message by message
        batch = self.msg if isinstance(self.msg, list) else [self.msg]
        pending = [raw for raw in batch if _is_jetstream(raw) and not raw._ackd]
        if not pending:
            return any(_is_jetstream(raw) for raw in batch)
        for raw in pending:
            await self.owner.settle(raw, exc_val)
        return True


def _is_jetstream(raw: Any) -> TypeGuard[Msg]:
    """Only JetStream messages can be nacked; the in-memory test broker's are not."""
    reply = getattr(raw, "reply", "") or ""
    return isinstance(raw, Msg) and reply.startswith("$JS.ACK.")
