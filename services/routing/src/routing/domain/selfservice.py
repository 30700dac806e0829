"""The applicant's own changes to an appointment (through the tracking code): what is allowed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from routing.domain.appointments import Appointment

Refusal = Literal["no_appointment", "too_late", "no_seat"]


def refusal(current: Appointment | None, now: datetime) -> Refusal | None:
    """Why the applicant cannot change the appointment now: none held, or it has begun."""
    if current is None:
        return "no_appointment"
    if current.seat.starts_at <= now:
        return "too_late"
    return None


def later_than(current: Appointment, now: datetime, not_before: datetime | None) -> datetime:
    """The instant a later seat must start after: now, the current slot, the applicant's day."""
    bounds = [now, current.seat.starts_at]
    if not_before is not None:
        bounds.append(not_before - timedelta(microseconds=1))  # seats strictly after the bound
    return max(bounds)
