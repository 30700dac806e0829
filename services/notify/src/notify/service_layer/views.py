"""Read side: what the applicant sees on their status page (no writes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from shared.contracts.envelope import utcnow

from notify.domain.case import SILENT_KINDS, Case, hash_tracking_code
from notify.domain.language import LanguageChoice
from notify.service_layer.ports import Renderer
from notify.service_layer.unit_of_work import UnitOfWork

MAX_CODE_LENGTH = 200


@dataclass(frozen=True)
class TimelineItem:
    kind: str
    at: datetime
    when: str
    text: str


@dataclass(frozen=True)
class NotificationItem:
    kind: str
    channel: str
    at: datetime


@dataclass(frozen=True)
class AppointmentItem:
    starts_at: str
    when: str
    place: str
    pending_change: str | None = None  # the applicant's request routing has not answered yet
    changeable: bool = False  # the applicant may ask to cancel or move it now


@dataclass(frozen=True)
class StatusView:
    ticket: str
    concern: str
    language: str
    fell_back: bool
    current_step: str
    current_step_text: str
    next_step: str
    timeline: list[TimelineItem]
    missing_documents: list[tuple[str, str]]
    appointment: AppointmentItem | None
    referral: dict[str, str] | None
    survey_link: str
    notifications: list[NotificationItem]

    @property
    def choice(self) -> LanguageChoice:
        return LanguageChoice(self.language, self.fell_back)


def _next(case: Case) -> str:
    if case.current_step == "closed":
        return "closed"
    if case.decision is not None:
        return "decided"
    if case.appointment is not None:
        return "appointment"
    return "documents" if case.missing_documents else "wait"


async def case_status(
    tracking_code: str,
    uow: UnitOfWork,
    renderer: Renderer,
    language: str | None = None,
    survey_link: Callable[[str], str] = str,
    now: datetime | None = None,
) -> StatusView | None:
    """The case behind a tracking code in the applicant's (or the chosen) language; else None."""
    digest = hash_tracking_code(tracking_code[:MAX_CODE_LENGTH])
    case = await uow.cases.get_by_tracking_hash(digest)
    if not tracking_code or len(tracking_code) > MAX_CODE_LENGTH:
        return None
    if case is None or case.application is None:
        return None
    choice = renderer.choose(language or case.language)
    return build_view(case, choice, renderer, survey_link, now)


def build_view(
    case: Case,
    choice: LanguageChoice,
    r: Renderer,
    survey_link: Callable[[str], str],
    now: datetime | None = None,
) -> StatusView:
    assert case.application is not None
    lang = choice.language
    decision = case.decision.details if case.decision else {}
    concern = case.application.concern
    key = r.labels.referral_key(decision.get("referral"), concern, decision.get("outcome"))
    referral = r.labels.referral(key, lang) if key and decision else None
    timeline = [
        TimelineItem(e.kind, e.at, r.when(e.at, choice), r.timeline_text(e, choice))
        for e in case.ordered_timeline()
        if e.kind not in SILENT_KINDS
    ]
    return StatusView(
        ticket=case.application.ticket,
        concern=r.labels.concern(case.application.concern, lang),
        language=lang,
        fell_back=choice.fell_back,
        current_step=case.current_step or "received",
        current_step_text=timeline[-1].text if timeline else "",
        next_step=r.next_step(_next(case), choice, outcome=decision.get("outcome"), referral=None),
        timeline=timeline,
        missing_documents=[(k, r.labels.document(k, lang)) for k in case.missing_documents],
        appointment=_appointment(case, choice, r, now or utcnow()),
        referral=referral,
        survey_link=survey_link(case.survey_id)
        if case.survey_id and not case.survey_answered
        else "",
        notifications=[
            NotificationItem(n.kind, n.channel, n.created_at)
            for n in case.notifications
            if n.status == "sent"
        ],
    )


def _appointment(
    case: Case, choice: LanguageChoice, r: Renderer, now: datetime
) -> AppointmentItem | None:
    found = case.appointment
    if found is None:
        return None
    when = r.when(found.starts_at, choice)
    changeable = case.change_refusal(now) is None
    return AppointmentItem(found.starts_at, when, found.location, case.pending_change, changeable)
