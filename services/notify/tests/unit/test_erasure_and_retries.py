"""Erasure forgets everything personal; survey comments stay here; retries end as a failure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from notify.adapters.channels import SmtpConfig, SmtpEmailChannel
from notify.domain.messages import DeliveryResult, Message
from notify.service_layer import handlers
from notify.service_layer.applicant import answer_survey
from notify.service_layer.commands import AnswerSurvey, ErasePersonalData, RecordStep
from notify.service_layer.erasure import erase_personal_data, purge_survey_comments
from notify.service_layer.views import build_view
from shared.contracts import NotificationFailed, SurveyAnswered

from ..fakes import NOW, FakeChannel, FakeUnitOfWork, outbound
from .test_confirmation import contact, receive, tell

ERASE = ErasePersonalData("case-1", "evt-erased", "request", NOW + timedelta(days=1))


async def closed_and_answered(uow: FakeUnitOfWork, comment: str) -> str:
    out = outbound(FakeChannel())
    await receive(uow, out)
    await tell(uow, out, phone="+4915112345678")
    closed = RecordStep("case-1", "evt-closed", "corr", "closed", NOW + timedelta(hours=1))
    await handlers.record_step(closed, uow)
    survey = uow.cases.cases["case-1"].survey_id
    assert survey is not None
    assert await answer_survey(AnswerSurvey(survey, 5, comment, "en"), uow, out)
    return survey


async def test_survey_comment_is_kept_here_never_in_the_event() -> None:
    uow = FakeUnitOfWork()
    survey = await closed_and_answered(uow, "  Frau Muster war sehr hilfsbereit  ")
    assert uow.comments.rows[survey][1] == "Frau Muster war sehr hilfsbereit"
    (event,) = [e for e in uow.published if isinstance(e, SurveyAnswered)]
    assert "Muster" not in event.to_json_bytes().decode()
    assert event.data.has_comment


async def test_answering_the_survey_does_not_become_the_current_step() -> None:
    uow = FakeUnitOfWork()
    await closed_and_answered(uow, "")
    case = uow.cases.cases["case-1"]
    assert case.survey_answered
    assert case.current_step == "closed"
    out = outbound()
    view = build_view(case, out.renderer.choose("en"), out.renderer, str)
    assert view.current_step == "closed"
    assert "survey_answered" not in [item.kind for item in view.timeline]


async def test_erasure_forgets_contact_code_preferences_and_comments() -> None:
    uow = FakeUnitOfWork()
    await closed_and_answered(uow, "my comment")
    assert await erase_personal_data(ERASE, uow) == 1
    case = uow.cases.cases["case-1"]
    assert case.contact is None
    assert case.preferences.language is None
    assert case.preferences.channels is None
    assert uow.comments.rows == {}
    assert case.current_step == "closed"  # non-personal steps stay
    assert {e.kind for e in case.timeline} >= {"received", "closed", "erased"}


async def test_a_contact_arriving_after_erasure_is_not_stored_nor_told() -> None:
    uow = FakeUnitOfWork()
    channel = FakeChannel("email", needs_email=True)
    out = outbound(channel)
    await erase_personal_data(ERASE, uow)
    await handlers.record_contact(contact(), uow)
    await receive(uow, out)
    assert uow.cases.cases["case-1"].contact is None
    assert channel.sent == []


async def test_retention_purges_only_old_comments() -> None:
    uow = FakeUnitOfWork()
    await uow.comments.keep("case-1", "old", "old text", NOW - timedelta(days=91))
    await uow.comments.keep("case-1", "new", "new text", NOW - timedelta(days=89))
    assert await purge_survey_comments(uow, NOW, keep_days=90) == 1
    assert list(uow.comments.rows) == ["new"]


async def test_transient_failure_on_the_last_try_is_recorded_as_failed() -> None:
    uow = FakeUnitOfWork()
    email = FakeChannel("email", DeliveryResult.failed("timeout", permanent=False), True)
    out = outbound(FakeChannel(), email)
    await receive(uow, out)
    with pytest.raises(handlers.DeliveryDeferred):
        await tell(uow, out)
    assert not [e for e in uow.published if isinstance(e, NotificationFailed)]
    await handlers.deliver_due("case-1", "evt-received", "corr", uow, out, final=True)
    failed = [e for e in uow.published if isinstance(e, NotificationFailed)]
    assert [(e.data.channel, e.data.permanent) for e in failed] == [("email", True)]
    assert "retries exhausted: timeout" in failed[0].data.reason
    assert [(c, n.channel) for c, n in await uow.cases.failures(10)] == [("case-1", "email")]
    case = uow.cases.cases["case-1"]
    assert case.contact is not None
    assert case.contact.pending_code is None


def test_email_message_id_is_stable_per_event_and_channel() -> None:
    channel = SmtpEmailChannel(SmtpConfig(host="smtp.example", sender="lotse@amt.example"))

    def mail(event_id: str) -> str:
        message = Message("c", "received", "de", "S", "t", "n", "a@example.org", event_id=event_id)
        return str(channel.compose(message)["Message-ID"])

    assert mail("evt-1") == mail("evt-1")
    assert mail("evt-1") != mail("evt-2")
    assert mail("evt-1").endswith("@amt.example>")
