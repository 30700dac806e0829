"""Texts in German and English; German (with a note) for languages not yet written."""

from __future__ import annotations

from notify.adapters.channels import SmtpConfig, SmtpEmailChannel
from notify.adapters.rendering import TemplateRenderer
from notify.domain.case import Application, Case, Contact, hash_tracking_code
from notify.service_layer.views import case_status

from ..fakes import NOW, FakeUnitOfWork

LINK = "https://lotse.example/status/abc"


def case(language: str, missing: tuple[str, ...] = ("passport_photo",)) -> Case:
    app = Application("evt", "ABH-1", "residence_permit_extension", "de", NOW, missing)
    return Case("case-1", app, Contact("hash", language, "a@example.org"))


def test_german_confirmation_names_ticket_link_and_missing_documents() -> None:
    message = TemplateRenderer().confirmation(case("de"), LINK)
    assert message.language == "de"
    assert "Vorgangsnummer lautet ABH-1" in message.text
    assert "- passport_photo" in message.text
    assert LINK in message.text
    assert "Rechtsverbindlich" not in message.text


def test_english_confirmation_says_german_is_binding() -> None:
    message = TemplateRenderer().confirmation(case("en-GB", missing=()), LINK)
    assert message.language == "en"
    assert "Your ticket number is ABH-1" in message.text
    assert "No documents are missing." in message.text
    assert "Only the German version is legally binding." in message.text


def test_unsupported_language_falls_back_to_german_with_a_note() -> None:
    message = TemplateRenderer().confirmation(case("tr"), LINK)
    assert message.language == "de"
    assert "Ihr Antrag ist bei uns eingegangen" in message.text
    assert "not yet available in your language" in message.text


def test_privacy_mode_mail_says_only_that_there_is_news() -> None:
    message = TemplateRenderer().confirmation(case("de"), LINK)
    mail = SmtpEmailChannel(SmtpConfig(host="smtp.example")).compose(message)
    body = mail.get_content()
    assert "Neuigkeiten" in body
    assert LINK in body
    assert "ABH-1" not in body
    assert "passport_photo" not in body
    assert mail["To"] == "a@example.org"


def test_full_mail_when_privacy_mode_is_off() -> None:
    message = TemplateRenderer().confirmation(case("de"), LINK)
    config = SmtpConfig(host="smtp.example", privacy_mode=False)
    assert "passport_photo" in SmtpEmailChannel(config).compose(message).get_content()


async def test_status_page_in_applicant_language_and_escaped() -> None:
    renderer, uow = TemplateRenderer(), FakeUnitOfWork()
    evil = Case("case-1")
    evil.receive(Application("evt", "ABH-1", "c", "de", NOW, ("<script>x</script>",)))
    evil.add_contact(Contact(hash_tracking_code("code"), "en"))
    await uow.cases.save(evil)
    view = await case_status("code", uow, renderer)
    assert view is not None
    assert view.timeline[0].text == "Your application has been received."
    html = renderer.status_page(view)
    assert '<html lang="en" dir="ltr">' in html
    assert "<main" in html
    assert "<script>x" not in html
    assert "&lt;script&gt;" in html
    assert await case_status("other", uow, renderer) is None
    assert await case_status("x" * 500, uow, renderer) is None
