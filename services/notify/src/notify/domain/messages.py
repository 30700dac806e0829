"""A message for the applicant and the one interface every channel implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "text/calendar"
    content: bytes


@dataclass(frozen=True)
class Message:
    """Rendered texts plus where to send them; ``notice`` is the privacy-mode teaser."""

    case_id: str
    kind: str
    language: str
    subject: str
    text: str
    notice: str
    email: str | None = None
    phone: str | None = None
    html: str = ""
    notice_html: str = ""
    attachments: tuple[Attachment, ...] = ()
    event_id: str = ""  # the event the message tells about (stable Message-ID per channel)


@dataclass(frozen=True)
class DeliveryResult:
    """``ok``; or a failure that is ``permanent`` (give up) or transient (retry later)."""

    ok: bool
    permanent: bool = False
    reason: str = ""

    @classmethod
    def delivered(cls) -> DeliveryResult:
        return cls(ok=True)

    @classmethod
    def failed(cls, reason: str, *, permanent: bool) -> DeliveryResult:
        return cls(ok=False, permanent=permanent, reason=reason)


class Channel(Protocol):
    """A way to reach the applicant (status page, e-mail, SMS; later a postbox)."""

    name: str
    in_process: bool  # True: sending changes only the store (the status page); nothing leaves

    def accepts(self, message: Message) -> bool:
        """Whether this channel can carry the message (e.g. an address is known)."""
        ...

    async def send(self, message: Message) -> DeliveryResult:
        """Deliver the message; never raise for a delivery failure, report it."""
        ...
