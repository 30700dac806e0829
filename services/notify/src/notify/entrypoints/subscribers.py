"""Thin subscribers: translate the event, record it exactly once (inbox), deliver what is owed.

Timeline events are consumed a pull batch at a time: recorded and shown on the status page
in one transaction, then sent (e-mail, SMS) one by one.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar, cast

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
from shared.messaging.batch import BatchHandler, Delivered, Outcome
from shared.runtime import Runtime
from shared.uow import outcomes, process_events, process_once

from notify.adapters import translators
from notify.bootstrap import Container
from notify.domain.case import Case
from notify.service_layer import alerts, erasure, handlers
from notify.service_layer.commands import RecordApplication, RecordContact, RecordStep
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


def _last_try(container: Container, deliveries: int) -> bool:
    """Whether the broker will not give this event another useful try.

    One delivery is left in reserve (``max_deliver - 1``): if recording the give-up fails,
    the last delivery still ends as a dead letter rather than silently.
    """
    return deliveries >= max(1, container.settings.max_deliver - 1)


async def _deliver(
    container: Container, case_id: str, cause: str | None, corr: str, deliveries: int
) -> None:
    """Deliver what is owed about ``cause`` (None: everything owed so far)."""
    final = _last_try(container, deliveries)
    async with container.uow() as uow:
        await handlers.deliver_due(case_id, cause, corr, uow, container.outbound, final=final)
        await uow.commit()


Command = TypeVar("Command", RecordApplication, RecordContact, RecordStep)


def _recording(
    container: Container,
    event_type: type[CloudEvent],
    translate: Callable[[Any], Command],
    record: Callable[[Command, NotifyUnitOfWork], Awaitable[Case]],
    owed: Callable[[Command], str | None],
) -> BatchHandler[Any]:
    """Record a pull batch in one transaction, tell the status page in it, then send the rest.

    Recording and the status page only change the store, so a batch shares one commit.
    Sending (e-mail, SMS) leaves the process, so each event's send has a transaction of
    its own: a failed commit can never make a whole batch of messages go out twice. A
    send that fails is retried by the broker; its redelivered event is recorded already
    and only delivers. An event after which the case owes nothing outside the process
    (no contact known yet, say, or no e-mail or SMS configured) opens no send at all.
    """
    consumer = container.runtime.ns.durable("notify", event_type)
    out = container.outbound

    async def handle(items: list[Delivered[Any]]) -> list[Outcome]:
        cmds: dict[str, Command] = {}
        owes: dict[str, bool] = {}

        def prepare(event: CloudEvent) -> Callable[[NotifyUnitOfWork], Awaitable[None]]:
            cmd = cmds[event.id] = translate(event)

            async def apply(uow: NotifyUnitOfWork) -> None:
                case = await record(cmd, uow)
                owes[event.id] = await handlers.deliver_in_process(
                    case, owed(cmd), cmd.correlation_id, uow, out
                )

            return apply

        async def preload(uow: NotifyUnitOfWork, events: Sequence[CloudEvent]) -> None:
            await uow.cases.preload([cmds[event.id].case_id for event in events])

        results = await process_events(container.uow, consumer, items, prepare, preload)
        answers = outcomes(results)
        for place, (item, result) in enumerate(zip(items, results, strict=True)):
            if isinstance(result, Exception) or (result and not owes.get(item.event.id, True)):
                continue  # failed (retried), or recorded and told with nothing left owed
            cmd = cmds[item.event.id]
            try:
                with item.traced():
                    await _deliver(
                        container, cmd.case_id, owed(cmd), cmd.correlation_id, item.deliveries
                    )
            except Exception as error:
                answers[place] = error
        return answers

    return handle


def _everything(_cmd: object) -> None:
    """Deliver every step owed so far (the contact may just have become known)."""
    return


def _register_step(container: Container, event_type: type[CloudEvent]) -> None:
    handle = _recording(
        container, event_type, STEPS[event_type], handlers.record_step, lambda c: c.event_id
    )
    container.runtime.batch_subscriber(
        event_type, handle, description=f"Adds the {event_type.name} step; tells the applicant."
    )


def register(container: Container) -> None:
    """Attach notify's durable consumers to the broker."""
    runtime = container.runtime
    durable = runtime.ns.durable
    runtime.batch_subscriber(
        ApplicationReceived,
        _recording(
            container,
            ApplicationReceived,
            translators.record_application,
            handlers.record_application,
            _everything,
        ),
        description="Adds the received step; confirms receipt once the contact is known.",
    )
    runtime.batch_subscriber(
        ApplicantContactRecorded,
        _recording(
            container,
            ApplicantContactRecorded,
            translators.record_contact,
            handlers.record_contact,
            _everything,
        ),
        description="Records the contact (PII); sends the confirmation on every channel owed.",
    )

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
