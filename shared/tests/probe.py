"""A minimal service on the shared runtime, so delivery can be tested without a real service."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from shared.contracts import ApplicationReceived
from shared.contracts.intake.v1 import ApplicationReceivedData
from shared.messaging.batch import Delivered, Outcome
from shared.runtime import Runtime, build_runtime
from shared.settings import ServiceSettings
from shared.uow import SqlUnitOfWork, process_batch, process_once
from sqlalchemy import text

MIGRATIONS = Path(__file__).parent / "probe_migrations"


class ProbeSettings(ServiceSettings):
    service: ClassVar[str] = "routing"  # consumes what routing consumes


@dataclass
class Probe:
    runtime: Runtime
    fail_first: int = 0
    always_fail: bool = False
    attempts: dict[str, int] = field(default_factory=dict)
    processed: asyncio.Event = field(default_factory=asyncio.Event)
    batches: list[int] = field(default_factory=list)

    async def handle(self, event: ApplicationReceived) -> None:
        self.attempts[event.id] = self.attempts.get(event.id, 0) + 1
        if self.always_fail or self.attempts[event.id] <= self.fail_first:
            raise RuntimeError("transient failure")
        consumer = self.runtime.ns.durable("routing", ApplicationReceived)

        async def apply(uow: SqlUnitOfWork) -> None:
            await uow.session.execute(
                text("INSERT INTO probe_seen (event_id, ticket) VALUES (:e, :t)"),
                {"e": event.id, "t": event.data.ticket},
            )

        await process_once(self.uow(), consumer, event.id, apply)
        self.processed.set()

    async def handle_batch(self, items: list[Delivered[ApplicationReceived]]) -> list[Outcome]:
        """The batch path: one transaction for the batch; a ticket "FAIL…" always fails."""
        self.batches.append(len(items))
        consumer = self.runtime.ns.durable("routing", ApplicationReceived)

        def apply_for(event: ApplicationReceived) -> Callable[[SqlUnitOfWork], Awaitable[None]]:
            async def apply(uow: SqlUnitOfWork) -> None:
                self.attempts[event.id] = self.attempts.get(event.id, 0) + 1
                if event.data.ticket.startswith("FAIL"):
                    raise RuntimeError("this event always fails")
                await uow.session.execute(
                    text("INSERT INTO probe_seen (event_id, ticket) VALUES (:e, :t)"),
                    {"e": event.id, "t": event.data.ticket},
                )

            return apply

        work = [(d.event.id, apply_for(d.event)) for d in items]
        results = await process_batch(self.uow, consumer, work)
        self.processed.set()
        return [r if isinstance(r, Exception) else None for r in results]

    async def seen(self) -> list[tuple[str, str]]:
        async with self.runtime.sessions() as session:
            rows = await session.execute(
                text("SELECT event_id, ticket FROM probe_seen ORDER BY id")
            )
            return [(r[0], r[1]) for r in rows]

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.runtime.sessions, self.runtime.ns, self.runtime.relay.wake)

    async def stage(self, *events: ApplicationReceived) -> None:
        """Write events to the outbox in one transaction, as a use case would."""
        async with self.uow() as uow:
            uow.publish(*events)
            await uow.commit()


def build_probe(settings: ProbeSettings, *, batches: bool = False) -> Probe:
    runtime = build_runtime(settings, migrations=MIGRATIONS)
    probe = Probe(runtime)
    if batches:
        runtime.batch_subscriber(ApplicationReceived, probe.handle_batch)
        return probe

    @runtime.subscriber(ApplicationReceived)
    async def on_application_received(event: ApplicationReceived) -> None:
        await probe.handle(event)

    return probe


def received(ticket: str, **overrides: object) -> ApplicationReceived:
    data = ApplicationReceivedData(
        case_id=f"case-{ticket}",
        ticket=ticket,
        concern="residence_permit_extension",
        channel="online",
        language="de",
        received_at="2026-11-24T10:00:00+00:00",
    )
    return ApplicationReceived.build(subject=data.case_id, data=data, **overrides)  # type: ignore[arg-type]
