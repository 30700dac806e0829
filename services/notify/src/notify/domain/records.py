"""The values a case is made of: application, contact, preferences, steps, notifications."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Status = Literal["sent", "failed"]
Details = dict[str, str | list[str] | None]


@dataclass(frozen=True)
class Application:
    event_id: str
    ticket: str
    concern: str
    language: str
    received_at: datetime
    missing_documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Preferences:
    """What the applicant chose: channels (None = all), language, opt-out of non-essentials."""

    channels: tuple[str, ...] | None = None
    language: str | None = None
    essential_only: bool = False


@dataclass(frozen=True)
class Contact:
    tracking_hash: str
    language: str
    email: str | None = None
    phone: str | None = None
    pending_code: str | None = None  # the secret, only until the confirmation has gone out


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    at: datetime
    details: Details = field(default_factory=dict)
    event_id: str = ""


@dataclass(frozen=True)
class Notification:
    id: str
    kind: str
    channel: str
    status: Status
    cause_event_id: str
    created_at: datetime
    reason: str = ""


@dataclass(frozen=True)
class Appointment:
    starts_at: str
    ends_at: str
    location: str
