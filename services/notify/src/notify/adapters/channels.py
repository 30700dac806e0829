"""Channels: the status page (always), e-mail over SMTP with STARTTLS (aiosmtplib)."""

from __future__ import annotations

import hashlib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

import aiosmtplib

from notify.domain.messages import DeliveryResult, Message


class StatusPageChannel:
    """The message is shown on the applicant's status page: nothing leaves the service."""

    name = "status_page"
    in_process = True

    def accepts(self, message: Message) -> bool:
        return True

    async def send(self, message: Message) -> DeliveryResult:
        return DeliveryResult.delivered()


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 25
    sender: str = "lotse@localhost"
    user: str = ""
    password: str = ""
    starttls: bool = False
    timeout_s: float = 10.0
    privacy_mode: bool = True  # the mail says only "there is news" and links to the page
    ca_file: str = ""  # extra CA to trust (a test server's self-signed certificate)


def stable_message_id(event_id: str, channel: str, sender: str) -> str:
    """The same Message-ID for every try of one (event, channel): receivers drop a resend."""
    digest = hashlib.sha256(f"{event_id}\n{channel}".encode()).hexdigest()[:40]
    domain = sender.rpartition("@")[2] or "lotse.invalid"
    return f"<{digest}@{domain}>"


class SmtpEmailChannel:
    """E-mail with HTML and plain text; in privacy mode only the teaser, no attachments."""

    name = "email"
    in_process = False

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def accepts(self, message: Message) -> bool:
        return bool(message.email)

    def compose(self, message: Message) -> EmailMessage:
        private = self.config.privacy_mode
        mail = self._envelope(message.email or "", message.subject)
        if message.event_id:
            mail["Message-ID"] = stable_message_id(message.event_id, self.name, self.config.sender)
        mail.set_content(message.notice if private else message.text)
        mail.add_alternative(message.notice_html if private else message.html, subtype="html")
        for item in () if private else message.attachments:
            maintype, subtype = item.content_type.split("/", 1)
            mail.add_attachment(item.content, maintype, subtype, filename=item.filename)
        mail["Content-Language"] = message.language  # after the parts: they move Content-*
        return mail

    async def send(self, message: Message) -> DeliveryResult:
        return await self._submit(self.compose(message))

    async def mail(self, to: str, subject: str, text: str) -> DeliveryResult:
        """An internal mail (alerts to team leads)."""
        mail = self._envelope(to, subject)
        mail.set_content(text)
        return await self._submit(mail)

    def _envelope(self, to: str, subject: str) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.config.sender
        mail["To"] = to
        mail["Subject"] = subject
        return mail

    async def _submit(self, mail: EmailMessage) -> DeliveryResult:
        cfg = self.config
        context = ssl.create_default_context(cafile=cfg.ca_file or None)
        try:
            await aiosmtplib.send(
                mail,
                hostname=cfg.host,
                port=cfg.port,
                username=cfg.user or None,
                password=cfg.password or None,
                start_tls=cfg.starttls,
                use_tls=False,
                tls_context=context if cfg.starttls else None,
                timeout=cfg.timeout_s,
            )
        except aiosmtplib.SMTPRecipientsRefused:
            return DeliveryResult.failed("recipient refused", permanent=True)
        except aiosmtplib.SMTPResponseException as error:
            permanent = 500 <= error.code < 600
            return DeliveryResult.failed(f"smtp {error.code}", permanent=permanent)
        except (aiosmtplib.SMTPException, OSError) as error:
            return DeliveryResult.failed(type(error).__name__, permanent=False)
        return DeliveryResult.delivered()
