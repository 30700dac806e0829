"""Commands routing acts on (imperative; translated from events at the edge)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from routing.domain.triage import Facts


@dataclass(frozen=True)
class RouteCase:
    """Triage a newly received application and queue it for its team."""

    case_id: str
    ticket: str
    team: str | None
    language: str
    received_at: datetime
    facts: Facts
    correlation_id: str
