"""Thin subscribers: translate the event, run the use case exactly once (inbox)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar, cast

from shared.contracts import ApplicantContactRecorded, ApplicationReceived, CaseRouted
from shared.contracts.envelope import CloudEvent
from shared.runtime import Runtime
from shared.uow import process_once

from notify.adapters import translators
from notify.bootstrap import Container
from notify.service_layer import handlers
from notify.service_layer.unit_of_work import NotifyUnitOfWork

log = logging.getLogger(__name__)
H = TypeVar("H", bound=Callable[..., Awaitable[None]])


def _subscriber(runtime: Runtime, event: type[CloudEvent], description: str) -> Callable[[H], H]:
    # Runtime.subscriber is typed Any; keep the handlers typed.
    return cast(Callable[[H], H], runtime.subscriber(event, description=description))


def register(container: Container) -> None:
    """Attach notify's three durable consumers to the broker."""
    runtime = container.runtime
    durable = runtime.ns.durable

    @_subscriber(runtime, ApplicationReceived, "Adds the received step.")
    async def on_application_received(event: ApplicationReceived) -> None:
        """Record the application on the case's timeline."""
        cmd = translators.record_application(event)

        async def apply(uow: NotifyUnitOfWork) -> None:
            await handlers.record_application(cmd, uow)

        await process_once(container.uow(), durable("notify", ApplicationReceived), event.id, apply)

    @_subscriber(runtime, ApplicantContactRecorded, "Confirms receipt (PII).")
    async def on_applicant_contact_recorded(event: ApplicantContactRecorded) -> None:
        """Record the contact and send the confirmation on every channel still owed."""
        cmd = translators.record_contact(event)

        async def apply(uow: NotifyUnitOfWork) -> None:
            await handlers.record_contact(cmd, uow, container.outbound)

        consumer = durable("notify", ApplicantContactRecorded)
        if await process_once(container.uow(), consumer, event.id, apply):
            log.info("contact recorded", extra={"case_id": cmd.case_id})

    @_subscriber(runtime, CaseRouted, "Adds the routed step.")
    async def on_case_routed(event: CaseRouted) -> None:
        """Record the routing decision on the case's timeline."""
        cmd = translators.record_routing(event)

        async def apply(uow: NotifyUnitOfWork) -> None:
            await handlers.record_routing(cmd, uow)

        await process_once(container.uow(), durable("notify", CaseRouted), event.id, apply)
