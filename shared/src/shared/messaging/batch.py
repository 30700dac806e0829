"""Batch consumers: a whole pull batch in one handler call, every message settled on its own.

FastStream's per-message path costs a task, its middlewares and a dependency-injection
call per event, and a consumer that opens a transaction per event pays a commit per event.
A batch consumer gets the pulled messages at once and lets the service fold them into one
transaction (``shared.uow.process_batch``). Each message still has its own fate:

* one that cannot be decoded or breaks its contract is parked as a dead letter at once;
* the service answers every other with an outcome: ``None`` (done, acknowledged) or the
  exception that message met (nacked with backoff, parked after ``max_deliver``);
* if the handler fails as a whole, the delivery middleware nacks what is left unsettled.

Nothing is acknowledged before the handler returned, i.e. before its commit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson
from nats.aio.msg import Msg
from opentelemetry import propagate
from opentelemetry.trace import SpanKind, Tracer

from shared.contracts.envelope import CloudEvent
from shared.messaging.deadletter import PoisonMessage, is_poison
from shared.messaging.delivery import DeliveryMiddleware

E = TypeVar("E", bound=CloudEvent)
T = TypeVar("T")  # what a message carries: a domain event, or a partner's submission

Outcome = Exception | None


@dataclass(frozen=True, slots=True)
class Delivered(Generic[T]):
    """One decoded event of a batch and the message that carried it."""

    event: T
    raw: Msg
    tracer: Tracer | None = None

    @contextmanager
    def traced(self) -> Iterator[None]:
        """Work on this event inside a span of the trace it came with.

        A batch as a whole starts a trace of its own (FastStream links it to its messages);
        what is done for one event, and the events it stages, belong to that event's trace.
        """
        if self.tracer is None:
            yield
            return
        parent = propagate.extract(dict(getattr(self.raw, "headers", None) or {}))
        subject = getattr(self.raw, "subject", "") or ""
        with self.tracer.start_as_current_span(
            f"{subject} process",
            context=parent,
            kind=SpanKind.CONSUMER,
            attributes={"messaging.system": "nats", "messaging.destination.name": subject},
        ):
            yield

    @property
    def deliveries(self) -> int:
        """How often JetStream has delivered this message, this time included."""
        try:
            return int(self.raw.metadata.num_delivered or 1)
        except Exception:  # a message without JetStream metadata (never redelivered)
            return 1


BatchHandler = Callable[[list[Delivered[T]]], Awaitable[Sequence[Outcome]]]


def decode(event_type: type[E], raw: Msg) -> E:
    """The event a message carries; a poison error (never retried) if it carries none."""
    try:
        return event_type.model_validate(orjson.loads(raw.data))
    except Exception as error:
        if is_poison(error):  # the contract's own words name the broken field
            raise
        msg = f"not a valid {event_type.__name__}: {type(error).__name__}"
        raise PoisonMessage(msg) from error


async def consume(
    decoder: Callable[[Msg], T],
    batch: Sequence[Msg],
    handle: BatchHandler[T],
    delivery: DeliveryMiddleware,
    tracer: Tracer | None = None,
) -> None:
    """Decode ``batch``, hand the valid events to ``handle``, settle each failure on its own.

    ``decoder`` raises a poison error for a message that carries nothing usable.
    """
    good: list[Delivered[T]] = []
    for raw in batch:
        try:
            good.append(Delivered(decoder(raw), raw, tracer))
        except Exception as error:
            await delivery.settle(raw, error)
    if not good:
        return
    outcomes = await handle(good)
    if len(outcomes) != len(good):
        msg = f"batch handler answered {len(outcomes)} outcomes for {len(good)} events"
        raise RuntimeError(msg)
    for item, outcome in zip(good, outcomes, strict=True):
        if outcome is not None:
            await delivery.settle(item.raw, outcome)


def raw_messages(message: Any) -> list[Msg]:
    """The NATS messages of a FastStream batch message (one for a single message)."""
    raw = message.raw_message
    return list(raw) if isinstance(raw, list) else [raw]


def event_schema(event_type: type[CloudEvent]) -> dict[str, Any]:
    """The event's JSON schema with its ``$defs`` inlined, to document a batch's items."""
    schema = event_type.model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                rest = {k: v for k, v in node.items() if k != "$ref"}
                return inline({**defs[ref.removeprefix("#/$defs/")], **rest})
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(value) for value in node]
        return node

    inlined: dict[str, Any] = inline(schema)
    return inlined
