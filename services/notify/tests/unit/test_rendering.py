"""Messages in every language, German binding note, fallback, RTL, dates, privacy mode, .ics."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from notify.adapters.catalogue import LANGUAGES
from notify.adapters.channels import SmtpConfig, SmtpEmailChannel
from notify.adapters.rendering import TemplateRenderer
from notify.domain.case import (
    MESSAGE_KINDS,
    Application,
    Case,
    Contact,
    Details,
    TimelineEntry,
    hash_tracking_code,
)
from notify.service_layer.views import case_status

from ..fakes import NOW, FakeUnitOfWork

LINK = "https://lotse.example/status/abc"
RENDERER = TemplateRenderer()
APPOINTMENT: Details = {
    "appointment_id": "apt-1",
    "starts_at": "2026-12-03T09:30:00+01:00",
    "ends_at": "2026-12-03T10:00:00+01:00",
    "location": "Wilhelm-Keil-Str. 50, Raum 101",
}
DETAILS: dict[str, Details] = {
    "received": {"missing_documents": ["passport"]},
    "documents_requested": {"documents": ["biometric_photo"], "reply_by": "2026-12-15"},
    "documents_added": {"count": "2", "missing_documents": []},
    "appointment_booked": APPOINTMENT,
    "appointment_rebooked": APPOINTMENT,
    "appointment_cancelled": APPOINTMENT,
    "appointment_change_refused": {"action": "rebook", "reason": "no_seat", "request_id": "r"},
    "decided": {"outcome": "referred", "referral": "migration_counselling"},
    "closed": {"survey_id": "s-1"},
    "joined": {"ticket": "ABH-1"},
}


def case(language: str, missing: tuple[str, ...] = ("passport",)) -> Case:
    app = Application("evt", "ABH-1", "residence_permit_extension", "de", NOW, missing)
    return Case("case-1", app, Contact("hash", language, "a@example.org"))


def received(c: Case) -> TimelineEntry:
    return TimelineEntry("received", NOW, {"missing_documents": list(c.missing_documents)}, "evt")


def plain(mail: EmailMessage) -> str:
    body = mail.get_body(preferencelist=("plain",))
    assert isinstance(body, EmailMessage)
    return body.get_content()


def test_german_confirmation_names_ticket_link_and_missing_documents() -> None:
    c = case("de")
    message = RENDERER.message(c, received(c), LINK)
    assert message.language == "de"
    assert "Vorgangsnummer lautet ABH-1" in message.text
    assert "- Gültiger Reisepass" in message.text
    assert "Verlängerung der Aufenthaltserlaubnis" in message.text
    assert LINK in message.text
    assert "Rechtsverbindlich" not in message.text


def test_english_confirmation_says_german_is_binding() -> None:
    c = case("en-GB", missing=())
    message = RENDERER.message(c, received(c), LINK)
    assert message.language == "en"
    assert "Your ticket number is ABH-1" in message.text
    assert "No documents are missing." in message.text
    assert "Only the German version is legally binding." in message.text


def test_unsupported_language_falls_back_to_german_with_a_note() -> None:
    c = case("sw")
    message = RENDERER.message(c, received(c), LINK)
    assert message.language == "de"
    assert "Ihr Antrag ist bei uns eingegangen" in message.text
    assert "not yet available in your language" in message.text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(MESSAGE_KINDS))
def test_every_message_renders_in_every_language(kind: str, language: str) -> None:
    c = case(language)
    message = RENDERER.message(c, TimelineEntry(kind, NOW, DETAILS[kind], "e"), LINK)
    assert message.language == language
    assert LINK in message.text
    german = RENDERER.message(case("de"), TimelineEntry(kind, NOW, DETAILS[kind], "e"), LINK)
    if language not in ("de", "de-simple"):
        assert message.text != german.text
        assert "Rechtsverbindlich" not in message.text
    assert f'dir="{"rtl" if language in ("ar", "fa") else "ltr"}"' in message.html


def test_plain_german_and_plural_rules() -> None:
    c = case("de-simple")
    one = TimelineEntry("documents_added", NOW, {"count": "1", "missing_documents": []}, "e")
    assert "Wir haben 1 Papier bekommen." in RENDERER.message(c, one, LINK).text
    few = TimelineEntry("documents_added", NOW, {"count": "3", "missing_documents": []}, "e")
    assert "Ми отримали 3 документи." in RENDERER.message(case("uk"), few, LINK).text
    many = TimelineEntry("documents_added", NOW, {"count": "5", "missing_documents": []}, "e")
    assert "Ми отримали 5 документів." in RENDERER.message(case("uk"), many, LINK).text


def test_appointment_date_in_the_locale_with_an_ics_attachment() -> None:
    entry = TimelineEntry("appointment_booked", NOW, APPOINTMENT, "e")
    german = RENDERER.message(case("de"), entry, LINK)
    assert "3. Dezember 2026" in german.text
    assert "09:30" in german.text
    assert "décembre" in RENDERER.message(case("fr"), entry, LINK).text
    (ics,) = german.attachments
    assert ics.content_type == "text/calendar"
    assert b"DTSTART:20261203T083000Z" in ics.content
    assert b"UID:apt-1@lotse" in ics.content


def test_decision_names_the_referral_in_the_language() -> None:
    entry = TimelineEntry("decided", NOW, DETAILS["decided"], "e")
    text = RENDERER.message(case("ar"), entry, LINK).text
    assert "استشارات الهجرة" in text


def test_privacy_mode_mail_says_only_that_there_is_news() -> None:
    c = case("de")
    message = RENDERER.message(c, received(c), LINK)
    mail = SmtpEmailChannel(SmtpConfig(host="smtp.example")).compose(message)
    body = plain(mail)
    assert "Neuigkeiten" in body
    assert LINK in body
    assert "ABH-1" not in body
    assert "Reisepass" not in body
    assert mail["To"] == "a@example.org"


def test_full_mail_when_privacy_mode_is_off_has_html_and_ics() -> None:
    entry = TimelineEntry("appointment_booked", NOW, APPOINTMENT, "e")
    message = RENDERER.message(case("ar"), entry, LINK)
    mail = SmtpEmailChannel(SmtpConfig(host="smtp.example", privacy_mode=False)).compose(message)
    assert "Wilhelm-Keil-Str. 50" in plain(mail)
    html = mail.get_body(preferencelist=("html",))
    assert isinstance(html, EmailMessage)
    assert 'dir="rtl"' in html.get_content()
    assert [a.get_filename() for a in mail.iter_attachments()] == ["termin.ics"]


async def test_status_page_in_applicant_language_and_escaped() -> None:
    uow = FakeUnitOfWork()
    evil = Case("case-1")
    evil.receive(Application("evt", "ABH-1", "c", "de", NOW, ("<script>x</script>",)))
    evil.add_contact(Contact(hash_tracking_code("code"), "en"))
    await uow.cases.save(evil)
    view = await case_status("code", uow, RENDERER)
    assert view is not None
    assert view.timeline[0].text == "Your application has been received."
    html = RENDERER.page(
        "status.html.j2",
        view.choice,
        view=view,
        tracking_code="code",
        upload_action="http://intake/x",
        languages=[],
    )
    assert '<html lang="en" dir="ltr">' in html
    assert "<main" in html
    assert "<script>x" not in html
    assert "&lt;script&gt;" in html
    assert await case_status("other", uow, RENDERER) is None
    assert await case_status("x" * 500, uow, RENDERER) is None


def test_configured_concern_outcome_adds_the_fitting_referral() -> None:
    c = case("en")
    c.application = Application("evt", "ABH-1", "toleration", "de", NOW, ())
    entry = TimelineEntry("decided", NOW, {"outcome": "refused", "referral": None}, "e")
    assert "Migration counselling" in RENDERER.message(c, entry, LINK).text
    granted = TimelineEntry("decided", NOW, {"outcome": "granted", "referral": None}, "e")
    assert "Migration counselling" not in RENDERER.message(case("en"), granted, LINK).text
