"""Use cases: record what happened to a case and confirm receipt once per channel."""

from __future__ import annotations

import uuid

from shared.contracts import NotificationFailed, NotificationSent
from shared.contracts.envelope import CloudEvent
from shared.contracts.notify.v1 import NotificationFailedData, NotificationSentData

from notify.domain.case import Application, Case, Contact, Notification, hash_tracking_code
from notify.domain.messages import Channel, DeliveryResult, Message
from notify.service_layer.commands import RecordApplication, RecordContact, RecordRouting
from notify.service_layer.ports import Outbound
from notify.service_layer.unit_of_work import UnitOfWork

CONFIRMATION = "received"


class DeliveryDeferred(Exception):  # noqa: N818 - retried by the broker, not an error
    """A channel failed transiently; the whole event is retried later."""


async def _case(uow: UnitOfWork, case_id: str) -> Case:
    return await uow.cases.get(case_id) or Case(case_id=case_id)


async def record_application(cmd: RecordApplication, uow: UnitOfWork) -> None:
    """Add the received step to the case's timeline (events may come in any order)."""
    case = await _case(uow, cmd.case_id)
    case.receive(
        Application(
            cmd.event_id,
            cmd.ticket,
            cmd.concern,
            cmd.language,
            cmd.received_at,
            cmd.missing_documents,
        )
    )
    await uow.cases.save(case)


async def record_routing(cmd: RecordRouting, uow: UnitOfWork) -> None:
    """Add the routed step (team, priority) to the case's timeline."""
    case = await _case(uow, cmd.case_id)
    case.route(cmd.at, cmd.team, cmd.priority)
    await uow.cases.save(case)


async def record_contact(cmd: RecordContact, uow: UnitOfWork, out: Outbound) -> None:
    """Store the contact (code hashed) and send the confirmation on every channel still owed."""
    case = await _case(uow, cmd.case_id)
    contact = Contact(hash_tracking_code(cmd.tracking_code), cmd.language, cmd.email, cmd.phone)
    case.add_contact(contact)
    message = out.renderer.confirmation(case, out.status_link(cmd.tracking_code))
    due = set(case.confirmation_due_on([c.name for c in out.channels]))
    for channel in out.channels:
        if channel.name in due and channel.accepts(message):
            uow.publish(await _deliver(case, channel, message, out, cmd.correlation_id))
    await uow.cases.save(case)


async def _deliver(
    case: Case, channel: Channel, message: Message, out: Outbound, correlation_id: str
) -> CloudEvent:
    result = await channel.send(message)
    if not (result.ok or result.permanent):
        raise DeliveryDeferred(f"{channel.name}: {result.reason}")
    assert case.application is not None
    note = Notification(
        id=str(uuid.uuid4()),
        kind=message.kind,
        channel=channel.name,
        status="sent" if result.ok else "failed",
        cause_event_id=case.application.event_id,
        created_at=out.clock(),
    )
    case.record(note)
    return _announce(note, message, result, case.case_id, correlation_id)


def _announce(
    note: Notification, message: Message, result: DeliveryResult, case_id: str, correlation: str
) -> CloudEvent:
    common = {
        "case_id": case_id,
        "notification_id": note.id,
        "kind": note.kind,
        "channel": note.channel,
        "language": message.language,
        "cause_event_id": note.cause_event_id,
    }
    if result.ok:
        data = NotificationSentData.model_validate(common)
        return NotificationSent.build(subject=case_id, data=data, correlation_id=correlation)
    failed = NotificationFailedData.model_validate(
        {**common, "permanent": True, "reason": result.reason[:500]}
    )
    return NotificationFailed.build(subject=case_id, data=failed, correlation_id=correlation)
