"""The email channel: an SMTP gateway the office's mail server forwards its mailbox to."""

from __future__ import annotations

import asyncio
import email
import email.policy
import logging
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from intake.bootstrap import Container
from intake.domain.attachments import OTHER, Upload
from intake.entrypoints.errors import REFUSALS, temporary
from intake.entrypoints.schemas import ApplicationIn
from intake.service_layer.applications import submit_application

log = logging.getLogger(__name__)
MESSAGE_LIMIT = 5000


class MailHandler:
    """Turns one mail into an application with channel ``email``; replies with the ticket."""

    def __init__(self, container: Container) -> None:
        self.container = container

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content or b""
        data = raw.encode() if isinstance(raw, str) else bytes(raw)
        mail = email.message_from_bytes(data, policy=email.policy.default)
        assert isinstance(mail, EmailMessage)
        try:
            form = ApplicationIn.model_validate(self._fields(mail, envelope))
            uploads = tuple(_uploads(mail))
            receipt = await submit_application(
                form.to_command(uploads), self.container.uow(), self.container.context()
            )
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            field = ".".join(str(p) for p in first["loc"])
            return f"550 5.6.0 {field}: {first['msg']}"[:500]
        except (*REFUSALS, RequestValidationError) as exc:
            field = getattr(exc, "field", "message")
            return f"550 5.6.0 {field}: {exc}"[:500]
        except Exception as exc:
            if not temporary(exc):
                raise
            # a 4xx makes the office's mail server keep the mail and try again later
            log.warning("email deferred", extra={"error": type(exc).__name__})
            return "451 4.3.0 temporarily unable to accept the mail; try again later"
        log.info("email application received", extra={"ticket": receipt.ticket})
        return f"250 2.0.0 accepted as ticket {receipt.ticket}"

    def _fields(self, mail: EmailMessage, envelope: Envelope) -> dict[str, Any]:
        name, address = parseaddr(str(mail.get("From", "")))
        address = address or (envelope.mail_from or "")
        subject = str(mail.get("Subject", "")).strip()
        body = mail.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        catalogue = self.container.catalogue
        return {
            "concern": catalogue.infer_concern(subject) or "",
            "channel": "email",
            "language": _language(mail),
            "applicant": {"family_name": name or address.split("@")[0], "email": address},
            "message": f"{subject}\n\n{text}".strip()[:MESSAGE_LIMIT],
        }


def _language(mail: EmailMessage) -> str:
    tag = str(mail.get("Content-Language", "de")).split(",")[0].strip()
    return tag if 2 <= len(tag) <= 35 else "de"


def _uploads(mail: EmailMessage) -> list[Upload]:
    uploads = []
    for index, part in enumerate(mail.iter_attachments()):
        assert isinstance(part, EmailMessage)
        data = part.get_payload(decode=True)
        if isinstance(data, bytes):
            field = f"attachment.{index}"
            uploads.append(Upload(field, OTHER, data))
    return uploads


async def start_smtp(container: Container) -> asyncio.Server | None:
    """Listen on ``INTAKE_SMTP_PORT`` (0: the email channel is off)."""
    settings = container.settings
    if settings.smtp_port == 0:
        return None
    handler = MailHandler(container)
    limit = settings.max_application_bytes * 2

    def protocol() -> SMTP:
        return SMTP(handler, data_size_limit=limit, enable_SMTPUTF8=True, ident="Lotse intake")

    loop = asyncio.get_running_loop()
    server = await loop.create_server(protocol, settings.smtp_host, settings.smtp_port)
    log.info("SMTP gateway listening", extra={"port": settings.smtp_port})
    return server
