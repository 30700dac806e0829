"""A case as notify sees it: what was received, how to reach the applicant, what happened."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from notify.domain.records import (
    Application,
    Appointment,
    Contact,
    Details,
    Notification,
    Preferences,
    Status,
    TimelineEntry,
)

__all__ = [
    "Application",
    "Appointment",
    "Case",
    "Contact",
    "Details",
    "Notification",
    "Preferences",
    "Status",
    "TimelineEntry",
    "hash_tracking_code",
]

# Steps the applicant hears about, and whether a message about them may be opted out of.
ESSENTIAL = frozenset(
    {
        "received",
        "documents_requested",
        "appointment_booked",
        "appointment_rebooked",
        "appointment_cancelled",
        "appointment_change_refused",
        "decided",
    }
)
NON_ESSENTIAL = frozenset({"documents_added", "closed", "joined"})
MESSAGE_KINDS = ESSENTIAL | NON_ESSENTIAL
SILENT_KINDS = frozenset({"survey_answered", "erased"})
APPOINTMENT_KINDS = ("appointment_booked", "appointment_rebooked", "appointment_cancelled")
# The applicant's own request to cancel or move the appointment, and routing's refusal.
CHANGE_REQUESTED, CHANGE_REFUSED = "appointment_change_requested", "appointment_change_refused"


def hash_tracking_code(code: str) -> str:
    """What the store keeps instead of the secret tracking code."""
    return hashlib.sha256(code.encode()).hexdigest()


@dataclass
class Case:
    """Accepts its events in any order; its state is the replay of its timeline."""

    case_id: str
    application: Application | None = None
    contact: Contact | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    preferences: Preferences = field(default_factory=Preferences)

    @property
    def ticket(self) -> str | None:
        return self.application.ticket if self.application else None

    @property
    def language(self) -> str:
        """Preference, else the contact's language, else the form's, else German."""
        if self.preferences.language:
            return self.preferences.language
        if self.contact:
            return self.contact.language
        return self.application.language if self.application else "de"

    @property
    def current_step(self) -> str | None:
        """The last step the applicant sees (answering the survey or erasure is none)."""
        steps = [e for e in self.ordered_timeline() if e.kind not in SILENT_KINDS]
        return steps[-1].kind if steps else None

    def ordered_timeline(self) -> list[TimelineEntry]:
        return sorted(self.timeline, key=lambda entry: entry.at)

    def _latest(self, *kinds: str) -> TimelineEntry | None:
        found = [e for e in self.ordered_timeline() if e.kind in kinds]
        return found[-1] if found else None

    @property
    def missing_documents(self) -> list[str]:
        """Missing at receipt, plus requested, minus what arrived (replayed in time order)."""
        missing = list(self.application.missing_documents) if self.application else []
        for entry in self.ordered_timeline():
            if entry.kind == "documents_requested":
                missing += [d for d in _strings(entry, "documents") if d not in missing]
            elif entry.kind == "documents_added":
                missing = _strings(entry, "missing_documents")
        return missing

    @property
    def appointment(self) -> Appointment | None:
        entry = self._latest(*APPOINTMENT_KINDS)
        if entry is None or entry.kind == "appointment_cancelled":
            return None
        d = entry.details
        return Appointment(str(d["starts_at"]), str(d["ends_at"]), str(d["location"]))

    @property
    def pending_change(self) -> str | None:
        """The applicant's request (cancel / rebook) routing has not answered yet, if any."""
        # by the order steps were recorded, not their times: the services' clocks may differ
        for entry in reversed(self.timeline):
            if entry.kind == CHANGE_REQUESTED:
                return str(entry.details.get("action"))
            if entry.kind in (*APPOINTMENT_KINDS, CHANGE_REFUSED):
                return None
        return None

    def change_refusal(self, now: datetime) -> str | None:
        """Why the applicant cannot ask now: no appointment, it has begun, or one request waits."""
        appointment = self.appointment
        if appointment is None:
            return "no_appointment"
        starts_at = datetime.fromisoformat(appointment.starts_at)
        if (starts_at if starts_at.tzinfo else starts_at.replace(tzinfo=UTC)) <= now:
            return "too_late"
        return "pending" if self.pending_change else None

    @property
    def decision(self) -> TimelineEntry | None:
        return self._latest("decided")

    @property
    def survey_id(self) -> str | None:
        closed = self._latest("closed")
        return str(closed.details.get("survey_id")) if closed else None

    @property
    def survey_answered(self) -> bool:
        return self._latest("survey_answered") is not None

    @property
    def team(self) -> str | None:
        routed = self._latest("routed", "forwarded")
        return str(routed.details.get("team")) if routed else None

    def knows(self, event_id: str) -> bool:
        return any(e.event_id == event_id for e in self.timeline)

    def receive(self, application: Application) -> None:
        """Record the application; a second, different received event changes nothing."""
        if self.application is not None:
            return
        self.application = application
        details: Details = {
            "concern": application.concern,
            "missing_documents": list(application.missing_documents),
        }
        self.add(TimelineEntry("received", application.received_at, details, application.event_id))

    def add(self, entry: TimelineEntry) -> None:
        """Record a step once (redelivery of the same event adds nothing)."""
        if not (entry.event_id and self.knows(entry.event_id)):
            self.timeline.append(entry)

    @property
    def erased(self) -> bool:
        return self._latest("erased") is not None

    def add_contact(self, contact: Contact) -> None:
        """Keep the contact, unless the applicant's personal data was already erased."""
        if not self.erased:
            self.contact = contact

    def erase(self, entry: TimelineEntry) -> None:
        """Forget contact data, pending code and preferences; the steps stay (non-personal)."""
        self.contact = None
        self.preferences = Preferences()
        self.add(entry)

    def forget_code(self) -> None:
        """The confirmation went out: the secret is no longer needed."""
        if self.contact and self.contact.pending_code:
            c = self.contact
            self.contact = Contact(c.tracking_hash, c.language, c.email, c.phone)

    def wants(self, kind: str, channel: str) -> bool:
        """Whether the applicant's preferences allow a message of ``kind`` on ``channel``."""
        prefs = self.preferences
        if prefs.essential_only and kind in NON_ESSENTIAL:
            return channel == "status_page"
        return prefs.channels is None or channel in prefs.channels or channel == "status_page"

    def due_on(self, cause_event_id: str, kind: str, channels: list[str]) -> list[str]:
        """Channels still owed the message about one event: once per channel, ever."""
        if self.application is None or self.contact is None:
            return []
        done = {n.channel for n in self.notifications if n.cause_event_id == cause_event_id}
        return [c for c in channels if c not in done and self.wants(kind, c)]

    def owes(self, cause_event_id: str | None, channels: list[str]) -> bool:
        """Whether a message may still be owed about one event (None: about any step)."""
        return any(
            self.due_on(entry.event_id, entry.kind, channels)
            for entry in self.timeline
            if entry.kind in MESSAGE_KINDS
            and entry.event_id
            and cause_event_id in {None, entry.event_id}
        )

    def record(self, notification: Notification) -> None:
        self.notifications.append(notification)


def _strings(entry: TimelineEntry, key: str) -> list[str]:
    value = entry.details.get(key) or []
    return [value] if isinstance(value, str) else list(value)
