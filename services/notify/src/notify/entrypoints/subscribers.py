"""Thin subscribers: translate the event, record it exactly once (inbox), deliver what is owed."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from faststream.nats.annotations import NatsMessage
from shared.contracts import (
    AlertRaised,
    ApplicantContactRecorded,
    ApplicationJoinedCase,
    ApplicationReceived,
    AppointmentBooked,
    AppointmentCancelled,
    AppointmentChangeRefused,
    AppointmentRebooked,
    CaseClosed,
    CaseDecided,
    CaseRouted,
    DocumentsAdded,
    DocumentsRequested,
    PersonalDataErased,
)
from shared.contracts.envelope import CloudEvent
from shared.runtime import Runtime
from shared.uow import process_once

from notify.adapters import translators
from notify.bootstrap import Container
from notify.service_layer import alerts, erasure, handlers
from notify.service_layer.commands import RecordStep
from notify.service_layer.unit_of_work import NotifyUnitOfWork

log = logging.getLogger(__name__)
H = TypeVar("H", bound=Callable[..., Awaitable[None]])
E = TypeVar("E", bound=CloudEvent)

STEPS: dict[type[Any], Callable[[Any], RecordStep]] = {
    CaseRouted: translators.record_routing,
    DocumentsRequested: translators.documents_requested,
    DocumentsAdded: translators.documents_added,
    ApplicationJoinedCase: translators.joined,
    AppointmentBooked: translators.appointment,
    AppointmentRebooked: translators.appointment,
    AppointmentCancelled: translators.appointment,
    AppointmentChangeRefused: translators.appointment_change_refused,
    CaseDecided: translators.decided,
    CaseClosed: translators.closed,
}


def _subscriber(runtime: Runtime, event: type[CloudEvent], description: str) -> Callable[[H], H]:
    # Runtime.subscriber is typed Any; keep the handlers typed.
    return cast(Callable[[H], H], runtime.subscriber(event, description=description))


def _last_try(container: Container, message: NatsMessage) -> bool:
    """Whether the broker will not give this event another useful try.

    One delivery is left in reserve (``max_deliver - 1``): if recording the give-up fails,
    the last delivery still ends as a dead letter rather than silently.
    """
    try:
        delivered = int(message.raw_message.metadata.num_delivered or 1)
    except Exception:
        return False
    return delivered >= max(1, container.settings.max_deliver - 1)


async def _deliver(
    container: Container, case_id: str, cause: str | None, corr: str, message: NatsMessage
) -> None:
    """Deliver what is owed about ``cause`` (None: everything owed so far)."""
    final = _last_try(container, message)
    async with container.uow() as uow:
        await handlers.deliver_due(case_id, cause, corr, uow, container.outbound, final=final)
        await uow.commit()


def _register_step(container: Container, event_type: type[E]) -> None:
    runtime = container.runtime
    consumer = runtime.ns.durable("notify", event_type)
    translate = STEPS[event_type]

    async def on_step(event: CloudEvent, message: NatsMessage) -> None:
        cmd = translate(event)

        async def apply(uow: NotifyUnitOfWork) -> None:
            await handlers.record_step(cmd, uow)

        await process_once(container.uow(), consumer, event.id, apply)
        await _deliver(container, cmd.case_id, cmd.event_id, cmd.correlation_id, message)

    on_step.__name__ = f"on_{event_type.name}"
    on_step.__annotations__["event"] = event_type
    on_step.__annotations__["message"] = NatsMessage
    _subscriber(runtime, event_type, f"Adds the {event_type.name} step; tells the applicant.")(
        on_step
    )


def register(container: Container) -> None:
    """Attach notify's durable consumers to the broker."""
    runtime = container.runtime
    durable = runtime.ns.durable

    @_subscriber(runtime, ApplicationReceived, "Adds the received step; confirms receipt.")
    async def on_application_received(event: ApplicationReceived, message: NatsMessage) -> None:
        """Record the application; confirm receipt once the contact is known."""
        cmd = translators.record_application(event)

        async def apply(uow: NotifyUnitOfWork) -> None:
            await handlers.record_application(cmd, uow)

        await process_once(container.uow(), durable("notify", ApplicationReceived), event.id, apply)
        await _deliver(container, cmd.case_id, None, cmd.correlation_id, message)

    @_subscriber(runtime, ApplicantContactRecorded, "Records the contact (PII); confirms receipt.")
    async def on_applicant_contact_recorded(
        event: ApplicantContactRecorded, message: NatsMessage
    ) -> None:
        """Record the contact and send the confirmation on every channel still owed."""
        cmd = translators.record_contact(event)

        async def apply(uow: NotifyUnitOfWork) -> None:
            await handlers.record_contact(cmd, uow)

        consumer = durable("notify", ApplicantContactRecorded)
        if await process_once(container.uow(), consumer, event.id, apply):
            log.info("contact recorded", extra={"case_id": cmd.case_id})
        await _deliver(container, cmd.case_id, None, cmd.correlation_id, message)

    @_subscriber(runtime, AlertRaised, "Mails the team lead about an early-warning alert.")
    async def on_alert_raised(event: AlertRaised) -> None:
        """Mail the alert to the team's lead once (no personal data in it)."""
        cmd = translators.mail_alert(event)

        async def apply(uow: NotifyUnitOfWork) -> None:
            await alerts.mail_alert(cmd, container.outbound)

        await process_once(container.uow(), durable("notify", AlertRaised), event.id, apply)

    @_subscriber(runtime, PersonalDataErased, "Erases the applicant's contact data and comments.")
    async def on_personal_data_erased(event: PersonalDataErased) -> None:
        """Forget everything personal about the case; keep the non-personal steps."""
        cmd = translators.erase(event)

        async def apply(uow: NotifyUnitOfWork) -> None:
            await erasure.erase_personal_data(cmd, uow)

        await process_once(container.uow(), durable("notify", PersonalDataErased), event.id, apply)

    for event_type in STEPS:
        _register_step(container, event_type)
