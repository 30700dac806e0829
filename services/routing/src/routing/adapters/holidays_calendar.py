"""The business-day calendar of a German Land, from the ``holidays`` package."""

from __future__ import annotations

import holidays

from routing.domain.calendar import BusinessCalendar


def land_calendar(land: str) -> BusinessCalendar:
    """Public holidays of ``land`` (ISO 3166-2 subdivision of DE, e.g. "BW", "BY", "BE")."""
    return BusinessCalendar(holidays.country_holidays("DE", subdiv=land))
