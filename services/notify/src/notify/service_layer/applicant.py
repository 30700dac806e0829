"""Use cases the applicant triggers: the survey, their preferences, appointment changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from shared.contracts import AppointmentChangeRequested, SurveyAnswered
from shared.contracts.notify.v1 import AppointmentChangeRequestedData, SurveyAnsweredData

from notify.domain.case import (
    CHANGE_REQUESTED,
    Details,
    Preferences,
    TimelineEntry,
    hash_tracking_code,
)
from notify.service_layer.commands import (
    AnswerSurvey,
    RequestAppointmentChange,
    SetPreferences,
)
from notify.service_layer.ports import Outbound
from notify.service_layer.unit_of_work import UnitOfWork

CHANNELS = frozenset({"email", "sms", "status_page"})


async def answer_survey(cmd: AnswerSurvey, uow: UnitOfWork, out: Outbound) -> bool:
    """Record one answer per survey and announce it without anything personal."""
    case = await uow.cases.get_by_survey_id(cmd.survey_id)
    if case is None or case.application is None or case.survey_answered:
        return False
    now = out.clock()
    case.add(TimelineEntry("survey_answered", now, {}, f"survey:{cmd.survey_id}"))
    await uow.cases.save(case)
    if cmd.comment.strip():
        await uow.comments.keep(case.case_id, cmd.survey_id, cmd.comment.strip(), now)
    data = SurveyAnsweredData(
        survey_id=cmd.survey_id,
        score=cmd.score,
        concern=case.application.concern,
        team=case.team,
        channel=None,
        language=cmd.language,
        has_comment=bool(cmd.comment.strip()),
    )
    uow.publish(SurveyAnswered.build(subject=cmd.survey_id, data=data))
    return True


async def set_preferences(cmd: SetPreferences, uow: UnitOfWork) -> bool:
    """Store channel, language and opt-out choices; False for an unknown code."""
    case = await uow.cases.get_by_tracking_hash(hash_tracking_code(cmd.tracking_code))
    if case is None:
        return False
    channels = None if cmd.channels is None else tuple(c for c in cmd.channels if c in CHANNELS)
    case.preferences = Preferences(channels, cmd.language or None, cmd.essential_only)
    await uow.cases.save(case)
    return True


async def request_appointment_change(
    cmd: RequestAppointmentChange, uow: UnitOfWork, clock: Callable[[], datetime]
) -> str | None:
    """Ask routing to cancel or move the appointment; else why not ("not_found", ...)."""
    found = await uow.cases.get_by_tracking_hash(hash_tracking_code(cmd.tracking_code))
    # read again under the case's write lock: a second click waits and sees the first request
    case = await uow.cases.get(found.case_id) if found else None
    if case is None or case.application is None:
        return "not_found"
    now = clock()
    if reason := case.change_refusal(now):
        return reason
    data = AppointmentChangeRequestedData(
        case_id=case.case_id,
        ticket=case.application.ticket,
        action=cmd.action,
        not_before=cmd.not_before,
        requested_at=now,
    )
    event = AppointmentChangeRequested.build(
        subject=case.case_id, data=data, correlation_id=case.case_id
    )
    not_before = cmd.not_before.isoformat() if cmd.not_before else None
    details: Details = {"action": cmd.action, "not_before": not_before}
    case.add(TimelineEntry(CHANGE_REQUESTED, now, details, event.id))
    await uow.cases.save(case)
    uow.publish(event)
    return None
