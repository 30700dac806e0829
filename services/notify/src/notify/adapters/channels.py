"""Channel implementations: the status page (always) and e-mail over SMTP (when configured)."""

from __future__ import annotations

import asyncio
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from notify.domain.messages import DeliveryResult, Message


class StatusPageChannel:
    """The message is shown on the applicant's status page: nothing leaves the service."""

    name = "status_page"

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


class SmtpEmailChannel:
    """E-mail via the standard library's smtplib, run in a worker thread."""

    name = "email"

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def accepts(self, message: Message) -> bool:
        return bool(message.email)

    def compose(self, message: Message) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.config.sender
        mail["To"] = message.email or ""
        mail["Subject"] = message.subject
        mail["Content-Language"] = message.language
        mail.set_content(message.notice if self.config.privacy_mode else message.text)
        return mail

    async def send(self, message: Message) -> DeliveryResult:
        try:
            await asyncio.to_thread(self._send_sync, self.compose(message))
        except smtplib.SMTPRecipientsRefused:
            return DeliveryResult.failed("recipient refused", permanent=True)
        except smtplib.SMTPResponseException as error:
            permanent = 500 <= error.smtp_code < 600
            return DeliveryResult.failed(f"smtp {error.smtp_code}", permanent=permanent)
        except (smtplib.SMTPException, OSError) as error:
            return DeliveryResult.failed(type(error).__name__, permanent=False)
        return DeliveryResult.delivered()

    def _send_sync(self, mail: EmailMessage) -> None:
        cfg = self.config
        with smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_s) as smtp:
            if cfg.starttls:
                smtp.starttls()
            if cfg.user:
                smtp.login(cfg.user, cfg.password)
            smtp.send_message(mail)
