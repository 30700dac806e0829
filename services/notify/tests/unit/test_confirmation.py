"""The case accepts its events in any order and confirms receipt once per channel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from notify.domain.case import hash_tracking_code
from notify.domain.messages import DeliveryResult
from notify.service_layer import handlers
from notify.service_layer.commands import RecordApplication, RecordContact, RecordStep
from notify.service_layer.ports import Outbound
from shared.contracts import NotificationFailed, NotificationSent

from ..fakes import NOW, FakeChannel, FakeUnitOfWork, outbound

CODE = "secret-code-123"


def application(**overrides: object) -> RecordApplication:
    values: dict[str, object] = {
        "case_id": "case-1",
        "event_id": "evt-received",
        "correlation_id": "corr",
        "ticket": "ABH-2026-0001",
        "concern": "residence_permit_extension",
        "language": "en",
        "received_at": NOW,
        "missing_documents": ("passport",),
    }
    return RecordApplication(**{**values, **overrides})  # type: ignore[arg-type]


def contact(**overrides: object) -> RecordContact:
    values: dict[str, object] = {
        "case_id": "case-1",
        "event_id": "evt-contact",
        "correlation_id": "corr",
        "tracking_code": CODE,
        "language": "en",
        "email": "a@example.org",
    }
    return RecordContact(**{**values, **overrides})  # type: ignore[arg-type]


def routing() -> RecordStep:
    return RecordStep(
        "case-1", "evt-routed", "corr", "routed", NOW + timedelta(minutes=5), {"team": "a"}
    )


async def receive(uow: FakeUnitOfWork, out: Outbound, **overrides: object) -> None:
    await handlers.record_application(application(**overrides), uow)
    await handlers.deliver_due("case-1", "evt-received", "corr", uow, out)


async def tell(uow: FakeUnitOfWork, out: Outbound, **overrides: object) -> None:
    await handlers.record_contact(contact(**overrides), uow)
    await handlers.deliver_due("case-1", "evt-received", "corr", uow, out)


async def test_confirmation_sent_once_per_channel_when_received_comes_first() -> None:
    uow, page, mail = FakeUnitOfWork(), FakeChannel(), FakeChannel("email", needs_email=True)
    out = outbound(page, mail)
    await receive(uow, out)
    assert uow.published == []
    await tell(uow, out)
    assert [len(page.sent), len(mail.sent)] == [1, 1]
    sent = [e for e in uow.published if isinstance(e, NotificationSent)]
    assert sorted(e.data.channel for e in sent) == ["email", "status_page"]
    assert all(e.data.cause_event_id == "evt-received" for e in sent)
    assert "a@example.org" not in sent[0].model_dump_json()
    assert f"/status/{CODE}" in mail.sent[0].text


async def test_contact_before_application_keeps_code_until_confirmed_then_erases_it() -> None:
    uow, page = FakeUnitOfWork(), FakeChannel()
    out = outbound(page)
    await tell(uow, out)
    assert page.sent == []
    stored = uow.cases.cases["case-1"].contact
    assert stored is not None
    assert stored.pending_code == CODE
    await receive(uow, out)
    assert len(page.sent) == 1
    assert f"/status/{CODE}" in page.sent[0].text
    after = uow.cases.cases["case-1"].contact
    assert after is not None
    assert after.pending_code is None
    assert CODE not in repr(uow.cases.cases["case-1"])


async def test_routed_before_received_keeps_both_steps_in_time_order() -> None:
    uow = FakeUnitOfWork()
    await handlers.record_step(routing(), uow)
    await handlers.record_application(application(), uow)
    case = uow.cases.cases["case-1"]
    assert [e.kind for e in case.ordered_timeline()] == ["received", "routed"]
    assert case.current_step == "routed"


async def test_repeated_contact_sends_nothing_twice() -> None:
    uow, page = FakeUnitOfWork(), FakeChannel()
    out = outbound(page)
    await receive(uow, out)
    await tell(uow, out)
    await tell(uow, out, email="new@example.org")
    assert len(page.sent) == 1
    assert len(uow.published) == 1


async def test_second_received_event_does_not_reset_the_case() -> None:
    uow = FakeUnitOfWork()
    await handlers.record_application(application(), uow)
    await handlers.record_application(application(event_id="other"), uow)
    case = uow.cases.cases["case-1"]
    assert case.application is not None
    assert case.application.event_id == "evt-received"
    assert len(case.timeline) == 1


async def test_permanent_failure_emits_notification_failed() -> None:
    uow = FakeUnitOfWork()
    mail = FakeChannel("email", DeliveryResult.failed("recipient refused", permanent=True))
    out = outbound(FakeChannel(), mail)
    await receive(uow, out)
    await tell(uow, out)
    failed = [e for e in uow.published if isinstance(e, NotificationFailed)]
    assert [(e.data.channel, e.data.permanent) for e in failed] == [("email", True)]
    assert [n.reason for c, n in await uow.cases.failures(10)] == ["recipient refused"]


async def test_transient_failure_keeps_what_was_delivered_and_retries_the_rest() -> None:
    uow, page = FakeUnitOfWork(), FakeChannel()
    mail = FakeChannel("email", DeliveryResult.failed("timeout", permanent=False))
    out = outbound(page, mail)
    await receive(uow, out)
    with pytest.raises(handlers.DeliveryDeferred):
        await tell(uow, out)
    assert uow.commits == 1
    mail.result = DeliveryResult.delivered()
    await handlers.deliver_due("case-1", "evt-received", "corr", uow, out)
    assert [len(page.sent), len(mail.sent)] == [1, 2]
    channels = [n.channel for n in uow.cases.cases["case-1"].notifications]
    assert sorted(channels) == ["email", "status_page"]


async def test_email_skipped_without_address() -> None:
    uow, mail = FakeUnitOfWork(), FakeChannel("email", needs_email=True)
    out = outbound(FakeChannel(), mail)
    await receive(uow, out)
    await tell(uow, out, email=None)
    assert mail.sent == []


async def test_store_keeps_only_the_hash_of_the_tracking_code() -> None:
    uow = FakeUnitOfWork()
    out = outbound(FakeChannel())
    await receive(uow, out)
    await tell(uow, out)
    case = uow.cases.cases["case-1"]
    assert case.contact is not None
    assert case.contact.tracking_hash == hash_tracking_code(CODE)
    assert CODE not in repr(case)


async def test_status_page_is_told_in_the_recording_transaction_and_keeps_the_code_for_email() -> (
    None
):
    uow = FakeUnitOfWork()
    page, mail = FakeChannel(in_process=True), FakeChannel("email", needs_email=True)
    out = outbound(page, mail)
    await handlers.record_application(application(), uow)
    case = await handlers.record_contact(contact(), uow)

    assert await handlers.deliver_in_process(case, None, "corr", uow, out) is True
    assert [len(page.sent), len(mail.sent)] == [1, 0]
    assert case.contact is not None
    assert case.contact.pending_code == CODE
    assert await handlers.deliver_in_process(case, None, "corr", uow, out) is True  # told once
    assert len(page.sent) == 1

    await handlers.deliver_due("case-1", None, "corr", uow, out)
    assert [len(page.sent), len(mail.sent)] == [1, 1]
    assert f"/status/{CODE}" in mail.sent[0].text
    stored = await uow.cases.get("case-1")
    assert stored is not None
    assert stored.contact is not None
    assert stored.contact.pending_code is None


async def test_with_the_status_page_alone_nothing_is_left_to_send_and_the_code_is_forgotten() -> (
    None
):
    uow, page = FakeUnitOfWork(), FakeChannel(in_process=True)
    await handlers.record_application(application(), uow)
    case = await handlers.record_contact(contact(), uow)

    assert await handlers.deliver_in_process(case, None, "corr", uow, outbound(page)) is False
    assert len(page.sent) == 1
    assert case.contact is not None
    assert case.contact.pending_code is None
    assert [type(e) for e in uow.published] == [NotificationSent]
