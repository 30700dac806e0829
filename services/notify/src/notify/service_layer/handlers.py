"""Use cases: record what happened to a case, then deliver what is owed, once per channel."""

from __future__ import annotations

import uuid
from dataclasses import replace

from shared.contracts import NotificationFailed, NotificationSent
from shared.contracts.envelope import CloudEvent
from shared.contracts.notify.v1 import NotificationFailedData, NotificationSentData

from notify.domain.case import (
    MESSAGE_KINDS,
    Application,
    Case,
    Contact,
    Notification,
    TimelineEntry,
    hash_tracking_code,
)
from notify.domain.messages import Channel, DeliveryResult, Message
from notify.service_layer.commands import RecordApplication, RecordContact, RecordStep
from notify.service_layer.ports import Outbound
from notify.service_layer.unit_of_work import UnitOfWork


class DeliveryDeferred(Exception):  # noqa: N818 - retried by the broker, not an error
    """A channel failed transiently; what was delivered is kept, the rest is retried."""


async def _case(uow: UnitOfWork, case_id: str) -> Case:
    return await uow.cases.get(case_id) or Case(case_id=case_id)


async def record_application(cmd: RecordApplication, uow: UnitOfWork) -> Case:
    """Add the received step; returns the case as recorded."""
    case = await _case(uow, cmd.case_id)
    app = Application(
        cmd.event_id, cmd.ticket, cmd.concern, cmd.language, cmd.received_at, cmd.missing_documents
    )
    case.receive(app)
    await uow.cases.save(case)
    return case


async def record_contact(cmd: RecordContact, uow: UnitOfWork) -> Case:
    """Store the contact; the code in clear only until the confirmation has gone out."""
    case = await _case(uow, cmd.case_id)
    confirmed = case.contact is not None and case.contact.pending_code is None
    pending = None if confirmed else cmd.tracking_code
    contact = Contact(
        hash_tracking_code(cmd.tracking_code), cmd.language, cmd.email, cmd.phone, pending
    )
    case.add_contact(contact)
    await uow.cases.save(case)
    return case


async def record_step(cmd: RecordStep, uow: UnitOfWork) -> Case:
    """Add a step (routed, documents, appointment, decision, closed, joined) to the timeline."""
    case = await _case(uow, cmd.case_id)
    details = dict(cmd.details)
    if cmd.kind == "closed":
        details["survey_id"] = str(uuid.uuid4())
    case.add(TimelineEntry(cmd.kind, cmd.at, details, cmd.event_id))
    await uow.cases.save(case)
    return case


async def deliver_due(
    case_id: str,
    event_id: str | None,
    correlation_id: str,
    uow: UnitOfWork,
    out: Outbound,
    *,
    final: bool = False,
) -> None:
    """Send what is owed about one event (or, with None, every step so far) on each channel.

    Steps recorded before the applicant's contact was known are told once it is; a transient
    failure keeps what was delivered and raises, so the broker retries the rest. On the
    ``final`` try a transient failure is given up on: recorded as failed, announced.
    """
    await uow.cases.claim(case_id)
    case = await uow.cases.get(case_id)
    if case is None:
        return
    deferred = await _deliver_owed(case, event_id, correlation_id, uow, out, final, complete=True)
    if deferred:
        await uow.commit()
        raise DeliveryDeferred("; ".join(deferred))


async def deliver_in_process(
    case: Case, event_id: str | None, correlation_id: str, uow: UnitOfWork, out: Outbound
) -> bool:
    """Tell the just-recorded ``case`` on the channels that never leave the process.

    It runs in the transaction that recorded the event (the case is locked and loaded):
    the status page needs no send that could be repeated, only a row and an event. What
    else is owed (e-mail, SMS) is left for ``deliver_due``; the tracking code is kept for
    it. True if a channel that leaves the process is still owed something.
    """
    local = [c for c in out.channels if c.in_process]
    remote = [c.name for c in out.channels if not c.in_process]
    if local:
        inside = replace(out, channels=local)
        complete = not remote
        deferred = await _deliver_owed(case, event_id, correlation_id, uow, inside, False, complete)
        if deferred:  # an in-process channel does not fail transiently; if it did: retry
            raise DeliveryDeferred("; ".join(deferred))
    return bool(remote) and case.owes(event_id, remote)


async def _deliver_owed(
    case: Case,
    event_id: str | None,
    correlation_id: str,
    uow: UnitOfWork,
    out: Outbound,
    final: bool,
    complete: bool,
) -> list[str]:
    """Deliver on ``out``'s channels; what was deferred. ``complete``: no other channel owed."""
    entries = [e for e in case.ordered_timeline() if e.kind in MESSAGE_KINDS and e.event_id]
    deferred: list[str] = []
    for entry in entries:
        if event_id is None or entry.event_id == event_id:
            deferred += await _deliver_entry(case, entry, correlation_id, uow, out, final, complete)
    await uow.cases.save(case)
    return deferred


async def _deliver_entry(
    case: Case,
    entry: TimelineEntry,
    correlation_id: str,
    uow: UnitOfWork,
    out: Outbound,
    final: bool,
    complete: bool,
) -> list[str]:
    due = set(case.due_on(entry.event_id, entry.kind, [c.name for c in out.channels]))
    if not due:
        return []
    message = out.renderer.message(case, entry, _link(case, entry, out), **_extra(case, out))
    deferred = []
    for channel in out.channels:
        if channel.name in due and channel.accepts(message):
            result = _settle(await channel.send(message), final)
            if result.ok or result.permanent:
                event = _record(case, channel, message, result, entry.event_id, correlation_id, out)
                uow.publish(event)
            else:
                deferred.append(f"{channel.name}: {result.reason}")
    if entry.kind == "received" and complete and not deferred:
        case.forget_code()
    return deferred


def _settle(result: DeliveryResult, final: bool) -> DeliveryResult:
    """A transient failure on the last try the broker will give is a permanent one."""
    if result.ok or result.permanent or not final:
        return result
    return DeliveryResult.failed(f"retries exhausted: {result.reason}"[:500], permanent=True)


def _link(case: Case, entry: TimelineEntry, out: Outbound) -> str:
    code = case.contact.pending_code if case.contact else None
    if entry.kind == "received" and code:
        return out.status_link(code)
    return out.overview_link


def _extra(case: Case, out: Outbound) -> dict[str, str]:
    survey = case.survey_id
    return {"survey_link": out.survey_link(survey)} if survey and not case.survey_answered else {}


def _record(
    case: Case,
    channel: Channel,
    message: Message,
    result: DeliveryResult,
    cause: str,
    correlation_id: str,
    out: Outbound,
) -> CloudEvent:
    note = Notification(
        id=str(uuid.uuid4()),
        kind=message.kind,
        channel=channel.name,
        status="sent" if result.ok else "failed",
        cause_event_id=cause,
        created_at=out.clock(),
        reason=result.reason[:500],
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
