"""Real SMTP (aiosmtpd, STARTTLS with a self-signed certificate) and an SMS gateway over HTTP."""

from __future__ import annotations

import socket
import ssl
import subprocess
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from notify.adapters.channels import SmtpConfig, SmtpEmailChannel
from notify.adapters.rendering import TemplateRenderer
from notify.domain.case import Application, Case, Contact, TimelineEntry

from ..fakes import NOW

LINK = "https://lotse.example/status/abc"


class Inbox:
    def __init__(self) -> None:
        self.mails: list[EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        assert session.ssl is not None, "mail must only be sent after STARTTLS"
        raw = envelope.original_content or b""
        self.mails.append(message_from_bytes(raw, policy=policy.default))  # type: ignore[arg-type]
        return "250 accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def smtp(certificate: tuple[Path, Path]) -> Iterator[tuple[Inbox, int]]:
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    inbox, port = Inbox(), free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def channel(port: int, cert: Path, *, private: bool) -> SmtpEmailChannel:
    config = SmtpConfig(
        host="localhost",
        port=port,
        starttls=True,
        ca_file=str(cert),
        privacy_mode=private,
        sender="lotse@amt.example",
    )
    return SmtpEmailChannel(config)


def case(language: str, email: str = "a@example.org", phone: str | None = None) -> Case:
    app = Application("evt", "ABH-1", "residence_permit_extension", "de", NOW, ("passport",))
    return Case("case-1", app, Contact("hash", language, email, phone))


APPOINTMENT = TimelineEntry(
    "appointment_booked",
    NOW,
    {
        "appointment_id": "apt-1",
        "starts_at": "2026-12-03T09:30:00+01:00",
        "ends_at": "2026-12-03T10:00:00+01:00",
        "location": "Raum 101",
    },
    "e",
)


def text_of(mail: EmailMessage, kind: str) -> str:
    body = mail.get_body(preferencelist=(kind,))
    assert isinstance(body, EmailMessage)
    return str(body.get_content())


@pytest.mark.parametrize(
    ("language", "expected"),
    [("de", "Wir haben einen Termin"), ("ar", "لقد حددنا لك موعداً"), ("uk", "призначили")],
)
async def test_mails_arrive_over_starttls_in_the_language_with_ics(
    smtp: tuple[Inbox, int], certificate: tuple[Path, Path], language: str, expected: str
) -> None:
    inbox, port = smtp
    message = TemplateRenderer().message(case(language), APPOINTMENT, LINK)
    result = await channel(port, certificate[0], private=False).send(message)
    assert result.ok, result.reason
    (mail,) = inbox.mails
    assert mail["To"] == "a@example.org"
    assert mail["Content-Language"] == language
    assert expected in text_of(mail, "plain")
    assert expected in text_of(mail, "html")
    assert [a.get_content_type() for a in mail.iter_attachments()] == ["text/calendar"]


async def test_privacy_mode_mail_has_no_case_content(
    smtp: tuple[Inbox, int], certificate: tuple[Path, Path]
) -> None:
    inbox, port = smtp
    message = TemplateRenderer().message(case("de"), APPOINTMENT, LINK)
    assert (await channel(port, certificate[0], private=True).send(message)).ok
    (mail,) = inbox.mails
    assert "Raum 101" not in mail.as_string()
    assert LINK in text_of(mail, "plain")
    assert list(mail.iter_attachments()) == []


async def test_refused_recipient_is_a_permanent_failure(
    smtp: tuple[Inbox, int], certificate: tuple[Path, Path]
) -> None:
    inbox, port = smtp
    inbox.refuse.add("gone@example.org")
    message = TemplateRenderer().message(case("de", "gone@example.org"), APPOINTMENT, LINK)
    result = await channel(port, certificate[0], private=True).send(message)
    assert (result.ok, result.permanent) == (False, True)


async def test_unreachable_server_is_transient(certificate: tuple[Path, Path]) -> None:
    message = TemplateRenderer().message(case("de"), APPOINTMENT, LINK)
    result = await channel(free_port(), certificate[0], private=True).send(message)
    assert (result.ok, result.permanent) == (False, False)
