"""Use cases the applicant triggers: the satisfaction survey and their preferences."""

from __future__ import annotations

from shared.contracts import SurveyAnswered
from shared.contracts.notify.v1 import SurveyAnsweredData

from notify.domain.case import Preferences, TimelineEntry, hash_tracking_code
from notify.service_layer.commands import AnswerSurvey, SetPreferences
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
