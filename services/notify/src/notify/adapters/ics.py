"""An RFC 5545 calendar file for an appointment (no personal data: ticket, time, place)."""

from __future__ import annotations

from datetime import UTC, datetime

from notify.domain.messages import Attachment


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def appointment_ics(
    uid: str,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    location: str,
    *,
    cancelled: bool,
    sequence: int,
    now: datetime,
) -> Attachment:
    """One VEVENT; a cancelled appointment is sent with METHOD:CANCEL and the same UID."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Lotse//notify//DE",
        f"METHOD:{'CANCEL' if cancelled else 'PUBLISH'}",
        "BEGIN:VEVENT",
        f"UID:{uid}@lotse",
        f"SEQUENCE:{sequence}",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(starts_at)}",
        f"DTEND:{_stamp(ends_at)}",
        f"SUMMARY:{_escape(summary)}",
        f"LOCATION:{_escape(location)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    content = ("\r\n".join(lines) + "\r\n").encode()
    return Attachment("termin.ics", "text/calendar", content)
