"""A case as notify sees it: what was received, how to reach the applicant, what happened."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

TimelineKind = Literal["received", "routed"]
Status = Literal["sent", "failed"]


class ApplicationNotYetKnown(Exception):  # noqa: N818 - a state, not a failure
    """A contact arrived before its application; it is retried (the link secret is never stored)."""


def hash_tracking_code(code: str) -> str:
    """What the store keeps instead of the secret tracking code."""
    return hashlib.sha256(code.encode()).hexdigest()


@dataclass(frozen=True)
class Application:
    event_id: str
    ticket: str
    concern: str
    language: str
    received_at: datetime
    missing_documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contact:
    tracking_hash: str
    language: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class TimelineEntry:
    kind: TimelineKind
    at: datetime
    details: dict[str, str | list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Notification:
    id: str
    kind: str
    channel: str
    status: Status
    cause_event_id: str
    created_at: datetime


@dataclass
class Case:
    """Accepts its events in any order and knows which messages are still due."""

    case_id: str
    application: Application | None = None
    contact: Contact | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)

    @property
    def ticket(self) -> str | None:
        return self.application.ticket if self.application else None

    @property
    def language(self) -> str:
        """The language the applicant asked to be told in (contact wins over the form)."""
        if self.contact:
            return self.contact.language
        return self.application.language if self.application else "de"

    @property
    def current_step(self) -> TimelineKind | None:
        return self.ordered_timeline()[-1].kind if self.timeline else None

    def ordered_timeline(self) -> list[TimelineEntry]:
        return sorted(self.timeline, key=lambda entry: entry.at)

    def receive(self, application: Application) -> None:
        """Record the application; a second, different received event changes nothing."""
        if self.application is not None:
            return
        self.application = application
        details: dict[str, str | list[str]] = {
            "concern": application.concern,
            "missing_documents": list(application.missing_documents),
        }
        self.timeline.append(TimelineEntry("received", application.received_at, details))

    def route(self, at: datetime, team: str, priority: str) -> None:
        """Record a routing decision (a case may be routed again: each one is a step)."""
        self.timeline.append(TimelineEntry("routed", at, {"team": team, "priority": priority}))

    def add_contact(self, contact: Contact) -> None:
        """Accept the contact once the application is known (see ApplicationNotYetKnown)."""
        if self.application is None:
            raise ApplicationNotYetKnown(self.case_id)
        self.contact = contact

    def confirmation_due_on(self, channels: list[str]) -> list[str]:
        """Channels still owed the confirmation of receipt: once per channel, ever."""
        if self.application is None or self.contact is None:
            return []
        cause = self.application.event_id
        done = {n.channel for n in self.notifications if n.cause_event_id == cause}
        return [c for c in channels if c not in done]

    def record(self, notification: Notification) -> None:
        self.notifications.append(notification)
