"""Read side: what the applicant sees on their status page (no lock, no writes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from notify.domain.case import hash_tracking_code
from notify.service_layer.ports import Renderer
from notify.service_layer.unit_of_work import UnitOfWork

MAX_CODE_LENGTH = 200


@dataclass(frozen=True)
class TimelineItem:
    kind: str
    at: datetime
    text: str


@dataclass(frozen=True)
class NotificationItem:
    kind: str
    channel: str
    at: datetime


@dataclass(frozen=True)
class StatusView:
    ticket: str
    language: str
    fell_back: bool
    current_step: str
    timeline: list[TimelineItem]
    missing_documents: list[str]
    notifications: list[NotificationItem]


async def case_status(tracking_code: str, uow: UnitOfWork, renderer: Renderer) -> StatusView | None:
    """The case behind a tracking code, rendered in the applicant's language; else None."""
    if not tracking_code or len(tracking_code) > MAX_CODE_LENGTH:
        return None
    case = await uow.cases.get_by_tracking_hash(hash_tracking_code(tracking_code))
    if case is None or case.application is None:
        return None
    choice = renderer.choose(case.language)
    return StatusView(
        ticket=case.application.ticket,
        language=choice.language,
        fell_back=choice.fell_back,
        current_step=case.current_step or "received",
        timeline=[
            TimelineItem(e.kind, e.at, renderer.timeline_text(e, choice))
            for e in case.ordered_timeline()
        ],
        missing_documents=list(case.application.missing_documents),
        notifications=[
            NotificationItem(n.kind, n.channel, n.created_at)
            for n in case.notifications
            if n.status == "sent"
        ],
    )
