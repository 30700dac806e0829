"""Erasure: the applicant's personal data leaves notify's store; non-personal steps remain."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from notify.domain.case import Case, TimelineEntry
from notify.service_layer.commands import ErasePersonalData
from notify.service_layer.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


async def erase_personal_data(cmd: ErasePersonalData, uow: UnitOfWork) -> int:
    """Forget contact, pending code, preferences and survey comments; returns comments erased.

    The ``erased`` step stays, so a contact arriving late (another stream) is not stored.
    """
    case = await uow.cases.get(cmd.case_id) or Case(case_id=cmd.case_id)
    case.erase(TimelineEntry("erased", cmd.at, {"reason": cmd.reason}, cmd.event_id))
    await uow.cases.save(case)
    comments = await uow.comments.erase(cmd.case_id)
    log.info(
        "personal data erased",
        extra={"case_id": cmd.case_id, "reason": cmd.reason, "survey_comments": comments},
    )
    return comments


async def purge_survey_comments(uow: UnitOfWork, now: datetime, keep_days: int) -> int:
    """Delete survey comments older than the retention period; logs how many."""
    purged = await uow.comments.purge(now - timedelta(days=keep_days))
    if purged:
        log.info("survey comments past retention erased", extra={"count": purged})
    return purged
