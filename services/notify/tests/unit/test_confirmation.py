"""The case accepts its events in any order and confirms receipt once per channel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from notify.domain.case import ApplicationNotYetKnown, hash_tracking_code
from notify.domain.messages import DeliveryResult
from notify.service_layer import handlers
from notify.service_layer.commands import RecordApplication, RecordContact, RecordRouting
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
        "missing_documents": ("passport_photo",),
    }
    return RecordApplication(**{**values, **overrides})  # type: ignore[arg-type]


def contact(**overrides: object) -> RecordContact:
    values: dict[str, object] = {
        "case_id": "case-1",
        "correlation_id": "corr",
        "tracking_code": CODE,
        "language": "en",
        "email": "a@example.org",
    }
    return RecordContact(**{**values, **overrides})  # type: ignore[arg-type]


def routing() -> RecordRouting:
    return RecordRouting("case-1", NOW + timedelta(minutes=5), "team_a", "normal")


async def test_confirmation_sent_once_per_channel_when_received_comes_first() -> None:
    uow, page, mail = FakeUnitOfWork(), FakeChannel(), FakeChannel("email", needs_email=True)
    out = outbound(page, mail)
    await handlers.record_application(application(), uow)
    assert uow.published == []
    await handlers.record_contact(contact(), uow, out)
    assert [len(page.sent), len(mail.sent)] == [1, 1]
    sent = [e for e in uow.published if isinstance(e, NotificationSent)]
    assert sorted(e.data.channel for e in sent) == ["email", "status_page"]
    assert all(e.data.cause_event_id == "evt-received" for e in sent)
    assert "a@example.org" not in sent[0].model_dump_json()


async def test_contact_before_application_is_deferred_then_confirmed() -> None:
    uow, page = FakeUnitOfWork(), FakeChannel()
    with pytest.raises(ApplicationNotYetKnown):
        await handlers.record_contact(contact(), uow, outbound(page))
    assert page.sent == []
    await handlers.record_application(application(), uow)
    await handlers.record_contact(contact(), uow, outbound(page))
    assert len(page.sent) == 1


async def test_routed_before_received_keeps_both_steps_in_time_order() -> None:
    uow = FakeUnitOfWork()
    await handlers.record_routing(routing(), uow)
    await handlers.record_application(application(), uow)
    case = uow.cases.cases["case-1"]
    assert [e.kind for e in case.ordered_timeline()] == ["received", "routed"]
    assert case.current_step == "routed"


async def test_repeated_contact_sends_nothing_twice() -> None:
    uow, page = FakeUnitOfWork(), FakeChannel()
    await handlers.record_application(application(), uow)
    await handlers.record_contact(contact(), uow, outbound(page))
    await handlers.record_contact(contact(email="new@example.org"), uow, outbound(page))
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
    await handlers.record_application(application(), uow)
    await handlers.record_contact(contact(), uow, outbound(FakeChannel(), mail))
    failed = [e for e in uow.published if isinstance(e, NotificationFailed)]
    assert [(e.data.channel, e.data.permanent) for e in failed] == [("email", True)]


async def test_transient_failure_is_retried_and_records_nothing() -> None:
    uow = FakeUnitOfWork()
    mail = FakeChannel("email", DeliveryResult.failed("timeout", permanent=False))
    await handlers.record_application(application(), uow)
    with pytest.raises(handlers.DeliveryDeferred):
        await handlers.record_contact(contact(), uow, outbound(FakeChannel(), mail))
    assert uow.cases.cases["case-1"].contact is None


async def test_email_skipped_without_address() -> None:
    uow, mail = FakeUnitOfWork(), FakeChannel("email", needs_email=True)
    await handlers.record_application(application(), uow)
    await handlers.record_contact(contact(email=None), uow, outbound(FakeChannel(), mail))
    assert mail.sent == []


async def test_store_keeps_only_the_hash_of_the_tracking_code() -> None:
    uow = FakeUnitOfWork()
    await handlers.record_application(application(), uow)
    await handlers.record_contact(contact(), uow, outbound(FakeChannel()))
    case = uow.cases.cases["case-1"]
    assert case.contact is not None
    assert case.contact.tracking_hash == hash_tracking_code(CODE)
    assert CODE not in repr(case)
